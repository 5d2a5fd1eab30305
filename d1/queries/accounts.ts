import { eq, inArray } from 'drizzle-orm';
import type { User } from '../../protocol/common.js';
import type { Db } from '../db.js';
import { accounts } from '../schema.js';

export type AccountRow = typeof accounts.$inferSelect;

export function usernameKey(username: string): string {
  return username.toLowerCase();
}

export function toUser(row: Pick<AccountRow, 'id' | 'username' | 'displayName' | 'isBot'>): User {
  return { id: row.id, username: row.username, display_name: row.displayName, is_bot: row.isBot };
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


/** Written by the account's mailbox when its first socket opens or its last one closes. */
export async function setPresence(db: Db, id: number, online: boolean, at: number): Promise<void> {
  await db.update(accounts).set({ online, lastSeenAt: at }).where(eq(accounts.id, id));
}
