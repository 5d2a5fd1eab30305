import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, test } from 'vitest';
import { chatRoom, chatRoomStub } from '../../durable-objects/stubs.js';
import { call, callError } from './bot-api-helpers.js';
import { signup, type Account } from './helpers.js';

/** Channel comments over the real Worker and two ChatRooms (workerd): the channel's and its discussion group's. */

let n = 0;
const rid = () => `cc${++n}_${crypto.randomUUID().slice(0, 8)}`;

/** Retries a read until the notices between the two rooms (drained after their commits) have arrived. */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 200 && !ok(value); i++) {
    await new Promise((r) => setTimeout(r, 10));
    value = await read();
  }
  return value;
}

async function linkedPair() {
  const [owner, alice, bob] = [await signup(), await signup(), await signup()];
  const { chat: channel } = await call(owner, 'createChannel', { title: 'Edge News', user_ids: [alice.user.id, bob.user.id] });
  const { chat: group } = await call(owner, 'createSupergroup', { title: 'Edge News chat', user_ids: [] });
  const { chat } = await call(owner, 'setDiscussionGroup', { channel_id: channel.id, group_id: group.id });
  return { owner, alice, bob, channel: chat, group };
}

async function postAndWait(owner: Account, channelId: number, text: string) {
  const { message } = await call(owner, 'sendMessage', { peer: { chat_id: channelId }, random_id: rid(), text });
  const found = await eventually(
    () => callRaw(owner, 'getDiscussionMessage', { channel_id: channelId, post_id: message.id }),
    (r) => r.ok,
  );
  if (!found.ok) throw new Error('the post was never forwarded');
  return { post: message, discussion: found.value };
}

async function callRaw<M extends 'getDiscussionMessage'>(who: Account, method: M, params: Parameters<typeof call<M>>[2]) {
  try {
    return { ok: true as const, value: await call(who, method, params) };
  } catch {
    return { ok: false as const };
  }
}

async function forwardsIn(who: Account, groupId: number) {
  const { messages } = await call(who, 'getHistory', { chat_id: groupId, limit: 100 });
  return messages.filter((m) => m.is_automatic_forward);
}

