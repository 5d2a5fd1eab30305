import type { SqlStore } from '../sql/store.js';

/** The outbox's second queue, the D1 index, tracked beside recipients (user ids are positive). */
export const INDEX_TARGET = 0;
/**
 * Consecutive failed attempts after which a target is parked. With the
 * alarm's backoff (1 s doubling to 60 s) ten attempts span about five
 * minutes: longer than a deploy or an isolate restart keeps a mailbox away,
 * short enough that one gone for good stops waking the chat every minute.
 */
export const PARK_AFTER_FAILURES = 10;
/** How often a parked target is probed by the alarm; new events still try it directly at once. */
export const PROBE_INTERVAL_MS = 15 * 60_000;

type TargetState = { failures: number; parkedAt: number | null; nextProbeAt: number | null };

/** What a failed attempt did to its target. */
export type FailureOutcome = 'failing' | 'parked now' | 'still parked';

/**
 * Delivery health per outbox target (a recipient, or INDEX_TARGET): its run
 * of consecutive failures and whether it is parked. Durable (the
 * `outbox_targets` table) because an evicted object must not forget a dead
 * mailbox and put it back on the fast backoff; mirrored in memory so the
 * normal path (a target that never failed) reads and writes nothing.
 */
export class OutboxHealth {
  private readonly targets = new Map<number, TargetState>();

  constructor(
    private readonly store: SqlStore,
    private readonly now: () => number,
  ) {
    const rows = store.exec<{ target: number; failures: number; parked_at: number | null; next_probe_at: number | null }>(
      'SELECT target, failures, parked_at, next_probe_at FROM outbox_targets',
    );
    for (const r of rows) {
      this.targets.set(r.target, { failures: r.failures, parkedAt: r.parked_at, nextProbeAt: r.next_probe_at });
    }
  }

  isParked(target: number): boolean {
    return this.targets.get(target)?.parkedAt != null;
  }

  /** Whether the alarm should try the target now: always unless parked, else when its probe is due. */
  due(target: number): boolean {
    const state = this.targets.get(target);
    return state?.parkedAt == null || (state.nextProbeAt ?? 0) <= this.now();
  }

  failures(target: number): number {
    return this.targets.get(target)?.failures ?? 0;
  }

  /** Counts a failed attempt; `parkNow` for a failure no retry can cure (an unreadable row). */
  failed(target: number, parkNow = false): FailureOutcome {
    const now = this.now();
    const state = this.targets.get(target) ?? { failures: 0, parkedAt: null, nextProbeAt: null };
    state.failures++;
    const wasParked = state.parkedAt !== null;
    if (!wasParked && (parkNow || state.failures >= PARK_AFTER_FAILURES)) state.parkedAt = now;
    // Any failure of a parked target (a probe, or a new event tried directly) starts a new probe interval.
    if (state.parkedAt !== null) state.nextProbeAt = now + PROBE_INTERVAL_MS;
    this.targets.set(target, state);
    this.store.exec(
      `INSERT INTO outbox_targets (target, failures, parked_at, next_probe_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (target) DO UPDATE SET failures = ?2, parked_at = ?3, next_probe_at = ?4`,
      target,
      state.failures,
      state.parkedAt,
      state.nextProbeAt,
    );
    return wasParked ? 'still parked' : state.parkedAt !== null ? 'parked now' : 'failing';
  }

  /** A delivery to the target succeeded: its run of failures ends. True if it was parked (it resumes). */
  succeeded(target: number): boolean {
    const state = this.targets.get(target);
    if (!state) return false;
    this.targets.delete(target);
    this.store.exec('DELETE FROM outbox_targets WHERE target = ?', target);
    return state.parkedAt !== null;
  }

  parked(): number[] {
    return [...this.targets].filter(([, s]) => s.parkedAt !== null).map(([t]) => t);
  }

  /** The earliest probe of any parked target, or null when none is parked. */
  nextProbeAt(): number | null {
    let next: number | null = null;
    for (const s of this.targets.values()) {
      if (s.parkedAt !== null && s.nextProbeAt !== null && (next === null || s.nextProbeAt < next)) next = s.nextProbeAt;
    }
    return next;
  }
}
