import { and, eq, gt, isNotNull, isNull, lt } from 'drizzle-orm';
import type { Db } from '../db.js';
import { qrLoginTokens } from '../schema.js';

export type QrLoginRow = typeof qrLoginTokens.$inferSelect;

/** Expired tokens are kept this long, so using one answers "expired" rather than "unknown". */
export const EXPIRED_QR_TOKEN_KEPT_MS = 10 * 60_000;

/** Stores a new token, sweeping those expired long enough ago. */
export async function createQrLoginToken(db: Db, row: typeof qrLoginTokens.$inferInsert, now: number): Promise<void> {
  await db.batch([
    db.delete(qrLoginTokens).where(lt(qrLoginTokens.expiresAt, now - EXPIRED_QR_TOKEN_KEPT_MS)),
    db.insert(qrLoginTokens).values(row),
  ]);
}

export async function findQrLoginToken(db: Db, tokenHash: string): Promise<QrLoginRow | undefined> {
  return db.query.qrLoginTokens.findFirst({ where: eq(qrLoginTokens.tokenHash, tokenHash) });
}

/**
 * Approves a token for an account: one conditional UPDATE (unapproved, not
 * expired), so a token is approved once. The waiting device then has
 * `collectWithinMs` to collect its session.
 */
export async function approveQrLoginToken(
  db: Db,
  input: { tokenHash: string; accountId: number; now: number; collectWithinMs: number },
): Promise<boolean> {
  const rows = await db
    .update(qrLoginTokens)
    .set({ accountId: input.accountId, approvedAt: input.now, expiresAt: input.now + input.collectWithinMs })
    .where(and(eq(qrLoginTokens.tokenHash, input.tokenHash), isNull(qrLoginTokens.accountId), gt(qrLoginTokens.expiresAt, input.now)))
    .returning({ tokenHash: qrLoginTokens.tokenHash });
  return rows.length > 0;
}

/** Takes an approved, unexpired token: one conditional DELETE, so only one poll gets the session. */
export async function collectQrLoginToken(db: Db, tokenHash: string, now: number): Promise<QrLoginRow | undefined> {
  const [row] = await db
    .delete(qrLoginTokens)
    .where(and(eq(qrLoginTokens.tokenHash, tokenHash), isNotNull(qrLoginTokens.accountId), gt(qrLoginTokens.expiresAt, now)))
    .returning();
  return row;
}

/** Drops a token the waiting device replaced with a fresh one (only if nobody approved it yet). */
export async function dropQrLoginToken(db: Db, tokenHash: string): Promise<void> {
  await db.delete(qrLoginTokens).where(and(eq(qrLoginTokens.tokenHash, tokenHash), isNull(qrLoginTokens.accountId)));
}
