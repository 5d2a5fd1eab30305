import type { IndexChange } from '../../d1/queries/index-changes.js';
import type { Update, UpdateEnvelope } from '../../protocol/updates.js';
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
};

/**
 * check → do → notify. `fn` runs the writes (state rows, events, outbox rows)
 * in ONE transaction; only after it commits does fan-out start. If the
 * transaction throws, nothing was written and nothing is sent.
 */
export function commit<T>(ctx: RoomContext, fn: (emit: Emit) => T): T {
  const touched = new Set<number>();
  let indexed = false;
  const logged: UpdateEnvelope[] = [];
  const emit: Emit = {
    event(recipients, copyFor) {
      // Takes the next event_seq in one statement (this runs once per event).
      const [chat] = ctx.store.exec<{ id: number; seq: number }>(
        'UPDATE chat SET next_event_seq = next_event_seq + 1 RETURNING id, next_event_seq - 1 AS seq',
      );
      const seq = chat!.seq;
      const date = ctx.now();
      for (const userId of new Set(recipients)) {
        const { update, dialog } = copyFor(userId);
        ctx.outbox.enqueue(userId, { chat_id: chat!.id, event_seq: seq, date, update, ...(dialog ? { dialog } : {}) });
        touched.add(userId);
      }
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
    result = ctx.store.transaction(() => fn(emit));
  } catch (err) {
    ctx.outbox.discardStaged();
    throw err;
  }
  const shardCalls = logged.length > 0 ? broadcast(ctx, logged) : 0;
  ctx.meter.committed(ctx.meter.changes() - before, touched.size + (indexed ? 1 : 0) + shardCalls);
  if (touched.size > 0 || indexed) ctx.outbox.dispatch(touched, indexed);
  return result;
}

/** The same update for everyone. */
export const same =
  (update: Update) =>
  (): Copy => ({ update });
