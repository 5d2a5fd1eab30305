import type { IndexChange } from '../../d1/queries/index-changes.js';
import type { EphemeralEvent, UpdateEnvelope } from '../../protocol/updates.js';
import { one, type SqlStore } from '../sql/store.js';
import { logUnreadable, readStored } from '../sql/stored-json.js';
import type { ChatEvent } from '../user-mailbox/delivery.js';
import { INDEX_TARGET, OutboxHealth } from './outbox-health.js';
import { INDEX_OUTBOX_BODY, OUTBOX_BODY, OUTBOX_RECIPIENTS } from './stored.js';
import type { RoomNotice } from './room-notices.js';

/** How the chat reaches the world outside its own storage. */
export interface ChatTransport {
  /** Applies events in a recipient's mailbox; resolves only once they are durable there, throws otherwise. */
  deliver(userId: number, events: ChatEvent[]): Promise<void>;
  /** Best effort, never stored: online devices only. */
  pushEphemeral(userIds: number[], event: EphemeralEvent): Promise<void>;
  /**
   * Large chats: new entries of the chat's log to its online members, through
   * the fan-out shards (one call per shard: `calls`). Best effort: a member
   * who misses one sees the gap and pulls it. `done` resolves with how many
   * mailboxes each shard pushed to.
   */
  broadcast(chatId: number, envelopes: UpdateEnvelope[]): { calls: number; done: Promise<number[]> };
  /** Large chats: an ephemeral event (typing) to every online member through the shards. Best effort. */
  broadcastEvent(chatId: number, event: EphemeralEvent): Promise<void>;
  /** Large chats: a member who left stops being pushed to (the shard forgets them). */
  unsubscribe(chatId: number, userId: number): Promise<void>;
  /** Writes the D1 index (user-to-chat memberships, file refs); idempotent. */
  writeIndex(changes: IndexChange[]): Promise<void>;
  /** Best effort: records a parked target where an operator can query it (D1's outbox_parked), or clears it. */
  reportParking(report: ParkingReport): Promise<void>;
  /**
   * Hands notices to another chat's room (a channel and its discussion
   * group: ./room-notices.ts); resolves once that room committed them.
   */
  tellRoom(toChatId: number, fromChatId: number, notices: RoomNotice[]): Promise<void>;
}

/** A target parked (no fast retries) or resumed; `recipient` INDEX_TARGET (0) is the D1 index. */
export type ParkingReport =
  | { op: 'parked'; chatId: number; recipient: number; at: number; attempts: number; oldestSeq: number | null; rows: number }
  | { op: 'resumed'; chatId: number; recipient: number };

/** The object's one alarm. */
export interface AlarmScheduler {
  setAlarm(atMs: number): void;
}

/** Runs work past the caller's response (ctx.waitUntil in the DO). */
export type Background = (work: Promise<unknown>) => void;

/** After a commit the alarm waits this long: it only matters if the direct drain is lost. */
export const BACKSTOP_MS = 10_000;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 60_000;
/** Acknowledged rows are deleted at the latest this long after (see Outbox.acked). */
const ACK_FLUSH_MS = 50;
/** Events per mailbox call; keeps one RPC well under the size limit. */
const BATCH = 100;
/** Events kept in memory per recipient before falling back to reading the table. */
const MIRROR_MAX = 1_000;

/**
 * The durable outbox: ONE row per event (`outbox_events`), whatever the
 * number of recipients. The row holds the recipients, the copy most of them
 * get (`body`) and the copies that differ (`copies`, by recipient: the
 * sender's own copy with its random_id, a viewer's own snapshot). Which
 * recipients still need an event is kept in memory (`pending`); the row is
 * deleted once none does. `enqueueEvent` runs inside the writer's
 * transaction, so an event exists exactly when its state change does.
 * Draining happens after the commit: directly (the normal path) and from the
 * alarm (the backstop, and retries with backoff). Nothing is forgotten before
 * its receiver acknowledged it, so a crash anywhere re-sends; receivers drop
 * duplicates.
 *
 * What a recipient acknowledged is written (`outbox_progress`, one row per
 * recipient) only while some other recipient of the same events is behind:
 * on the healthy path every event is acknowledged by all and deleted, and
 * an event costs one row written and one deleted, not two per recipient.
 * After a restart, recipients without a progress row are sent every stored
 * event again (their mailboxes drop what they had).
 *
 * A target (a recipient, or the D1 index) that fails PARK_AFTER_FAILURES
 * times in a row is parked (outbox-health.ts): its events stay, in order, but
 * the alarm only probes it every PROBE_INTERVAL_MS, so one dead mailbox does
 * not keep the chat's alarm on the fast backoff. Any success (a probe, or a
 * new event tried directly) resumes it and drains everything it missed.
 * Parking is reported: a JSON warning in the log and a D1 `outbox_parked` row.
 */
