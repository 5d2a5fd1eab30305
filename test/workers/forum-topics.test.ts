/**
 * Forum topics over the real Worker, ChatRoom and mailboxes in workerd: a
 * supergroup's creator turns topics on, topics are created, renamed,
 * closed, reopened and deleted by those allowed, sends land in their topic
 * and are read per topic with a per-reader unread count, and each refusal
 * (closed topic, no right, unknown topic, a chat that cannot be a forum)
 * is a documented error that changes nothing.
 */
import { describe, expect, test } from 'vitest';
import { GENERAL_TOPIC_ID } from '../../protocol/topics.js';
import type { UpdateEnvelope } from '../../protocol/updates.js';
import { call, callError, delivered } from './bot-api-helpers.js';
import { connect, signup, type Account, type TestSocket } from './helpers.js';

const rid = () => crypto.randomUUID().replace(/-/g, '');

async function frameWhere(socket: TestSocket, match: (frame: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  for (let i = 0; i < 50; i++) {
    const frame = await socket.next(5_000);
    if (match(frame)) return frame;
  }
  throw new Error('no matching frame');
}

/** A forum: owner, an admin (default rights, so can_manage_topics), two members. */
async function forum() {
  const [owner, admin, alice, bob] = [await signup(), await signup(), await signup(), await signup()];
  const { chat } = await call(owner, 'createSupergroup', { title: 'Forum', user_ids: [admin.user.id, alice.user.id, bob.user.id] });
  await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: admin.user.id, is_admin: true });
  const { chat: made } = await call(owner, 'toggleForum', { chat_id: chat.id, enabled: true });
  expect(made.is_forum).toBe(true);
  await delivered(chat.id);
  return { chatId: chat.id, owner, admin, alice, bob };
}

const texts = async (who: Account, chatId: number, topic: number) =>
  (await call(who, 'getHistory', { chat_id: chatId, message_thread_id: topic })).messages.map((m) => m.text);

/** What a refusal must leave alone: the topics, the history and the chat's pts. */
async function state(who: Account, chatId: number) {
  const [{ topics }, { messages }, { chat }] = await Promise.all([
    call(who, 'getForumTopics', { chat_id: chatId }),
    call(who, 'getHistory', { chat_id: chatId }),
    call(who, 'getChat', { chat_id: chatId }),
  ]);
  return { topics, messages, pts: chat.pts };
}

