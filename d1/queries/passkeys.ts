import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { passkeys, webauthnChallenges } from '../schema.js';

export type PasskeyRow = typeof passkeys.$inferSelect;
export type ChallengePurpose = (typeof webauthnChallenges.$inferSelect)['purpose'];

export async function listPasskeys(db: Db, accountId: number): Promise<PasskeyRow[]> {
  return db.select().from(passkeys).where(eq(passkeys.accountId, accountId)).orderBy(desc(passkeys.createdAt));
}

export async function findPasskey(db: Db, id: string): Promise<PasskeyRow | undefined> {
  return db.query.passkeys.findFirst({ where: eq(passkeys.id, id) });
}

/** False when the credential id is registered already (to any account): nothing is written then. */
export async function insertPasskey(db: Db, row: PasskeyRow): Promise<boolean> {
  const inserted = await db.insert(passkeys).values(row).onConflictDoNothing().returning({ id: passkeys.id });
  return inserted.length > 0;
}

/** Removes one of the account's passkeys; false if it has none with this id (another account's is "none"). */
export async function deletePasskey(db: Db, accountId: number, id: string): Promise<boolean> {
  const rows = await db
    .delete(passkeys)
    .where(and(eq(passkeys.id, id), eq(passkeys.accountId, accountId)))
    .returning({ id: passkeys.id });
  return rows.length > 0;
}

/**
 * Records a sign-in: the new signature counter, only if the stored one is
 * still the one checked, so two sign-ins racing with one counter value
 * cannot both pass. False means a concurrent use won.
 */
export async function usePasskey(db: Db, input: { id: string; checkedCounter: number; newCounter: number; now: number }): Promise<boolean> {
  const rows = await db
    .update(passkeys)
    .set({ counter: input.newCounter, lastUsedAt: input.now })
    .where(and(eq(passkeys.id, input.id), eq(passkeys.counter, input.checkedCounter)))
    .returning({ id: passkeys.id });
  return rows.length > 0;
}

export async function countPasskeys(db: Db, accountId: number): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(passkeys).where(eq(passkeys.accountId, accountId));
  return row?.n ?? 0;
}

/** Stores a challenge, sweeping expired ones first (so the table stays small without a timer). */
export async function createChallenge(db: Db, row: typeof webauthnChallenges.$inferInsert, now: number): Promise<void> {
  await db.batch([db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, now)), db.insert(webauthnChallenges).values(row)]);
}

/**
 * Uses a challenge up: one conditional DELETE (this purpose, this account or
 * none for a sign-in, not expired), so of two answers to the same challenge
 * only one gets it. Returns the origin and RP ID it was issued for.
 */
export async function consumeChallenge(
  db: Db,
  input: { challenge: string; purpose: ChallengePurpose; accountId: number | null; now: number },
): Promise<{ origin: string; rpId: string } | undefined> {
  const account = input.accountId === null ? isNull(webauthnChallenges.accountId) : eq(webauthnChallenges.accountId, input.accountId);
  const [row] = await db
    .delete(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.challenge, input.challenge),
        eq(webauthnChallenges.purpose, input.purpose),
        account,
        gt(webauthnChallenges.expiresAt, input.now),
      ),
    )
    .returning({ origin: webauthnChallenges.origin, rpId: webauthnChallenges.rpId });
  return row;
}
