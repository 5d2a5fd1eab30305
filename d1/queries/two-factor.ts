import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { accounts, loginTokens, recoveryCodes, twoFactor } from '../schema.js';

export type TwoFactorRow = typeof twoFactor.$inferSelect;

export async function findTwoFactor(db: Db, accountId: number): Promise<TwoFactorRow | undefined> {
  return db.query.twoFactor.findFirst({ where: eq(twoFactor.accountId, accountId) });
}

/** The confirmed secret, or null when the account has no second factor. */
export async function confirmedSecret(db: Db, accountId: number): Promise<string | null> {
  return (await findTwoFactor(db, accountId))?.secret ?? null;
}

/** Stores a new pending secret, replacing an earlier unconfirmed one; a confirmed secret is untouched. */
export async function setPendingSecret(db: Db, accountId: number, secret: string): Promise<void> {
  await db
    .insert(twoFactor)
    .values({ accountId, pendingSecret: secret })
    .onConflictDoUpdate({ target: twoFactor.accountId, set: { pendingSecret: secret } });
}

/**
 * Turns the pending secret into the account's second factor with its
 * recovery codes, in one batch. `step` is the step of the code that
 * confirmed it (already used). False if the pending secret changed meanwhile
 * (another enableTwoFactor): nothing is written then.
 */
export async function confirmPendingSecret(
  db: Db,
  input: { accountId: number; secret: string; step: number; recoveryHashes: string[]; now: number },
): Promise<boolean> {
  const updated = await db
    .update(twoFactor)
    .set({ secret: input.secret, pendingSecret: null, lastUsedStep: input.step, enabledAt: input.now })
    .where(and(eq(twoFactor.accountId, input.accountId), eq(twoFactor.pendingSecret, input.secret), isNull(twoFactor.secret)))
    .returning({ accountId: twoFactor.accountId });
  if (updated.length === 0) return false;
  await db.batch([
    db.delete(recoveryCodes).where(eq(recoveryCodes.accountId, input.accountId)),
    db.insert(recoveryCodes).values(input.recoveryHashes.map((codeHash) => ({ accountId: input.accountId, codeHash }))),
  ]);
  return true;
}

/** Removes the second factor, its recovery codes and pending logins. */
export async function deleteTwoFactor(db: Db, accountId: number): Promise<void> {
  await db.batch([
    db.delete(twoFactor).where(eq(twoFactor.accountId, accountId)),
    db.delete(recoveryCodes).where(eq(recoveryCodes.accountId, accountId)),
    db.delete(loginTokens).where(eq(loginTokens.accountId, accountId)),
  ]);
}

/**
 * Marks `step` used if no code of this step or a later one was accepted
 * before: one UPDATE, so two requests with the same code cannot both pass.
 */
export async function useTotpStep(db: Db, accountId: number, step: number): Promise<boolean> {
  const rows = await db
    .update(twoFactor)
    .set({ lastUsedStep: step })
    .where(and(eq(twoFactor.accountId, accountId), or(isNull(twoFactor.lastUsedStep), lt(twoFactor.lastUsedStep, step))))
    .returning({ accountId: twoFactor.accountId });
  return rows.length > 0;
}

/** Uses up an unused recovery code; false if it is not one of the account's or was used. */
export async function useRecoveryCode(db: Db, accountId: number, codeHash: string, now: number): Promise<boolean> {
  const rows = await db
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.accountId, accountId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
    .returning({ codeHash: recoveryCodes.codeHash });
  return rows.length > 0;
}

export async function unusedRecoveryCodes(db: Db, accountId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.accountId, accountId), isNull(recoveryCodes.usedAt)));
  return row?.n ?? 0;
}

export async function createLoginToken(db: Db, input: { tokenHash: string; accountId: number; expiresAt: number }): Promise<void> {
  await db.insert(loginTokens).values(input);
}

/** The account a login token is for, if it exists and has not expired. */
export async function findLoginToken(db: Db, tokenHash: string, now: number): Promise<{ accountId: number } | undefined> {
  return db.query.loginTokens.findFirst({
    where: and(eq(loginTokens.tokenHash, tokenHash), gt(loginTokens.expiresAt, now)),
    columns: { accountId: true },
  });
}

/** Deletes a login token, returning whether this call was the one that did (single use under concurrency). */
export async function consumeLoginToken(db: Db, tokenHash: string): Promise<boolean> {
  const rows = await db.delete(loginTokens).where(eq(loginTokens.tokenHash, tokenHash)).returning({ tokenHash: loginTokens.tokenHash });
  return rows.length > 0;
}

/** Sweeps the account's expired login tokens (done at each new one, so the table stays small without a timer). */
export async function deleteExpiredLoginTokens(db: Db, accountId: number, now: number): Promise<void> {
  await db.delete(loginTokens).where(and(eq(loginTokens.accountId, accountId), lt(loginTokens.expiresAt, now + 1)));
}

/**
 * Sets a new password hash if the stored one is still `expectedHash` (a
 * concurrent change wins once), and drops pending second-factor logins: each
 * of them proved the old password.
 */
export async function replacePasswordHash(db: Db, accountId: number, expectedHash: string, newHash: string): Promise<boolean> {
  const [updated] = await db.batch([
    db
      .update(accounts)
      .set({ passwordHash: newHash })
      .where(and(eq(accounts.id, accountId), eq(accounts.passwordHash, expectedHash)))
      .returning({ id: accounts.id }),
    db.delete(loginTokens).where(eq(loginTokens.accountId, accountId)),
  ]);
  return updated.length > 0;
}
