import { describe, expect, test } from 'vitest';
import { botFails, call, callError, newBot, userWrites } from './bot-api-helpers.js';
import { connect, signup, type Account } from './helpers.js';

let seq = 0;
const say = (from: Account, to: Account, text: string) =>
  call(from, 'sendMessage', { peer: { user_id: to.user.id }, random_id: `m${++seq}_${Date.now().toString(36)}`, text });

describe('contacts', () => {
  test('searchPeople finds contacts by the saved name, a word of their name or their username, and others only by username', async () => {
    const tag = Date.now().toString(36).slice(-5);
    const me = await signup();
    const friend = await signup({ username: `zed${tag}friend`, displayName: 'Marta Quill' });
    const stranger = await signup({ username: `zed${tag}stranger`, displayName: 'Marta Stone' });
    await call(me, 'addContact', { user_id: friend.user.id, first_name: 'Auntie' });
    await call(stranger, 'updateProfile', { about: 'kept to contacts' });
    await call(stranger, 'setPrivacy', { key: 'bio', rule: { value: 'contacts', allow_user_ids: [], disallow_user_ids: [] } });
    const ids = (r: { contacts: { id: number }[]; others: { id: number }[] }) => [r.contacts.map((u) => u.id), r.others.map((u) => u.id)];
    expect(ids(await call(me, 'searchPeople', { query: 'aunt' }))).toEqual([[friend.user.id], []]);
    expect(ids(await call(me, 'searchPeople', { query: 'quill' }))).toEqual([[friend.user.id], []]);
    // A stranger's display name finds nothing; their username does, as they may be seen (no bio for a non-contact).
    expect(ids(await call(me, 'searchPeople', { query: 'Stone' }))).toEqual([[], []]);
    const byName = await call(me, 'searchPeople', { query: `@zed${tag}` });
    expect(ids(byName)).toEqual([[friend.user.id], [stranger.user.id]]);
    expect(byName.others[0]!.about).toBeUndefined();
    expect(await callError(me, 'searchPeople', { query: '   ' })).toBe('BAD_REQUEST');
  });

  test('added by username or id under a name of ones own, renamed, mutual once both add, removed', async () => {
    const [ann, ben, cat] = [await signup(), await signup(), await signup()];
    const { contact } = await call(ann, 'addContact', { username: ben.username, first_name: 'Benny', last_name: 'B' });
    expect(contact).toMatchObject({ user: { id: ben.user.id }, first_name: 'Benny', last_name: 'B', mutual: false });
    await call(ann, 'addContact', { user_id: cat.user.id, first_name: 'Cat' });
    await call(ben, 'addContact', { user_id: ann.user.id, first_name: 'Ann' });
    const renamed = await call(ann, 'addContact', { user_id: ben.user.id, first_name: 'Ben' });
    expect(renamed.contact).toMatchObject({ first_name: 'Ben', mutual: true });
    expect(renamed.contact.last_name).toBeUndefined();
    expect((await call(ann, 'getContacts', {})).contacts.map((c) => [c.first_name, c.mutual])).toEqual([['Ben', true], ['Cat', false]]);
    // The names are Ann's own: Ben's list shows his.
    expect((await call(ben, 'getContacts', {})).contacts.map((c) => c.first_name)).toEqual(['Ann']);

    await call(ann, 'deleteContacts', { user_ids: [cat.user.id, 999_999] });
    expect((await call(ann, 'getContacts', {})).contacts.map((c) => c.user.id)).toEqual([ben.user.id]);
  });

  test('refusals: oneself, a bot, nobody, both or neither of id and username, a blank name', async () => {
    const ann = await signup();
    const b = await newBot();
    expect(await callError(ann, 'addContact', { user_id: ann.user.id, first_name: 'Me' })).toBe('BAD_REQUEST');
    expect(await callError(ann, 'addContact', { user_id: b.id, first_name: 'Bot' })).toBe('BAD_REQUEST');
    expect(await callError(ann, 'addContact', { username: 'nobody_at_all_here', first_name: 'X' })).toBe('NOT_FOUND');
    expect(await callError(ann, 'addContact', { first_name: 'X' })).toBe('BAD_REQUEST');
    expect(await callError(ann, 'addContact', { user_id: b.id, username: b.username, first_name: 'X' })).toBe('BAD_REQUEST');
    expect(await callError(ann, 'addContact', { user_id: b.owner.user.id, first_name: '   ' })).toBe('BAD_REQUEST');
    expect((await call(ann, 'getContacts', {})).contacts).toEqual([]);
  });
});

