import { and, asc, eq, gt, inArray, lte, ne } from 'drizzle-orm';
import type { Db } from '../db.js';
import {
  accountDeletions,
  accounts,
  blocks,
  chatMembers,
  chats,
  contacts,
  fileOwners,
  loginTokens,
  passkeys,
  privacyRules,
  qrLoginTokens,
  recoveryCodes,
  twoFactor,
} from '../schema.js';

export type DeletionRow = typeof accountDeletions.$inferSelect;

export async function findDeletion(db: Db, accountId: number): Promise<DeletionRow | undefined> {
  return db.query.accountDeletions.findFirst({ where: eq(accountDeletions.accountId, accountId) });
}

/**
 * Schedules the account's deletion for `dueAt`, unless one is already
 * scheduled (kept as it is), running or done (never restarted). Returns
 * the row as it now stands.
 */
export async function scheduleDeletion(db: Db, accountId: number, now: number, dueAt: number): Promise<DeletionRow> {
  await db
    .insert(accountDeletions)
    .values({ accountId, state: 'scheduled', requestedAt: now, dueAt })
    .onConflictDoUpdate({
      target: accountDeletions.accountId,
      set: { state: 'scheduled', requestedAt: now, dueAt, step: null, cursor: null, cancelReason: null, finishedAt: null },
      setWhere: eq(accountDeletions.state, 'cancelled'),
    });
  return (await findDeletion(db, accountId))!;
}

/** Cancels a deletion still in its grace period; false when there was none to cancel (none, running or done). */
export async function cancelDeletion(db: Db, accountId: number, reason: 'sign_in' | 'request'): Promise<boolean> {
  const rows = await db
    .update(accountDeletions)
    .set({ state: 'cancelled', cancelReason: reason })
    .where(and(eq(accountDeletions.accountId, accountId), eq(accountDeletions.state, 'scheduled')))
    .returning({ id: accountDeletions.accountId });
  return rows.length === 1;
}

/**
 * Moves a due deletion from `scheduled` to `running` (from here on no
 * sign-in can stop it), in one conditional statement so a cancel racing it
 * either lands first (nothing starts) or finds it running. Returns the row
 * if it is running now, whether this call or an earlier run started it.
 */
export async function startDueDeletion(db: Db, accountId: number, now: number): Promise<DeletionRow | undefined> {
  await db
    .update(accountDeletions)
    .set({ state: 'running' })
    .where(and(eq(accountDeletions.accountId, accountId), eq(accountDeletions.state, 'scheduled'), lte(accountDeletions.dueAt, now)));
  const row = await findDeletion(db, accountId);
  return row?.state === 'running' ? row : undefined;
}

export async function saveDeletionProgress(db: Db, accountId: number, step: string, cursor: string | null): Promise<void> {
  await db.update(accountDeletions).set({ step, cursor }).where(and(eq(accountDeletions.accountId, accountId), eq(accountDeletions.state, 'running')));
}

export async function finishDeletion(db: Db, accountId: number, now: number): Promise<void> {
  await db.update(accountDeletions).set({ state: 'done', finishedAt: now, step: null, cursor: null }).where(eq(accountDeletions.accountId, accountId));
}

/** The groups, supergroups and channels the account is in (D1's index), after `afterChatId`, by id. */
export async function managedChatsOf(db: Db, accountId: number, afterChatId: number, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: chatMembers.chatId })
    .from(chatMembers)
    .innerJoin(chats, eq(chats.id, chatMembers.chatId))
    .where(and(eq(chatMembers.accountId, accountId), gt(chatMembers.chatId, afterChatId), ne(chats.kind, 'private')))
    .orderBy(asc(chatMembers.chatId))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** The account's private chats (D1's index) after `afterChatId`, by id, each with the other member (itself for its saved messages). */
export async function privateChatsOf(db: Db, accountId: number, afterChatId: number, limit: number): Promise<Array<{ chatId: number; peerId: number }>> {
  const rows = await db
    .select({ id: chats.id, pair: chats.privatePair })
    .from(chatMembers)
    .innerJoin(chats, eq(chats.id, chatMembers.chatId))
    .where(and(eq(chatMembers.accountId, accountId), gt(chatMembers.chatId, afterChatId), eq(chats.kind, 'private')))
    .orderBy(asc(chatMembers.chatId))
    .limit(limit);
  return rows.map((r) => {
    const [a, b] = (r.pair ?? '').split(':').map(Number);
    return { chatId: r.id, peerId: a === accountId ? (b ?? accountId) : (a ?? accountId) };
  });
}

/**
 * Ends the account's upload holds on up to `limit` of its files after
 * `afterFileId` (by id) and returns them, so their reapers can free those no
 * message shows. Its owner rows go: a deleted account sends nothing.
 */
export async function releaseOwnedFiles(db: Db, accountId: number, afterFileId: string, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: fileOwners.fileId })
    .from(fileOwners)
    .where(and(eq(fileOwners.accountId, accountId), gt(fileOwners.fileId, afterFileId)))
    .orderBy(asc(fileOwners.fileId))
    .limit(limit);
  const ids = rows.map((r) => r.id);
  if (ids.length > 0) {
    await db.delete(fileOwners).where(and(eq(fileOwners.accountId, accountId), inArray(fileOwners.fileId, ids)));
  }
  return ids;
}

/** The username_key of a deleted account: `#` is in no valid username, so the name it held is free at once. */
export function tombstoneKey(accountId: number): string {
  return `#deleted:${accountId}`;
}

/**
 * Tombstones the account in one transaction: the row stays (its id is in
 * private chats and old messages) with no name, no username (freed), no bio
 * and no password hash (nobody can sign in); its contacts, blocks, privacy
 * rules, second factor, passkeys and QR login tokens go. Running it again
 * changes nothing more.
 */
export async function tombstoneAccount(db: Db, accountId: number, now: number): Promise<void> {
  await db.batch([
    db
      .update(accounts)
      .set({ username: '', usernameKey: tombstoneKey(accountId), displayName: '', about: null, passwordHash: null, online: false, deletedAt: now })
      .where(eq(accounts.id, accountId)),
    db.delete(contacts).where(eq(contacts.ownerId, accountId)),
    db.delete(blocks).where(eq(blocks.ownerId, accountId)),
    db.delete(privacyRules).where(eq(privacyRules.accountId, accountId)),
    db.delete(recoveryCodes).where(eq(recoveryCodes.accountId, accountId)),
    db.delete(twoFactor).where(eq(twoFactor.accountId, accountId)),
    db.delete(loginTokens).where(eq(loginTokens.accountId, accountId)),
    // Its passkeys too: a passkey alone signs in, so a deleted account must have none.
    db.delete(passkeys).where(eq(passkeys.accountId, accountId)),
    db.delete(qrLoginTokens).where(eq(qrLoginTokens.accountId, accountId)),
  ]);
}
