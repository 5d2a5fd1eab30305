import type { SqlStore } from '../sql/store.js';

/**
 * The room's limits per member. The ones on writes every other member
 * receives (messages, edits, reactions, pins) are durable: kept in the
 * room's SQLite, so evicting the object (which anyone can provoke by going
 * quiet, or which a deploy does) never hands out a fresh budget. Typing
 * notices are ephemeral and limited in memory.
 */

/** `rate` tokens a second, at most `burst` saved up. */
export type BucketRule = { rate: number; burst: number };

/** What a member's writes spend: each action has its own bucket. */
export type LimitedAction = 'send' | 'edit' | 'reaction' | 'pin';

/**
 * Token buckets per (member, action), in the `rate_buckets` table. The map
 * is this instance's truth (the object is the table's one writer); the
 * table is what an eviction leaves. A take is written only once the bucket
 * is below half its burst: above that, an instance that restarts from an
 * older row gives at most half a burst more than it should have, once,
 * while a member who spends the bucket down (the case the durable limit
 * exists for) is written on every take. A refusal writes nothing. So an
 * everyday send costs no row here.
 */
export class DurableBuckets {
  private readonly cache = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly store: SqlStore,
    private readonly now: () => number,
  ) {}

  /** Takes one token; returns 0 if allowed, else the whole seconds to wait. */
  take(userId: number, action: LimitedAction, rule: BucketRule): number {
    const key = `${userId}:${action}`;
    const now = this.now();
    const saved =
      this.cache.get(key) ??
      this.store.exec<{ tokens: number; at: number }>('SELECT tokens, at FROM rate_buckets WHERE user_id = ? AND action = ?', userId, action)[0];
    const tokens = Math.min(rule.burst, (saved?.tokens ?? rule.burst) + (saved ? ((now - saved.at) / 1000) * rule.rate : 0));
    if (tokens < 1) return Math.max(1, Math.ceil((1 - tokens) / rule.rate));
    const left = { tokens: tokens - 1, at: now };
    this.cache.set(key, left);
    if (left.tokens >= rule.burst / 2) return 0;
    this.store.exec(
      `INSERT INTO rate_buckets (user_id, action, tokens, at) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id, action) DO UPDATE SET tokens = excluded.tokens, at = excluded.at`,
      userId,
      action,
      left.tokens,
      left.at,
    );
    return 0;
  }
}

/** A token bucket per key, in memory: `rate` tokens a second, at most `burst` saved up. */
export class TokenBucket {
  private readonly buckets = new Map<number, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {}

  /** Takes one token; returns 0 if allowed, else the whole seconds to wait. */
  take(key: number): number {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return Math.max(1, Math.ceil((1 - b.tokens) / this.rate));
    b.tokens -= 1;
    return 0;
  }
}

/**
 * Typing notices: one per user per interval, except that a `cancel` right
 * after a `typing` always passes (it ends what the peers show). Alternating
 * spam is still bounded to two notices per interval.
 */
export class TypingLimiter {
  private readonly last = new Map<number, { action: 'typing' | 'cancel'; at: number }>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  /** True if this notice may go out now (and records it). */
  allow(userId: number, action: 'typing' | 'cancel'): boolean {
    const now = this.now();
    const prev = this.last.get(userId);
    const endsTyping = action === 'cancel' && prev?.action === 'typing';
    if (prev && !endsTyping && now - prev.at < this.intervalMs) return false;
    this.last.set(userId, { action, at: now });
    return true;
  }
}
