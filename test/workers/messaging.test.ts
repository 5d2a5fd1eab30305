import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, test } from 'vitest';
import { chatRoomStub, mailbox } from '../../durable-objects/stubs.js';
import type { MethodInput, MethodName, MethodResult } from '../../protocol/methods.js';
import { api, connect, errorCode, signup, type Account } from './helpers.js';

/** Calls an account method over HTTP and returns its result, failing on an error. */
async function call<M extends MethodName>(who: Account, method: M, params: MethodInput<M>): Promise<MethodResult<M>> {
  const res = await api(`/v1/call/${method}`, { body: params, token: who.token });
  if (res.status !== 200) throw new Error(`${method}: ${res.status} ${await res.text()}`);
  return (await res.json()) as MethodResult<M>;
}

/** Calls a method expecting an error; returns its code. */
async function callError(who: Account, method: string, params: unknown): Promise<string> {
  const res = await api(`/v1/call/${method}`, { body: params, token: who.token });
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  return errorCode(res);
}

async function outboxSize(chatId: number): Promise<number> {
  return runInDurableObject(chatRoomStub(env, chatId), (_instance, state) => {
    const row = state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM outbox_events').one();
    return row.n;
  });
}

/** Waits for the chat's direct delivery (started after the commit) to drain its outbox. */
async function delivered(chatId: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await outboxSize(chatId)) === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`outbox of chat ${chatId} did not drain`);
}

describe('private chats', () => {
  test('the first message creates the chat and reaches the peer without waiting for an alarm', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const { message } = await call(alice, 'sendMessage', { peer: { user_id: bob.user.id }, random_id: 'r1', text: 'hi Bob' });
    expect(message).toMatchObject({ id: 1, sender_id: alice.user.id, text: 'hi Bob', random_id: 'r1' });
    await delivered(message.chat_id);

    const { dialogs, users } = await call(bob, 'getDialogs', {});
    expect(dialogs).toHaveLength(1);
    expect(dialogs[0]).toMatchObject({ unread_count: 1, top_message: { id: 1, text: 'hi Bob' }, is_member: true });
    expect(users.map((u) => u.id).sort()).toEqual([alice.user.id, bob.user.id].sort());

    const diff = await call(bob, 'getDifference', { pts: 0 });
    expect(diff.kind).toBe('difference');
    if (diff.kind !== 'difference') return;
    expect(diff.updates.map((u) => u.update.type)).toEqual(['chat', 'new_message']);
    // Another member's copy does not carry the sender's idempotency key.
    const copy = diff.updates[1]!.update;
    expect(copy.type === 'new_message' && copy.message.random_id).toBeFalsy();
  });

  test('a retried send returns the original message and creates nothing new', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const first = await call(alice, 'sendMessage', { peer: { user_id: bob.user.id }, random_id: 'same', text: 'once' });
    const again = await call(alice, 'sendMessage', { peer: { user_id: bob.user.id }, random_id: 'same', text: 'once' });
    expect(again.message).toEqual(first.message);
    await delivered(first.message.chat_id);
    const history = await call(bob, 'getHistory', { chat_id: first.message.chat_id });
    expect(history.messages.map((m) => m.id)).toEqual([1]);
  });

  test('running the alarm twice after delivery has no extra effect', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const { message } = await call(alice, 'sendMessage', { peer: { user_id: bob.user.id }, random_id: 'a1', text: 'x' });
    await delivered(message.chat_id);
    const before = await call(bob, 'getState', {});
    await runDurableObjectAlarm(chatRoomStub(env, message.chat_id));
    await runDurableObjectAlarm(chatRoomStub(env, message.chat_id));
    expect(await call(bob, 'getState', {})).toEqual(before);
  });

  test('events redelivered to a mailbox (as by an alarm after a lost ack) are applied once', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const { message } = await call(alice, 'sendMessage', { peer: { user_id: bob.user.id }, random_id: 'd1', text: 'x' });
    await delivered(message.chat_id);
    const diff = await call(bob, 'getDifference', { pts: 0 });
    if (diff.kind !== 'difference') throw new Error(diff.kind);
    const replay = diff.updates.map((u, i) => ({ chat_id: message.chat_id, event_seq: i + 1, date: u.date, update: u.update }));
    const outcome = await mailbox(env, bob.user.id).deliver(bob.user.id, replay);
    expect(outcome).toEqual({ ok: true, value: { applied: 0 } });
    expect((await call(bob, 'getState', {})).pts).toBe(diff.state.pts);
  });
});

