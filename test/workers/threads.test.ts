import { describe, expect, test } from 'vitest';
import { call, callError, delivered } from './bot-api-helpers.js';
import { signup } from './helpers.js';

/** Threads over the real Worker, ChatRoom and mailboxes (workerd). */
describe('threads', () => {
  test('replies file under their root; getHistory reads one thread; the root counts its replies', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const { chat } = await call(alice, 'createGroup', { title: 'Threads', user_ids: [bob.user.id] });
    const send = async (who: typeof alice, random_id: string, text: string, reply_to_message_id?: number) =>
      (await call(who, 'sendMessage', { peer: { chat_id: chat.id }, random_id, text, ...(reply_to_message_id ? { reply_to_message_id } : {}) })).message;
    const root = await send(alice, 't1', 'Release plan?');
    const reply = await send(bob, 't2', 'Friday', root.id);
    await send(alice, 't3', 'something else');
    const nested = await send(alice, 't4', 'Friday works', reply.id);
    expect(nested.thread_id).toBe(root.id);
    await delivered(chat.id);

    const thread = await call(bob, 'getHistory', { chat_id: chat.id, thread_id: root.id });
    expect(thread.messages.map((m) => m.text)).toEqual(['Friday', 'Friday works']);
    const [withCount] = (await call(bob, 'getMessages', { chat_id: chat.id, ids: [root.id] })).messages;
    expect(withCount?.replies).toEqual({ count: 2, max_id: nested.id });

    // The reply reached Bob's devices as a new message carrying its thread.
    const difference = await call(bob, 'getDifference', { pts: 0 });
    const updates = difference.kind === 'difference' ? difference.updates.map((e) => e.update) : [];
    const arrived = updates.find((u) => u.type === 'new_message' && u.message.id === nested.id);
    expect(arrived?.type === 'new_message' && arrived.message.thread_id).toBe(root.id);
  });

  test('a thread of another chat, or of no message, reads as empty or NOT_FOUND', async () => {
    const [alice, outsider] = [await signup(), await signup()];
    const { chat } = await call(alice, 'createGroup', { title: 'Mine', user_ids: [] });
    expect((await call(alice, 'getHistory', { chat_id: chat.id, thread_id: 12345 })).messages).toEqual([]);
    expect(await callError(outsider, 'getHistory', { chat_id: chat.id, thread_id: 1 })).toBe('NOT_FOUND');
    expect(await callError(alice, 'getHistory', { chat_id: chat.id, thread_id: -1 })).toBe('BAD_REQUEST');
  });
});
