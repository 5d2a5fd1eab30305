import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocol/errors.js';
import type { ChatSpec } from '../../../durable-objects/chat-room/api.js';
import { dump, groupSpec, rid, setup } from './harness.js';

const OWNER = 1;
const READER = 2;
const COMMENTER = 3;
const CHANNEL = 100;
const GROUP = 200;

const code = (c: string) => expect.objectContaining({ code: c });
const spec = (chatId: number, kind: ChatSpec['kind'], memberIds: number[]): ChatSpec => ({ ...groupSpec(OWNER, memberIds, `chat ${chatId}`), chatId, kind });

/** A channel and a supergroup, each in its own room, their notices wired to each other. */
async function pair(groupKind: ChatSpec['kind'] = 'supergroup') {
  const channel = setup();
  const group = setup();
  channel.room.init(spec(CHANNEL, 'channel', [OWNER, READER, COMMENTER]));
  group.room.init(spec(GROUP, groupKind, [OWNER]));
  channel.world.rooms.set(GROUP, group.room);
  group.world.rooms.set(CHANNEL, channel.room);
  const settle = async () => {
    // Notices hop both ways: settle until neither room has anything in flight.
    for (let i = 0; i < 3; i++) await Promise.all([channel.settle(), group.settle()]);
  };
  await settle();
  return { channel, group, settle };
}

/** What setDiscussionGroup does across the two rooms (the account API's order). */
function link(t: Awaited<ReturnType<typeof pair>>, actor = OWNER) {
  t.channel.room.checkMayLinkDiscussion(actor);
  t.group.room.linkToChannel(actor, CHANNEL);
  return t.channel.room.setLinkedGroup(actor, GROUP);
}

const post = (t: Awaited<ReturnType<typeof pair>>, text: string) => t.channel.room.sendMessage(OWNER, { random_id: rid(), text });

function forwards(t: Awaited<ReturnType<typeof pair>>) {
  return t.group.room.getHistory(OWNER, { direction: 'before', limit: 100 }).filter((m) => m.is_automatic_forward);
}

