import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import type { Chat } from '../../protocol/messages.js';
import {
  FORUM_TOPICS_PAGE_LIMIT,
  GENERAL_TOPIC_ID,
  TOPIC_ICON_COLORS,
  TopicIconColor,
  TopicName,
  type ForumTopic,
  type ForumTopicEntry,
} from '../../protocol/topics.js';
import type { ServiceAction } from '../../protocol/updates.js';
import { one, type SqlStore } from '../sql/store.js';
import type { RoomContext } from './context.js';
import { announceChatChange, requireAble } from './membership.js';
import { may } from './rights.js';
import { tellBots } from './service.js';
import { noteAdminAction } from './admin-log.js';
import { chatRow, chatSnapshot, mediaOf, requireMember, unreadCount, type ChatRow, type MemberRow } from './state.js';
import { fileRefChanges } from './media.js';
import { unpinDeleted, unpinSome } from './moderation.js';
import { logChatChange } from './large.js';
import { commit, type Emit } from './writer.js';

/**
 * Forum topics (protocol/topics.ts). A topic is a row of `topics` and a
 * range of the partial index messages(topic_id, id): a send writes its
 * message's topic_id and bumps its topic's last_message_id, nothing per
 * member. A member's read position in a topic is a `topic_reads` row
 * written only when that member reads the topic, and unread counts are
 * counted over the index range when the member asks, as the chat's own
 * unread count is. Messages sent before the chat first became a forum keep
 * topic_id NULL and are General's (ids below chat.forum_since), so turning
 * topics on rewrites no message.
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
function forumSince(chat: ChatRow): number | null {
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

const notForum = () => new EdgegramError(ErrorCode.CHAT_NOT_FORUM, 'This chat has no topics: it is not a forum');
const noTopic = () => new EdgegramError(ErrorCode.TOPIC_NOT_FOUND, 'This forum has no such topic');
const topicClosed = () => new EdgegramError(ErrorCode.TOPIC_CLOSED, 'This topic is closed');

/** A member of a forum; a non-member gets NOT_FOUND (as for any chat it cannot see) before it learns anything about topics. */
function requireForum(ctx: RoomContext, userId: number): { chat: ChatRow; member: MemberRow } {
  const found = requireMember(ctx.store, userId);
  if (!isForum(found.chat)) throw notForum();
  return found;
}

/** A member of a forum and one of its topics (NOT_FOUND, CHAT_NOT_FORUM, TOPIC_NOT_FOUND in that order). */
function requireForumTopic(ctx: RoomContext, userId: number, topicId: number): { chat: ChatRow; member: MemberRow; topic: TopicRow } {
  const found = requireForum(ctx, userId);
  return { ...found, topic: requireTopic(ctx.store, topicId) };
}

