import { isFileRefChange, isInviteLinkChange, type IndexChange } from '../../../d1/queries/index-changes.js';
import type { EphemeralEvent, Update, UpdateEnvelope } from '../../../protocol/updates.js';
import type { ChatSpec } from '../../../durable-objects/chat-room/api.js';
import type { ParkingReport } from '../../../durable-objects/chat-room/outbox.js';
import type { RoomNotice } from '../../../durable-objects/chat-room/room-notices.js';
import { ChatRoomLogic, type ChatTransport, type RoomLimits } from '../../../durable-objects/chat-room/room.js';
import type { ChatEvent } from '../../../durable-objects/user-mailbox/delivery.js';
import { Mailbox } from '../../../durable-objects/user-mailbox/mailbox.js';
import { MemorySqlStore } from '../../support/memory-sql.js';

export const CHAT_ID = 42;
export const T0 = 1_700_000_000_000;

/**
 * The other side of the chat: a real Mailbox (over its own in-memory store)
 * per user, so the tests check the real delivery contract, plus switches to
 * make deliveries fail before or after the mailbox applied them.
 */
export class FakeWorld implements ChatTransport {
  readonly boxes = new Map<number, Mailbox>();
  /** Every deliver call, including failed ones. */
  readonly calls: { userId: number; events: ChatEvent[] }[] = [];
  readonly ephemeral: { userIds: number[]; event: EphemeralEvent }[] = [];
  /** The D1 index as applyIndexChanges would leave it: "chat:account" → role. */
  readonly index = new Map<string, string>();
  /** The D1 file refs as applyIndexChanges would leave them: "file:chat:message". */
  readonly fileRefs = new Set<string>();
  /** D1's invite_links as the index writes left it: token hash → chat. */
  readonly invites = new Map<string, number>();
  /** Fail the next n deliveries to a user before the mailbox sees them. */
  readonly failBefore = new Map<number, number>();
  /** Apply the next n deliveries, then fail: the acknowledgement is lost. */
  readonly failAfter = new Map<number, number>();
  failIndexWrites = 0;
  /** Every parking report, in order. */
  readonly parkingReports: ParkingReport[] = [];

  constructor(private readonly now: () => number) {}

  mailbox(userId: number): Mailbox {
    let box = this.boxes.get(userId);
    if (!box) this.boxes.set(userId, (box = new Mailbox(new MemorySqlStore(), userId)));
    return box;
  }

  async deliver(userId: number, events: ChatEvent[]): Promise<void> {
    this.calls.push({ userId, events });
    await Promise.resolve(); // an RPC is never synchronous
    if (take(this.failBefore, userId)) throw new Error(`mailbox ${userId} unreachable`);
    this.mailbox(userId).deliver(events);
    if (take(this.failAfter, userId)) throw new Error(`ack from mailbox ${userId} lost`);
  }

  async pushEphemeral(userIds: number[], event: EphemeralEvent): Promise<void> {
    this.ephemeral.push({ userIds, event });
  }

  /** A large chat's log entries handed to its fan-out shards, in order. */
  readonly broadcasts: { chatId: number; envelopes: UpdateEnvelope[] }[] = [];
  readonly unsubscribed: { chatId: number; userId: number }[] = [];

  /** Shards a broadcast is said to reach (the DO's FANOUT_SHARDS). */
  shards = 16;

  broadcast(chatId: number, envelopes: UpdateEnvelope[]): { calls: number; done: Promise<number[]> } {
    this.broadcasts.push({ chatId, envelopes });
    return { calls: this.shards, done: Promise.resolve([]) };
  }

  /** Ephemeral events handed to the shards (large chats' typing). */
  readonly chatEvents: { chatId: number; event: EphemeralEvent }[] = [];

  async broadcastEvent(chatId: number, event: EphemeralEvent): Promise<void> {
    this.chatEvents.push({ chatId, event });
  }

  async unsubscribe(chatId: number, userId: number): Promise<void> {
    this.unsubscribed.push({ chatId, userId });
  }

  /** Other rooms by chat id, which notices reach (a channel and its discussion group). */
  readonly rooms = new Map<number, ChatRoomLogic>();
  /** Every tellRoom call, including failed ones. */
  readonly told: { to: number; from: number; notices: RoomNotice[] }[] = [];
  /** Fail the next n notices to a chat before its room sees them. */
  readonly failTellBefore = new Map<number, number>();
  /** Apply the next n notices to a chat, then fail: the acknowledgement is lost. */
  readonly failTellAfter = new Map<number, number>();

