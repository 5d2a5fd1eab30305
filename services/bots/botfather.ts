import { z } from 'zod';
import type { BotApiCommand } from '../../protocol/bot-api/types.js';
import type { BotInfo } from '../../protocol/bots.js';
import { DisplayName } from '../../protocol/common.js';
import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import type { ReplyMarkup } from '../../protocol/keyboards.js';
import type { Entity } from '../../protocol/messages.js';
import { commandProblem } from './commands.js';

/**
 * @BotFather's conversation: what it answers to one message from a user,
 * given where the user is in a multi-step command. Pure over `ops` (the bot
 * management verbs), so it is unit tested without storage; the mailbox of
 * BotFather's account runs it for each incoming message (see botfather-runner.ts).
 */

export type BotFatherOps = {
  create(username: string, name: string): Promise<{ bot: BotInfo; token: string }>;
  list(): Promise<BotInfo[]>;
  revoke(botId: number): Promise<string>;
  setCommands(botId: number, commands: BotApiCommand[]): Promise<void>;
  remove(botId: number): Promise<void>;
  setPrivacy(botId: number, enabled: boolean): Promise<void>;
  rename(botId: number, name: string): Promise<void>;
};

const Choice = z.enum(['token', 'revoke', 'setcommands', 'deletebot', 'setprivacy', 'setname']);
type Choice = z.infer<typeof Choice>;

const botStep = <S extends string>(step: S) =>
  z.object({ step: z.literal(step), botId: z.number().int().positive(), username: z.string() });
/** Where a user is in a multi-step command; stored between messages, so read back through this schema. */
export const Conversation = z.discriminatedUnion('step', [
  z.object({ step: z.literal('name') }),
  z.object({ step: z.literal('username'), name: z.string() }),
  z.object({ step: z.literal('choose'), command: Choice }),
  botStep('commands'),
  botStep('delete'),
  botStep('privacy'),
  botStep('rename'),
]);
export type Conversation = z.infer<typeof Conversation>;

export type Reply = { text: string; entities?: Entity[]; reply_markup?: ReplyMarkup };
export type Turn = { replies: Reply[]; state: Conversation | null };

const CONFIRM_DELETE = 'Yes, I am totally sure.';
const REMOVE_KEYBOARD: ReplyMarkup = { remove_keyboard: true };

const HELP = [
  'I can help you create and manage Edgegram bots.',
  '',
  'You can control me by sending these commands:',
  '',
  '/newbot - create a new bot',
  '/mybots - list your bots',
  '',
  'Edit bots',
  '/setname - change a bot\'s name',
  '/setcommands - change the list of commands',
  '/deletebot - delete a bot',
  '',
  'Bot settings',
  '/token - about your bot\'s token',
  '/revoke - issue a new token',
  '/setprivacy - set privacy mode in groups',
  '',
  '/cancel - cancel the current operation',
].join('\n');

const PROMPTS: Record<Choice, string> = {
  token: 'Choose a bot to get its token.',
  revoke: 'Choose a bot to generate a new token. Warning: your old token will stop working.',
  setcommands: 'Choose a bot to change the list of commands.',
  deletebot: 'Choose a bot to delete.',
  setprivacy: 'Choose a bot to change group messages settings.',
  setname: 'Choose a bot to change its name.',
};