function requireTopic(store: SqlStore, id: number): TopicRow {
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

// ---- reading topics ----

/** Visible to `?1`: not deleted for everyone, not hidden by them. */
const VISIBLE = `deleted = 0 AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = ?1 AND h.message_id = messages.id)`;

/**
 * Which messages a topic holds, as SQL over `messages` with ?2 the topic:
 * its index range, and for General also the messages from before the forum
 * (ids below ?3, a primary-key range). Each branch is indexed on its own.
 */
function inTopic(chat: ChatRow, topicId: number): { where: string[]; since: number } {
  const since = forumSince(chat) ?? 0;
  return { where: topicId === GENERAL_TOPIC_ID ? ['topic_id = ?2', 'id < ?3'] : ['topic_id = ?2'], since };
}

/** A page of one topic's messages the viewer can see, ascending (getHistory with message_thread_id). */
export function topicHistoryPage(
  ctx: RoomContext,
  chat: ChatRow,
  viewerId: number,
  topicId: number,
  offsetId: number | undefined,
  direction: 'before' | 'after',
  limit: number,
): number[] {
  if (forumSince(chat) === null) throw notForum();
  requireTopic(ctx.store, topicId);
  const { where, since } = inTopic(chat, topicId);
  const after = offsetId !== undefined && direction === 'after';
  const bound = after ? 'id > ?4' : 'id < ?4';
  const order = after ? 'ASC' : 'DESC';
  // One sub-select per branch, each LIMITed on its own index, then merged.
  const parts = where.map((w) => `SELECT * FROM (SELECT id FROM messages WHERE ${w} AND ${bound} AND ${VISIBLE} ORDER BY id ${order} LIMIT ?5)`);
  const rows = ctx.store.exec<{ id: number }>(
    `${parts.join(' UNION ALL ')} ORDER BY id ${order} LIMIT ?5`,
    viewerId,
    topicId,
    since,
    offsetId ?? (after ? 0 : Number.MAX_SAFE_INTEGER),
    limit,
  );
  const ids = rows.map((r) => r.id);
  return after ? ids : ids.reverse();
}

/** The reader's position in a topic: its own row, or the chat's position when that is further (reading the chat reads every topic). */
function readPosition(store: SqlStore, member: MemberRow, topicId: number): number {
  const row = one<{ max_id: number }>(store, 'SELECT max_id FROM topic_reads WHERE user_id = ? AND topic_id = ?', member.user_id, topicId);
  return Math.max(row?.max_id ?? 0, member.read_inbox_max_id);
}

/** Messages from others in the topic after `from`, that the reader can see: a count over the topic's index range. */
function unreadInTopic(store: SqlStore, chat: ChatRow, readerId: number, topicId: number, from: number): number {
  const { where, since } = inTopic(chat, topicId);
  let n = 0;
  for (const w of where) {
    const row = one<{ n: number }>(
      store,
      `SELECT COUNT(*) AS n FROM messages WHERE ${w} AND id > ?4 AND sender_id <> ?1 AND ${VISIBLE}`,
      readerId,
      topicId,
      since,
      from,
    );
    n += row?.n ?? 0;
  }
  return n;
}

/** The newest message of the topic the reader can see. */
function topMessageId(store: SqlStore, chat: ChatRow, viewerId: number, topicId: number): number | null {
  const { where, since } = inTopic(chat, topicId);
  let top: number | null = null;
  for (const w of where) {
    // SQLite counts a statement's parameters up to the highest it names: ?3 only where the branch uses it.
    const args = w.includes('?3') ? [viewerId, topicId, since] : [viewerId, topicId];
    const row = one<{ id: number }>(store, `SELECT id FROM messages WHERE ${w} AND ${VISIBLE} ORDER BY id DESC LIMIT 1`, ...args);
    if (row && (top === null || row.id > top)) top = row.id;
  }
  return top;
}

/** The forum's topics, most recently active first, each with the caller's unread count (computed now, from its read position). */
export function getForumTopics(
  ctx: RoomContext,
  userId: number,
  page: { offset_message_id?: number; offset_topic_id?: number; limit: number },
): ForumTopicEntry[] {
  const { store } = ctx;
  const { chat, member } = requireForum(ctx, userId);
  const limit = Math.max(1, Math.min(FORUM_TOPICS_PAGE_LIMIT, Math.floor(page.limit) || 1));
  const rows =
    page.offset_message_id === undefined
      ? store.exec<TopicRow>('SELECT * FROM topics ORDER BY last_message_id DESC, id DESC LIMIT ?', limit)
      : store.exec<TopicRow>(
          'SELECT * FROM topics WHERE (last_message_id, id) < (?, ?) ORDER BY last_message_id DESC, id DESC LIMIT ?',
          page.offset_message_id,
          page.offset_topic_id ?? Number.MAX_SAFE_INTEGER,
          limit,
        );
  return rows.map((row) => {
    const read = readPosition(store, member, row.id);
    return {
      ...toForumTopic(row),
      top_message_id: topMessageId(store, chat, userId, row.id),
      unread_count: unreadInTopic(store, chat, userId, row.id, read),
      read_inbox_max_id: read,
    };
  });
}

/**
 * Reading in a topic moves that topic's position only (never back): one
 * row of the reader's, written because the reader acted. Answers what is
 * still unread in the topic.
 */
export function readTopicHistory(ctx: RoomContext, userId: number, topicId: number, maxId: number): { still_unread_count: number } {
  const { store } = ctx;
  const { chat, member } = requireForum(ctx, userId);
  requireTopic(store, topicId);
  if (!Number.isSafeInteger(maxId) || maxId < 0) throw fail.badRequest('max_id must be a non-negative integer');
  const from = readPosition(store, member, topicId);
  const to = Math.min(maxId, chat.next_message_id - 1);
  if (to > from) {
    commit(ctx, (emit) => {
      store.exec(
        'INSERT INTO topic_reads (user_id, topic_id, max_id) VALUES (?, ?, ?) ON CONFLICT (user_id, topic_id) DO UPDATE SET max_id = MAX(max_id, excluded.max_id)',
        userId,
        topicId,
        to,
      );
      // The reader's dialog counts the chat as a whole: same pointer, fewer unread (state.ts unreadCount).
      emit.event([userId], () => ({
        update: {
          type: 'read_history_inbox',
          chat_id: chat.id,
          max_id: member.read_inbox_max_id,
          still_unread_count: unreadCount(store, userId, member.read_inbox_max_id),
        },
      }));
    });
  }
  return { still_unread_count: unreadInTopic(store, chat, userId, topicId, Math.max(from, to)) };
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
  getForumTopics,
  readTopicHistory,
};
