import { describe, expect, it } from 'vitest';
import type { ChatSpec } from '../../../durable-objects/chat-room/api.js';
import { DEFAULT_CHAT_PERMISSIONS } from '../../../protocol/messages.js';
import { GENERAL_TOPIC_ID } from '../../../protocol/topics.js';
import type { Update } from '../../../protocol/updates.js';
import { dump, groupSpec, rid, setup } from './harness.js';

/**
 * Forum topics in the ChatRoom (durable-objects/chat-room/topics.ts): a
 * supergroup made a forum files every message under a topic, General (1)
 * by default; topics are managed by those with can_manage_topics; closed
 * and unknown topics refuse sends without writing anything; unread counts
 * per topic come from a read row per member written only when it reads.
 */

const OWNER = 1;
const ADMIN = 2;
const ALICE = 3;
const BOB = 4;
const BOT = 9;

const code = (c: string) => expect.objectContaining({ code: c });
const supergroupSpec = (creatorId: number, memberIds: number[]): ChatSpec => ({ ...groupSpec(creatorId, memberIds, 'Big'), kind: 'supergroup' });

async function forum() {
  const t = setup();
  t.room.init({ ...supergroupSpec(OWNER, [OWNER, ADMIN, ALICE, BOB, BOT]), bots: [{ user_id: BOT, username: 'helper_bot', privacy: false }] });
  t.room.setAdmin(OWNER, ADMIN, true);
  t.room.toggleForum(OWNER, true);
  await t.settle();
  t.world.broadcasts.length = 0;
  t.world.calls.length = 0;
  return t;
}

type T = Awaited<ReturnType<typeof forum>>;
const logged = (t: T): Update[] => t.world.broadcasts.flatMap((b) => b.envelopes.map((e) => e.update));
const text = (t: T, userId: number, topic: number) =>
  t.room.getHistory(userId, { direction: 'before', limit: 50, message_thread_id: topic }).map((m) => m.text);
const send = (t: T, from: number, words: string, extra: { message_thread_id?: number; reply_to_message_id?: number } = {}) => {
  t.tick(1_000); // sends are rate-limited per sender
  return t.room.sendMessage(from, { random_id: rid(), text: words, ...extra });
};