export async function converse(text: string, state: Conversation | null, ops: BotFatherOps): Promise<Turn> {
  const trimmed = text.trim();
  const command = /^\/([A-Za-z0-9_]+)(?:@BotFather)?(?:\s|$)/i.exec(trimmed)?.[1]?.toLowerCase();
  if (command !== undefined) return onCommand(command, state, ops);
  if (state === null) return say(`${HELP}`);
  switch (state.step) {
    case 'name': {
      const name = DisplayName.safeParse(trimmed);
      if (!name.success) return say('Sorry, a name is 1-64 characters. Please choose a name for your bot.', state);
      return say(
        "Good. Now let's choose a username for your bot. It must end in `bot`. Like this, for example: TetrisBot or tetris_bot.",
        { step: 'username', name: name.data },
      );
    }
    case 'username':
      return onUsername(trimmed.replace(/^@/, ''), state.name, ops);
    case 'choose':
      return onChoice(state.command, trimmed.replace(/^@/, ''), ops);
    case 'commands': {
      const commands = parseCommandList(trimmed);
      if (!commands) {
        return say(
          'Sorry, the list of commands is invalid. Please use this format:\n\ncommand1 - Description\ncommand2 - Another description\n\nSend /empty to keep the list empty.',
          state,
        );
      }
      await ops.setCommands(state.botId, commands);
      return say('Success! Command list updated. /help', null);
    }
    case 'delete':
      if (trimmed !== CONFIRM_DELETE) {
        return say(`Please enter the confirmation text exactly like this:\n${CONFIRM_DELETE}\n\nType /cancel to cancel the operation.`, state);
      }
      await ops.remove(state.botId);
      return say('Done! The bot is gone. /help', null, REMOVE_KEYBOARD);
    case 'privacy': {
      const choice = trimmed.toLowerCase();
      if (choice !== 'enable' && choice !== 'disable') return say("Please choose 'Enable' or 'Disable'.", state);
      await ops.setPrivacy(state.botId, choice === 'enable');
      return say(
        `Success! The new status is: ${choice === 'enable' ? 'ENABLED' : 'DISABLED'}. It applies in groups the bot joins from now on. /help`,
        null,
        REMOVE_KEYBOARD,
      );
    }
    case 'rename': {
      const name = DisplayName.safeParse(trimmed);
      if (!name.success) return say('Sorry, a name is 1-64 characters. Send me the new name for your bot.', state);
      await ops.rename(state.botId, name.data);
      return say('Success! Name updated. /help', null);
    }
    default: {
      const exhaustive: never = state;
      throw new Error(`unknown step ${JSON.stringify(exhaustive)}`);
    }
  }
}

async function onCommand(command: string, state: Conversation | null, ops: BotFatherOps): Promise<Turn> {
  switch (command) {
    case 'start':
    case 'help':
      return say(HELP, null);
    case 'cancel':
      return state
        ? say('The command has been cancelled. Anything else I can do for you?\n\nSend /help for a list of commands.', null, REMOVE_KEYBOARD)
        : say("No active command to cancel. I wasn't doing anything anyway. Zzzzz...", null);
    case 'empty':
      if (state?.step === 'commands') {
        await ops.setCommands(state.botId, []);
        return say('Success! Command list cleared. /help', null);
      }
      return say('Unrecognized command. Say what?', state);
    case 'newbot':
      return say('Alright, a new bot. How are we going to call it? Please choose a name for your bot.', { step: 'name' });
    case 'mybots': {
      const bots = await ops.list();
      if (bots.length === 0) return say('You have currently no bots. Send /newbot to create one.', null);
      return say(`Here are your bots:\n${bots.map((b) => `@${b.user.username} — ${b.user.display_name}`).join('\n')}`, null);
    }
    case 'token':
    case 'revoke':
    case 'setcommands':
    case 'deletebot':
    case 'setprivacy':
    case 'setname': {
      const bots = await ops.list();
      if (bots.length === 0) return say('You have currently no bots. Send /newbot to create one.', null);
      return say(PROMPTS[command], { step: 'choose', command }, {
        keyboard: bots.map((b) => [{ text: `@${b.user.username}` }]),
        one_time_keyboard: true,
        resize_keyboard: true,
      });
    }
    default:
      return say('Unrecognized command. Say what?', state);
  }
}

