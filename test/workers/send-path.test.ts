import { SELF } from 'cloudflare:test';
import { describe, expect, test } from 'vitest';
import type { BotApiMessage } from '../../protocol/bot-api/types.js';
import type { Message } from '../../protocol/messages.js';
import { BASE, signup } from './helpers.js';
import { bot, botOk, call, delivered, newBot, takeMessages, userWrites, type TestBot } from './bot-api-helpers.js';
import { jpeg } from './media-helpers.js';

/**
 * The rules every send shares (services/sending/), seen through both
 * APIs: forward origins, and which limits a sender is held to.
 */

type Account = Awaited<ReturnType<typeof signup>>;

let seq = 0;
const randomId = () => `sp${++seq}-${crypto.randomUUID().slice(0, 8)}`;

async function history(who: Account, chatId: number): Promise<Message[]> {
  return (await call(who, 'getHistory', { chat_id: chatId, limit: 100 })).messages;
}

function originOf(m: Message) {
  return { sender_id: m.sender_id, chat_id: m.chat_id, message_id: m.id, date: m.date };
}

/** A multipart Bot API call with one file, as frameworks send uploads. */
async function botUpload(token: string, method: string, fields: Record<string, string | number>, field: string, data: Uint8Array) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, String(v));
  form.set(field, new File([data], 'pic.jpg'));
  const res = await SELF.fetch(`${BASE}/bot${token}/${method}`, { method: 'POST', body: form });
  return (await res.json()) as { ok: boolean; result: BotApiMessage; description?: string };
}

describe('forward origins, through both APIs', () => {
  test('a forward of a forward keeps the first origin and a copy has none, whether a person or a bot sends it', async () => {
    const alice = await signup();
    const bob = await signup();
    const b = await newBot();
    const botChat = (await userWrites(bob, b.id, '/start')).chat_id;
    await takeMessages(b.token);
    const { message: first } = await call(alice, 'sendMessage', { peer: { user_id: bob.user.id }, random_id: randomId(), text: 'said first' });

    // A person forwards the original into the bot's chat: the origin is the original.
    const [toBot] = (await call(bob, 'forwardMessages', { from_chat_id: first.chat_id, ids: [first.id], to: { user_id: b.id }, random_ids: [randomId()] }))
      .messages;
    expect(toBot!.fwd_from).toEqual(originOf(first));
    await delivered(botChat);

    // The bot forwards that forward: still the first origin. Its copy has none.
    const byBot = await botOk<BotApiMessage>(b.token, 'forwardMessage', { chat_id: bob.user.id, from_chat_id: bob.user.id, message_id: toBot!.id });
    expect(byBot.forward_origin).toMatchObject({ type: 'user', sender_user: { id: alice.user.id } });
    const copied = await botOk<{ message_id: number }>(b.token, 'copyMessage', { chat_id: bob.user.id, from_chat_id: bob.user.id, message_id: toBot!.id });
    const seen = new Map((await history(bob, botChat)).map((m) => [m.id, m]));
    expect(seen.get(byBot.message_id)!.fwd_from).toEqual(originOf(first));
    expect(seen.get(copied.message_id)).toMatchObject({ text: 'said first', fwd_from: null, sender_id: b.id });

    // A person forwards the bot's forward on: still the first origin.
    const [onward] = (await call(bob, 'forwardMessages', { from_chat_id: botChat, ids: [byBot.message_id], to: { user_id: alice.user.id }, random_ids: [randomId()] }))
      .messages;
    expect(onward!.fwd_from).toEqual(originOf(first));
  });
});

/** A group of the bot's owner, one more member and the bot. */
async function groupWith(b: TestBot) {
  const member = await signup();
  const { chat } = await call(b.owner, 'createGroup', { title: 'Flood', user_ids: [member.user.id, b.id] });
  await delivered(chat.id);
  return chat.id;
}

describe('flood control on every send', () => {
  test('a bot over its flood limit gets Telegram’s 429 with retry_after from every send method, and nothing is sent', async () => {
    const b = await newBot();
    const chatId = await groupWith(b);
    // A group allows the bot 20 messages a minute: a photo, then 19 texts.
    const photo = await botUpload(b.token, 'sendPhoto', { chat_id: -chatId }, 'photo', jpeg(1200));
    expect(photo.ok).toBe(true);
    const fileId = photo.result.photo!.at(-1)!.file_id;
    for (let i = 0; i < 19; i++) await botOk(b.token, 'sendMessage', { chat_id: -chatId, text: `m${i}` });
    // On a slow machine a token may have come back meanwhile (one every 3 s): spent here, so the bucket is empty.
    let toppedUp = 0;
    const drain = async () => {
      while ((await bot(b.token, 'sendMessage', { chat_id: -chatId, text: 'top-up' })).status === 200) toppedUp += 1;
    };

    const ownMessage = photo.result.message_id;
    const attempts: [string, Record<string, unknown>][] = [
      ['sendMessage', { text: 'one more' }],
      ['forwardMessage', { from_chat_id: -chatId, message_id: ownMessage }],
      ['copyMessage', { from_chat_id: -chatId, message_id: ownMessage }],
      ['sendPhoto', { photo: fileId }],
      ['sendDocument', { document: fileId }],
      ['sendMediaGroup', { media: [{ type: 'photo', media: fileId }, { type: 'photo', media: fileId }] }],
    ];
    for (const [method, params] of attempts) {
      await drain();
      const reply = await bot(b.token, method, { chat_id: -chatId, ...params });
      const retryAfter = reply.body.parameters?.retry_after;
      expect({ method, status: reply.status }).toEqual({ method, status: 429 });
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(reply.body).toEqual({
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        parameters: { retry_after: retryAfter },
      });
    }
    // Nothing refused was sent: the 20, and top-ups only.
    const fromBot = (await history(b.owner, chatId)).filter((m) => m.sender_id === b.id);
    expect(fromBot).toHaveLength(20 + toppedUp);
  });

  test('people are held only to the chat’s own send rate, not to bots’ flood limits', async () => {
    const b = await newBot();
    const chatId = await groupWith(b);
    // More than a bot may send to a group in a minute.
    for (let i = 0; i < 25; i++) await call(b.owner, 'sendMessage', { peer: { chat_id: chatId }, random_id: randomId(), text: `p${i}` });
    expect((await history(b.owner, chatId)).filter((m) => m.sender_id === b.owner.user.id)).toHaveLength(25);
  });

  test('a bot’s send refused for its reply target costs no flood token', async () => {
    const b = await newBot();
    const chatId = await groupWith(b);
    for (let i = 0; i < 5; i++) {
      const refused = await bot(b.token, 'sendMessage', { chat_id: -chatId, text: 'x', reply_parameters: { message_id: 9999 } });
      expect(refused.body).toEqual({ ok: false, error_code: 400, description: 'Bad Request: message to be replied not found' });
    }
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await bot(b.token, 'sendMessage', { chat_id: -chatId, text: `n${i}` })).status);
    expect(statuses).toEqual([...Array<number>(20).fill(200), 429]);
  });
});