export class Outbox {
  /**
   * At most one drain per recipient at a time, so a burst of writes does not
   * send the same events twice. Order does not depend on it: every batch
   * starts at the oldest unacknowledged event, so a later batch contains any
   * earlier one, and the mailbox's per-chat cursor drops what it already applied.
   */
  private readonly draining = new Map<number, Promise<boolean>>();
  private readonly health: OutboxHealth;
  private indexDrain: Promise<boolean> | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** The alarm this instance set and that has not fired yet; lost on eviction, which only costs an extra setAlarm. */
  private alarmAt: number | null = null;
  private failures = 0;
  /** Every stored event (ascending event_seq, the insertion order) and the recipients it still waits for. */
  private readonly pending = new Map<number, Set<number>>();
  /** Each recipient's newest acknowledged event_seq (from `outbox_progress` after a restart). */
  private readonly acked = new Map<number, number>();
  /** Recipients whose acknowledgement moved since the last flush. */
  private readonly ackedSinceFlush = new Set<number>();
  private ackFlush: ReturnType<typeof setTimeout> | undefined;
  /** Whether `outbox_progress` may hold rows (so the healthy path runs no statement on it). */
  private progressStored = false;
  /**
   * Recipients whose last delivery failed (since this instance started).
   * Progress is written only while one of them waits: then the others'
   * acknowledged events may stay stored for long, and a restart should not
   * send them all again. Recipients merely in flight are not behind.
   */
  private readonly failing = new Set<number>();
  /**
   * An in-memory copy of each recipient's pending events, so the direct
   * drain neither selects nor parses what it has just written. Exact for
   * every recipient except those in `unmirrored`: the ones that had events
   * when this instance started (read from the table until they drain empty).
   */
  private readonly mirror = new Map<number, ChatEvent[]>();
  private readonly unmirrored: Set<number>;
  /** This transaction's events, mirrored and made pending only once it commits. */
  private staged: { seq: number; copies: [number, ChatEvent][] }[] = [];

  constructor(
    private readonly store: SqlStore,
    private readonly transport: ChatTransport,
    private readonly scheduler: AlarmScheduler,
    private readonly now: () => number,
    private readonly background: Background,
  ) {
    this.loadPending();
    this.unmirrored = new Set(this.usersWithRows());
    this.health = new OutboxHealth(store, now);
  }

  /**
   * Inside a transaction: queue one event, each recipient with its copy.
   * The copy most recipients share is stored once; the others by recipient.
   */
  enqueueEvent(seq: number, copies: [number, ChatEvent][]): void {
    if (copies.length === 0) return;
    const texts = copies.map(([, event]) => JSON.stringify(event));
    const counts = new Map<string, number>();
    for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
    let body = texts[0]!;
    for (const [text, n] of counts) if (n > counts.get(body)!) body = text;
    const own = copies.flatMap(([userId], i) => (texts[i] === body ? [] : [`"${userId}":${texts[i]}`]));
    this.store.exec(
      'INSERT INTO outbox_events (event_seq, recipients, body, copies, v) VALUES (?, ?, ?, ?, ?)',
      seq,
      JSON.stringify(copies.map(([userId]) => userId)),
      body,
      own.length > 0 ? `{${own.join(',')}}` : null,
      OUTBOX_BODY.current,
    );
    this.staged.push({ seq, copies });
  }