  /** Holds notices to a chat in flight until the promise resolves. */
  readonly holdTell = new Map<number, Promise<void>>();

  async tellRoom(to: number, from: number, notices: RoomNotice[]): Promise<void> {
    this.told.push({ to, from, notices });
    await Promise.resolve();
    await this.holdTell.get(to);
    if (take(this.failTellBefore, to)) throw new Error(`chat ${to} unreachable`);
    const room = this.rooms.get(to);
    if (!room) throw new Error(`no room for chat ${to}`);
    room.receiveNotices(from, structuredClone(notices));
    if (take(this.failTellAfter, to)) throw new Error(`ack from chat ${to} lost`);
  }

  async reportParking(report: ParkingReport): Promise<void> {
    this.parkingReports.push(report);
  }

  async writeIndex(changes: IndexChange[]): Promise<void> {
    await Promise.resolve();
    if (this.failIndexWrites > 0) {
      this.failIndexWrites--;
      throw new Error('D1 unavailable');
    }
    for (const c of changes) {
      if (isFileRefChange(c)) {
        const ref = `${c.fileId}:${c.chatId}:${c.messageId}`;
        if (c.op === 'ref') this.fileRefs.add(ref);
        else this.fileRefs.delete(ref);
        continue;
      }
      if (isInviteLinkChange(c)) {
        if (c.op === 'invite') this.invites.set(c.tokenHash, c.chatId);
        else this.invites.delete(c.tokenHash);
        continue;
      }
      const key = `${c.chatId}:${c.accountId}`;
      if (c.op === 'delete') this.index.delete(key);
      else this.index.set(key, c.role);
    }
  }

  /** Everything a user's mailbox holds, replayed from pts 0. */
  updates(userId: number): Update[] {
    const diff = this.mailbox(userId).getDifference(0, 1000);
    return diff.kind === 'difference' ? diff.updates.map((u) => u.update) : [];
  }

  /** Events handed to a user, successful or not, in call order. */
  eventsSentTo(userId: number): ChatEvent[] {
    return this.calls.filter((c) => c.userId === userId).flatMap((c) => c.events);
  }
}

function take(counter: Map<number, number>, userId: number): boolean {
  const n = counter.get(userId) ?? 0;
  if (n === 0) return false;
  counter.set(userId, n - 1);
  return true;
}

export function setup(options: { limits?: Partial<RoomLimits>; store?: MemorySqlStore } = {}) {
  const clock = { t: T0 };
  const now = () => clock.t;
  const store = options.store ?? new MemorySqlStore();
  const world = new FakeWorld(now);
  const alarms: number[] = [];
  const open = () =>
    new ChatRoomLogic(store, {
      now,
      transport: world,
      scheduler: { setAlarm: (at) => alarms.push(at) },
      ...(options.limits ? { limits: options.limits } : {}),
    });
  const room = open();
  return {
    room,
    /** A fresh instance over the same storage: the object after an eviction. */
    reopen: open,
    store,
    world,
    clock,
    alarms,
    /** Lets every started drain finish. */
    settle: () => room.idle(),
    tick: (ms = 1_000) => (clock.t += ms),
  };
}

export const privateSpec = (a: number, b: number): ChatSpec => ({
  chatId: CHAT_ID,
  kind: 'private',
  title: null,
  creatorId: null,
  memberIds: [a, b],
  createdAt: T0,
});

export const groupSpec = (creatorId: number, memberIds: number[], title = 'Team'): ChatSpec => ({
  chatId: CHAT_ID,
  kind: 'group',
  title,
  creatorId,
  memberIds,
  createdAt: T0,
});

/** Every row of every table: "nothing was written" compares two of these. */
/**
 * Every table of the room but `rate_buckets`: a send refused by a failed
 * commit may still have spent its rate token (the limiter is checked before
 * the commit), which is no chat state.
 */
export function dump(store: MemorySqlStore): Record<string, unknown[]> {
  const tables = store.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'rate_buckets' ORDER BY name");
  return Object.fromEntries(tables.map(({ name }) => [name, store.exec(`SELECT * FROM "${name}"`)]));
}

export function outboxSize(store: MemorySqlStore): number {
  return store.exec<{ n: number }>('SELECT COUNT(*) AS n FROM outbox_events')[0]!.n;
}

/** The ids of new_message updates in a list of updates. */
export function newMessageIds(updates: Update[]): number[] {
  return updates.flatMap((u) => (u.type === 'new_message' ? [u.message.id] : []));
}

let seq = 0;
export const rid = () => `r${++seq}`;
