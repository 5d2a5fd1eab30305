import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { rateLimits } from '../schema.js';

export type LimitRule = { limit: number; windowMs: number };
export type LimitState = { count: number; retryAfterSec: number };

/**
 * Counts one event (or `amount` units, e.g. bytes) against `key` in a fixed
 * window and returns the count so far. One UPSERT, so concurrent hits never
 * lose a count.
 */
export async function hit(db: Db, key: string, rule: LimitRule, now: number, amount = 1): Promise<LimitState> {
  const expired = sql`${rateLimits.windowStart} <= ${now - rule.windowMs}`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart: now, count: amount })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`CASE WHEN ${expired} THEN ${amount} ELSE ${rateLimits.count} + ${amount} END`,
        windowStart: sql`CASE WHEN ${expired} THEN ${now} ELSE ${rateLimits.windowStart} END`,
      },
    })
    .returning();
  return stateOf(row!, rule, now);
}

/** The current count without counting anything. */
export async function peek(db: Db, key: string, rule: LimitRule, now: number): Promise<LimitState> {
  const row = await db.query.rateLimits.findFirst({ where: eq(rateLimits.key, key) });
  if (!row || row.windowStart <= now - rule.windowMs) return { count: 0, retryAfterSec: 0 };
  return stateOf(row, rule, now);
}

export async function clear(db: Db, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

function stateOf(row: { windowStart: number; count: number }, rule: LimitRule, now: number): LimitState {
  return { count: row.count, retryAfterSec: Math.max(1, Math.ceil((row.windowStart + rule.windowMs - now) / 1000)) };
}
