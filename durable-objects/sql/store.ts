/**
 * The storage a Durable Object's logic runs on: synchronous SQLite, the same
 * dialect in workerd (`ctx.storage.sql`) and in Node (`node:sqlite`), so the
 * chat and mailbox logic is tested both without and inside workerd.
 */
export type SqlValue = string | number | null | ArrayBuffer;
export type Row = Record<string, SqlValue>;

export interface SqlStore {
  /** Runs one statement and returns its rows. */
  exec<T extends Row = Row>(query: string, ...params: SqlValue[]): T[];
  /** Runs `fn` atomically: all of its writes commit together or none do. */
  transaction<T>(fn: () => T): T;
  /**
   * Rows this store has written so far, where it counts them without a
   * query (the Durable Object's: the runtime's `rowsWritten`, its billing
   * unit). Absent: ask SQLite's total_changes().
   */
  rowsWritten?(): number;
}

/**
 * SQLite rows written by every object of this isolate since it started, as
 * the runtime counts them for billing (each statement's `rowsWritten`). The
 * bench reads it per phase through the local-only dev route
 * (workers/routes/dev-seeding.ts): locally one isolate runs every object.
 */
let isolateRowsWritten = 0;
export const sqlRowsWritten = (): number => isolateRowsWritten;

/** Adapts a Durable Object's SQLite storage. */
export function durableSqlStore(storage: DurableObjectStorage): SqlStore {
  let written = 0;
  return {
    exec<T extends Row>(query: string, ...params: SqlValue[]): T[] {
      const cursor = storage.sql.exec<T>(query, ...params);
      const rows = cursor.toArray();
      written += cursor.rowsWritten;
      isolateRowsWritten += cursor.rowsWritten;
      return rows;
    },
    rowsWritten: () => written,
    transaction<T>(fn: () => T): T {
      return storage.transactionSync(fn);
    },
  };
}

/** First row or undefined: most look-ups want one row. */
export function one<T extends Row>(store: SqlStore, query: string, ...params: SqlValue[]): T | undefined {
  return store.exec<T>(query, ...params)[0];
}
