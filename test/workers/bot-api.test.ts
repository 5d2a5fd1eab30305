import { describe, expect, test } from 'vitest';
import type { BotApiMessage, BotApiUpdate } from '../../protocol/bot-api/types.js';
import { api, BASE, errorCode, PASSWORD, signup } from './helpers.js';
import { SELF } from 'cloudflare:test';
import { bot, botFails, botOk, call, callError, newBot, takeMessages, updates, userWrites } from './bot-api-helpers.js';

describe('tokens and the response envelope', () => {
  test('getMe answers the bot as a Telegram User with its capabilities', async () => {
    const b = await newBot();
    const me = await botOk(b.token, 'getMe');
    expect(me).toEqual({
      id: b.id,
      is_bot: true,
      first_name: 'Test Bot',
      username: b.username,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    });
  });

  test('a wrong, malformed or revoked token is 401 Unauthorized in Telegram’s shape', async () => {
    const b = await newBot();
    const [id, secret] = b.token.split(':') as [string, string];
    for (const token of [`${id}:${secret.slice(0, -1)}x`, 'nonsense', `${Number(id) + 1000}:${secret}`]) {
      const reply = await bot(token, 'getMe');
      expect(reply).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    }
    const { token: fresh } = await call(b.owner, 'revokeBotToken', { bot_id: b.id });
    expect((await bot(b.token, 'getMe')).status).toBe(401);
    expect((await botOk<{ id: number }>(fresh, 'getMe')).id).toBe(b.id);
  });

  test('method names are case-insensitive; an unknown method is 404 Not Found', async () => {
    const b = await newBot();
    expect((await botOk<{ id: number }>(b.token, 'GETME')).id).toBe(b.id);
    expect((await botOk<{ id: number }>(b.token, 'getme', {}, 'query')).id).toBe(b.id);
    const missing = await botFails(b.token, 'sendTelepathy');
    expect(missing).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
    const res = await SELF.fetch(`${BASE}/bot${b.token}/`);
    expect(res.status).toBe(404);
  });

  test('parameters arrive as query string, urlencoded form, JSON or multipart alike', async () => {
    const b = await newBot();
    const user = await signup();
    await userWrites(user, b.id, 'hi');
    for (const encoding of ['json', 'form', 'query', 'multipart'] as const) {
      const sent = await botOk<BotApiMessage>(
        b.token,
        'sendMessage',
        { chat_id: user.user.id, text: `via ${encoding}`, reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] } },
        encoding,
      );
      expect(sent).toMatchObject({ chat: { id: user.user.id, type: 'private' }, text: `via ${encoding}` });
      expect(sent.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] });
    }
  });
});

