import type { Message } from '../../protocol/messages.js';
import { one, type SqlStore } from '../sql/store.js';

/**
 * Threads: every reply belongs to the thread of the message it answers,
 * rooted at the first message of the chain (a reply to a reply joins the
 * same thread, as in Telegram's comments). `messages.thread_id` holds the
 * root's id on every reply, so a thread is one indexed range and a root's
 * reply count is a COUNT over it: deletions and hidden messages are
 * reflected without counters to keep in step.
 */

/** The thread a reply to `replyToId` joins: the replied message's own thread, or that message as a new root. */
export function threadOf(store: SqlStore, replyToId: number | null): number | null {
  if (replyToId === null) return null;
  const parent = one<{ thread_id: number | null }>(store, 'SELECT thread_id FROM messages WHERE id = ?', replyToId);
  return parent ? (parent.thread_id ?? replyToId) : null;
}

/** The page with each thread root's replies as `viewerId` sees them (one query for the whole page). */
export function withReplies(store: SqlStore, viewerId: number, messages: Message[]): Message[] {
  if (messages.length === 0) return messages;
  const rows = store.exec<{ thread_id: number; count: number; max_id: number }>(
    `SELECT thread_id, COUNT(*) AS count, MAX(id) AS max_id FROM messages
     WHERE thread_id IN (SELECT value FROM json_each(?2)) AND deleted = 0
       AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = ?1 AND h.message_id = messages.id)
     GROUP BY thread_id`,
    viewerId,
    JSON.stringify(messages.map((m) => m.id)),
  );
  if (rows.length === 0) return messages;
  const byRoot = new Map(rows.map((r) => [r.thread_id, { count: r.count, max_id: r.max_id }]));
  return messages.map((m) => {
    const replies = byRoot.get(m.id);
    return replies ? { ...m, replies } : m;
  });
}
