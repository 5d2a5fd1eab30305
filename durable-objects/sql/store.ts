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
}

/** Adapts a Durable Object's SQLite storage. */
export function durableSqlStore(storage: DurableObjectStorage): SqlStore {
  return {
    exec<T extends Row>(query: string, ...params: SqlValue[]): T[] {
      return storage.sql.exec<T>(query, ...params).toArray();
    },
    transaction<T>(fn: () => T): T {
      return storage.transactionSync(fn);
    },
  };
}

/** First row or undefined: most look-ups want one row. */
export function one<T extends Row>(store: SqlStore, query: string, ...params: SqlValue[]): T | undefined {
  return store.exec<T>(query, ...params)[0];
}