async function onUsername(username: string, name: string, ops: BotFatherOps): Promise<Turn> {
  try {
    const { bot, token } = await ops.create(username, name);
    const before = [
      `Done! Congratulations on your new bot. You will find it at @${bot.user.username}. You can now add commands with /setcommands.`,
      '',
      'Use this token to access the HTTP API:',
      '',
    ].join('\n');
    const after = [
      '',
      'Keep your token secure and store it safely, it can be used by anyone to control your bot.',
      '',
      'The Bot API is served at this server\'s root, like https://api.telegram.org: point your framework\'s API root here.',
    ].join('\n');
    return {
      replies: [{ text: `${before}${token}\n${after}`, entities: [{ type: 'code', offset: before.length, length: token.length }] }],
      state: null,
    };
  } catch (err) {
    if (!(err instanceof EdgegramError)) throw err;
    const state: Conversation = { step: 'username', name };
    if (err.code === ErrorCode.USERNAME_INVALID) {
      return say("Sorry, the username must end in 'bot'. E.g. 'Tetris_bot' or 'Tetrisbot'", state);
    }
    if (err.code === ErrorCode.USERNAME_TAKEN) return say('Sorry, this username is already taken. Please try something different.', state);
    if (err.code === ErrorCode.FORBIDDEN) return say(`That I cannot do. ${err.message}.`, null);
    throw err;
  }
}

async function onChoice(command: Choice, username: string, ops: BotFatherOps): Promise<Turn> {
  const bot = (await ops.list()).find((b) => b.user.username.toLowerCase() === username.toLowerCase());
  if (!bot) return say('Invalid bot selected.', { step: 'choose', command });
  const target = { botId: bot.user.id, username: bot.user.username };
  switch (command) {
    case 'token':
      return say(
        `Edgegram keeps only a hash of @${target.username}'s token, so it cannot be shown again. Send /revoke to issue a new one (the old one stops working).`,
        null,
        REMOVE_KEYBOARD,
      );
    case 'revoke': {
      const token = await ops.revoke(target.botId);
      const before = `Your token was replaced with a new one. You can use this token to access HTTP API:\n\n`;
      return {
        replies: [
          {
            text: `${before}${token}`,
            entities: [{ type: 'code', offset: before.length, length: token.length }],
            reply_markup: REMOVE_KEYBOARD,
          },
        ],
        state: null,
      };
    }
    case 'setcommands':
      return say(
        `OK. Send me a list of commands for @${target.username}. Please use this format:\n\ncommand1 - Description\ncommand2 - Another description\n\nSend /empty to keep the list empty.`,
        { step: 'commands', ...target },
        REMOVE_KEYBOARD,
      );
    case 'deletebot':
      return say(
        `OK, you selected @${target.username}. Are you sure?\n\nSend '${CONFIRM_DELETE}' to confirm you really want to delete this bot.`,
        { step: 'delete', ...target },
        REMOVE_KEYBOARD,
      );
    case 'setprivacy':
      return say(
        [
          "'Enable' - your bot will only receive messages that either start with the '/' symbol or mention the bot by username.",
          "'Disable' - your bot will receive all messages that people send to groups.",
          `Current status is: ${bot.privacy_mode ? 'ENABLED' : 'DISABLED'}`,
        ].join('\n'),
        { step: 'privacy', ...target },
        { keyboard: [[{ text: 'Enable' }, { text: 'Disable' }]], one_time_keyboard: true, resize_keyboard: true },
      );
    case 'setname':
      return say(`OK. Send me the new name for @${target.username}.`, { step: 'rename', ...target }, REMOVE_KEYBOARD);
    default: {
      const exhaustive: never = command;
      throw new Error(`unknown choice ${String(exhaustive)}`);
    }
  }
}

/** "command - description" per line; null if any line does not fit Telegram's rules. */
export function parseCommandList(text: string): BotApiCommand[] | null {
  const commands: BotApiCommand[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const m = /^\/?([A-Za-z0-9_]+)\s+[-–—]\s+(.+)$/.exec(line);
    if (!m) return null;
    commands.push({ command: m[1]!.toLowerCase(), description: m[2]!.trim() });
  }
  if (commands.length === 0 || commands.length > 100 || commandProblem(commands)) return null;
  return commands;
}

function say(text: string, state: Conversation | null = null, reply_markup?: ReplyMarkup): Turn {
  return { replies: [{ text, ...(reply_markup ? { reply_markup } : {}) }], state };
}
