import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import type { Chat } from '../../protocol/messages.js';
import { GENERAL_TOPIC_ID, TOPIC_ICON_COLORS, TopicIconColor, TopicName, type ForumTopic } from '../../protocol/topics.js';
import type { ServiceAction } from '../../protocol/updates.js';
import { one, type SqlStore } from '../sql/store.js';
import type { RoomContext } from './context.js';
import { announceChatChange, requireAble } from './membership.js';
import { may } from './rights.js';
import { tellBots } from './service.js';
import { noteAdminAction } from './admin-log.js';
import { chatRow, chatSnapshot, mediaOf, requireMember, type ChatRow, type MemberRow } from './state.js';
import { fileRefChanges } from './media.js';
import { unpinDeleted, unpinSome } from './moderation.js';
import { logChatChange } from './large.js';
import { commit, type Emit } from './writer.js';

/**
 * Forum topics (protocol/topics.ts): turning them on, managing them, and
 * the topic a send goes to; reading them is ./topic-reads.ts. A topic is
 * a row of `topics` and a range of the partial index messages(topic_id,
 * id): a send writes its message's topic_id and bumps its topic's
 * last_message_id, nothing per member. Messages sent before the chat first
 * became a forum keep topic_id NULL and are General's (ids below
 * chat.forum_since), so turning topics on rewrites no message.
 */

export type TopicRow = {
  id: number;
  name: string;
  icon_color: number;
  creator_id: number | null;
  created_at: number;
  closed: number;
  hidden: number;
  last_message_id: number;
};

export function isForum(chat: ChatRow): boolean {
  return Boolean(chat.is_forum);
}

/** The first message id sent once the chat had topics; null if it never had. */
export function forumSince(chat: ChatRow): number | null {
  return chat.forum_since ?? null;
}

export function toForumTopic(row: TopicRow): ForumTopic {
  return {
    id: row.id,
    name: row.name,
    icon_color: row.icon_color,
    creator_id: row.creator_id,
    created_at: row.created_at,
    is_closed: Boolean(row.closed),
    is_hidden: Boolean(row.hidden),
  };
}

export function topicRow(store: SqlStore, id: number): TopicRow | undefined {
  return one<TopicRow>(store, 'SELECT * FROM topics WHERE id = ?', id);
}

export const notForum = () => new EdgegramError(ErrorCode.CHAT_NOT_FORUM, 'This chat has no topics: it is not a forum');
const noTopic = () => new EdgegramError(ErrorCode.TOPIC_NOT_FOUND, 'This forum has no such topic');
const topicClosed = () => new EdgegramError(ErrorCode.TOPIC_CLOSED, 'This topic is closed');

/** A member of a forum; a non-member gets NOT_FOUND (as for any chat it cannot see) before it learns anything about topics. */
export function requireForum(ctx: RoomContext, userId: number): { chat: ChatRow; member: MemberRow } {
  const found = requireMember(ctx.store, userId);
  if (!isForum(found.chat)) throw notForum();
  return found;
}

/** A member of a forum and one of its topics (NOT_FOUND, CHAT_NOT_FORUM, TOPIC_NOT_FOUND in that order). */
function requireForumTopic(ctx: RoomContext, userId: number, topicId: number): { chat: ChatRow; member: MemberRow; topic: TopicRow } {
  const found = requireForum(ctx, userId);
  return { ...found, topic: requireTopic(ctx.store, topicId) };
}

export function requireTopic(store: SqlStore, id: number): TopicRow {
  const row = topicRow(store, id);
  if (!row) throw noTopic();
  return row;
}

function mayManageTopics(ctx: RoomContext, chat: ChatRow, member: MemberRow): boolean {
  return may(ctx.store, chat, member, 'can_manage_topics', ctx.now());
}

// ---- sending into a topic ----

/**
 * The topic a new message goes to, checked before anything is written: a
 * reply joins the topic of the message it answers; otherwise the one asked
 * for, or General. Unknown topics are refused (TOPIC_NOT_FOUND), closed ones
 * too unless the sender may manage topics (TOPIC_CLOSED). A chat that once
 * was a forum keeps filing its messages under General while topics are off,
 * so they are General's when topics come back. Null: not a forum, ever.
 */
export function topicForSend(
  ctx: RoomContext,
  { chat, member }: { chat: ChatRow; member: MemberRow },
  asked: number | undefined,
  replyToId: number | undefined,
): number | null {
  const forum = isForum(chat);
  if (asked !== undefined && !forum) throw notForum();
  if (forumSince(chat) === null) return null;
  let topicId = asked ?? GENERAL_TOPIC_ID;
  if (replyToId !== undefined) {
    const replied = one<{ topic_id: number | null }>(ctx.store, 'SELECT topic_id FROM messages WHERE id = ?', replyToId);
    // A message from before the forum is General's; a missing one is refused by the send itself.
    const repliedTopic = replied ? (replied.topic_id ?? GENERAL_TOPIC_ID) : topicId;
    if (asked !== undefined && asked !== repliedTopic) throw fail.badRequest('The replied message is in another topic');
    topicId = repliedTopic;
  }
  if (!forum) return topicId;
  const topic = requireTopic(ctx.store, topicId);
  if (topic.closed && !mayManageTopics(ctx, chat, member)) throw topicClosed();
  return topicId;
}