  /**
   * Forgets the events every recipient acknowledged (one DELETE for all of
   * them), and writes the progress of recipients ahead of someone still
   * waiting. Called by the writer just before a verb's transaction (same
   * synchronous step, so the same commit), ACK_FLUSH_MS after an
   * acknowledgement if no commit came, and before the alarm reads the table.
   */
  flushAcked(): void {
    if (this.ackFlush !== undefined) clearTimeout(this.ackFlush);
    this.ackFlush = undefined;
    if (this.ackedSinceFlush.size === 0) return;
    const done: number[] = [];
    let oldest: number | undefined;
    for (const [seq, waiting] of this.pending) {
      if (waiting.size === 0) done.push(seq);
      else oldest ??= seq;
    }
    const progress =
      oldest === undefined || !this.someoneFailing()
        ? []
        : [...this.ackedSinceFlush].flatMap((userId) => {
            const seq = this.acked.get(userId) ?? 0;
            return seq >= oldest ? [[userId, seq] as const] : [];
          });
    this.store.transaction(() => {
      if (done.length > 0) this.store.exec('DELETE FROM outbox_events WHERE event_seq IN (SELECT value FROM json_each(?))', JSON.stringify(done));
      if (this.progressStored) {
        if (oldest === undefined) this.store.exec('DELETE FROM outbox_progress');
        else this.store.exec('DELETE FROM outbox_progress WHERE event_seq < ?', oldest);
      }
      for (const [userId, seq] of progress) {
        this.store.exec(
          `INSERT INTO outbox_progress (user_id, event_seq) VALUES (?1, ?2)
           ON CONFLICT (user_id) DO UPDATE SET event_seq = excluded.event_seq`,
          userId,
          seq,
        );
      }
    });
    // Forgotten only once deleted: a failed flush leaves everything for the next one.
    for (const seq of done) this.pending.delete(seq);
    this.progressStored = progress.length > 0 || (this.progressStored && oldest !== undefined);
    this.ackedSinceFlush.clear();
  }

  private someoneFailing(): boolean {
    for (const userId of this.failing) if ([...this.pending.values()].some((waiting) => waiting.has(userId))) return true;
    return false;
  }

  /** The transaction rolled back: its events never existed. */
  discardStaged(): void {
    this.staged = [];
  }

  /** Inside a transaction: queue D1 index writes. */
  enqueueIndex(changes: readonly IndexChange[]): void {
    for (const change of changes) {
      this.store.exec('INSERT INTO index_outbox (body, v) VALUES (?, ?)', JSON.stringify(change), INDEX_OUTBOX_BODY.current);
    }
  }

  /**
   * Right after a commit, in the same synchronous step (so the DO's output
   * gate covers the alarm write too): arm the backstop, then start draining.
   */
  dispatch(recipients: Iterable<number>, index: boolean): void {
    for (const { seq, copies } of this.staged) {
      this.pending.set(seq, new Set(copies.map(([userId]) => userId)));
      for (const [userId, event] of copies) {
        if (this.unmirrored.has(userId)) continue;
        const rows = this.mirror.get(userId) ?? [];
        rows.push(event);
        this.mirror.set(userId, rows);
        // A mailbox that stays unreachable must not grow memory: its events
        // are read back from the table instead until it drains.
        if (rows.length > MIRROR_MAX) {
          this.mirror.delete(userId);
          this.unmirrored.add(userId);
        }
      }
    }
    this.staged = [];
    this.arm(this.now() + BACKSTOP_MS);
    const drains = [...new Set(recipients)].map((u) => this.drainUser(u));
    if (index) drains.push(this.drainIndex());
    this.track(
      Promise.all(drains).then((results) => {
        if (results.includes(false)) this.scheduleNext();
      }),
    );
  }

  /**
   * The alarm handler. At-least-once safe: it only re-sends unacknowledged
   * events, and a second run joins the drains the first started. Parked
   * targets are tried only when their probe is due.
   */
  async alarm(): Promise<void> {
    this.alarmAt = null;
    this.flushAcked();
    const users = this.usersWithRows().filter((u) => this.health.due(u));
    const drains = users.map((u) => this.drainUser(u));
    if (this.health.due(INDEX_TARGET)) drains.push(this.drainIndex());
    await Promise.all(drains);
    this.scheduleNext();
  }

  /** Targets parked now (INDEX_TARGET: the D1 index): what an operator would look at. */
  parked(): number[] {
    return this.health.parked();
  }

  /** Resolves once every drain started so far (and any started meanwhile) has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    this.flushAcked();
  }

  /**
   * Resolves once the D1 index holds every change committed so far (joining
   * a drain already running: it re-reads the table until empty); false if
   * D1 failed, and the alarm retries.
   */
  flushIndex(): Promise<boolean> {
    return this.drainIndex();
  }

  /** Fire-and-forget work that must not be lost or reject unobserved. */
  track(work: Promise<unknown>): void {
    const p = work.catch((err: unknown) => console.error('chat room background work failed', err));
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    this.background(p);
  }

