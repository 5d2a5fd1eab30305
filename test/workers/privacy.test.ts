import { describe, expect, test } from 'vitest';
import type { PrivacyValue } from '../../protocol/privacy.js';
import { call, callError } from './bot-api-helpers.js';
import { api, connect, errorCode, signup, type Account, type TestSocket } from './helpers.js';
import { jpeg, upload } from './media-helpers.js';

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
          const body = (await add.json()) as { chat?: { id: number; member_ids: number[] }; missing_invitees?: number[]; error?: { code: string } };
          // Refused by the rule: the group is made without the owner, who is named a missing invitee (send a link instead).
          const outcome = add.status !== 200 ? body.error!.code : body.missing_invitees ? `missing ${body.missing_invitees.join()}` : 'added';
          expect(outcome, `group add: ${where}`).toBe(allowed ? 'added' : v === 'blocked' ? 'USER_BLOCKED' : `missing ${owner.user.id}`);
          if (body.chat) expect(body.chat.member_ids.includes(owner.user.id), `member: ${where}`).toBe(allowed);
          if (!allowed && body.chat) {
            // Adding the owner to the group afterwards is refused the same way.
            const single = await api('/v1/call/addChatMember', { body: { chat_id: body.chat.id, user_id: owner.user.id }, token: viewers[v].token });
            expect(await errorCode(single), `single add: ${where}`).toBe('USER_PRIVACY_RESTRICTED');
          }
        }
      }
      // The owner itself always sees its own.
      expect((await call(owner, 'getUsers', { ids: [owner.user.id] })).users[0]!.about).toBe('gardener');
    } finally {
      online.ws.close();
    }
  });

  test('profile photo (user, history, link), bio and photo in member lists, and forwards follow each rule for each relationship', async () => {
    const { owner, viewers, rule } = await cast();
    const { photo } = await call(owner, 'setProfilePhoto', { file_id: (await upload(owner, jpeg(6_000, 81))).id });
    // One group of everyone, made while the rules are the defaults; the owner writes there.
    const helper = await signup();
    const { chat } = await call(helper, 'createGroup', { title: 'all', user_ids: [owner.user.id, ...VIEWERS.map((v) => viewers[v].user.id)] });
    const { message } = await call(owner, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'fwd_src', text: 'quote me' });
    for (const value of ['everybody', 'contacts', 'nobody'] as const) {
      for (const key of ['bio', 'profile_photo', 'forwards'] as const) await call(owner, 'setPrivacy', { key, rule: rule(value) });
      for (const v of VIEWERS) {
        const allowed = EXPECTED[value][v];
        const where = `${value} × ${v}`;
        const viewer = viewers[v];
        expect((await call(viewer, 'getUsers', { ids: [owner.user.id] })).users[0]!.photo?.id, `photo: ${where}`).toBe(allowed ? photo.id : undefined);
        expect((await call(viewer, 'getUserPhotos', { user_id: owner.user.id })).count, `history: ${where}`).toBe(allowed ? 1 : 0);
        const link = await api('/v1/call/getUserPhotoUrl', { body: { user_id: owner.user.id }, token: viewer.token });
        expect(link.status === 200 ? 'OK' : await errorCode(link), `link: ${where}`).toBe(allowed ? 'OK' : 'FILE_NOT_FOUND');
        const { users } = await call(viewer, 'getChatMembers', { chat_id: chat.id });
        const listed = users.find((u) => u.id === owner.user.id)!;
        expect([listed.about, listed.photo?.id], `member list: ${where}`).toEqual(allowed ? ['gardener', photo.id] : [undefined, undefined]);
        const [forward] = (await call(viewer, 'forwardMessages', { from_chat_id: chat.id, ids: [message.id], random_ids: [`f_${value}_${v}`], to: { user_id: viewer.user.id } })).messages;
        expect(forward!.fwd_from, `forward: ${where}`).toMatchObject(
          allowed ? { sender_id: owner.user.id } : { sender_id: null, sender_name: owner.user.display_name },
        );
      }
    }
  });

  test('first messages: those the "messages" rule leaves out land among message requests; a block refuses', async () => {
    for (const value of ['everybody', 'contacts', 'nobody'] as const) {
      const { owner, viewers, rule } = await cast();
      await call(owner, 'setPrivacy', { key: 'messages', rule: rule(value) });
      for (const v of VIEWERS) {
        const where = `${value} × ${v}`;
        const sent = await api('/v1/call/sendMessage', { body: { peer: { user_id: owner.user.id }, random_id: `m_${v}`, text: 'hello' }, token: viewers[v].token });
        if (v === 'blocked') {
          expect(await errorCode(sent), where).toBe('USER_BLOCKED');
          continue;
        }
        expect(sent.status, where).toBe(200);
      }
      const { dialogs } = await call(owner, 'getDialogs', {});
      for (const v of VIEWERS.filter((x) => x !== 'blocked')) {
        const dialog = dialogs.find((d) => d.chat.member_ids.includes(viewers[v].user.id));
        expect(dialog?.is_request, `request: ${value} × ${v}`).toBe(!EXPECTED[value][v]);
      }
    }
  });

  test('a message request leaves the requests when accepted, or when answered; the sender never sees it as one', async () => {
    const [owner, a, b] = [await signup(), await signup(), await signup()];
    await call(owner, 'setPrivacy', { key: 'messages', rule: { value: 'contacts', allow_user_ids: [], disallow_user_ids: [] } });
    const fromA = (await call(a, 'sendMessage', { peer: { user_id: owner.user.id }, random_id: 'ra', text: 'hi' })).message.chat_id;
    const fromB = (await call(b, 'sendMessage', { peer: { user_id: owner.user.id }, random_id: 'rb', text: 'hi' })).message.chat_id;
    const requestOf = async (chatId: number) => (await call(owner, 'getDialogs', {})).dialogs.find((d) => d.chat.id === chatId)?.is_request;
    expect([await requestOf(fromA), await requestOf(fromB)]).toEqual([true, true]);
    expect((await call(a, 'getDialogs', {})).dialogs.find((d) => d.chat.id === fromA)?.is_request).toBe(false);
    const socket = await connect(owner.token);
    try {
      await call(owner, 'acceptMessageRequest', { chat_id: fromA });
      expect(await untilEvent(socket, 'message_request')).toEqual({ type: 'message_request', chat_id: fromA, is_request: false });
    } finally {
      socket.ws.close();
    }
    await call(owner, 'sendMessage', { peer: { user_id: b.user.id }, random_id: 'reply', text: 'hello to you' });
    expect([await requestOf(fromA), await requestOf(fromB)]).toEqual([false, false]);
    // Another account's chat is no request of the caller's: nothing changes, nothing fails.
    expect((await call(a, 'acceptMessageRequest', { chat_id: fromB })).ok).toBe(true);
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

/** The next event of this type, within 3 s. */
async function untilEvent(socket: TestSocket, type: string): Promise<unknown> {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const frame = (await socket.next(deadline - Date.now())) as { event?: { type?: string } };
    if (frame.event?.type === type) return frame.event;
  }
}