describe('groups', () => {
  async function groupOf3() {
    const [owner, a, b] = [await signup(), await signup(), await signup()];
    const { chat } = await call(owner, 'createGroup', { title: 'Trio', user_ids: [a.user.id, b.user.id] });
    return { owner, a, b, chat };
  }

  test('a group message reaches every member in order', async () => {
    const { owner, a, b, chat } = await groupOf3();
    for (let i = 1; i <= 5; i++) await call(owner, 'sendMessage', { peer: { chat_id: chat.id }, random_id: `g${i}`, text: `#${i}` });
    await delivered(chat.id);
    for (const member of [a, b]) {
      const diff = await call(member, 'getDifference', { pts: 0 });
      if (diff.kind !== 'difference') throw new Error(diff.kind);
      const ids = diff.updates.flatMap((u) => (u.update.type === 'new_message' ? [u.update.message.id] : []));
      expect(ids).toEqual([1, 2, 3, 4, 5]);
    }
  });

  test('a non-member cannot read, send, edit or delete, and learns only NOT_FOUND', async () => {
    const { owner, chat } = await groupOf3();
    const { message } = await call(owner, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'm', text: 'secret' });
    const stranger = await signup();
    expect(await callError(stranger, 'getHistory', { chat_id: chat.id })).toBe('NOT_FOUND');
    expect(await callError(stranger, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'x', text: 'hi' })).toBe('NOT_FOUND');
    expect(await callError(stranger, 'editMessage', { chat_id: chat.id, id: message.id, text: 'pwned' })).toBe('NOT_FOUND');
    expect(await callError(stranger, 'deleteMessages', { chat_id: chat.id, ids: [message.id], for_everyone: true })).toBe('NOT_FOUND');
    expect(await callError(stranger, 'getChat', { chat_id: chat.id })).toBe('NOT_FOUND');
    // Same answer as a chat that does not exist at all.
    expect(await callError(stranger, 'getHistory', { chat_id: 987654 })).toBe('NOT_FOUND');
    expect((await call(owner, 'getHistory', { chat_id: chat.id })).messages.map((m) => m.text)).toEqual(['secret']);
  });

  test('a removed member stops receiving at once', async () => {
    const { owner, a, b, chat } = await groupOf3();
    await call(owner, 'removeChatMember', { chat_id: chat.id, user_id: b.user.id });
    await call(owner, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'after', text: 'not for b' });
    await delivered(chat.id);
    const diff = await call(b, 'getDifference', { pts: 0 });
    if (diff.kind !== 'difference') throw new Error(diff.kind);
    expect(diff.updates.some((u) => u.update.type === 'new_message')).toBe(false);
    expect(await callError(b, 'getHistory', { chat_id: chat.id })).toBe('NOT_FOUND');
    const dialogs = await call(b, 'getDialogs', {});
    expect(dialogs.dialogs[0]).toMatchObject({ is_member: false });
    expect((await call(a, 'getHistory', { chat_id: chat.id })).messages.map((m) => m.text)).toEqual(['not for b']);
  });

  test('the D1 membership index follows the chat after it commits', async () => {
    const { owner, b, chat } = await groupOf3();
    await delivered(chat.id);
    const count = async () =>
      (await env.DB.prepare('SELECT count(*) AS n FROM chat_members WHERE chat_id = ?').bind(chat.id).first<{ n: number }>())!.n;
    expect(await count()).toBe(3);
    await call(owner, 'removeChatMember', { chat_id: chat.id, user_id: b.user.id });
    await delivered(chat.id);
    for (let i = 0; i < 50 && (await count()) !== 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await count()).toBe(2);
  });
});

describe('over the WebSocket', () => {
  test('a send on one device is acked and pushed to the peer and to the sender\'s other device', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const aliceOther = await (await import('./helpers.js')).login(alice);
    const [a1, a2, b1] = [await connect(alice.token), await connect(aliceOther.token), await connect(bob.token)];
    a1.send({ t: 'call', id: 'c1', method: 'sendMessage', params: { peer: { user_id: bob.user.id }, random_id: 'ws1', text: 'live' } });
    const frames = [];
    for (;;) {
      const f = await a1.next();
      frames.push(f);
      if (f.t === 'result') break;
    }
    expect(frames.at(-1)).toMatchObject({ t: 'result', id: 'c1', result: { message: { text: 'live' } } });
    for (const device of [a2, b1]) {
      const seen: string[] = [];
      while (!seen.includes('new_message')) {
        const f = (await device.next()) as { t: string; updates?: { update: { type: string } }[] };
        if (f.t === 'updates') seen.push(...f.updates!.map((u) => u.update.type));
      }
      expect(seen).toEqual(['chat', 'new_message']);
    }
  });

  test('bad frames get typed error frames and the socket stays usable', async () => {
    const alice = await signup();
    const s = await connect(alice.token);
    s.send('{not json');
    expect(await s.next()).toMatchObject({ t: 'error', id: null, error: { code: 'MALFORMED_JSON' } });
    s.send({ t: 'teleport' });
    expect(await s.next()).toMatchObject({ t: 'error', error: { code: 'BAD_REQUEST' } });
    s.send({ t: 'call', id: 'u', method: 'selfDestruct', params: {} });
    expect(await s.next()).toMatchObject({ t: 'error', id: 'u', error: { code: 'UNKNOWN_METHOD' } });
    s.send({ t: 'call', id: 'long', method: 'sendMessage', params: { peer: { user_id: alice.user.id }, random_id: 'l', text: 'x'.repeat(4097) } });
    expect(await s.next()).toMatchObject({ t: 'error', id: 'long', error: { code: 'MESSAGE_TOO_LONG' } });
    s.send({ t: 'call', id: 'chat', method: 'getHistory', params: { chat_id: 424242 } });
    expect(await s.next()).toMatchObject({ t: 'error', id: 'chat', error: { code: 'NOT_FOUND' } });
    s.send({ t: 'call', id: 'pts', method: 'getDifference', params: { pts: 99 } });
    expect(await s.next()).toMatchObject({ t: 'error', id: 'pts', error: { code: 'PTS_INVALID' } });
    s.send({ t: 'call', id: 'ok', method: 'getState', params: {} });
    expect(await s.next()).toMatchObject({ t: 'result', id: 'ok', result: { pts: 0 } });
  });

  test('an edit of someone else\'s message is refused and changes nothing', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const { message } = await call(alice, 'sendMessage', { peer: { user_id: bob.user.id }, random_id: 'e', text: 'mine' });
    expect(await callError(bob, 'editMessage', { chat_id: message.chat_id, id: message.id, text: 'yours' })).toBe('MESSAGE_NOT_MODIFIABLE');
    const [kept] = (await call(alice, 'getMessages', { chat_id: message.chat_id, ids: [message.id] })).messages;
    expect(kept).toMatchObject({ text: 'mine', edit_date: null });
  });
});