/** Inside the send's transaction: the topic's activity, which orders the topic list. */
export function noteTopicMessage(store: SqlStore, topicId: number | null, messageId: number): void {
  if (topicId !== null) store.exec('UPDATE topics SET last_message_id = ? WHERE id = ?', messageId, topicId);
}

// ---- managing topics ----

/** Turns topics on or off: a supergroup's creator or admins with can_change_info. Topics and their messages stay either way. */
export function toggleForum(ctx: RoomContext, actorId: number, enabled: boolean): Chat {
  const { store } = ctx;
  const { chat } = requireAble(ctx, actorId, 'can_change_info');
  if (chat.kind !== 'supergroup') throw new EdgegramError(ErrorCode.CHAT_NOT_FORUM, 'Only supergroups can have topics');
  if (isForum(chat) === enabled) return chatSnapshot(store, actorId, chat);
  return commit(ctx, (emit) => {
    // The first time: older messages are General's from here on (their topic_id stays NULL).
    store.exec('UPDATE chat SET is_forum = ?, forum_since = COALESCE(forum_since, ?)', enabled ? 1 : 0, chat.next_message_id);
    noteAdminAction(ctx, actorId, 'forum_toggled', { enabled });
    store.exec(
      `INSERT OR IGNORE INTO topics (id, name, icon_color, creator_id, created_at, last_message_id) VALUES (?, 'General', ?, ?, ?, ?)`,
      GENERAL_TOPIC_ID,
      TOPIC_ICON_COLORS[0],
      chat.creator_id,
      ctx.now(),
      chat.next_message_id - 1,
    );
    return announceChatChange(ctx, emit, actorId);
  });
}

/** A new topic: those who may manage topics (admins with the right, members where the chat's permissions allow). */
export function createForumTopic(ctx: RoomContext, actorId: number, name: string, iconColor?: number): ForumTopic {
  const { store } = ctx;
  const { chat, member } = requireForum(ctx, actorId);
  if (!mayManageTopics(ctx, chat, member)) throw fail.forbidden('Not enough rights to create a topic');
  const title = checkedName(name);
  if (iconColor !== undefined && !TopicIconColor.safeParse(iconColor).success) throw fail.badRequest('icon_color must be one of the forum colours');
  return commit(ctx, (emit) => {
    const [row] = store.exec<TopicRow>(
      'INSERT INTO topics (name, icon_color, creator_id, created_at) VALUES (?, ?, ?, ?) RETURNING *',
      title,
      iconColor ?? TOPIC_ICON_COLORS[0],
      actorId,
      ctx.now(),
    );
    const topic = toForumTopic(row!);
    noteAdminAction(ctx, actorId, 'topic_created', { topic_id: topic.id, title: topic.name });
    announceTopic(ctx, emit, chat, actorId, topic, { kind: 'forum_topic_created', topic_id: topic.id, name: topic.name, icon_color: topic.icon_color });
    return topic;
  });
}

/**
 * Renames a topic (its creator, or those who may manage topics), and hides
 * or shows General (managers only: it is the forum's, not a person's).
 */
export function editForumTopic(ctx: RoomContext, actorId: number, topicId: number, edit: { name?: string; hidden?: boolean }): ForumTopic {
  const { store } = ctx;
  const { chat, member } = requireForum(ctx, actorId);
  const row = requireTopic(store, topicId);
  const manager = mayManageTopics(ctx, chat, member);
  if (!manager && (row.creator_id !== actorId || edit.hidden !== undefined)) throw fail.forbidden('Not enough rights to edit the topic');
  if (edit.hidden !== undefined && topicId !== GENERAL_TOPIC_ID) throw fail.badRequest('Only the General topic can be hidden');
  const name = edit.name === undefined ? row.name : checkedName(edit.name);
  const hidden = edit.hidden === undefined ? Boolean(row.hidden) : edit.hidden;
  if (name === row.name && hidden === Boolean(row.hidden)) return toForumTopic(row);
  return commit(ctx, (emit) => {
    store.exec('UPDATE topics SET name = ?, hidden = ? WHERE id = ?', name, hidden ? 1 : 0, topicId);
    const topic = toForumTopic({ ...row, name, hidden: hidden ? 1 : 0 });
    noteAdminAction(ctx, actorId, 'topic_edited', {
      topic_id: topicId,
      ...(name !== row.name ? { title: name } : {}),
      ...(hidden !== Boolean(row.hidden) ? { hidden } : {}),
    });
    announceTopic(ctx, emit, chat, actorId, topic, {
      kind: 'forum_topic_edited',
      topic_id: topicId,
      ...(name !== row.name ? { name } : {}),
      ...(hidden !== Boolean(row.hidden) ? { hidden } : {}),
    });
    return topic;
  });
}

