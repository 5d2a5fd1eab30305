import type { SqlStore } from './sql/store.js';

/**
 * Several timed jobs on the one alarm a Durable Object has (the pattern of
 * tldraw's sync worker): each job keeps its own due time in the object's
 * SQLite (`alarm_jobs`, created by each object's migrations), the runtime's
 * alarm is set to the earliest, and the alarm handler runs the jobs that are
 * due. Durable on purpose: after an eviction the alarm still knows which
 * jobs it fires for, and a job never postpones another's earlier time.
 *
 * Alarms are at-least-once and may fire twice, so a job must be idempotent.
 * A job's row is removed only after it ran, so a crash in the middle runs it
 * again; a job that throws is retried after JOB_RETRY_MS.
 */
export const ALARM_JOBS_TABLE_SQL = `
  -- One row per timed job of this object (see durable-objects/alarm-jobs.ts).
  CREATE TABLE alarm_jobs (job TEXT PRIMARY KEY, due_at INTEGER NOT NULL)
`;

/** A job that threw runs again this long after. */
export const JOB_RETRY_MS = 10_000;

/** The runtime's one alarm (ctx.storage.setAlarm). */
export type RuntimeAlarm = (atMs: number) => void;

export type JobHandlers<J extends string> = Record<J, () => Promise<void>>;

export class AlarmJobs<J extends string> {
  /** Due time per job, mirrored from the table on first use. */
  private due: Map<string, number> | undefined;
  /** What the runtime's alarm was last set to by this instance. */
  private armedAt: number | null = null;
  /** Jobs running now, with the due time they run for. */
  private readonly running = new Map<string, number>();
  /** Rows of jobs this code has no handler for: never armed for, or a past one would fire the alarm in a loop. */
  private readonly unknown = new Set<string>();

  constructor(
    private readonly store: SqlStore,
    private readonly setRuntimeAlarm: RuntimeAlarm,
    private readonly now: () => number,
  ) {}

  /** Wants `job` to run at `atMs` or earlier: an earlier wish already recorded stands. */
  schedule(job: J, atMs: number): void {
    const due = this.table();
    const current = due.get(job);
    if (current !== undefined && current <= atMs) return;
    due.set(job, atMs);
    this.store.exec(
      'INSERT INTO alarm_jobs (job, due_at) VALUES (?, ?) ON CONFLICT (job) DO UPDATE SET due_at = excluded.due_at',
      job,
      atMs,
    );
    this.arm();
  }

  /** When `job` is due next, if at all. */
  dueAt(job: J): number | undefined {
    return this.table().get(job);
  }

  /**
   * The alarm handler: runs every due job once (in the order of their due
   * times), then sets the alarm for whatever is due next, including what the
   * jobs scheduled while they ran. Rows of jobs this code does not know (a
   * newer version's, after a rollback) are left alone.
   */
  async run(handlers: JobHandlers<J>): Promise<void> {
    const due = this.table();
    this.armedAt = null;
    for (const job of due.keys()) if (!Object.hasOwn(handlers, job)) this.unknown.add(job);
    const known = [...due].filter(([job]) => Object.hasOwn(handlers, job) && !this.running.has(job));
    // The alarm fired for the earliest job, so that one runs even if the clock
    // says it is early (the test runtime's runDurableObjectAlarm fires at once).
    const cutoff = Math.max(this.now(), Math.min(...known.map(([, at]) => at)));
    const ready = known
      .filter(([, at]) => at <= cutoff)
      .sort((a, b) => a[1] - b[1]);
    for (const [job, at] of ready) {
      // Taken off the map first, so the job may schedule itself again while it runs.
      due.delete(job);
      this.running.set(job, at);
      try {
        await handlers[job as J]();
        // Only the run's own row: a time the job set while running stays.
        this.store.exec('DELETE FROM alarm_jobs WHERE job = ? AND due_at = ?', job, at);
      } catch (err) {
        console.error(`alarm job ${job} failed; retried in ${JOB_RETRY_MS} ms`, err);
        this.store.exec('DELETE FROM alarm_jobs WHERE job = ? AND due_at = ?', job, at);
        this.schedule(job as J, this.now() + JOB_RETRY_MS);
      } finally {
        this.running.delete(job);
      }
    }
    this.arm();
  }

  private table(): Map<string, number> {
    this.due ??= new Map(
      this.store.exec<{ job: string; due_at: number }>('SELECT job, due_at FROM alarm_jobs').map((r) => [r.job, r.due_at]),
    );
    return this.due;
  }

  private arm(): void {
    let next: number | null = null;
    for (const [job, at] of this.table()) if (!this.unknown.has(job) && (next === null || at < next)) next = at;
    if (next === null || next === this.armedAt) return;
    this.armedAt = next;
    this.setRuntimeAlarm(next);
  }
}