describe('channel comments (the account API)', () => {
  test('linking shows the link on both chats; each refusal changes nothing', async () => {
    const { owner, alice, channel, group } = await linkedPair();
    expect(channel.linked_chat_id).toBe(group.id);
    expect((await call(owner, 'getChat', { chat_id: group.id })).chat.linked_chat_id).toBe(channel.id);
    expect((await call(alice, 'getChat', { chat_id: channel.id })).chat.linked_chat_id).toBe(group.id);

    const { chat: basic } = await call(owner, 'createGroup', { title: 'Basic', user_ids: [] });
    const { chat: other } = await call(owner, 'createChannel', { title: 'Other', user_ids: [] });
    const { chat: spare } = await call(owner, 'createSupergroup', { title: 'Spare', user_ids: [alice.user.id] });
    const refused = async (who: Account, params: { channel_id: number; group_id: number | null }) => {
      const res = await callError(who, 'setDiscussionGroup', params);
      expect((await call(owner, 'getChat', { chat_id: channel.id })).chat.linked_chat_id).toBe(group.id);
      return res;
    };
    // A basic group or a channel is no discussion group (Telegram's MEGAGROUP_REQUIRED).
    expect(await refused(owner, { channel_id: channel.id, group_id: basic.id })).toBe('BAD_REQUEST');
    expect(await refused(owner, { channel_id: channel.id, group_id: other.id })).toBe('BAD_REQUEST');
    // A group that already discusses another channel.
    expect(await refused(owner, { channel_id: other.id, group_id: group.id })).toBe('CONFLICT');
    // A subscriber without can_change_info in the channel, and someone not in the group.
    expect(await refused(alice, { channel_id: channel.id, group_id: spare.id })).toBe('FORBIDDEN');
    await call(owner, 'setChatAdmin', { chat_id: channel.id, user_id: alice.user.id, is_admin: true });
    expect(await refused(alice, { channel_id: channel.id, group_id: basic.id })).toBe('NOT_FOUND');
    // An admin of the group without the rights there (a plain member of spare).
    expect(await refused(alice, { channel_id: channel.id, group_id: spare.id })).toBe('FORBIDDEN');
    expect((await call(owner, 'getChat', { chat_id: spare.id })).chat.linked_chat_id).toBeUndefined();
  });

  test('a post is forwarded exactly once, even when the delivery is retried', async () => {
    const { owner, channel, group } = await linkedPair();
    const { post, discussion } = await postAndWait(owner, channel.id, 'Issue 1');
    expect(discussion).toMatchObject({ chat_id: group.id, is_member: true });
    expect(discussion.message).toMatchObject({
      text: 'Issue 1',
      sender_id: null,
      is_automatic_forward: true,
      fwd_from: { chat_id: channel.id, message_id: post.id, sender_id: null, chat_title: 'Edge News' },
    });
    // The channel's room delivers the same notice again (its acknowledgement was lost): the group drops it.
    const notice = { kind: 'channel_post', post_id: post.id, date: post.date, text: post.text, entities: [], media: null, chat_title: 'Edge News' };
    expect(await chatRoom(env, group.id).receiveNotices(channel.id, [notice])).toEqual({ ok: true, value: { applied: 0 } });
    await runInDurableObject(chatRoomStub(env, channel.id), (_, state) => {
      state.storage.sql.exec(
        "INSERT INTO room_notices (target_chat, key, body, v) VALUES (?, ?, ?, 1)",
        group.id,
        `post:${post.id}`,
        JSON.stringify(notice),
      );
    });
    expect(await runDurableObjectAlarm(chatRoomStub(env, channel.id))).toBe(true);
    const left = await runInDurableObject(chatRoomStub(env, channel.id), (_, s) => s.storage.sql.exec('SELECT * FROM room_notices').toArray());
    expect(left).toEqual([]);
    expect((await forwardsIn(owner, group.id)).map((m) => m.fwd_from?.message_id)).toEqual([post.id]);
  });

  test('a subscriber reads without joining, joins to comment; the post counts its comments', async () => {
    const { owner, alice, bob, channel, group } = await linkedPair();
    const { post, discussion } = await postAndWait(owner, channel.id, 'What do you think?');
    // Bob is not in the group: he reads the (empty) discussion through the channel.
    const asBob = await call(bob, 'getDiscussionMessage', { channel_id: channel.id, post_id: post.id });
    expect(asBob).toMatchObject({ chat_id: group.id, is_member: false });
    expect(await callError(bob, 'getHistory', { chat_id: group.id, thread_id: discussion.message.id })).toBe('NOT_FOUND');

    await call(alice, 'joinDiscussionGroup', { channel_id: channel.id });
    const root = discussion.message.id;
    await call(alice, 'sendMessage', { peer: { chat_id: group.id }, random_id: rid(), text: 'Great', reply_to_message_id: root });
    await call(bob, 'joinDiscussionGroup', { channel_id: channel.id });
    await call(bob, 'sendMessage', { peer: { chat_id: group.id }, random_id: rid(), text: 'Agreed', reply_to_message_id: root });
    const { message: last } = await call(owner, 'sendMessage', { peer: { chat_id: group.id }, random_id: rid(), text: 'Thanks!', reply_to_message_id: root });

    const views = await eventually(
      () => call(owner, 'getMessagesViews', { chat_id: channel.id, ids: [post.id], increment: false }),
      (r) => r.views[0]?.comments?.count === 3,
    );
    expect(views.views[0]?.comments).toEqual({ count: 3, max_id: last.id });
    const { messages } = await call(alice, 'getHistory', { chat_id: channel.id, limit: 10 });
    expect(messages.at(-1)?.comments).toEqual({ count: 3, max_id: last.id });
    const page = await call(bob, 'getDiscussionReplies', { channel_id: channel.id, post_id: post.id });
    expect(page.messages.map((m) => m.text)).toEqual(['Great', 'Agreed', 'Thanks!']);
    expect((await call(bob, 'getDiscussionMessage', { channel_id: channel.id, post_id: post.id })).message.replies).toEqual({
      count: 3,
      max_id: last.id,
    });
  });

  test('outsiders learn nothing; unlinking stops new forwards and keeps the old discussion', async () => {
    const { owner, alice, channel, group } = await linkedPair();
    const outsider = await signup();
    const { post } = await postAndWait(owner, channel.id, 'kept');
    expect(await callError(outsider, 'getDiscussionMessage', { channel_id: channel.id, post_id: post.id })).toBe('NOT_FOUND');
    expect(await callError(outsider, 'getDiscussionReplies', { channel_id: channel.id, post_id: post.id })).toBe('NOT_FOUND');
    expect(await callError(outsider, 'joinDiscussionGroup', { channel_id: channel.id })).toBe('NOT_FOUND');
    expect(await callError(alice, 'setDiscussionGroup', { channel_id: channel.id, group_id: null })).toBe('FORBIDDEN');

    const { chat } = await call(owner, 'setDiscussionGroup', { channel_id: channel.id, group_id: null });
    expect(chat.linked_chat_id).toBeUndefined();
    const group2 = await eventually(
      () => call(owner, 'getChat', { chat_id: group.id }),
      (r) => r.chat.linked_chat_id === undefined,
    );
    expect(group2.chat.linked_chat_id).toBeUndefined();
    await call(owner, 'sendMessage', { peer: { chat_id: channel.id }, random_id: rid(), text: 'after' });
    await new Promise((r) => setTimeout(r, 100));
    expect((await forwardsIn(owner, group.id)).map((m) => m.text)).toEqual(['kept']);
    expect((await call(alice, 'getDiscussionMessage', { channel_id: channel.id, post_id: post.id })).chat_id).toBe(group.id);
    expect(await callError(alice, 'joinDiscussionGroup', { channel_id: channel.id })).toBe('BAD_REQUEST');
  });
});