describe('getUpdates', () => {
  test('a user message reaches the bot with a bot_command entity, chat and from', async () => {
    const b = await newBot();
    const user = await signup({ displayName: 'Alice' });
    await userWrites(user, b.id, '/start hello');
    const list = await updates(b.token);
    expect(list).toHaveLength(1);
    const m = list[0]!.message!;
    expect(m).toMatchObject({
      text: '/start hello',
      from: { id: user.user.id, is_bot: false, first_name: 'Alice', username: user.username },
      chat: { id: user.user.id, type: 'private', first_name: 'Alice', username: user.username },
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    });
    expect(m.date).toBeLessThan(Date.now() / 1000 + 1);
    expect(m.date).toBeGreaterThan(Date.now() / 1000 - 60);
  });

  test('offset confirms, a negative offset keeps the last n, limit caps the page', async () => {
    const b = await newBot();
    const user = await signup();
    for (const text of ['one', 'two', 'three', 'four']) await userWrites(user, b.id, text);
    const all = await updates(b.token);
    expect(all.map((u) => u.message?.text)).toEqual(['one', 'two', 'three', 'four']);
    const ids = all.map((u) => u.update_id);
    expect(ids).toEqual([...ids].sort((a, c) => a - c));
    expect((await updates(b.token, { limit: 2 })).map((u) => u.message?.text)).toEqual(['one', 'two']);
    // Confirm the first: it is gone for good.
    expect((await updates(b.token, { offset: ids[1] })).map((u) => u.message?.text)).toEqual(['two', 'three', 'four']);
    expect((await updates(b.token)).map((u) => u.message?.text)).toEqual(['two', 'three', 'four']);
    // -1: only the last one remains; everything before it is forgotten.
    expect((await updates(b.token, { offset: -1 })).map((u) => u.message?.text)).toEqual(['four']);
    expect((await updates(b.token)).map((u) => u.message?.text)).toEqual(['four']);
    expect(await updates(b.token, { offset: ids[3]! + 1 })).toEqual([]);
  });

  test('the bot does not get its own messages as updates', async () => {
    const b = await newBot();
    const user = await signup();
    await userWrites(user, b.id, 'ping');
    await botOk(b.token, 'sendMessage', { chat_id: user.user.id, text: 'pong' });
    expect((await takeMessages(b.token)).map((m) => m.text)).toEqual(['ping']);
  });

  test('a long poll is held until an update arrives, and returns at once then', async () => {
    const b = await newBot();
    const user = await signup();
    await userWrites(user, b.id, 'first');
    await takeMessages(b.token);
    const started = Date.now();
    const poll = botOk<BotApiUpdate[]>(b.token, 'getUpdates', { timeout: 20 });
    await new Promise((r) => setTimeout(r, 300));
    await userWrites(user, b.id, 'while you waited');
    const got = await poll;
    expect(got.map((u) => u.message?.text)).toEqual(['while you waited']);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('a long poll with nothing to return ends after its timeout with []', async () => {
    const b = await newBot();
    const started = Date.now();
    expect(await botOk(b.token, 'getUpdates', { timeout: 1 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  test('a second poll ends the first with 409 Conflict', async () => {
    const b = await newBot();
    const first = bot(b.token, 'getUpdates', { timeout: 10 });
    await new Promise((r) => setTimeout(r, 200));
    await botOk(b.token, 'getUpdates', { timeout: 0 });
    const ended = await first;
    expect(ended.status).toBe(409);
    expect(ended.body.description).toBe(
      'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    );
  });

  test('allowed_updates filters kinds and is remembered', async () => {
    const b = await newBot();
    const user = await signup();
    await userWrites(user, b.id, 'skipped');
    expect(await updates(b.token, { allowed_updates: ['callback_query'] })).toEqual([]);
    expect(await updates(b.token)).toEqual([]);
    expect((await updates(b.token, { allowed_updates: [] })).map((u) => u.message?.text)).toEqual(['skipped']);
  });
});

describe('bot management', () => {
  test('a bot username must end in "bot" and be free; users cannot take such names', async () => {
    const owner = await signup();
    expect(await callError(owner, 'createBot', { username: 'helper_thing', display_name: 'X' })).toBe('BAD_REQUEST');
    const sneaky = await api('/v1/auth/signup', {
      body: { username: 'sneaky_Bot', display_name: 'Not a bot', password: PASSWORD, device: { name: 'x', platform: 'web' } },
    });
    expect(sneaky.status).toBe(400);
    expect(await errorCode(sneaky)).toBe('USERNAME_INVALID');
    const b = await newBot(owner);
    expect(await callError(owner, 'createBot', { username: b.username.toUpperCase(), display_name: 'X' })).toBe('USERNAME_TAKEN');
    const { bots } = await call(owner, 'listMyBots', {});
    expect(bots.map((x) => x.user.username)).toEqual([b.username]);
  });

  test('deleting a bot stops its token and frees its username', async () => {
    const b = await newBot();
    await call(b.owner, 'deleteBot', { bot_id: b.id });
    expect((await bot(b.token, 'getMe')).status).toBe(401);
    const again = await call(b.owner, 'createBot', { username: b.username, display_name: 'Reborn' });
    expect(again.bot.user.id).not.toBe(b.id);
  });

  test("another user's bot is NOT_FOUND", async () => {
    const b = await newBot();
    const other = await signup();
    expect(await callError(other, 'revokeBotToken', { bot_id: b.id })).toBe('NOT_FOUND');
  });
});
