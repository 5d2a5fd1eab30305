import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

type D1Like = { prepare(sql: string): { run(): Promise<unknown> } };

/**
 * Applies the D1 migrations in `dir` (the ones `wrangler d1 migrations apply`
 * runs) by executing their SQL in file order, split into statements by
 * wrangler's own splitter.
 */
export async function applyMigrations(db: D1Like, dir: string, split: (sql: string) => string[]): Promise<number> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  let statements = 0;
  for (const file of files) {
    for (const statement of split(readFileSync(path.join(dir, file), 'utf8'))) {
      await db.prepare(statement).run();
      statements++;
    }
  }
  return statements;
}
