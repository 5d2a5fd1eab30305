import { describe, expect, test } from 'vitest';
import type { PrivacyValue } from '../../protocol/privacy.js';
import { call, callError } from './bot-api-helpers.js';
import { api, connect, signup, type Account, type TestSocket } from './helpers.js';

/**
 * Each privacy rule × each relationship, on each place the data is served:
 * a person's presence and bio in getUsers, and adding them to a group.
 * The owner's viewers: a contact of the owner's, a non-contact, someone the
 * owner blocked, a non-contact always allowed, a contact never allowed.
 */
type Viewer = 'contact' | 'stranger' | 'blocked' | 'always' | 'never';
const VIEWERS: Viewer[] = ['contact', 'stranger', 'blocked', 'always', 'never'];

// prettier-ignore
const EXPECTED: Record<PrivacyValue, Record<Viewer, boolean>> = {
  //          contact  stranger  blocked  always  never
  everybody: { contact: true,  stranger: true,  blocked: false, always: true, never: false },
  contacts:  { contact: true,  stranger: false, blocked: false, always: true, never: false },
  nobody:    { contact: false, stranger: false, blocked: false, always: true, never: false },
};

async function cast() {
  const owner = await signup();
  const viewers = Object.fromEntries(await Promise.all(VIEWERS.map(async (v) => [v, await signup()]))) as Record<Viewer, Account>;
  await call(owner, 'updateProfile', { about: 'gardener' });
  for (const v of ['contact', 'never'] as const) await call(owner, 'addContact', { user_id: viewers[v].user.id, first_name: v });
  await call(owner, 'blockUser', { user_id: viewers.blocked.user.id });
  const rule = (value: PrivacyValue) => ({ value, allow_user_ids: [viewers.always.user.id], disallow_user_ids: [viewers.never.user.id] });
  return { owner, viewers, rule };
}

describe('privacy rules × relationships', () => {
  test('last seen and bio in getUsers, and adds to groups, follow each rule for each relationship', async () => {
    const { owner, viewers, rule } = await cast();
    const helper = await signup(); // a third member for the groups the viewers try to make
    const online = await connect(owner.token); // the owner is online throughout
    try {
      for (const value of ['everybody', 'contacts', 'nobody'] as const) {
        for (const key of ['last_seen', 'bio', 'group_invites'] as const) await call(owner, 'setPrivacy', { key, rule: rule(value) });
        for (const v of VIEWERS) {
          const allowed = EXPECTED[value][v];
          const where = `${value} × ${v}`;
          const { users, statuses } = await call(viewers[v], 'getUsers', { ids: [owner.user.id] });
          expect(statuses[0]!.online, `online: ${where}`).toBe(allowed);
          expect(users[0]!.about, `bio: ${where}`).toBe(allowed ? 'gardener' : undefined);
          const add = await api('/v1/call/createGroup', { body: { title: where, user_ids: [owner.user.id, helper.user.id] }, token: viewers[v].token });
          const code = add.status === 200 ? 'OK' : ((await add.json()) as { error: { code: string } }).error.code;
          expect(code, `group add: ${where}`).toBe(allowed ? 'OK' : v === 'blocked' ? 'USER_BLOCKED' : 'USER_PRIVACY_RESTRICTED');
        }
      }
      // The owner itself always sees its own.
      expect((await call(owner, 'getUsers', { ids: [owner.user.id] })).users[0]!.about).toBe('gardener');
    } finally {
      online.ws.close();
    }
  });

  test('presence events reach only those the "last seen" rule allows', async () => {
    const { owner, viewers, rule } = await cast();
    // Private chats, so each viewer is a peer the owner's presence would reach.
    for (const v of ['contact', 'stranger'] as const) {
      await call(viewers[v], 'sendMessage', { peer: { user_id: owner.user.id }, random_id: `p_${v}`, text: 'hi' });
    }
    await call(owner, 'setPrivacy', { key: 'last_seen', rule: rule('contacts') });
    const sockets: Record<'contact' | 'stranger', TestSocket> = { contact: await connect(viewers.contact.token), stranger: await connect(viewers.stranger.token) };
    const seenOnline = (s: TestSocket) => untilStatus(s, owner.user.id);
    const watching = { contact: seenOnline(sockets.contact), stranger: seenOnline(sockets.stranger) };
    const ownerSocket = await connect(owner.token);
    try {
      expect(await watching.contact).toBe(true);
      expect(await watching.stranger).toBe(false);
    } finally {
      for (const s of [ownerSocket, sockets.contact, sockets.stranger]) s.ws.close();
    }
  });

  test('a rule with a bad key or value is refused, and nothing changes', async () => {
    const owner = await signup();
    expect(await callError(owner, 'setPrivacy', { key: 'phone_number', rule: { value: 'nobody' } })).toBe('BAD_REQUEST');
    expect(await callError(owner, 'setPrivacy', { key: 'bio', rule: { value: 'friends' } })).toBe('BAD_REQUEST');
    expect((await call(owner, 'getPrivacy', { key: 'bio' })).rule).toEqual({ value: 'everybody', allow_user_ids: [], disallow_user_ids: [] });
  });
});

/** Whether a user_status event about `userId` arrives within 1.5 s. */
async function untilStatus(socket: TestSocket, userId: number): Promise<boolean> {
  const deadline = Date.now() + 1_500;
  while (Date.now() < deadline) {
    const frame = await socket.next(deadline - Date.now()).catch(() => null);
    if (!frame) return false;
    const event = (frame as { event?: { type?: string; status?: { user_id?: number } } }).event;
    if (event?.type === 'user_status' && event.status?.user_id === userId) return true;
  }
  return false;
}
