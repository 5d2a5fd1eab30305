import { sql } from 'drizzle-orm';
import type { Db } from '../db.js';

/**
 * Bulk rows for local seeding only (workers/routes/dev-seeding.ts): accounts
 * without a password (nobody can sign in as them; sessions are minted for the
 * ones a test brings online) and the chat's membership index. One JSON
 * parameter per statement: D1 binds at most 100 parameters.
 */
const CHUNK = 10_000;

/** Creates `count` accounts named `<prefix><n>`; returns their ids in order. */
export async function insertSeedAccounts(db: Db, prefix: string, count: number, now: number): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < count; start += CHUNK) {
    const names = Array.from({ length: Math.min(CHUNK, count - start) }, (_, i) => `${prefix}${start + i + 1}`);
    const rows = await db.all<{ id: number }>(sql`
      INSERT INTO accounts (username, username_key, display_name, password_hash, is_bot, created_at, online)
      SELECT value, lower(value), 'Member ' || substr(value, ${prefix.length + 1}), NULL, 0, ${now}, 0 FROM json_each(${JSON.stringify(names)})
      RETURNING id`);
    ids.push(...rows.map((r) => r.id).sort((a, b) => a - b));
  }
  return ids;
}

export async function insertSeedMemberships(db: Db, chatId: number, accountIds: readonly number[], joinedAt: number): Promise<void> {
  for (let start = 0; start < accountIds.length; start += CHUNK) {
    const chunk = JSON.stringify(accountIds.slice(start, start + CHUNK));
    await db.run(sql`
      INSERT OR IGNORE INTO chat_members (account_id, chat_id, role, joined_at)
      SELECT value, ${chatId}, 'member', ${joinedAt} FROM json_each(${chunk})`);
  }
}
