import type { SqlStore } from '../sql/store.js';
import { Outbox, type AlarmScheduler, type Background, type ChatTransport } from './outbox.js';
import { SearchIndex } from './search-index.js';
import { RoomNotices } from './room-notices.js';
import { WorkMeter } from './work-meter.js';
import { ChatTyping } from './chat-typing.js';
import { DurableBuckets, TypingLimiter, type BucketRule, type LimitedAction } from './rate-limit.js';

export type RoomLimits = {
  /** Sustained sends per second per sender. */
  sendsPerSecond: number;
  /** Sends a sender may make at once after being idle. */
  sendBurst: number;
  /** Minimum gap between typing notices from one user. */
  typingIntervalMs: number;
};

export const DEFAULT_LIMITS: RoomLimits = { sendsPerSecond: 30, sendBurst: 100, typingIntervalMs: 1_000 };

/**
 * What a member's other writes that reach everyone may cost: an edit, a
 * reaction change, a pin or unpin is one event to every member and bot, so
 * each has a bucket of its own, tighter than messages (60 edits in a row
 * went to everyone before).
 */
export const ACTION_RULES: Record<Exclude<LimitedAction, 'send'>, BucketRule> = {
  edit: { rate: 1, burst: 20 },
  reaction: { rate: 2, burst: 30 },
  pin: { rate: 0.2, burst: 5 },
};

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
 * lives as long as the object does (the outbox, the limiters: one per room
 * instance, so every verb of the instance shares them).
 */
export type RoomContext = {
  store: SqlStore;
  outbox: Outbox;
  /** Notices to other chats' rooms (a channel and its discussion group), durable like the outbox. */
  notices: RoomNotices;
  now: () => number;
  /** Ephemeral pushes (typing) that bypass the outbox. */
  transport: ChatTransport;
  /** Durable buckets per member and action (see ./rate-limit.ts); `rules` says what each allows. */
  buckets: DurableBuckets;
  rules: Record<LimitedAction, BucketRule>;
  typing: TypingLimiter;
  /** Rows and calls per committed verb (./work-meter.ts), for the bench's per-message bound. */
  meter: WorkMeter;
  /** A large chat's typing notices, aggregated per chat (./chat-typing.ts). */
  chatTyping: ChatTyping;
  /** The full-text index, built after the sends (./search-index.ts). */
  searchIndex: SearchIndex;
};

export function createRoomContext(store: SqlStore, deps: ChatRoomDeps): RoomContext {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  return {
    store,
    outbox: new Outbox(store, deps.transport, deps.scheduler, deps.now, deps.background ?? (() => {})),
    notices: new RoomNotices(
      store,
      (to, from, notices) => deps.transport.tellRoom(to, from, notices),
      deps.scheduler,
      deps.now,
      deps.background ?? (() => {}),
    ),
    now: deps.now,
    transport: deps.transport,
    buckets: new DurableBuckets(store, deps.now),
    rules: { send: { rate: limits.sendsPerSecond, burst: limits.sendBurst }, ...ACTION_RULES },
    typing: new TypingLimiter(limits.typingIntervalMs, deps.now),
    meter: new WorkMeter(store),
    searchIndex: new SearchIndex(store),
    chatTyping: new ChatTyping(
      (event) => void deps.transport.broadcastEvent(event.chat_id, event).catch((err: unknown) => console.warn('typing push failed', err)),
      deps.now,
    ),
  };
}
