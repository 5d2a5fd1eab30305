import type { SqlStore } from '../sql/store.js';
import { Outbox, type AlarmScheduler, type Background, type ChatTransport } from './outbox.js';
import { TokenBucket, TypingLimiter } from './rate-limit.js';

export type RoomLimits = {
  /** Sustained sends per second per sender. */
  sendsPerSecond: number;
  /** Sends a sender may make at once after being idle. */
  sendBurst: number;
  /** Minimum gap between typing notices from one user. */
  typingIntervalMs: number;
};

export const DEFAULT_LIMITS: RoomLimits = { sendsPerSecond: 30, sendBurst: 100, typingIntervalMs: 1_000 };

export type ChatRoomDeps = {
  now: () => number;
  transport: ChatTransport;
  scheduler: AlarmScheduler;
  /** Keeps fan-out alive past the response (ctx.waitUntil); default: fire and forget. */
  background?: Background;
  limits?: Partial<RoomLimits>;
};

/**
 * What every verb receives first: the room's storage, and the state that
 * lives as long as the object does. The limiters are here, not in storage,
 * because they protect this object's throughput and may reset on eviction
 * (see ./rate-limit.ts); one object per room instance, so every verb of the
 * instance shares the same buckets.
 */
export type RoomContext = {
  store: SqlStore;
  outbox: Outbox;
  now: () => number;
  /** Ephemeral pushes (typing) that bypass the outbox. */
  transport: ChatTransport;
  /** Send tokens per sender: messages, albums and reaction changes spend them. */
  sends: TokenBucket;
  typing: TypingLimiter;
};

export function createRoomContext(store: SqlStore, deps: ChatRoomDeps): RoomContext {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  return {
    store,
    outbox: new Outbox(store, deps.transport, deps.scheduler, deps.now, deps.background ?? (() => {})),
    now: deps.now,
    transport: deps.transport,
    sends: new TokenBucket(limits.sendsPerSecond, limits.sendBurst, deps.now),
    typing: new TypingLimiter(limits.typingIntervalMs, deps.now),
  };
}