describe('blocking', () => {
  test('the blocked person cannot write (USER_BLOCKED), the blocker is told to unblock (YOU_BLOCKED_USER); unblocking lifts both', async () => {
    const [ann, ben] = [await signup(), await signup()];
    await say(ben, ann, 'hello');
    await call(ann, 'blockUser', { user_id: ben.user.id });
    await call(ann, 'blockUser', { user_id: ben.user.id }); // twice changes nothing
    expect(await callError(ben, 'sendMessage', { peer: { user_id: ann.user.id }, random_id: 'after-block', text: 'are you there?' })).toBe('USER_BLOCKED');
    expect(await callError(ann, 'sendMessage', { peer: { user_id: ben.user.id }, random_id: 'blocker-writes', text: 'hm' })).toBe('YOU_BLOCKED_USER');
    const list = await call(ann, 'getBlockedUsers', {});
    expect(list).toMatchObject({ count: 1, blocked: [{ user: { id: ben.user.id } }] });

    await call(ann, 'unblockUser', { user_id: ben.user.id });
    expect((await say(ben, ann, 'back again')).message.text).toBe('back again');
    expect((await call(ann, 'getBlockedUsers', {})).count).toBe(0);
  });

  test('a block holds before any chat exists, and for a chat made afterwards', async () => {
    const [ann, ben] = [await signup(), await signup()];
    await call(ann, 'blockUser', { user_id: ben.user.id });
    expect(await callError(ben, 'sendMessage', { peer: { user_id: ann.user.id }, random_id: 'first', text: 'hi' })).toBe('USER_BLOCKED');
    // Nothing was created for the refused first message.
    expect((await call(ben, 'getDialogs', {})).dialogs).toEqual([]);
    // Ann writes first after unblocking, then blocks again: the chat made meanwhile holds the block too.
    await call(ann, 'unblockUser', { user_id: ben.user.id });
    await say(ann, ben, 'ok, one chance');
    await call(ann, 'blockUser', { user_id: ben.user.id });
    expect(await callError(ben, 'sendMessage', { peer: { user_id: ann.user.id }, random_id: 'second', text: 'thanks' })).toBe('USER_BLOCKED');
  });

  test('the blocked person cannot add the blocker to groups, nor see the blocker online', async () => {
    const [ann, ben, cat] = [await signup(), await signup(), await signup()];
    await say(ben, ann, 'we talked once');
    await call(ann, 'blockUser', { user_id: ben.user.id });
    expect(await callError(ben, 'createGroup', { title: 'Trap', user_ids: [ann.user.id, cat.user.id] })).toBe('USER_BLOCKED');
    const { chat } = await call(ben, 'createGroup', { title: 'Open', user_ids: [cat.user.id] });
    expect(await callError(ben, 'addChatMember', { chat_id: chat.id, user_id: ann.user.id })).toBe('USER_BLOCKED');
    // Cat (not blocked) may put Ann in a group.
    expect((await call(cat, 'createGroup', { title: 'Friends', user_ids: [ann.user.id] })).chat.member_ids).toContain(ann.user.id);

    const socket = await connect(ann.token); // Ann comes online
    try {
      const { statuses } = await call(ben, 'getUsers', { ids: [ann.user.id] });
      expect(statuses[0]).toEqual({ user_id: ann.user.id, online: false, last_seen: null });
      expect((await call(cat, 'getUsers', { ids: [ann.user.id] })).statuses[0]?.online).toBe(true);
    } finally {
      socket.ws.close();
    }
  });

  test('a bot the user blocked gets Telegram’s "Forbidden: bot was blocked by the user"', async () => {
    const b = await newBot();
    const fan = await signup();
    await userWrites(fan, b.id, '/start');
    await call(fan, 'blockUser', { user_id: b.id });
    expect(await botFails(b.token, 'sendMessage', { chat_id: fan.user.id, text: 'come back' })).toMatchObject({
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
  });

  test('refusals: blocking oneself or nobody', async () => {
    const ann = await signup();
    expect(await callError(ann, 'blockUser', { user_id: ann.user.id })).toBe('BAD_REQUEST');
    expect(await callError(ann, 'blockUser', { user_id: 987_654_321 })).toBe('NOT_FOUND');
    expect((await call(ann, 'getBlockedUsers', {})).count).toBe(0);
  });
});
