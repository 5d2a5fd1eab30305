import type { ChatSpec } from '../../../durable-objects/chat-room/api.js';
import { ChatRoomLogic, type ChatTransport } from '../../../durable-objects/chat-room/room.js';
import type { Row, SqlStore, SqlValue } from '../../../durable-objects/sql/store.js';
import { MemorySqlStore } from '../../support/memory-sql.js';

export const CRASHED = 'object crashed';
export const INJECTED = 'injected storage failure';

/** True for the two failures the model injects on purpose; anything else thrown is a bug. */
export function isInjected(err: unknown): boolean {
  return err instanceof Error && (err.message === CRASHED || err.message === INJECTED);
}

/** A store that stops working when its object "crashes": a dead instance must not write or read. */
class KillableStore implements SqlStore {
  dead = false;
  constructor(private readonly inner: SqlStore) {}
  exec<T extends Row = Row>(query: string, ...params: SqlValue[]): T[] {
    if (this.dead) throw new Error(CRASHED);
    return this.inner.exec<T>(query, ...params);
  }
  transaction<T>(fn: () => T): T {
    if (this.dead) throw new Error(CRASHED);
    return this.inner.transaction(fn);
  }
}

/**
 * One ChatRoom Durable Object as the platform runs it: durable SQLite that
 * survives a crash, an in-memory ChatRoomLogic that does not, and the one
 * alarm (`scheduled`), which the platform keeps across crashes, clears when it
 * fires, and fires again if the handler fails.
 */
export class ModelRoom {
  readonly store = new MemorySqlStore();
  logic!: ChatRoomLogic;
  /** Errors thrown by background work or alarm runs that the model did not inject: bugs. */
  readonly failures: unknown[] = [];
  /** The platform's alarm: when it is due, or null if none is set. */
  scheduled: number | null = null;
  private live!: KillableStore;
  /** Alarm handlers the current instance has started and not finished. */
  private alarmsRunning = 0;
  /** Background work of every instance (alarm runs included), so the model can wait for it. */
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    readonly spec: ChatSpec,
    private readonly transport: ChatTransport,
    private readonly now: () => number,
  ) {
    this.boot();
  }

  get chatId(): number {
    return this.spec.chatId;
  }

  /**
   * The object dies: its in-memory state, drains and timers are gone; storage
   * and the alarm stay. An alarm handler it was running never finished, so
   * the platform runs the alarm again (at-least-once).
   */
  crash(): void {
    this.live.dead = true;
    if (this.alarmsRunning > 0) this.scheduled ??= this.now();
    this.alarmsRunning = 0;
    this.boot();
  }

  /**
   * Runs the alarm handler. `fire`: the scheduled alarm goes off (the platform
   * clears it first); otherwise a duplicate run of one that already fired.
   */
  runAlarm(fire: boolean): void {
    if (fire) this.scheduled = null;
    const instance = this.live;
    this.alarmsRunning++;
    const run = this.logic.alarm().then(
      () => void (instance === this.live && this.alarmsRunning--),
      (err: unknown) => {
        if (!isInjected(err)) throw err;
        if (instance === this.live) this.alarmsRunning--;
        // A failed handler is retried by the platform.
        this.scheduled ??= this.now();
      },
    );
    this.keep(run);
  }

  /** Events and D1 index writes committed but not yet acknowledged. */
  pendingRows(): number {
    const count = (table: string) => this.store.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)[0]!.n;
    return count('outbox_events') + count('index_outbox');
  }

  /** The chat's members as its own storage holds them. */
  members(): { user_id: number; role: string }[] {
    return this.store.exec<{ user_id: number; role: string }>('SELECT user_id, role FROM members ORDER BY user_id');
  }

  /** Waits for every drain and alarm run started so far (by any instance). */
  async idle(): Promise<void> {
    await this.logic.idle();
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private boot(): void {
    const live = new KillableStore(this.store);
    this.live = live;
    for (;;) {
      try {
        this.logic = new ChatRoomLogic(live, {
          now: this.now,
          transport: this.transport,
          // A dead instance cannot set the alarm any more.
          scheduler: { setAlarm: (at) => void (live.dead || (this.scheduled = at)) },
          background: (work) => this.keep(work),
          limits: { sendsPerSecond: 1e9, sendBurst: 1e9 },
        });
        return;
      } catch (err) {
        // An injected commit failure hit the start-up migration: the platform restarts the object.
        if (!isInjected(err)) throw err;
      }
    }
  }

  private keep(work: Promise<unknown>): void {
    const p = work.catch((err: unknown) => void this.failures.push(err));
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }
}
