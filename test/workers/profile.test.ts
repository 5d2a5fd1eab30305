import { describe, expect, test } from 'vitest';
import type { User } from '../../protocol/common.js';
import type { MethodInput, MethodName, MethodResult } from '../../protocol/methods.js';
import { PROFILE_CHANGES } from '../../services/account-api/profile.js';
import { botOk, newBot, takeMessages, userWrites } from './bot-api-helpers.js';
import { api, connect, errorCode, login, signup, uniqueUsername, type Account, type TestSocket } from './helpers.js';

async function call<M extends MethodName>(who: Account, method: M, params: MethodInput<M>): Promise<MethodResult<M>> {
  const res = await api(`/v1/call/${method}`, { body: params, token: who.token });
  if (res.status !== 200) throw new Error(`${method}: ${res.status} ${await res.text()}`);
  return (await res.json()) as MethodResult<M>;
}

async function callError(who: Account | null, method: MethodName, params: unknown): Promise<string> {
  const res = await api(`/v1/call/${method}`, { body: params, ...(who ? { token: who.token } : {}) });
  expect(res.status, `${method} should fail`).toBeGreaterThanOrEqual(400);
  return errorCode(res);
}

async function profileOf(viewer: Account, userId: number): Promise<User> {
  return (await call(viewer, 'getUsers', { ids: [userId] })).users[0]!;
}

/** The next `user` event on the socket, skipping other frames; null if none comes within `timeoutMs`. */
async function nextUserEvent(socket: TestSocket, timeoutMs = 3_000): Promise<User | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return null;
    const frame = (await socket.next(left).catch(() => null)) as { t: string; event?: { type: string; user?: User } } | null;
    if (!frame) return null;
    if (frame.t === 'event' && frame.event!.type === 'user') return frame.event!.user!;
  }
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}

/** A private chat between the two, delivered to both mailboxes. */
async function privateChat(a: Account, b: Account): Promise<void> {
  await call(a, 'sendMessage', { peer: { user_id: b.user.id }, random_id: crypto.randomUUID(), text: 'hi' });
  await until(async () => (await call(b, 'getDialogs', {})).dialogs.length > 0);
  await until(async () => (await call(a, 'getDialogs', {})).dialogs.length > 0);
}

describe('updateProfile', () => {
  test('a user changes their display name, username and bio; everyone reads the new profile', async () => {
    const [alice, bob] = [await signup({ displayName: 'Alice' }), await signup()];
    const username = uniqueUsername('alice_new');
    const { user } = await call(alice, 'updateProfile', { display_name: '  Alice Liddell ', username, about: 'Down the rabbit hole' });
    const expected = { id: alice.user.id, username, display_name: 'Alice Liddell', is_bot: false, about: 'Down the rabbit hole' };
    expect(user).toEqual(expected);
    expect(await profileOf(bob, alice.user.id)).toEqual(expected);
    expect((await call(bob, 'resolveUsername', { username })).user).toEqual(expected);
    const me = await api('/v1/auth/me', { token: alice.token });
    expect(((await me.json()) as { user: User }).user).toEqual(expected);
  });

  test('omitted fields stay, and an empty bio clears it', async () => {
    const alice = await signup({ displayName: 'Alice' });
    await call(alice, 'updateProfile', { about: 'Curious' });
    const { user } = await call(alice, 'updateProfile', { display_name: 'Alice L' });
    expect(user).toMatchObject({ username: alice.username, display_name: 'Alice L', about: 'Curious' });
    const cleared = await call(alice, 'updateProfile', { about: '' });
    expect(cleared.user).toEqual({ id: alice.user.id, username: alice.username, display_name: 'Alice L', is_bot: false });
  });

  test('the old username stops resolving, the new one resolves, and the old one is free for others', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const renamed = uniqueUsername('renamed');
    await call(alice, 'updateProfile', { username: renamed });
    expect(await callError(bob, 'resolveUsername', { username: alice.username })).toBe('NOT_FOUND');
    expect((await call(bob, 'resolveUsername', { username: renamed.toUpperCase() })).user!.id).toBe(alice.user.id);
    // The password still signs in under the new name only.
    expect((await login({ username: renamed, password: alice.password })).user.id).toBe(alice.user.id);
    const taken = await api('/v1/auth/login', { body: { username: alice.username, password: alice.password, device: { name: 'x', platform: 'web' } } });
    expect(await errorCode(taken)).toBe('INVALID_CREDENTIALS');
    const carol = await signup({ username: alice.username });
    expect((await call(bob, 'resolveUsername', { username: alice.username })).user!.id).toBe(carol.user.id);
  });

  test("another account's username, in any case, is refused with USERNAME_TAKEN and nothing changes", async () => {
    const [alice, bob] = [await signup({ displayName: 'Alice' }), await signup()];
    expect(await callError(alice, 'updateProfile', { username: bob.username.toUpperCase(), display_name: 'Changed' })).toBe('USERNAME_TAKEN');
    expect(await profileOf(bob, alice.user.id)).toEqual(alice.user);
    expect((await call(alice, 'resolveUsername', { username: bob.username })).user!.id).toBe(bob.user.id);
  });

  test('usernames breaking the rules are refused with USERNAME_INVALID; bad names and bios with BAD_REQUEST', async () => {
    const alice = await signup();
    for (const username of ['abcd', 'a'.repeat(33), '1alice', 'alice-smith', 'alice smith', 'alice_the_bot', 'AliceBot']) {
      expect(await callError(alice, 'updateProfile', { username }), username).toBe('USERNAME_INVALID');
    }
    for (const params of [{}, { display_name: '   ' }, { display_name: 'x'.repeat(65) }, { about: 'x'.repeat(71) }, { username: 5 }]) {
      expect(await callError(alice, 'updateProfile', params), JSON.stringify(params)).toBe('BAD_REQUEST');
    }
    expect(await profileOf(alice, alice.user.id)).toEqual(alice.user);
  });

  test("changing only the case of one's own username is allowed", async () => {
    const alice = await signup({ username: uniqueUsername('casey') });
    const upper = alice.username.toUpperCase();
    const { user } = await call(alice, 'updateProfile', { username: upper });
    expect(user.username).toBe(upper);
    expect((await call(alice, 'resolveUsername', { username: alice.username })).user).toMatchObject({ id: alice.user.id, username: upper });
  });

  test('without a valid session the call is refused with UNAUTHORIZED', async () => {
    expect(await callError(null, 'updateProfile', { display_name: 'Mallory' })).toBe('UNAUTHORIZED');
    const alice = await signup();
    await api('/v1/auth/logout', { method: 'POST', token: alice.token });
    expect(await callError(alice, 'updateProfile', { display_name: 'Mallory' })).toBe('UNAUTHORIZED');
  });

  test('when two accounts race for one username, exactly one gets it', async () => {
    const racers = await Promise.all([signup(), signup(), signup(), signup()]);
    const wanted = uniqueUsername('prize');
    const results = await Promise.all(
      racers.map((r, i) => api('/v1/call/updateProfile', { body: { username: i % 2 ? wanted : wanted.toUpperCase() }, token: r.token })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409]);
    const winner = racers[results.findIndex((r) => r.status === 200)]!;
    expect((await call(racers[0]!, 'resolveUsername', { username: wanted })).user!.id).toBe(winner.user.id);
  });

  test('profile changes are rate-limited per account; a call that changes nothing is not counted', async () => {
    const alice = await signup();
    for (let i = 0; i < PROFILE_CHANGES.limit; i++) await call(alice, 'updateProfile', { about: `take ${i}` });
    await call(alice, 'updateProfile', { about: `take ${PROFILE_CHANGES.limit - 1}` }); // unchanged
    const res = await api('/v1/call/updateProfile', { body: { about: 'one too many' }, token: alice.token });
    expect(res.status).toBe(429);
    const body = (await res.json()) as { error: { code: string; retry_after: number } };
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.retry_after).toBeGreaterThan(0);
    expect((await profileOf(alice, alice.user.id)).about).toBe(`take ${PROFILE_CHANGES.limit - 1}`);
  });
});

