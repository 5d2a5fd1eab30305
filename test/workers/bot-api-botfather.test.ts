import { describe, expect, test } from 'vitest';
import type { Message } from '../../protocol/messages.js';
import { signup, type Account } from './helpers.js';
import { bot, botOk, call } from './bot-api-helpers.js';

let seq = 0;

/** Sends `text` to @BotFather and waits for its replies to that message. */
async function tell(user: Account, botFather: number, text: string): Promise<Message[]> {
  const { message } = await call(user, 'sendMessage', { peer: { user_id: botFather }, random_id: `bf${++seq}`, text });
  for (let i = 0; i < 300; i++) {
    const { messages } = await call(user, 'getHistory', { chat_id: message.chat_id, offset_id: message.id, direction: 'after' });
    const replies = messages.filter((m) => m.sender_id === botFather);
    if (replies.length > 0) return replies;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`BotFather did not answer "${text}"`);
}

describe('@BotFather', () => {
  test('/newbot asks for a name and a username and hands out a working token', async () => {
    const user = await signup();
    const botFather = (await call(user, 'resolveUsername', { username: 'BotFather' })).user!;
    expect(botFather).toMatchObject({ username: 'BotFather', is_bot: true });

    expect((await tell(user, botFather.id, '/newbot'))[0]!.text).toMatch(/choose a name for your bot/);
    expect((await tell(user, botFather.id, 'Weather Helper'))[0]!.text).toMatch(/It must end in `bot`/);
    expect((await tell(user, botFather.id, 'weather_helper'))[0]!.text).toMatch(/^Sorry, the username must end in 'bot'/);
    const name = `weather_${Date.now() % 100000}_bot`;
    const done = (await tell(user, botFather.id, `@${name}`))[0]!;
    const code = done.entities.find((e) => e.type === 'code')!;
    const token = done.text.slice(code.offset, code.offset + code.length);
    expect(token).toMatch(/^\d+:[A-Za-z0-9_-]{35}$/);
    expect(await botOk(token, 'getMe')).toMatchObject({ is_bot: true, first_name: 'Weather Helper', username: name });

    // /setcommands, chosen from the keyboard of the user's bots.
    const chooser = (await tell(user, botFather.id, '/setcommands'))[0]!;
    expect(chooser.reply_markup).toMatchObject({ keyboard: [[{ text: `@${name}` }]] });
    await tell(user, botFather.id, `@${name}`);
    expect((await tell(user, botFather.id, 'forecast - Tomorrow\nnow - Right now'))[0]!.text).toMatch(/^Success!/);
    expect(await botOk(token, 'getMyCommands')).toEqual([
      { command: 'forecast', description: 'Tomorrow' },
      { command: 'now', description: 'Right now' },
    ]);

    // /revoke issues a new token; the old one stops working.
    await tell(user, botFather.id, '/revoke');
    const revoked = (await tell(user, botFather.id, `@${name}`))[0]!;
    const fresh = revoked.text.slice(revoked.entities[0]!.offset, revoked.entities[0]!.offset + revoked.entities[0]!.length);
    expect((await bot(token, 'getMe')).status).toBe(401);
    expect((await botOk<{ first_name: string }>(fresh, 'getMe')).first_name).toBe('Weather Helper');

    // /deletebot needs the exact confirmation.
    await tell(user, botFather.id, '/deletebot');
    await tell(user, botFather.id, `@${name}`);
    expect((await tell(user, botFather.id, 'yes'))[0]!.text).toMatch(/^Please enter the confirmation text exactly/);
    expect((await tell(user, botFather.id, 'Yes, I am totally sure.'))[0]!.text).toMatch(/^Done! The bot is gone/);
    expect((await bot(fresh, 'getMe')).status).toBe(401);
    expect((await tell(user, botFather.id, '/mybots'))[0]!.text).toMatch(/no bots/);
  });
});
