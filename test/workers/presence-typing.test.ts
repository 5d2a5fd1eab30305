import { env } from 'cloudflare:test';
import { describe, expect, test } from 'vitest';
import { STRANGER_LOOKUPS } from '../../services/account-api/users.js';
import type { MethodInput, MethodName, MethodResult } from '../../protocol/methods.js';
import { api, connect, errorCode, signup, type Account, type TestSocket } from './helpers.js';

async function call<M extends MethodName>(who: Account, method: M, params: MethodInput<M>): Promise<MethodResult<M>> {
  const res = await api(`/v1/call/${method}`, { body: params, token: who.token });
  if (res.status !== 200) throw new Error(`${method}: ${res.status} ${await res.text()}`);
  return (await res.json()) as MethodResult<M>;
}

/** Reads frames until one matches, skipping others (updates, results). */
async function nextEvent(socket: TestSocket, type: string): Promise<Record<string, unknown>> {
  for (;;) {
    const frame = (await socket.next()) as { t: string; event?: { type: string } };
    if (frame.t === 'event' && frame.event!.type === type) return frame.event as Record<string, unknown>;
  }
}

async function statusOf(viewer: Account, userId: number) {
  const { statuses } = await call(viewer, 'getUsers', { ids: [userId] });
  return statuses[0]!;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}

describe('presence', () => {
  test('an account is online while a device holds a socket, then offline with its last-seen time', async () => {
    const [alice, bob] = [await signup(), await signup()];
    expect(await statusOf(bob, alice.user.id)).toMatchObject({ online: false, last_seen: null });
    const socket = await connect(alice.token);
    await until(async () => (await statusOf(bob, alice.user.id)).online);
    const before = Date.now();
    socket.ws.close(1000, 'bye');
    await until(async () => !(await statusOf(bob, alice.user.id)).online);
    expect((await statusOf(bob, alice.user.id)).last_seen).toBeGreaterThanOrEqual(before - 1000);
  });

  test('walking the directory is slowed: strangers looked up count against an hourly budget (issue 14, finding 5)', async () => {
    const [walker, friend] = [await signup(), await signup()];
    await call(walker, 'sendMessage', { peer: { user_id: friend.user.id }, random_id: 'w0', text: 'hi' });
    await env.DB.prepare('INSERT OR REPLACE INTO rate_limits (key, window_start, count) VALUES (?, ?, ?)')
      .bind(`users:lookup:${walker.user.id}`, Date.now(), STRANGER_LOOKUPS.limit)
      .run();
    const walk = await api('/v1/call/getUsers', { body: { ids: [friend.user.id + 1, friend.user.id + 2] }, token: walker.token });
    expect(walk.status).toBe(429);
    expect(await errorCode(walk)).toBe('RATE_LIMITED');
    const guess = await api('/v1/call/resolveUsername', { body: { username: 'nobody_here_at_all' }, token: walker.token });
    expect(guess.status).toBe(429);
    // People one already talks to are never counted.
    await until(async () => (await api('/v1/call/getUsers', { body: { ids: [friend.user.id] }, token: walker.token })).status === 200);
  });

  test('a private-chat peer is told when the account comes online', async () => {
    const [alice, bob] = [await signup(), await signup()];
    await call(alice, 'sendMessage', { peer: { user_id: bob.user.id }, random_id: 'p', text: 'hi' });
    const bobSocket = await connect(bob.token);
    // Wait until bob's mailbox knows the chat (the first message was delivered).
    await until(async () => (await call(bob, 'getDialogs', {})).dialogs.length === 1);
    await until(async () => (await call(alice, 'getDialogs', {})).dialogs.length === 1);
    await connect(alice.token);
    expect(await nextEvent(bobSocket, 'user_status')).toMatchObject({ status: { user_id: alice.user.id, online: true } });
  });
});

describe('typing', () => {
  test('typing reaches the other members, is never stored, and is rate-limited', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const { message } = await call(alice, 'sendMessage', { peer: { user_id: bob.user.id }, random_id: 't', text: 'hi' });
    await until(async () => (await call(bob, 'getDialogs', {})).dialogs.length === 1);
    const bobSocket = await connect(bob.token);
    const ptsBefore = (await call(bob, 'getState', {})).pts;

    await call(alice, 'setTyping', { chat_id: message.chat_id, action: 'typing' });
    expect(await nextEvent(bobSocket, 'typing')).toMatchObject({
      chat_id: message.chat_id,
      user_id: alice.user.id,
      action: 'typing',
    });
    expect((await call(bob, 'getState', {})).pts).toBe(ptsBefore);

    const again = await api('/v1/call/setTyping', {
      body: { chat_id: message.chat_id, action: 'typing' },
      token: alice.token,
    });
    expect(again.status).toBe(429);
    expect(await errorCode(again)).toBe('RATE_LIMITED');
  });
});