/** Closes or reopens a topic: its creator, or those who may manage topics. */
export function setForumTopicClosed(ctx: RoomContext, actorId: number, topicId: number, closed: boolean): ForumTopic {
  const { store } = ctx;
  const { chat, member } = requireForum(ctx, actorId);
  const row = requireTopic(store, topicId);
  if (row.creator_id !== actorId && !mayManageTopics(ctx, chat, member)) throw fail.forbidden('Not enough rights to close or reopen the topic');
  if (Boolean(row.closed) === closed) return toForumTopic(row);
  return commit(ctx, (emit) => {
    store.exec('UPDATE topics SET closed = ? WHERE id = ?', closed ? 1 : 0, topicId);
    const topic = toForumTopic({ ...row, closed: closed ? 1 : 0 });
    noteAdminAction(ctx, actorId, closed ? 'topic_closed' : 'topic_reopened', { topic_id: topicId });
    announceTopic(ctx, emit, chat, actorId, topic, { kind: closed ? 'forum_topic_closed' : 'forum_topic_reopened', topic_id: topicId });
    return topic;
  });
}

/**
 * Deletes a topic and its messages (admins with can_delete_messages, as in
 * Telegram; never General). One statement wipes the topic's range of the
 * index; everyone hears of it as one `forum_topic` update with `deleted`
 * rather than a delete_messages listing every id.
 */
export function deleteForumTopic(ctx: RoomContext, actorId: number, topicId: number): void {
  const { store } = ctx;
  const { chat, member } = requireForum(ctx, actorId);
  const row = requireTopic(store, topicId);
  if (topicId === GENERAL_TOPIC_ID) throw fail.badRequest('The General topic cannot be deleted');
  if (!may(store, chat, member, 'can_delete_messages', ctx.now())) throw fail.forbidden('Not enough rights to delete the topic');
  commit(ctx, (emit) => {
    const gone = store.exec<{ id: number; media: string | null }>(
      `UPDATE messages SET deleted = 1, text = '', entities = '[]', fwd_from = NULL, media = NULL, reply_markup = NULL
       WHERE topic_id = ? AND deleted = 0 RETURNING id, media`,
      topicId,
    );
    releaseDeleted(ctx, emit, chat, gone);
    store.exec('DELETE FROM topic_reads WHERE topic_id = ?', topicId);
    store.exec('DELETE FROM topics WHERE id = ?', topicId);
    noteAdminAction(ctx, actorId, 'topic_deleted', { topic_id: topicId, title: row.name });
    emit.log({ type: 'forum_topic', chat_id: chat.id, topic: toForumTopic(row), deleted: true });
  });
}

/**
 * What deleting messages releases besides their rows, as deleteMessages
 * does: a ref per file (the last one gone frees the storage), the readers'
 * hidings, and their pins (everyone's chat then says so).
 */
function releaseDeleted(ctx: RoomContext, emit: Emit, chat: ChatRow, gone: { id: number; media: string | null }[]): void {
  if (gone.length === 0) return;
  const { store } = ctx;
  emit.index(gone.flatMap((r) => fileRefChanges('unref', chat.id, r.id, mediaOf(r, chat.id))));
  const ids = JSON.stringify(gone.map((r) => r.id));
  store.exec('DELETE FROM hidden_messages WHERE message_id IN (SELECT value FROM json_each(?))', ids);
  if (chat.pinned_message_id != null && unpinDeleted(ctx, gone.map((r) => r.id))) logChatChange(ctx, emit, chatRow(store)!);
}

/** Everyone's copy of the topic (logged once: forums are supergroups), and the bots' service message. */
function announceTopic(ctx: RoomContext, emit: Emit, chat: ChatRow, actorId: number, topic: ForumTopic, action: ServiceAction): void {
  emit.log({ type: 'forum_topic', chat_id: chat.id, topic });
  tellBots(ctx.store, emit, actorId, action);
}

function checkedName(name: string): string {
  const parsed = TopicName.safeParse(name);
  if (!parsed.success) throw fail.badRequest('A topic name is 1-128 visible characters, without control or bidi-override characters');
  return parsed.data;
}

/**
 * Unpins the messages of one forum topic (the Bot API's
 * unpinAllForumTopicMessages): pins are few, so each is looked up by its
 * message rather than walking the topic. General holds the messages from
 * before the forum too (topic_id NULL).
 */
export function unpinAllInTopic(ctx: RoomContext, actorId: number, topicId: number): Chat {
  requireForumTopic(ctx, actorId, topicId);
  const pinned = ctx.store.exec<{ message_id: number }>(
    `SELECT p.message_id FROM pinned_messages p JOIN messages m ON m.id = p.message_id
     WHERE m.topic_id = ?1 OR (?1 = ?2 AND m.topic_id IS NULL)`,
    topicId,
    GENERAL_TOPIC_ID,
  );
  return unpinSome(ctx, actorId, pinned.map((r) => r.message_id));
}

export const topicVerbs = {
  unpinAllInTopic,
  toggleForum,
  createForumTopic,
  editForumTopic,
  setForumTopicClosed,
  deleteForumTopic,
};
