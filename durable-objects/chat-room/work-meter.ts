import type { SqlStore } from '../sql/store.js';

/**
 * What the room's writes cost, per committed verb: rows written (SQLite's
 * total_changes over the transaction: statements, triggers and the search
 * index alike) and calls made because of it (one per recipient mailbox the
 * outbox drains to, one for the D1 index, one per fan-out shard). DESIGN
 * rule 9 asks the bench to report the most any single object spends on one
 * message; this is the ChatRoom's side, read through the local-only dev
 * route (workers/routes/dev-seeding.ts) and reset between phases. The
 * shards' side is the most mailboxes one shard pushed to for one batch.
 */
export type WorkStats = {
  commits: number;
  maxRows: number;
  maxCalls: number;
  /** The most online members one fan-out shard pushed one batch to. */
  maxShardPushes: number;
};

export class WorkMeter {
  private stats: WorkStats = { commits: 0, maxRows: 0, maxCalls: 0, maxShardPushes: 0 };

  constructor(private readonly store: SqlStore) {}

  /**
   * The running count of rows written: the store's own count where it keeps
   * one (in a Durable Object: no query on every commit), else SQLite's
   * total_changes().
   */
  changes(): number {
    return this.store.rowsWritten?.() ?? this.store.exec<{ n: number }>('SELECT total_changes() AS n')[0]?.n ?? 0;
  }

  committed(rows: number, calls: number): void {
    const s = this.stats;
    s.commits++;
    s.maxRows = Math.max(s.maxRows, rows);
    s.maxCalls = Math.max(s.maxCalls, calls);
  }

  shardPushed(mailboxes: number): void {
    this.stats.maxShardPushes = Math.max(this.stats.maxShardPushes, mailboxes);
  }

  /** The figures since the last reset; `reset` starts a new count. */
  read(reset: boolean): WorkStats {
    const out = { ...this.stats };
    if (reset) this.stats = { commits: 0, maxRows: 0, maxCalls: 0, maxShardPushes: 0 };
    return out;
  }
}
