import type { SqlStore } from './store.js';

/**
 * A DO's schema is an append-only list of migrations. On start-up each object
 * applies the ones it has not seen, in order, in one transaction, and refuses
 * to run if it has seen more than this code knows (a rollback to older code).
 */
export type Migration = { name: string; sql: string };

export function migrate(store: SqlStore, migrations: readonly Migration[]): void {
  store.transaction(() => {
    store.exec('CREATE TABLE IF NOT EXISTS _migrations (idx INTEGER PRIMARY KEY, name TEXT NOT NULL)');
    const applied = store.exec<{ idx: number; name: string }>('SELECT idx, name FROM _migrations ORDER BY idx');
    if (applied.length > migrations.length) {
      throw new Error(`storage has ${applied.length} migrations, code knows ${migrations.length}`);
    }
    applied.forEach((row, i) => {
      if (row.name !== migrations[i]!.name) {
        throw new Error(`migration ${i} is "${row.name}" in storage but "${migrations[i]!.name}" in code`);
      }
    });
    for (let i = applied.length; i < migrations.length; i++) {
      const m = migrations[i]!;
      for (const statement of splitStatements(m.sql)) store.exec(statement);
      store.exec('INSERT INTO _migrations (idx, name) VALUES (?, ?)', i, m.name);
    }
  });
}

/** `exec` runs one statement at a time in Node; migrations are written as `;`-separated lists. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
