/**
 * Telegram's flood limits for one bot, kept in its mailbox (one object per
 * bot, so the count is exact): about 30 messages a second overall, one a
 * second in a private chat, 20 a minute in a group. Telegram tolerates short
 * bursts in a private chat without saying how long; 20 lets a bot answer a
 * quick exchange (a reply, a menu, a photo, an edit...) without a 429 while the
 * long-run rate stays one a second. In memory: eviction resets them, which
 * only forgives a little.
 */
export type FloodRules = {
  perSecond: number;
  burst: number;
  privatePerSecond: number;
  privateBurst: number;
  groupPerMinute: number;
};

export const TELEGRAM_FLOOD_RULES: FloodRules = {
  perSecond: 30,
  burst: 30,
  privatePerSecond: 1,
  privateBurst: 20,
  groupPerMinute: 20,
};

/** Token buckets by key: `rate` tokens a second, at most `burst` saved up. */
class Buckets {
  private readonly buckets = new Map<number, { tokens: number; at: number }>();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {}

  /** Whole seconds until a token is there (0: now), without taking it. */
  wait(key: number, now: number): number {
    const tokens = this.tokens(key, now);
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / this.rate));
  }

  take(key: number, now: number): void {
    this.buckets.set(key, { tokens: this.tokens(key, now) - 1, at: now });
  }

  private tokens(key: number, now: number): number {
    const b = this.buckets.get(key);
    return b ? Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate) : this.burst;
  }
}

export class FloodLimits {
  private readonly overall: Buckets;
  private readonly privateChats: Buckets;
  private readonly groups: Buckets;

  constructor(
    private readonly now: () => number,
    rules: FloodRules = TELEGRAM_FLOOD_RULES,
  ) {
    this.overall = new Buckets(rules.perSecond, rules.burst);
    this.privateChats = new Buckets(rules.privatePerSecond, rules.privateBurst);
    this.groups = new Buckets(rules.groupPerMinute / 60, rules.groupPerMinute);
  }

  /**
   * Counts one message to `chatId`; returns 0 if it may go, else the whole
   * seconds to wait (Telegram's retry_after). A refused message costs nothing.
   */
  take(chatId: number, isGroup: boolean): number {
    const now = this.now();
    const chat = isGroup ? this.groups : this.privateChats;
    const wait = Math.max(chat.wait(chatId, now), this.overall.wait(0, now));
    if (wait > 0) return wait;
    chat.take(chatId, now);
    this.overall.take(0, now);
    return 0;
  }
}