describe('channel comments through a linked discussion group', () => {
  it('linking shows the link on both chats; every new post is forwarded into the group as the channel', async () => {
    const t = await pair();
    const before = post(t, 'before the link');
    expect(link(t).linked_chat_id).toBe(GROUP);
    expect(t.group.room.getChat(OWNER).chat.linked_chat_id).toBe(CHANNEL);
    const sent = post(t, 'Issue 1');
    await t.settle();
    const [forward, ...rest] = forwards(t);
    expect(rest).toEqual([]);
    expect(forward).toMatchObject({
      text: 'Issue 1',
      sender_id: null,
      is_automatic_forward: true,
      fwd_from: { sender_id: null, chat_id: CHANNEL, message_id: sent.id, chat_title: `chat ${CHANNEL}` },
    });
    // A post from before the link has no discussion.
    expect(() => t.channel.room.discussionOf(READER, before.id)).toThrow(code(ErrorCode.NOT_FOUND));
    expect(t.channel.room.discussionOf(READER, sent.id)).toEqual({ group_id: GROUP });
  });

  it('a post is forwarded exactly once when the delivery fails, or its acknowledgement is lost, and is retried', async () => {
    const t = await pair();
    link(t);
    await t.settle();
    t.channel.world.failTellBefore.set(GROUP, 1);
    const first = post(t, 'first');
    await t.settle();
    expect(forwards(t)).toEqual([]);
    t.channel.world.failTellAfter.set(GROUP, 1);
    await t.channel.room.alarm();
    await t.settle();
    // Applied, but the channel did not hear so: the alarm sends it again, and the group drops the repeat.
    await t.channel.room.alarm();
    await t.settle();
    const second = post(t, 'second');
    await t.settle();
    expect(forwards(t).map((m) => m.fwd_from?.message_id)).toEqual([first.id, second.id]);
    expect(t.channel.world.told.filter((c) => c.notices.some((n) => n.kind === 'channel_post' && n.post_id === first.id)).length).toBe(3);
    expect(t.channel.store.exec('SELECT * FROM room_notices')).toEqual([]);
  });

  it('comments are replies to the forward; the channel keeps each post’s count, and no subscriber is told', async () => {
    const t = await pair();
    link(t);
    const sent = post(t, 'Issue 1');
    await t.settle();
    t.group.room.joinDiscussion(COMMENTER, CHANNEL);
    const { message: root } = t.group.room.discussionRoot(READER, CHANNEL, sent.id);
    const updatesBefore = t.channel.world.calls.length;
    t.group.room.sendMessage(COMMENTER, { random_id: rid(), text: 'first!', reply_to_message_id: root.id });
    t.group.tick();
    const reply = t.group.room.sendMessage(OWNER, { random_id: rid(), text: 'thanks', reply_to_message_id: root.id });
    t.group.tick();
    const last = t.group.room.sendMessage(COMMENTER, { random_id: rid(), text: 'a reply to a reply', reply_to_message_id: reply.id });
    await t.settle();
    const [views] = t.channel.room.getViews(READER, [sent.id], false);
    expect(views).toEqual({ id: sent.id, views: 0, comments: { count: 3, max_id: last.id } });
    expect(t.channel.room.getHistory(READER, { direction: 'before', limit: 10 }).at(-1)?.comments).toEqual({ count: 3, max_id: last.id });
    // The counts travel as notices between the two rooms only: no mailbox got anything for them.
    expect(t.channel.world.calls.length).toBe(updatesBefore);
    // A non-member of the group (READER) reads the comments through the channel.
    expect(t.group.room.discussionRoot(READER, CHANNEL, sent.id)).toMatchObject({ is_member: false, message: { replies: { count: 3 } } });
    expect(t.group.room.discussionReplies(READER, CHANNEL, sent.id, { direction: 'before', limit: 50 }).messages.map((m) => m.text)).toEqual([
      'first!',
      'thanks',
      'a reply to a reply',
    ]);
    // A deleted comment counts no more.
    t.group.room.deleteMessages(COMMENTER, [last.id], true);
    await t.settle();
    expect(t.channel.room.getViews(READER, [sent.id], false)[0]?.comments).toEqual({ count: 2, max_id: reply.id });
  });

  it('a burst of comments while the channel is unreachable reaches it as one notice with the last count', async () => {
    const t = await pair();
    link(t);
    const sent = post(t, 'hot take');
    await t.settle();
    const root = t.group.room.discussionRoot(OWNER, CHANNEL, sent.id).message.id;
    t.group.world.failTellBefore.set(CHANNEL, 1);
    t.group.room.sendMessage(OWNER, { random_id: rid(), text: 'one', reply_to_message_id: root });
    await t.settle();
    for (const text of ['two', 'three', 'four']) {
      t.group.tick();
      t.group.world.failTellBefore.set(CHANNEL, 1);
      t.group.room.sendMessage(OWNER, { random_id: rid(), text, reply_to_message_id: root });
      await t.settle();
    }
    expect(t.group.store.exec('SELECT key FROM room_notices')).toEqual([{ key: `comments:${sent.id}` }]);
    await t.group.room.alarm();
    await t.settle();
    expect(t.channel.room.getViews(OWNER, [sent.id], false)[0]?.comments?.count).toBe(4);
    expect(t.group.store.exec('SELECT * FROM room_notices')).toEqual([]);
  });

  it('refuses a basic group, a channel, a group linked elsewhere and a caller without the rights, changing nothing', async () => {
    const basic = await pair('group');
    const before = dump(basic.group.store);
    expect(() => basic.group.room.linkToChannel(OWNER, CHANNEL)).toThrow(code(ErrorCode.BAD_REQUEST));
    expect(() => basic.group.room.linkToChannel(OWNER, CHANNEL)).toThrow(/MEGAGROUP_REQUIRED/);
    expect(dump(basic.group.store)).toEqual(before);
    const other = await pair('channel');
    expect(() => other.group.room.linkToChannel(OWNER, CHANNEL)).toThrow(/MEGAGROUP_REQUIRED/);

    const t = await pair();
    t.group.room.addMember(OWNER, READER);
    t.group.room.setAdmin(OWNER, READER, true);
    const groupBefore = dump(t.group.store);
    // READER administers the group but is a mere subscriber of the channel.
    expect(() => t.channel.room.checkMayLinkDiscussion(READER)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => t.group.room.linkToChannel(COMMENTER, CHANNEL)).toThrow(code(ErrorCode.NOT_FOUND));
    expect(dump(t.group.store)).toEqual(groupBefore);
    t.group.room.linkToChannel(OWNER, 999);
    expect(() => t.group.room.linkToChannel(OWNER, CHANNEL)).toThrow(code(ErrorCode.CONFLICT));
  });

  it('editing a post edits its copy in the group; deleting the post keeps the discussion', async () => {
    const t = await pair();
    link(t);
    const sent = post(t, 'Isue 1');
    await t.settle();
    t.channel.tick();
    t.channel.room.editMessage(OWNER, sent.id, 'Issue 1', undefined);
    await t.settle();
    const [copy] = forwards(t);
    expect(copy).toMatchObject({ text: 'Issue 1', is_automatic_forward: true });
    expect(copy?.edit_date).not.toBeNull();
    // Group members saw the edit as it happened (the supergroup's log).
    const edits = t.group.world.broadcasts.flatMap((b) => b.envelopes).filter((e) => e.update.type === 'edit_message');
    expect(edits).toHaveLength(1);
    t.channel.room.deleteMessages(OWNER, [sent.id], true);
    await t.settle();
    expect(forwards(t).map((m) => m.text)).toEqual(['Issue 1']);
  });

  it('an unlink still in flight when the channel links the same group again leaves the group linked', async () => {
    const t = await pair();
    link(t);
    await t.settle();
    let release = () => {};
    t.channel.world.holdTell.set(GROUP, new Promise<void>((resolve) => (release = resolve)));
    t.channel.room.setLinkedGroup(OWNER, null);
    // The unlink is on its way; meanwhile the group (still linked) is linked again.
    link(t);
    t.channel.world.holdTell.delete(GROUP);
    release();
    await t.settle();
    expect(t.group.room.getChat(OWNER).chat.linked_chat_id).toBe(CHANNEL);
    expect(t.channel.room.getChat(OWNER).chat.linked_chat_id).toBe(GROUP);
    const sent = post(t, 'still discussed');
    await t.settle();
    expect(forwards(t).map((m) => m.fwd_from?.message_id)).toEqual([sent.id]);
  });

  it('unlinking stops new forwards; the old discussion stays, and its group is unlinked through a notice', async () => {
    const t = await pair();
    link(t);
    const kept = post(t, 'discussed');
    await t.settle();
    expect(t.channel.room.setLinkedGroup(OWNER, null).linked_chat_id).toBeUndefined();
    post(t, 'after the unlink');
    await t.settle();
    expect(forwards(t).map((m) => m.text)).toEqual(['discussed']);
    expect(t.group.room.getChat(OWNER).chat.linked_chat_id).toBeUndefined();
    expect(t.channel.room.discussionOf(READER, kept.id)).toEqual({ group_id: GROUP });
  });
});

describe('the notices queue between rooms', () => {
  it('an unreadable notice stays stored, holds back its target only, and the ones before it are delivered', async () => {
    const t = await pair();
    link(t);
    await t.settle();
    const first = post(t, 'first');
    t.channel.store.exec("INSERT INTO room_notices (target_chat, key, body, v) VALUES (?, 'broken', '{not json', 1)", GROUP);
    await t.settle();
    await t.channel.room.alarm();
    await t.settle();
    expect(forwards(t).map((m) => m.fwd_from?.message_id)).toEqual([first.id]);
    expect(t.channel.store.exec('SELECT key FROM room_notices')).toEqual([{ key: 'broken' }]);
  });
});