describe('forum topics', () => {
  test('a topic is created, posted in, read per topic with its own unread count, and announced to online members', async () => {
    const { chatId, admin, alice, bob } = await forum();
    const socket = await connect(bob.token);
    socket.send({ t: 'call', id: 'dialogs', method: 'getDialogs', params: {} });
    await frameWhere(socket, (f) => f.t === 'result' && f.id === 'dialogs');

    const { topic } = await call(admin, 'createForumTopic', { chat_id: chatId, name: 'Releases', icon_color: 0x8eee98 });
    expect(topic).toMatchObject({ id: 2, name: 'Releases', icon_color: 0x8eee98, creator_id: admin.user.id, is_closed: false });
    const pushed = await frameWhere(socket, (f) => f.t === 'channel_updates');
    expect((pushed.updates as UpdateEnvelope[]).map((e) => e.update)).toContainEqual({ type: 'forum_topic', chat_id: chatId, topic });

    const { message: inTopic } = await call(alice, 'sendMessage', { peer: { chat_id: chatId }, random_id: rid(), text: 'v1 is out', message_thread_id: topic.id });
    expect(inTopic).toMatchObject({ message_thread_id: topic.id, is_topic_message: true });
    const { message: general } = await call(alice, 'sendMessage', { peer: { chat_id: chatId }, random_id: rid(), text: 'hello' });
    expect(general.message_thread_id).toBe(GENERAL_TOPIC_ID);
    const { message: reply } = await call(bob, 'sendMessage', { peer: { chat_id: chatId }, random_id: rid(), text: 'congrats', reply_to_message_id: inTopic.id });
    expect(reply.message_thread_id).toBe(topic.id);
    expect(await texts(bob, chatId, topic.id)).toEqual(['v1 is out', 'congrats']);
    expect(await texts(bob, chatId, GENERAL_TOPIC_ID)).toEqual(['hello']);

    const unread = async (who: Account) =>
      Object.fromEntries((await call(who, 'getForumTopics', { chat_id: chatId })).topics.map((t) => [t.id, t.unread_count]));
    expect(await unread(admin)).toEqual({ [topic.id]: 2, [GENERAL_TOPIC_ID]: 1 });
    expect(await call(admin, 'readHistory', { chat_id: chatId, max_id: reply.id, message_thread_id: topic.id })).toEqual({ still_unread_count: 0 });
    expect(await unread(admin)).toEqual({ [topic.id]: 0, [GENERAL_TOPIC_ID]: 1 });
    expect(await unread(bob)).toEqual({ [topic.id]: 1, [GENERAL_TOPIC_ID]: 1 });
    socket.ws.close();
  });

  test('renaming, closing, reopening and deleting: each by those allowed, with the documented refusals', async () => {
    const { chatId, owner, admin, alice, bob } = await forum();
    const { topic } = await call(admin, 'createForumTopic', { chat_id: chatId, name: 'Plans' });
    await call(alice, 'sendMessage', { peer: { chat_id: chatId }, random_id: rid(), text: 'plan A', message_thread_id: topic.id });

    const before = await state(owner, chatId);
    expect(await callError(alice, 'createForumTopic', { chat_id: chatId, name: 'Mine' })).toBe('FORBIDDEN');
    expect(await callError(alice, 'editForumTopic', { chat_id: chatId, message_thread_id: topic.id, name: 'Hijack' })).toBe('FORBIDDEN');
    expect(await callError(alice, 'closeForumTopic', { chat_id: chatId, message_thread_id: topic.id })).toBe('FORBIDDEN');
    expect(await callError(alice, 'deleteForumTopic', { chat_id: chatId, message_thread_id: topic.id })).toBe('FORBIDDEN');
    expect(await callError(alice, 'sendMessage', { peer: { chat_id: chatId }, random_id: rid(), text: 'x', message_thread_id: 999 })).toBe('TOPIC_NOT_FOUND');
    expect(await callError(admin, 'deleteForumTopic', { chat_id: chatId, message_thread_id: GENERAL_TOPIC_ID })).toBe('BAD_REQUEST');
    expect(await callError(admin, 'createForumTopic', { chat_id: chatId, name: '   ' })).toBe('BAD_REQUEST');
    expect(await state(owner, chatId)).toEqual(before);

    expect((await call(admin, 'editForumTopic', { chat_id: chatId, message_thread_id: topic.id, name: 'Roadmap' })).topic.name).toBe('Roadmap');
    expect((await call(admin, 'closeForumTopic', { chat_id: chatId, message_thread_id: topic.id })).topic.is_closed).toBe(true);
    const closed = await state(owner, chatId);
    expect(await callError(bob, 'sendMessage', { peer: { chat_id: chatId }, random_id: rid(), text: 'late', message_thread_id: topic.id })).toBe('TOPIC_CLOSED');
    expect(await state(owner, chatId)).toEqual(closed);
    // Those who may manage topics still post in a closed one.
    await call(admin, 'sendMessage', { peer: { chat_id: chatId }, random_id: rid(), text: 'closed for now', message_thread_id: topic.id });
    await call(owner, 'reopenForumTopic', { chat_id: chatId, message_thread_id: topic.id });
    await call(bob, 'sendMessage', { peer: { chat_id: chatId }, random_id: rid(), text: 'open again', message_thread_id: topic.id });
    expect(await texts(owner, chatId, topic.id)).toEqual(['plan A', 'closed for now', 'open again']);

    // General: renamed, hidden and closed by managers, never deleted.
    const { topic: lobby } = await call(admin, 'editForumTopic', { chat_id: chatId, message_thread_id: GENERAL_TOPIC_ID, name: 'Lobby', hidden: true });
    expect(lobby).toMatchObject({ id: GENERAL_TOPIC_ID, name: 'Lobby', is_hidden: true });

    await call(owner, 'deleteForumTopic', { chat_id: chatId, message_thread_id: topic.id });
    expect((await call(owner, 'getHistory', { chat_id: chatId })).messages).toEqual([]);
    expect((await call(bob, 'getForumTopics', { chat_id: chatId })).topics.map((t) => t.id)).toEqual([GENERAL_TOPIC_ID]);
    expect(await callError(bob, 'getHistory', { chat_id: chatId, message_thread_id: topic.id })).toBe('TOPIC_NOT_FOUND');
  });

  test('members create topics when the chat lets them; outsiders learn nothing', async () => {
    const { chatId, owner, alice } = await forum();
    const outsider = await signup();
    expect(await callError(outsider, 'getForumTopics', { chat_id: chatId })).toBe('NOT_FOUND');
    expect(await callError(outsider, 'createForumTopic', { chat_id: chatId, name: 'In' })).toBe('NOT_FOUND');
    const { chat } = await call(owner, 'getChat', { chat_id: chatId });
    await call(owner, 'setChatPermissions', { chat_id: chatId, permissions: { ...chat.permissions!, can_manage_topics: true } });
    expect((await call(alice, 'createForumTopic', { chat_id: chatId, name: 'Alice’s' })).topic.creator_id).toBe(alice.user.id);
  });

  test('only a supergroup becomes a forum, by its creator or an admin who may change it; other chats have no topics', async () => {
    const [owner, alice] = [await signup(), await signup()];
    const { chat: group } = await call(owner, 'createGroup', { title: 'Basic', user_ids: [alice.user.id] });
    const { chat: channel } = await call(owner, 'createChannel', { title: 'News', user_ids: [alice.user.id] });
    const { chat: big } = await call(owner, 'createSupergroup', { title: 'Big', user_ids: [alice.user.id] });
    expect(await callError(owner, 'toggleForum', { chat_id: group.id, enabled: true })).toBe('CHAT_NOT_FORUM');
    expect(await callError(owner, 'toggleForum', { chat_id: channel.id, enabled: true })).toBe('CHAT_NOT_FORUM');
    expect(await callError(alice, 'toggleForum', { chat_id: big.id, enabled: true })).toBe('FORBIDDEN');
    expect((await call(owner, 'getChat', { chat_id: big.id })).chat.is_forum).toBeUndefined();
    expect(await callError(owner, 'createForumTopic', { chat_id: big.id, name: 'Early' })).toBe('CHAT_NOT_FORUM');
    expect(await callError(alice, 'sendMessage', { peer: { chat_id: group.id }, random_id: rid(), text: 'x', message_thread_id: 1 })).toBe('CHAT_NOT_FORUM');
    expect(await callError(alice, 'sendMessage', { peer: { user_id: owner.user.id }, random_id: rid(), text: 'x', message_thread_id: 1 })).toBe('CHAT_NOT_FORUM');
    // Turned off: no topics, and back on they return.
    await call(owner, 'toggleForum', { chat_id: big.id, enabled: true });
    const { topic } = await call(owner, 'createForumTopic', { chat_id: big.id, name: 'Kept' });
    await call(owner, 'toggleForum', { chat_id: big.id, enabled: false });
    expect(await callError(alice, 'getForumTopics', { chat_id: big.id })).toBe('CHAT_NOT_FORUM');
    await call(owner, 'toggleForum', { chat_id: big.id, enabled: true });
    expect((await call(alice, 'getForumTopics', { chat_id: big.id })).topics.map((t) => t.id)).toContain(topic.id);
  });
});