describe('a profile change reaches who shows the name', () => {
  test("the user's other devices, private-chat peers and group members get a user event; strangers do not", async () => {
    const [alice, bob, carol, dave] = [await signup(), await signup(), await signup(), await signup()];
    await privateChat(alice, bob);
    await call(carol, 'createGroup', { title: 'Club', user_ids: [alice.user.id] });
    await until(async () => (await call(alice, 'getDialogs', {})).dialogs.length === 2);
    const phone = await login(alice, { deviceName: 'Alice phone' });
    const [aliceLaptop, alicePhone, bobSocket, carolSocket, daveSocket] = await Promise.all([
      connect(alice.token),
      connect(phone.token),
      connect(bob.token),
      connect(carol.token),
      connect(dave.token),
    ]);

    // Over the laptop's socket: the call runs inside Alice's own mailbox.
    aliceLaptop.send({ t: 'call', id: 'rename', method: 'updateProfile', params: { display_name: 'Alice Renamed' } });
    const expected = { id: alice.user.id, username: alice.username, display_name: 'Alice Renamed', is_bot: false };
    expect(await nextUserEvent(alicePhone)).toEqual(expected);
    expect(await nextUserEvent(aliceLaptop)).toEqual(expected); // every device, the one that asked too
    expect(await nextUserEvent(bobSocket)).toEqual(expected);
    expect(await nextUserEvent(carolSocket)).toEqual(expected);
    expect(await nextUserEvent(daveSocket, 1_000)).toBeNull();

    // Over HTTP too: the Worker asks Alice's mailbox to announce it.
    await call(phone, 'updateProfile', { about: 'Now with a bio' });
    expect(await nextUserEvent(bobSocket)).toEqual({ ...expected, about: 'Now with a bio' });
    expect(await nextUserEvent(aliceLaptop)).toEqual({ ...expected, about: 'Now with a bio' });
  });

  test('the chat list shows the new name: getDialogs answers with the current profile', async () => {
    const [alice, bob] = [await signup({ displayName: 'Alice' }), await signup()];
    await privateChat(alice, bob);
    await call(alice, 'updateProfile', { display_name: 'Alicia' });
    const { users } = await call(bob, 'getDialogs', {});
    expect(users.find((u) => u.id === alice.user.id)?.display_name).toBe('Alicia');
  });

  test('a bot sees the new name, username and bio through the Bot API', async () => {
    const alice = await signup({ displayName: 'Alice' });
    const bot = await newBot();
    await userWrites(alice, bot.id, 'before');
    await takeMessages(bot.token);
    const username = uniqueUsername('alice_b');
    await call(alice, 'updateProfile', { display_name: 'Alicia', username, about: 'Bio for bots' });
    await userWrites(alice, bot.id, 'after');
    const [message] = await takeMessages(bot.token);
    expect(message!.from).toMatchObject({ id: alice.user.id, first_name: 'Alicia', username });
    expect(await botOk(bot.token, 'getChat', { chat_id: alice.user.id })).toMatchObject({
      id: alice.user.id,
      first_name: 'Alicia',
      username,
      bio: 'Bio for bots',
    });
  });
});
