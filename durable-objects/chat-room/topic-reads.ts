import { fail } from '../../protocol/errors.js';
import { FORUM_TOPICS_PAGE_LIMIT, GENERAL_TOPIC_ID, type ForumTopicEntry } from '../../protocol/topics.js';
import { one, type SqlStore } from '../sql/store.js';
import type { RoomContext } from './context.js';
import { unreadCount, type ChatRow, type MemberRow } from './state.js';
import { forumSince, notForum, requireForum, requireTopic, toForumTopic, type TopicRow } from './topics.js';
import { commit } from './writer.js';

/**
 * Reading a forum's topics: one topic's history, the topic list with the
 * reader's unread count in each, and reading in a topic. A member's read
 * position in a topic is a `topic_reads` row written only when that member
 * reads there; unread counts are counted over the topic's index range when
 * the member asks, as the chat's own unread count is, so no counter is
 * kept per member per message.
 */

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

export const topicReadVerbs = { getForumTopics, readTopicHistory };
