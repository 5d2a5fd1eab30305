import { DatabaseSync } from 'node:sqlite';
import type { Row, SqlStore, SqlValue } from '../../durable-objects/sql/store.js';

/**
 * An in-memory SqlStore on Node's SQLite, for unit tests of DO logic outside
 * workerd. `failNextCommit` makes the next transaction throw after running its
 * body, rolling it back: the storage-aborted-between-write-and-fan-out fault.
 */
export class MemorySqlStore implements SqlStore {
  readonly db = new DatabaseSync(':memory:');
  private depth = 0;
  failNextCommit = false;

  exec<T extends Row = Row>(query: string, ...params: SqlValue[]): T[] {
    const stmt = this.db.prepare(query);
    const args = params.map((p) => (p instanceof ArrayBuffer ? new Uint8Array(p) : p));
    if (/^\s*(SELECT|WITH|PRAGMA)/i.test(query) || /RETURNING/i.test(query)) {
      return stmt.all(...args) as unknown as T[];
    }
    stmt.run(...args);
    return [];
  }

  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.db.exec('BEGIN');
    this.depth++;
    try {
      const result = fn();
      if (this.failNextCommit) {
        this.failNextCommit = false;
        throw new Error('injected storage failure');
      }
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    } finally {
      this.depth--;
    }
  }
}
