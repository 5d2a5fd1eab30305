import type { Db } from '../../d1/db.js';
import { hit, type LimitRule } from '../../d1/queries/rate-limits.js';
import { fail } from '../../protocol/errors.js';

/**
 * What one account may do to others through chats, per hour: make groups
 * and channels, and put people in them (the members a new chat starts with
 * count too). Without these any account put any stranger into unlimited
 * chats (30 in a row, or one channel made with 999 user_ids). D1 counters,
 * so they hold across isolates and evictions. Joining by link is the
 * joiner's own act and is not counted.
 */
export const CHAT_LIMITS = {
  created: { limit: 50, windowMs: 60 * 60_000 },
  added: { limit: 500, windowMs: 60 * 60_000 },
} as const satisfies Record<string, LimitRule>;

/** Counts `chats` new chats and `people` members put in by `actorId`; RATE_LIMITED past either limit. */
export async function countChatWork(db: Db, actorId: number, work: { chats: number; people: number }, now: number): Promise<void> {
  if (work.chats > 0) {
    const created = await hit(db, `chats:create:${actorId}`, CHAT_LIMITS.created, now, work.chats);
    if (created.count > CHAT_LIMITS.created.limit) throw fail.rateLimited(created.retryAfterSec);
  }
  if (work.people > 0) {
    const added = await hit(db, `chats:add:${actorId}`, CHAT_LIMITS.added, now, work.people);
    if (added.count > CHAT_LIMITS.added.limit) throw fail.rateLimited(added.retryAfterSec);
  }
}
