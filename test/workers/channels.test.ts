import { describe, expect, test } from 'vitest';
import { call, callError, delivered, newBot } from './bot-api-helpers.js';
import { REACTION_EMOJI } from '../../protocol/reactions.js';
import { signup } from './helpers.js';

/** Channels over the real Worker, ChatRoom and mailboxes (workerd). */
describe('channels (the account API)', () => {
  test('the creator posts to subscribers; a subscriber cannot post and sees only the managers', async () => {
    const [owner, alice, bob] = [await signup(), await signup(), await signup()];
    const { chat } = await call(owner, 'createChannel', { title: 'Edge News', user_ids: [alice.user.id, bob.user.id] });
    expect(chat).toMatchObject({ kind: 'channel', title: 'Edge News', creator_id: owner.user.id, member_count: 3 });

    const { message } = await call(owner, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'c1', text: 'Issue 1' });
    expect(message.views).toBe(0);
    expect(await callError(alice, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'c2', text: 'hi all' })).toBe('FORBIDDEN');
    await delivered(chat.id);

    const { dialogs } = await call(alice, 'getDialogs', {});
    const dialog = dialogs.find((d) => d.chat.id === chat.id);
    expect(dialog?.top_message?.text).toBe('Issue 1');
    expect(dialog?.unread_count).toBe(1);
    expect(dialog?.chat.member_ids.sort()).toEqual([owner.user.id, alice.user.id].sort());

    const asAlice = await call(alice, 'getChat', { chat_id: chat.id });
    expect(asAlice.members.map((m) => m.user_id)).not.toContain(bob.user.id);
    // The whole list is paged from the D1 index, for the managers only.
    const asOwner = await call(owner, 'getChatMembers', { chat_id: chat.id });
    expect(asOwner.members.map((m) => m.user_id)).toEqual([owner.user.id, alice.user.id, bob.user.id]);
    expect(asOwner).toMatchObject({ count: 3, next_offset: null });
    expect(await callError(alice, 'getChatMembers', { chat_id: chat.id })).toBe('FORBIDDEN');
  });

  test('views count each subscriber once and come back with history', async () => {
    const [owner, alice, bob] = [await signup(), await signup(), await signup()];
    const { chat } = await call(owner, 'createChannel', { title: 'Views', user_ids: [alice.user.id, bob.user.id] });
    const { message } = await call(owner, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'v1', text: 'read me' });

    expect((await call(alice, 'getMessagesViews', { chat_id: chat.id, ids: [message.id] })).views).toEqual([{ id: message.id, views: 1 }]);
    expect((await call(alice, 'getMessagesViews', { chat_id: chat.id, ids: [message.id] })).views[0]?.views).toBe(1);
    expect((await call(bob, 'getMessagesViews', { chat_id: chat.id, ids: [message.id], increment: false })).views[0]?.views).toBe(1);
    await call(bob, 'getMessagesViews', { chat_id: chat.id, ids: [message.id] });
    const { messages } = await call(owner, 'getHistory', { chat_id: chat.id, limit: 10 });
    expect(messages.at(-1)?.views).toBe(2);
  });

  test('an invite link brings in a subscriber; admins post too; a bot joins only as an admin, added by the creator', async () => {
    const [owner, admin, carol] = [await signup(), await signup(), await signup()];
    const { chat } = await call(owner, 'createChannel', { title: 'Open', user_ids: [admin.user.id] });
    await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: admin.user.id, is_admin: true });
    const { link } = await call(admin, 'createChatInviteLink', { chat_id: chat.id });
    expect(await call(carol, 'checkChatInviteLink', { token: link.token })).toEqual({ title: 'Open', kind: 'channel', member_count: 2 });
    const joined = await call(carol, 'joinChatByInviteLink', { token: link.token });
    expect(joined.chat).toMatchObject({ kind: 'channel', member_count: 3 });
    expect((await call(admin, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'a1', text: 'from an admin' })).message.id).toBe(1);

    const helper = await newBot(owner);
    // Adding a bot to a channel appoints it (Telegram's way), so only the creator, who appoints admins, may.
    expect(await callError(admin, 'addChatMember', { chat_id: chat.id, user_id: helper.id })).toBe('FORBIDDEN');
    const added = await call(owner, 'addChatMember', { chat_id: chat.id, user_id: helper.id });
    expect(added.chat.member_ids).toContain(helper.id);
    expect((await call(owner, 'getChat', { chat_id: chat.id })).members.find((m) => m.user_id === helper.id)?.role).toBe('admin');
    const { chat: withBot } = await call(owner, 'createChannel', { title: 'With a bot', user_ids: [helper.id] });
    expect((await call(owner, 'getChat', { chat_id: withBot.id })).members.find((m) => m.user_id === helper.id)?.role).toBe('admin');
  });

  test('bad input and outsiders get the usual errors', async () => {
    const [owner, outsider] = [await signup(), await signup()];
    const { chat } = await call(owner, 'createChannel', { title: 'Closed', user_ids: [] });
    const { message } = await call(owner, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'b1', text: 'x' });
    expect(await callError(outsider, 'getMessagesViews', { chat_id: chat.id, ids: [message.id] })).toBe('NOT_FOUND');
    expect(await callError(owner, 'getMessagesViews', { chat_id: chat.id, ids: [] })).toBe('BAD_REQUEST');
    expect(await callError(owner, 'getMessagesViews', { chat_id: chat.id, ids: ['1'] })).toBe('BAD_REQUEST');
    expect(await callError(owner, 'createChannel', { title: '   ', user_ids: [] })).toBe('BAD_REQUEST');
    const { chat: group } = await call(owner, 'createGroup', { title: 'A group', user_ids: [] });
    const { message: inGroup } = await call(owner, 'sendMessage', { peer: { chat_id: group.id }, random_id: 'g1', text: 'y' });
    expect(await callError(owner, 'getMessagesViews', { chat_id: group.id, ids: [inGroup.id] })).toBe('BAD_REQUEST');
  });

  test("a subscriber's reaction and reading reach nobody else (issue 14, finding 2): counts come with the post", async () => {
    const [owner, alice, bob] = [await signup(), await signup(), await signup()];
    const { chat } = await call(owner, 'createChannel', { title: 'Quiet readers', user_ids: [alice.user.id, bob.user.id] });
    const { message } = await call(owner, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'q1', text: 'react to me' });
    await delivered(chat.id);
    const before = { owner: (await call(owner, 'getState', {})).pts, bob: (await call(bob, 'getState', {})).pts };

    await call(alice, 'sendReaction', { chat_id: chat.id, message_id: message.id, reaction: [REACTION_EMOJI[0]] });
    await call(alice, 'readHistory', { chat_id: chat.id, max_id: message.id });
    await delivered(chat.id);

    for (const [who, account] of [['owner', owner], ['bob', bob]] as const) {
      const difference = await call(account, 'getDifference', { pts: before[who] });
      expect(difference.kind, who).toBe('empty');
    }
    // Alice's own devices learn her choice; everyone reads the counts with the post.
    const hers = await call(alice, 'getDifference', { pts: 0 });
    expect(JSON.stringify(hers)).toContain('message_reactions');
    const { messages } = await call(bob, 'getHistory', { chat_id: chat.id, limit: 10 });
    expect(messages.at(-1)?.reactions?.results).toEqual([{ emoji: REACTION_EMOJI[0], count: 1 }]);
  });

  test('posts are sent as the channel: no reader, the author included, learns who wrote one, wherever it is read', async () => {
    const [owner, admin, alice] = [await signup(), await signup(), await signup()];
    const { chat } = await call(owner, 'createChannel', { title: 'Anon', user_ids: [admin.user.id, alice.user.id] });
    expect(chat.signatures).toBe(false);
    await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: admin.user.id, is_admin: true });
    const { message } = await call(admin, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'p1', text: 'unsigned' });
    // The author's own copy keeps its random_id (how a client settles its send) but names nobody.
    expect(message).toMatchObject({ sender_id: null, random_id: 'p1' });
    expect(message).not.toHaveProperty('post_author');
    await delivered(chat.id);

    for (const reader of [owner, admin, alice]) {
      const { messages } = await call(reader, 'getHistory', { chat_id: chat.id, limit: 10 });
      expect(messages.map((m) => m.sender_id)).toEqual([null]);
      const difference = await call(reader, 'getChannelDifference', { chat_id: chat.id, pts: 0 });
      const updates = difference.kind === 'difference' ? difference.updates.map((e) => e.update) : [];
      const posts = updates.flatMap((u) => (u.type === 'new_message' ? [u.message] : []));
      expect(posts.map((m) => [m.sender_id, m.text])).toEqual([[null, 'unsigned']]);
      const { dialogs } = await call(reader, 'getDialogs', {});
      expect(dialogs.find((d) => d.chat.id === chat.id)?.top_message?.sender_id).toBeNull();
    }
    // getChannelDifference reads the chat's log: the very entries its fan-out pushes to open sockets.
  });

  test('signatures: a manager turns them on, posts then carry the author name; posts keep what they had', async () => {
    const [owner, admin, alice] = [await signup(), await signup(), await signup()];
    const { chat } = await call(owner, 'createChannel', { title: 'Signed', user_ids: [admin.user.id, alice.user.id], signatures: true });
    expect(chat.signatures).toBe(true);
    await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: admin.user.id, is_admin: true });
    const first = (await call(admin, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 's1', text: 'by admin' })).message;
    expect(first).toMatchObject({ sender_id: null, post_author: admin.user.display_name });

    expect(await callError(alice, 'toggleSignatures', { chat_id: chat.id, enabled: false })).toBe('FORBIDDEN');
    const { chat: off } = await call(admin, 'toggleSignatures', { chat_id: chat.id, enabled: false });
    expect(off.signatures).toBe(false);
    const second = (await call(owner, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 's2', text: 'unsigned now' })).message;
    expect(second).not.toHaveProperty('post_author');
    await call(owner, 'toggleSignatures', { chat_id: chat.id, enabled: true });
    await delivered(chat.id);
    const { messages } = await call(alice, 'getHistory', { chat_id: chat.id, limit: 10 });
    expect(messages.map((m) => [m.text, m.post_author ?? null])).toEqual([
      ['by admin', admin.user.display_name],
      ['unsigned now', null],
    ]);
    const { dialogs } = await call(alice, 'getDialogs', {});
    expect(dialogs.find((d) => d.chat.id === chat.id)?.chat.signatures).toBe(true);
  });

  test("any manager edits a channel's posts; a subscriber cannot; signatures are a channel's setting only", async () => {
    const [owner, admin, alice] = [await signup(), await signup(), await signup()];
    const { chat } = await call(owner, 'createChannel', { title: 'Edits', user_ids: [admin.user.id, alice.user.id] });
    await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: admin.user.id, is_admin: true });
    const { message } = await call(owner, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'e1', text: 'typo' });
    const edited = await call(admin, 'editMessage', { chat_id: chat.id, id: message.id, text: 'fixed' });
    expect(edited.message).toMatchObject({ text: 'fixed', sender_id: null });
    expect(await callError(alice, 'editMessage', { chat_id: chat.id, id: message.id, text: 'mine now' })).toBe('MESSAGE_NOT_MODIFIABLE');

    const { chat: group } = await call(owner, 'createGroup', { title: 'A group', user_ids: [alice.user.id] });
    expect(await callError(owner, 'toggleSignatures', { chat_id: group.id, enabled: true })).toBe('BAD_REQUEST');
    expect(await callError(owner, 'toggleSignatures', { chat_id: chat.id })).toBe('BAD_REQUEST');
    const outsider = await signup();
    expect(await callError(outsider, 'toggleSignatures', { chat_id: chat.id, enabled: true })).toBe('NOT_FOUND');
    // In a group a message keeps naming its sender.
    const { message: inGroup } = await call(alice, 'sendMessage', { peer: { chat_id: group.id }, random_id: 'g1', text: 'hi' });
    expect(inGroup.sender_id).toBe(alice.user.id);
  });
});