describe('forum topics', () => {
  it('a supergroup becomes a forum with General; its earlier messages are General’s', async () => {
    const t = setup();
    t.room.init(supergroupSpec(OWNER, [OWNER, ALICE]));
    const before = t.room.sendMessage(ALICE, { random_id: rid(), text: 'before topics' });
    expect(before.message_thread_id).toBeUndefined();
    const chat = t.room.toggleForum(OWNER, true);
    expect(chat.is_forum).toBe(true);
    const topics = t.room.getForumTopics(ALICE, { limit: 10 });
    expect(topics.map((x) => [x.id, x.name, x.is_closed, x.is_hidden])).toEqual([[GENERAL_TOPIC_ID, 'General', false, false]]);
    t.tick(1_000);
    const after = t.room.sendMessage(ALICE, { random_id: rid(), text: 'after topics' });
    expect(after.message_thread_id).toBe(GENERAL_TOPIC_ID);
    expect(after.is_topic_message).toBeUndefined();
    expect(t.room.getHistory(OWNER, { direction: 'before', limit: 10, message_thread_id: GENERAL_TOPIC_ID }).map((m) => m.id)).toEqual([before.id, after.id]);
  });

  it('only supergroups become forums, and only by those who may change the chat', async () => {
    const t = setup();
    t.room.init(groupSpec(OWNER, [OWNER, ALICE]));
    expect(() => t.room.toggleForum(OWNER, true)).toThrow(code('CHAT_NOT_FORUM'));
    const s = setup();
    s.room.init(supergroupSpec(OWNER, [OWNER, ALICE]));
    const unchanged = dump(s.store);
    expect(() => s.room.toggleForum(ALICE, true)).toThrow(code('FORBIDDEN'));
    expect(dump(s.store)).toEqual(unchanged);
    const c = setup();
    c.room.init({ ...supergroupSpec(OWNER, [OWNER, ALICE]), kind: 'channel' });
    expect(() => c.room.toggleForum(OWNER, true)).toThrow(code('CHAT_NOT_FORUM'));
  });

  it('a topic is created, announced once to everyone and to bots as forum_topic_created, and holds its messages', async () => {
    const t = await forum();
    const topic = t.room.createForumTopic(ADMIN, 'Releases', 0xffd67e);
    expect(topic).toMatchObject({ id: 2, name: 'Releases', icon_color: 0xffd67e, creator_id: ADMIN, is_closed: false });
    expect(logged(t)).toEqual([{ type: 'forum_topic', chat_id: 42, topic }]);
    await t.settle();
    const botEvents = t.world.eventsSentTo(BOT).map((e) => e.update);
    expect(botEvents).toContainEqual({
      type: 'service',
      chat_id: 42,
      actor_id: ADMIN,
      action: { kind: 'forum_topic_created', topic_id: 2, name: 'Releases', icon_color: 0xffd67e },
    });

    const inTopic = send(t, ALICE, 'v1 is out', { message_thread_id: topic.id });
    expect(inTopic).toMatchObject({ message_thread_id: topic.id, is_topic_message: true });
    send(t, BOB, 'hello general');
    expect(text(t, OWNER, topic.id)).toEqual(['v1 is out']);
    expect(text(t, OWNER, GENERAL_TOPIC_ID)).toEqual(['hello general']);
    // The whole chat still reads as one history.
    expect(t.room.getHistory(OWNER, { direction: 'before', limit: 10 }).map((m) => m.text)).toEqual(['v1 is out', 'hello general']);
  });

  it('a reply joins the topic of the message it answers, and keeps reply threads working inside it', async () => {
    const t = await forum();
    const topic = t.room.createForumTopic(OWNER, 'Food');
    const root = send(t, ALICE, 'Where shall we eat?', { message_thread_id: topic.id });
    const reply = send(t, BOB, 'Pizza', { reply_to_message_id: root.id });
    expect(reply).toMatchObject({ message_thread_id: topic.id, thread_id: root.id });
    expect(text(t, OWNER, topic.id)).toEqual(['Where shall we eat?', 'Pizza']);
    expect(t.room.getHistory(OWNER, { direction: 'before', limit: 10, thread_id: root.id }).map((m) => m.text)).toEqual(['Pizza']);
    expect(() => send(t, BOB, 'elsewhere', { reply_to_message_id: root.id, message_thread_id: GENERAL_TOPIC_ID })).toThrow(code('BAD_REQUEST'));
  });

  it('refuses unknown topics and sends to closed ones without writing anything; managers still post there', async () => {
    const t = await forum();
    const topic = t.room.createForumTopic(ADMIN, 'Announcements');
    expect(t.room.setForumTopicClosed(ADMIN, topic.id, true).is_closed).toBe(true);
    await t.settle();
    t.tick(1_000);
    const unchanged = dump(t.store);
    expect(() => t.room.sendMessage(ALICE, { random_id: rid(), text: 'hi', message_thread_id: 77 })).toThrow(code('TOPIC_NOT_FOUND'));
    expect(() => t.room.sendMessage(ALICE, { random_id: rid(), text: 'hi', message_thread_id: topic.id })).toThrow(code('TOPIC_CLOSED'));
    expect(dump(t.store)).toEqual(unchanged);
    expect(send(t, ADMIN, 'read the rules', { message_thread_id: topic.id }).message_thread_id).toBe(topic.id);
    // A reply into the closed topic is refused too: it would join it.
    const rules = t.room.getHistory(ALICE, { direction: 'before', limit: 1, message_thread_id: topic.id })[0]!;
    expect(() => send(t, ALICE, 'ok', { reply_to_message_id: rules.id })).toThrow(code('TOPIC_CLOSED'));
    t.room.setForumTopicClosed(OWNER, topic.id, false);
    expect(send(t, ALICE, 'thanks', { message_thread_id: topic.id }).message_thread_id).toBe(topic.id);
  });

  it('creating topics needs can_manage_topics: an admin without it or a member is refused, unless the chat lets members', async () => {
    const t = await forum();
    const unchanged = dump(t.store);
    expect(() => t.room.createForumTopic(ALICE, 'Mine')).toThrow(code('FORBIDDEN'));
    t.room.editAdmin(OWNER, BOB, { ...noRights, can_pin_messages: true });
    const withBob = dump(t.store);
    expect(() => t.room.createForumTopic(BOB, 'Mine')).toThrow(code('FORBIDDEN'));
    expect(dump(t.store)).toEqual(withBob);
    expect(unchanged).not.toEqual(withBob);
    t.room.setPermissions(OWNER, { ...DEFAULT_CHAT_PERMISSIONS, can_manage_topics: true });
    expect(t.room.createForumTopic(ALICE, 'Mine').creator_id).toBe(ALICE);
  });

  it('a topic is renamed by its creator or a manager, not by others; General is renamed, closed and hidden by managers', async () => {
    const t = await forum();
    t.room.setPermissions(OWNER, { ...DEFAULT_CHAT_PERMISSIONS, can_manage_topics: true });
    const topic = t.room.createForumTopic(ALICE, 'Mine');
    t.room.setPermissions(OWNER, DEFAULT_CHAT_PERMISSIONS);
    expect(t.room.editForumTopic(ALICE, topic.id, { name: 'Ours' }).name).toBe('Ours');
    expect(() => t.room.editForumTopic(BOB, topic.id, { name: 'Theirs' })).toThrow(code('FORBIDDEN'));
    expect(() => t.room.setForumTopicClosed(BOB, topic.id, true)).toThrow(code('FORBIDDEN'));
    expect(t.room.setForumTopicClosed(ALICE, topic.id, true).is_closed).toBe(true);
    expect(t.room.editForumTopic(ADMIN, GENERAL_TOPIC_ID, { name: 'Lobby', hidden: true })).toMatchObject({ name: 'Lobby', is_hidden: true });
    expect(() => t.room.editForumTopic(ALICE, GENERAL_TOPIC_ID, { hidden: false })).toThrow(code('FORBIDDEN'));
    expect(() => t.room.editForumTopic(ADMIN, topic.id, { hidden: true })).toThrow(code('BAD_REQUEST'));
    expect(t.room.setForumTopicClosed(ADMIN, GENERAL_TOPIC_ID, true).is_closed).toBe(true);
    expect(() => send(t, BOB, 'hi')).toThrow(code('TOPIC_CLOSED'));
    expect(() => t.room.deleteForumTopic(OWNER, GENERAL_TOPIC_ID)).toThrow(code('BAD_REQUEST'));
  });

  it('deleting a topic deletes its messages (and their pins) and tells everyone in one update', async () => {
    const t = await forum();
    const topic = t.room.createForumTopic(ADMIN, 'Temp');
    const a = send(t, ALICE, 'one', { message_thread_id: topic.id });
    send(t, BOB, 'two', { message_thread_id: topic.id });
    const kept = send(t, BOB, 'general');
    t.room.pin(OWNER, a.id);
    expect(() => t.room.deleteForumTopic(ALICE, topic.id)).toThrow(code('FORBIDDEN'));
    t.world.broadcasts.length = 0;
    t.room.deleteForumTopic(ADMIN, topic.id);
    expect(logged(t).filter((u) => u.type === 'forum_topic')).toEqual([expect.objectContaining({ type: 'forum_topic', deleted: true })]);
    expect(t.room.getHistory(OWNER, { direction: 'before', limit: 10 }).map((m) => m.id)).toEqual([kept.id]);
    expect(t.room.getChat(OWNER).chat.pinned_message_ids ?? []).toEqual([]);
    expect(t.room.getForumTopics(OWNER, { limit: 10 }).map((x) => x.id)).toEqual([GENERAL_TOPIC_ID]);
    expect(() => send(t, ALICE, 'late', { message_thread_id: topic.id })).toThrow(code('TOPIC_NOT_FOUND'));
    expect(() => t.room.getHistory(OWNER, { direction: 'before', limit: 10, message_thread_id: topic.id })).toThrow(code('TOPIC_NOT_FOUND'));
    // A new topic never takes a deleted one's id.
    expect(t.room.createForumTopic(ADMIN, 'Next').id).toBe(topic.id + 1);
    // Recent actions tell the managers what happened to the topics.
    expect(t.room.getAdminLog(OWNER, { actions: ['forum_toggled', 'topic_created', 'topic_deleted'] }).map((e) => [e.action, e.details])).toEqual([
      ['topic_created', { topic_id: topic.id + 1, title: 'Next' }],
      ['topic_deleted', { topic_id: topic.id, title: 'Temp' }],
      ['topic_created', { topic_id: topic.id, title: 'Temp' }],
      ['forum_toggled', { enabled: true }],
    ]);
  });

  it('lists topics by activity with each reader’s unread count; reading a topic moves only that topic', async () => {
    const t = await forum();
    const quiet = t.room.createForumTopic(ADMIN, 'Quiet');
    const busy = t.room.createForumTopic(ADMIN, 'Busy');
    send(t, ALICE, 'q1', { message_thread_id: quiet.id });
    const b1 = send(t, ALICE, 'b1', { message_thread_id: busy.id });
    const b2 = send(t, ALICE, 'b2', { message_thread_id: busy.id });
    send(t, BOB, 'g1');
    const byId = (userId: number) => Object.fromEntries(t.room.getForumTopics(userId, { limit: 10 }).map((x) => [x.id, x]));

    expect(t.room.getForumTopics(BOB, { limit: 10 }).map((x) => x.id)).toEqual([GENERAL_TOPIC_ID, busy.id, quiet.id]);
    expect(byId(BOB)[busy.id]).toMatchObject({ unread_count: 2, top_message_id: b2.id });
    expect(byId(BOB)[GENERAL_TOPIC_ID]!.unread_count).toBe(0); // one's own messages are never unread
    expect(byId(ALICE)[GENERAL_TOPIC_ID]!.unread_count).toBe(1);

    const reads = () => t.store.exec('SELECT * FROM topic_reads');
    expect(reads()).toEqual([]); // nothing per member until a member reads
    expect(t.room.readTopicHistory(BOB, busy.id, b1.id)).toEqual({ still_unread_count: 1 });
    expect(reads()).toEqual([{ user_id: BOB, topic_id: busy.id, max_id: b1.id }]);
    // Bob's dialog counts the chat as a whole: q1, b1, b2 were unread, b1 is read in its topic.
    await t.settle();
    expect(t.world.eventsSentTo(BOB).map((e) => e.update).filter((u) => u.type === 'read_history_inbox').at(-1)).toEqual({
      type: 'read_history_inbox',
      chat_id: 42,
      max_id: 0,
      still_unread_count: 2,
    });
    expect(byId(BOB)[busy.id]).toMatchObject({ unread_count: 1, read_inbox_max_id: b1.id });
    expect(byId(BOB)[quiet.id]!.unread_count).toBe(1);
    expect(byId(OWNER)[busy.id]!.unread_count).toBe(2);
    // Never back; and reading the whole chat reads every topic.
    t.room.readTopicHistory(BOB, busy.id, 0);
    expect(byId(BOB)[busy.id]!.unread_count).toBe(1);
    t.room.readHistory(BOB, b2.id + 10);
    expect(Object.values(byId(BOB)).map((x) => x.unread_count)).toEqual([0, 0, 0]);

    // Paging continues after the last entry.
    const first = t.room.getForumTopics(OWNER, { limit: 2 });
    const last = first.at(-1)!;
    expect(t.room.getForumTopics(OWNER, { limit: 2, offset_message_id: lastActivity(t, last.id), offset_topic_id: last.id }).map((x) => x.id)).toEqual([quiet.id]);
  });

  it('a message costs the same rows in a forum whatever the member count: nothing per member', async () => {
    const rowsPerSend = async (extra: number) => {
      const t = await forum();
      if (extra > 0) t.room.seedMembers(Array.from({ length: extra }, (_, i) => 1_000 + i), []);
      const topic = t.room.createForumTopic(ADMIN, 'Load');
      send(t, ALICE, 'warm up', { message_thread_id: topic.id });
      await t.settle();
      const before = t.store.exec<{ n: number }>('SELECT total_changes() AS n')[0]!.n;
      send(t, ALICE, 'measured', { message_thread_id: topic.id });
      return t.store.exec<{ n: number }>('SELECT total_changes() AS n')[0]!.n - before;
    };
    expect(await rowsPerSend(2_000)).toBe(await rowsPerSend(0));
  });

  it('non-members learn nothing about topics; a chat that is not a forum has none', async () => {
    const t = await forum();
    const OUTSIDER = 50;
    expect(() => t.room.getForumTopics(OUTSIDER, { limit: 10 })).toThrow(code('NOT_FOUND'));
    expect(() => t.room.createForumTopic(OUTSIDER, 'x')).toThrow(code('NOT_FOUND'));
    t.room.toggleForum(OWNER, false);
    expect(() => t.room.getForumTopics(ALICE, { limit: 10 })).toThrow(code('CHAT_NOT_FORUM'));
    expect(() => send(t, ALICE, 'x', { message_thread_id: GENERAL_TOPIC_ID })).toThrow(code('CHAT_NOT_FORUM'));
    // Sent while topics are off: General's when they come back.
    const off = send(t, ALICE, 'while off');
    t.room.toggleForum(OWNER, true);
    expect(text(t, OWNER, GENERAL_TOPIC_ID)).toContain('while off');
    expect(off.message_thread_id).toBe(GENERAL_TOPIC_ID);
  });
});

const noRights = {
  can_change_info: false,
  can_post_messages: false,
  can_edit_messages: false,
  can_delete_messages: false,
  can_restrict_members: false,
  can_invite_users: false,
  can_pin_messages: false,
  can_manage_topics: false,
  can_manage_video_chats: false,
  can_promote_members: false,
  is_anonymous: false,
};

function lastActivity(t: T, topicId: number): number {
  return t.store.exec<{ last_message_id: number }>('SELECT last_message_id FROM topics WHERE id = ?', topicId)[0]!.last_message_id;
}
