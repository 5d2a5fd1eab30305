import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { User } from '../../protocol/common.js';
import type { Db } from '../db.js';
import { accounts } from '../schema.js';

export type AccountRow = typeof accounts.$inferSelect;

export function usernameKey(username: string): string {
  return username.toLowerCase();
}

export function toUser(row: Pick<AccountRow, 'id' | 'username' | 'displayName' | 'isBot'> & { about?: string | null; deletedAt?: number | null }): User {
  // A deleted account keeps its id (private chats still show it) but nothing else of who it was.
  if (row.deletedAt) return { id: row.id, username: '', display_name: '', is_bot: row.isBot, deleted: true };
  return {
    id: row.id,
    username: row.username,
    display_name: row.displayName,
    is_bot: row.isBot,
    ...(row.about ? { about: row.about } : {}),
  };
}

/** Inserts the account; returns null when the username is taken (case-insensitively). */
export async function createAccount(
  db: Db,
  input: { username: string; displayName: string; passwordHash: string | null; isBot?: boolean; now: number },
): Promise<AccountRow | null> {
  const rows = await db
    .insert(accounts)
    .values({
      username: input.username,
      usernameKey: usernameKey(input.username),
      displayName: input.displayName,
      passwordHash: input.passwordHash,
      isBot: input.isBot ?? false,
      createdAt: input.now,
    })
    .onConflictDoNothing({ target: accounts.usernameKey })
    .returning();
  return rows[0] ?? null;
}

export async function findAccountByUsername(db: Db, username: string): Promise<AccountRow | undefined> {
  return db.query.accounts.findFirst({ where: eq(accounts.usernameKey, usernameKey(username)) });
}

export async function findAccountById(db: Db, id: number): Promise<AccountRow | undefined> {
  return db.query.accounts.findFirst({ where: eq(accounts.id, id) });
}

/** Up to 100 ids per call (D1 binds at most 100 parameters). */
export async function findAccountsByIds(db: Db, ids: readonly number[]): Promise<AccountRow[]> {
  if (ids.length === 0) return [];
  const unique = [...new Set(ids)];
  const out: AccountRow[] = [];
  for (let i = 0; i < unique.length; i += 90) {
    out.push(...(await db.select().from(accounts).where(inArray(accounts.id, unique.slice(i, i + 90)))));
  }
  return out;
}


export type ProfileChange = { username: string; displayName: string; about: string | null };

/**
 * Sets the account's username, display name and bio in one statement, so
 * the old username stops resolving exactly when the new one starts. The
 * unique index on username_key decides a race for a name: `OR IGNORE` turns
 * a conflict into "no row updated", and the loser gets false (taken). A
 * change of case only keeps the key, so it never conflicts with itself.
 */
export async function updateProfile(db: Db, id: number, change: ProfileChange): Promise<boolean> {
  const rows = await db.all<{ id: number }>(
    sql`UPDATE OR IGNORE accounts
        SET username = ${change.username}, username_key = ${usernameKey(change.username)},
            display_name = ${change.displayName}, about = ${change.about}
        WHERE id = ${id} RETURNING id`,
  );
  return rows.length === 1;
}

/** Written by the account's mailbox when its first socket opens or its last one closes. */
export async function setPresence(db: Db, id: number, online: boolean, at: number): Promise<void> {
  await db.update(accounts).set({ online, lastSeenAt: at }).where(eq(accounts.id, id));
}

/** Ids of the accounts with these (lower-cased) usernames; unknown names are left out. */
export async function findAccountIdsByUsernames(db: Db, usernameKeys: readonly string[]): Promise<number[]> {
  if (usernameKeys.length === 0) return [];
  const rows = await db.select({ id: accounts.id }).from(accounts).where(inArray(accounts.usernameKey, [...usernameKeys]));
  return rows.map((r) => r.id);
}

/**
 * Accounts whose username starts with `prefix` (case-insensitively), by
 * the unique index on username_key: a range, not a scan. `prefix` is
 * lower-cased ASCII of username characters only, so no LIKE escaping.
 */
export async function accountsByUsernamePrefix(db: Db, prefix: string, limit: number): Promise<AccountRow[]> {
  const key = usernameKey(prefix);
  return db
    .select()
    .from(accounts)
    .where(and(gte(accounts.usernameKey, key), lt(accounts.usernameKey, `${key}\u{10FFFF}`)))
    .orderBy(accounts.usernameKey)
    .limit(limit);
}