  /** The stored events and who still waits for each, as this instance starts. */
  private loadPending(): void {
    for (const row of this.store.exec<{ user_id: number; event_seq: number }>('SELECT user_id, event_seq FROM outbox_progress')) {
      this.acked.set(row.user_id, row.event_seq);
      this.progressStored = true;
    }
    const rows = this.store.exec<{ event_seq: number; recipients: string }>('SELECT event_seq, recipients FROM outbox_events ORDER BY event_seq');
    for (const row of rows) {
      const read = readStored(OUTBOX_RECIPIENTS, row.recipients);
      if (!read.ok) {
        // Nobody known to send it to: it stays stored (never deleted), and the log names it for a repair.
        logUnreadable(OUTBOX_RECIPIENTS, read.reason, { event_seq: row.event_seq });
        continue;
      }
      this.pending.set(row.event_seq, new Set(read.value.filter((userId) => (this.acked.get(userId) ?? 0) < row.event_seq)));
    }
  }

  /** Recipients with events waiting for them. */
  private usersWithRows(): number[] {
    const users = new Set<number>();
    for (const waiting of this.pending.values()) for (const userId of waiting) users.add(userId);
    return [...users].sort((a, b) => a - b);
  }

  /** Events waiting for a target that is not parked: those keep the fast backoff going. */
  private pendingUnparked(): boolean {
    this.flushAcked();
    if (this.usersWithRows().some((u) => !this.health.isParked(u))) return true;
    return !this.health.isParked(INDEX_TARGET) && this.store.exec('SELECT 1 FROM index_outbox LIMIT 1').length > 0;
  }

  /** Fast backoff while an unparked target has rows; else only the next probe of a parked one, if any. */
  private scheduleNext(): void {
    if (this.pendingUnparked()) {
      this.retryLater();
      return;
    }
    this.failures = 0;
    const probe = this.health.nextProbeAt();
    if (probe !== null) this.arm(probe);
  }

  private drainUser(userId: number): Promise<boolean> {
    const running = this.draining.get(userId);
    // The running loop re-reads after each batch, so it picks up events
    // committed meanwhile; joining it is enough.
    if (running) return running;
    const drain = this.deliverPending(userId).finally(() => this.draining.delete(userId));
    this.draining.set(userId, drain);
    return drain;
  }

  /** Sends the recipient's events oldest first until none are left; false on the first failure. */
  private async deliverPending(userId: number): Promise<boolean> {
    for (;;) {
      const batch = this.oldestRows(userId);
      if ('unreadable' in batch) {
        // No retry can cure it: the recipient waits (parked, reported) for a repair; nothing is skipped.
        this.recordFailure(userId, true);
        return false;
      }
      if (batch.length === 0) return true;
      try {
        await this.transport.deliver(userId, batch);
      } catch (err) {
        console.warn(`chat room: delivery to ${userId} failed; the alarm retries`, err);
        this.recordFailure(userId);
        return false;
      }
      this.recordSuccess(userId);
      const last = batch[batch.length - 1]!.event_seq;
      this.acknowledged(userId, last);
      const mirrored = this.mirror.get(userId);
      if (mirrored) {
        while (mirrored.length > 0 && mirrored[0]!.event_seq <= last) mirrored.shift();
        if (mirrored.length === 0) this.mirror.delete(userId);
      }
    }
  }

  /** The recipient has every event up to `last`; what nobody waits for any more goes at the next flush. */
  private acknowledged(userId: number, last: number): void {
    if ((this.acked.get(userId) ?? 0) < last) this.acked.set(userId, last);
    for (const [seq, waiting] of this.pending) {
      if (seq > last) break;
      waiting.delete(userId);
    }
    this.ackedSinceFlush.add(userId);
    this.ackFlush ??= setTimeout(() => {
      try {
        this.flushAcked();
      } catch (err) {
        console.error('chat room: forgetting acknowledged outbox events failed; the next commit or the alarm retries', err);
      }
    }, ACK_FLUSH_MS);
  }

  /**
   * Up to BATCH of the recipient's unacknowledged events, oldest first; the
   * events before an unreadable one, or `unreadable` if it is the oldest.
   */
  private oldestRows(userId: number): ChatEvent[] | { unreadable: number } {
    if (!this.unmirrored.has(userId)) return (this.mirror.get(userId) ?? []).slice(0, BATCH);
    const rows = this.store.exec<{ event_seq: number; body: string; v: number }>(
      `SELECT event_seq, COALESCE(json_extract(copies, '$."' || CAST(?2 AS INTEGER) || '"'), body) AS body, v FROM outbox_events
       WHERE event_seq > ?1 AND EXISTS (SELECT 1 FROM json_each(recipients) WHERE value = ?2)
       ORDER BY event_seq LIMIT ?3`,
      this.acked.get(userId) ?? 0,
      userId,
      BATCH,
    );
    // Drained empty: from now on the mirror is exact for this recipient too.
    if (rows.length === 0) this.unmirrored.delete(userId);
    const events: ChatEvent[] = [];
    for (const row of rows) {
      const read = readStored(OUTBOX_BODY, row.body, row.v);
      if (read.ok) {
        events.push(read.value);
        continue;
      }
      if (events.length > 0) break;
      logUnreadable(OUTBOX_BODY, read.reason, { recipient: userId, event_seq: row.event_seq });
      return { unreadable: row.event_seq };
    }
    return events;
  }

