import { describe, expect, test } from 'vitest';
import { call, callError, delivered } from './bot-api-helpers.js';
import { signup } from './helpers.js';

/** Message search over the real Worker and ChatRooms: the FTS5 index lives in each ChatRoom's SQLite (workerd). */
describe('message search', () => {
  test('searchMessages finds a chat’s messages by word prefix, newest first, and follows edits', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const { chat } = await call(alice, 'createGroup', { title: 'Plans', user_ids: [bob.user.id] });
    let n = 0;
    const send = async (text: string) => (await call(alice, 'sendMessage', { peer: { chat_id: chat.id }, random_id: `s${++n}`, text })).message;
    const first = await send('Lunch at the café?');
    await send('Dinner instead');
    const last = await send('lunch tomorrow then');

    const found = await call(bob, 'searchMessages', { chat_id: chat.id, query: 'LUN' });
    expect(found.messages.map((m) => m.id)).toEqual([last.id, first.id]);
    expect((await call(bob, 'searchMessages', { chat_id: chat.id, query: 'lunch', offset_id: last.id })).messages.map((m) => m.id)).toEqual([first.id]);
    expect((await call(bob, 'searchMessages', { chat_id: chat.id, query: 'cafe' })).messages.map((m) => m.id)).toEqual([first.id]);

    await call(alice, 'editMessage', { chat_id: chat.id, id: first.id, text: 'Breakfast at the café?' });
    expect((await call(bob, 'searchMessages', { chat_id: chat.id, query: 'lunch' })).messages.map((m) => m.id)).toEqual([last.id]);
    expect((await call(bob, 'searchMessages', { chat_id: chat.id, query: 'breakfast' })).messages[0]?.text).toBe('Breakfast at the café?');
  });

  test('searchGlobal merges matches from the caller’s chats and only those', async () => {
    const [alice, bob, carol] = [await signup(), await signup(), await signup()];
    const { chat: withBob } = await call(alice, 'createGroup', { title: 'A+B', user_ids: [bob.user.id] });
    const { chat: withCarol } = await call(carol, 'createGroup', { title: 'C only', user_ids: [] });
    await call(bob, 'sendMessage', { peer: { chat_id: withBob.id }, random_id: 'g1', text: 'the quarterly report' });
    await call(carol, 'sendMessage', { peer: { chat_id: withCarol.id }, random_id: 'g2', text: 'the secret report' });
    await call(alice, 'sendMessage', { peer: { user_id: bob.user.id }, random_id: 'g3', text: 'report is ready' });
    await delivered(withBob.id);

    const { messages } = await call(alice, 'searchGlobal', { query: 'report' });
    expect(messages.map((m) => m.text)).toEqual(['report is ready', 'the quarterly report']);
    expect((await call(carol, 'searchGlobal', { query: 'report' })).messages.map((m) => m.text)).toEqual(['the secret report']);
  });

  test('bad queries and outsiders get clear errors', async () => {
    const [alice, outsider] = [await signup(), await signup()];
    const { chat } = await call(alice, 'createGroup', { title: 'Closed', user_ids: [] });
    expect(await callError(alice, 'searchMessages', { chat_id: chat.id, query: '   ' })).toBe('BAD_REQUEST');
    expect(await callError(alice, 'searchMessages', { chat_id: chat.id, query: 'x'.repeat(257) })).toBe('BAD_REQUEST');
    expect(await callError(outsider, 'searchMessages', { chat_id: chat.id, query: 'anything' })).toBe('NOT_FOUND');
    expect((await call(alice, 'searchMessages', { chat_id: chat.id, query: '"*) OR (' })).messages).toEqual([]);
  });
});
