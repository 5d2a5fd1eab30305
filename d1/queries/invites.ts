import { eq } from 'drizzle-orm';
import type { Db } from '../db.js';
import { inviteLinks } from '../schema.js';

/** Index writes for invite links, mirrored from a ChatRoom after it commits. Idempotent. */
export type InviteLinkChange =
  | { op: 'invite'; chatId: number; tokenHash: string; createdAt: number }
  | { op: 'uninvite'; tokenHash: string };

export function inviteLinkStatement(db: Db, change: InviteLinkChange) {
  if (change.op === 'uninvite') return db.delete(inviteLinks).where(eq(inviteLinks.tokenHash, change.tokenHash));
  return db
    .insert(inviteLinks)
    .values({ tokenHash: change.tokenHash, chatId: change.chatId, createdAt: change.createdAt })
    .onConflictDoNothing();
}

/** The group a token's hash leads to, if the link was created and not revoked. */
export async function findInviteChat(db: Db, tokenHash: string): Promise<number | undefined> {
  const row = await db.query.inviteLinks.findFirst({ where: eq(inviteLinks.tokenHash, tokenHash) });
  return row?.chatId;
}