  private drainIndex(): Promise<boolean> {
    this.indexDrain ??= this.writePendingIndex().finally(() => (this.indexDrain = undefined));
    return this.indexDrain;
  }

  private async writePendingIndex(): Promise<boolean> {
    for (;;) {
      const rows = this.store.exec<{ seq: number; body: string; v: number }>(
        'SELECT seq, body, v FROM index_outbox ORDER BY seq LIMIT ?',
        BATCH,
      );
      if (rows.length === 0) return true;
      const changes: IndexChange[] = [];
      for (const row of rows) {
        const read = readStored(INDEX_OUTBOX_BODY, row.body, row.v);
        if (read.ok) {
          changes.push(read.value);
          continue;
        }
        if (changes.length > 0) break;
        logUnreadable(INDEX_OUTBOX_BODY, read.reason, { seq: row.seq });
        this.recordFailure(INDEX_TARGET, true);
        return false;
      }
      try {
        await this.transport.writeIndex(changes);
      } catch (err) {
        console.warn('chat room: index write failed; the alarm retries', err);
        this.recordFailure(INDEX_TARGET);
        return false;
      }
      this.recordSuccess(INDEX_TARGET);
      this.store.exec('DELETE FROM index_outbox WHERE seq <= ?', rows[changes.length - 1]!.seq);
    }
  }

  private recordFailure(target: number, parkNow = false): void {
    if (target !== INDEX_TARGET && !this.failing.has(target)) {
      this.failing.add(target);
      // Someone is behind now: everyone's progress so far goes into the next flush.
      for (const userId of this.acked.keys()) this.ackedSinceFlush.add(userId);
    }
    if (this.health.failed(target, parkNow) !== 'parked now') return;
    const waiting =
      target === INDEX_TARGET
        ? one<{ oldest: number | null; rows: number }>(this.store, 'SELECT MIN(seq) AS oldest, COUNT(*) AS rows FROM index_outbox')
        : this.waitingFor(target);
    const report: ParkingReport = {
      op: 'parked',
      chatId: this.chatId(),
      recipient: target,
      at: this.now(),
      attempts: this.health.failures(target),
      oldestSeq: waiting?.oldest ?? null,
      rows: waiting?.rows ?? 0,
    };
    console.warn(
      JSON.stringify({
        event: 'outbox_parked',
        chat_id: report.chatId,
        recipient: target === INDEX_TARGET ? 'd1-index' : target,
        attempts: report.attempts,
        oldest_event_seq: report.oldestSeq,
        rows: report.rows,
      }),
    );
    this.track(this.transport.reportParking(report));
  }

  /** The events a recipient still waits for: how many, and the oldest. */
  private waitingFor(userId: number): { oldest: number | null; rows: number } {
    let oldest: number | null = null;
    let rows = 0;
    for (const [seq, waiting] of this.pending) {
      if (!waiting.has(userId)) continue;
      oldest ??= seq;
      rows++;
    }
    return { oldest, rows };
  }

  private recordSuccess(target: number): void {
    this.failing.delete(target);
    if (!this.health.succeeded(target)) return;
    const chatId = this.chatId();
    console.warn(JSON.stringify({ event: 'outbox_resumed', chat_id: chatId, recipient: target === INDEX_TARGET ? 'd1-index' : target }));
    this.track(this.transport.reportParking({ op: 'resumed', chatId, recipient: target }));
  }

  private chatId(): number {
    return one<{ id: number }>(this.store, 'SELECT id FROM chat')?.id ?? 0;
  }

  private retryLater(): void {
    this.failures++;
    this.arm(this.now() + Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (this.failures - 1)));
  }

  /** Keeps the earliest wanted time: one alarm per object, so a later request must not postpone an earlier one. */
  private arm(at: number): void {
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    this.scheduler.setAlarm(at);
  }
}
