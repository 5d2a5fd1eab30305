import type { IndexChange } from '../../d1/queries/index-changes.js';
import type { ChatKind } from '../../protocol/messages.js';
import type { Update, UpdateEnvelope } from '../../protocol/updates.js';
import { one } from '../sql/store.js';
import type { ChatEvent } from '../user-mailbox/delivery.js';
import type { RoomContext } from './context.js';
import { appendToLog, broadcast } from './large.js';

/** One recipient's copy of an event: the update, plus dialog fields only the chat can compute. */
export type Copy = { update: Update; dialog?: ChatEvent['dialog'] };

/** Handed to a verb inside its transaction, to record what must fan out. */
export type Emit = {
  /**
   * Appends one chat event (the next event_seq) addressed to `recipients`;
   * `copyFor` tailors each recipient's copy (own random_id, own dialog).
   */
  event(recipients: Iterable<number>, copyFor: (userId: number) => Copy): void;
  /** Queues D1 index writes (memberships, file refs). */
  index(changes: IndexChange[]): void;
  /**
   * Large chats: logs one update for every member, once, in the chat's own
   * log (the next chat pts); after the commit it is pushed to online
   * members through the fan-out shards (see large.ts). Members offline pull
   * it with getChannelDifference.
   */
  log(update: Update): void;
  /** The next message id, with the chat's id and kind (see ChatCounters). */
  nextMessage(): { chatId: number; kind: ChatKind; id: number };
};

/**
 * The chat's two sequences (message ids, event_seq), taken in memory during
 * one transaction and written back once at its end: one row written per
 * commit, not one per message and one per event. Read on first use.
 */
type ChatCounters = { chatId: number; kind: ChatKind; nextMessageId: number; nextEventSeq: number };

function loadCounters(ctx: RoomContext): ChatCounters {
  const row = one<{ id: number; kind: ChatKind; next_message_id: number; next_event_seq: number }>(
    ctx.store,
    'SELECT id, kind, next_message_id, next_event_seq FROM chat',
  );
  if (!row) throw new Error('commit: the chat row is missing');
  return { chatId: row.id, kind: row.kind, nextMessageId: row.next_message_id, nextEventSeq: row.next_event_seq };
}

/**
 * check → do → notify. `fn` runs the writes (state rows, events, outbox rows)
 * in ONE transaction; only after it commits does fan-out start. If the
 * transaction throws, nothing was written and nothing is sent.
 */
export function commit<T>(ctx: RoomContext, fn: (emit: Emit) => T): T {
  const touched = new Set<number>();
  let indexed = false;
  const logged: UpdateEnvelope[] = [];
  let counters: ChatCounters | undefined;
  let advanced = false;
  let stored = false;
  const emit: Emit = {
    event(recipients, copyFor) {
      counters ??= loadCounters(ctx);
      const seq = counters.nextEventSeq++;
      advanced = true;
      const date = ctx.now();
      const copies: [number, ChatEvent][] = [];
      for (const userId of new Set(recipients)) {
        const { update, dialog } = copyFor(userId);
        copies.push([userId, { chat_id: counters.chatId, event_seq: seq, date, update, ...(dialog ? { dialog } : {}) }]);
        touched.add(userId);
      }
      ctx.outbox.enqueueEvent(seq, copies);
    },
    nextMessage() {
      counters ??= loadCounters(ctx);
      advanced = true;
      stored = true;
      return { chatId: counters.chatId, kind: counters.kind, id: counters.nextMessageId++ };
    },
    index(changes) {
      ctx.outbox.enqueueIndex(changes);
      indexed ||= changes.length > 0;
    },
    log(update) {
      logged.push(appendToLog(ctx, update));
    },
  };
  let result: T;
  // Acknowledged outbox rows go in the same commit as this verb's writes (see Outbox.acked).
  ctx.outbox.flushAcked();
  const before = ctx.meter.changes();
  try {
    result = ctx.store.transaction(() => {
      const out = fn(emit);
      if (advanced) ctx.store.exec('UPDATE chat SET next_message_id = ?, next_event_seq = ?', counters!.nextMessageId, counters!.nextEventSeq);
      return out;
    });
  } catch (err) {
    ctx.outbox.discardStaged();
    ctx.notices.discardStaged();
    throw err;
  }
  const shardCalls = logged.length > 0 ? broadcast(ctx, logged) : 0;
  ctx.meter.committed(ctx.meter.changes() - before, touched.size + (indexed ? 1 : 0) + shardCalls);
  if (stored) ctx.searchIndex.schedule();
  if (touched.size > 0 || indexed) ctx.outbox.dispatch(touched, indexed);
  ctx.notices.dispatch();
  return result;
}

/** The same update for everyone. */
export const same =
  (update: Update) =>
  (): Copy => ({ update });
