/**
 * In-memory limits, per chat object. They reset when the object is evicted,
 * which is fine: they protect the object's throughput, not a quota.
 */

/** A token bucket per key: `rate` tokens a second, at most `burst` saved up. */
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
