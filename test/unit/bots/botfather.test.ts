import { describe, expect, test } from 'vitest';
import { converse, parseCommandList, type BotFatherOps, type Conversation } from '../../../services/bots/botfather.js';
import type { BotInfo } from '../../../protocol/bots.js';
import { EdgegramError, ErrorCode } from '../../../protocol/errors.js';

/** In-memory bot management, as BotFather's ops see it. */
function fakeOps() {
  const bots: BotInfo[] = [];
  const commands = new Map<number, unknown>();
  let nextId = 100;
  const ops: BotFatherOps = {
    async create(username, name) {
      if (!/bot$/i.test(username)) throw new EdgegramError(ErrorCode.USERNAME_INVALID, 'bad');
      if (bots.some((b) => b.user.username.toLowerCase() === username.toLowerCase())) throw new EdgegramError(ErrorCode.USERNAME_TAKEN, 'taken');
      const bot: BotInfo = { user: { id: nextId++, username, display_name: name, is_bot: true }, owner_id: 1, privacy_mode: true, created_at: 0 };
      bots.push(bot);
      return { bot, token: `${bot.user.id}:secret` };
    },
    list: async () => [...bots],
    revoke: async (id) => `${id}:fresh`,
    setCommands: async (id, list) => void commands.set(id, list),
    remove: async (id) => void bots.splice(bots.findIndex((b) => b.user.id === id), 1),
    setPrivacy: async (id, enabled) => void (bots.find((b) => b.user.id === id)!.privacy_mode = enabled),
    rename: async (id, name) => void (bots.find((b) => b.user.id === id)!.user.display_name = name),
  };
  return { ops, bots, commands };
}

/** Plays a conversation, returning each reply's text. */
async function play(ops: BotFatherOps, lines: string[]) {
  let state: Conversation | null = null;
  const out: string[] = [];
  for (const line of lines) {
    const turn = await converse(line, state, ops);
    state = turn.state;
    out.push(turn.replies.map((r) => r.text).join('\n'));
  }
  return { out, state };
}

describe('BotFather', () => {
  test('/newbot: name, a refused username, a taken one, then the token in a code entity', async () => {
    const { ops } = fakeOps();
    await ops.create('taken_bot', 'Old');
    const { out, state } = await play(ops, ['/newbot', 'My Bot', 'nobot_here', 'taken_bot', 'fresh_bot']);
    expect(out[0]).toMatch(/choose a name/);
    expect(out[1]).toMatch(/choose a username/);
    expect(out[2]).toMatch(/must end in 'bot'/);
    expect(out[3]).toMatch(/already taken/);
    expect(out[4]).toMatch(/^Done! Congratulations/);
    expect(state).toBeNull();
    const turn = await converse('/newbot', null, ops);
    expect(turn.state).toEqual({ step: 'name' });
  });

  test('the token reply marks the token as code', async () => {
    const { ops } = fakeOps();
    const turn = await converse('neat_bot', { step: 'username', name: 'Neat' }, ops);
    const reply = turn.replies[0]!;
    const code = reply.entities![0]!;
    expect(reply.text.slice(code.offset, code.offset + code.length)).toBe('100:secret');
  });

  test('choosing a bot from the keyboard, then /setcommands, /setprivacy, /setname and /deletebot', async () => {
    const { ops, bots, commands } = fakeOps();
    await ops.create('one_bot', 'One');
    const chooser = await converse('/setcommands', null, ops);
    expect(chooser.replies[0]!.reply_markup).toEqual({ keyboard: [[{ text: '@one_bot' }]], one_time_keyboard: true, resize_keyboard: true });
    const { out } = await play(ops, [
      '/setcommands',
      '@nobody_bot',
      '@one_bot',
      'not a list',
      'start - Start it\nhelp - Get help',
      '/setprivacy',
      '@one_bot',
      'Disable',
      '/setname',
      'one_bot',
      'Renamed',
      '/deletebot',
      '@one_bot',
      'sure',
      'Yes, I am totally sure.',
      '/mybots',
    ]);
    expect(out[1]).toBe('Invalid bot selected.');
    expect(out[3]).toMatch(/list of commands is invalid/);
    expect(out[4]).toMatch(/^Success! Command list updated/);
    expect(commands.get(100)).toEqual([
      { command: 'start', description: 'Start it' },
      { command: 'help', description: 'Get help' },
    ]);
    expect(out[7]).toMatch(/new status is: DISABLED/);
    expect(out[10]).toMatch(/Name updated/);
    expect(out[13]).toMatch(/exactly like this/);
    expect(out[14]).toMatch(/The bot is gone/);
    expect(bots).toEqual([]);
    expect(out[15]).toMatch(/no bots/);
  });

  test('/cancel ends any step; unknown commands are not understood', async () => {
    const { ops } = fakeOps();
    expect((await converse('/cancel', { step: 'name' }, ops)).state).toBeNull();
    expect((await converse('/cancel', null, ops)).replies[0]!.text).toMatch(/No active command/);
    expect((await converse('/fly', null, ops)).replies[0]!.text).toBe('Unrecognized command. Say what?');
  });

  test('command lists follow Telegram’s rules', () => {
    expect(parseCommandList('/start - Go\nhelp — Help')).toEqual([
      { command: 'start', description: 'Go' },
      { command: 'help', description: 'Help' },
    ]);
    expect(parseCommandList('bad-name - x')).toBeNull();
    expect(parseCommandList('')).toBeNull();
  });
});
