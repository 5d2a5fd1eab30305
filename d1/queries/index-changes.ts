import type { BatchItem } from 'drizzle-orm/batch';
import { z } from 'zod';
import type { Db } from '../db.js';
import { membershipStatement, type MembershipChange } from './chats.js';
import { fileRefStatements, type FileRefChange } from './files.js';
import { inviteLinkStatement, type InviteLinkChange } from './invites.js';

/**
 * What a ChatRoom mirrors into D1 after it commits, through its outbox:
 * memberships (the user-to-chat index), file refs (which messages show a
 * file) and invite links (token hash → group). Every change is idempotent,
 * so the outbox may apply it twice.
 */
export type IndexChange = MembershipChange | FileRefChange | InviteLinkChange;

const id = z.number().int().positive();
/** The same union as a schema: the ChatRoom reads its queued changes back through it. */
export const IndexChangeSchema: z.ZodType<IndexChange> = z.union([
  z.object({ op: z.literal('upsert'), chatId: id, accountId: id, role: z.enum(['creator', 'admin', 'member']), joinedAt: z.number().int() }),
  z.object({ op: z.literal('delete'), chatId: id, accountId: id }),
  // messageId 0: the chat's picture (CHAT_PHOTO_REF).
  z.object({ op: z.enum(['ref', 'unref']), fileId: z.string(), chatId: id, messageId: z.number().int().nonnegative() }),
  z.object({ op: z.literal('invite'), chatId: id, tokenHash: z.string(), createdAt: z.number().int() }),
  z.object({ op: z.literal('uninvite'), tokenHash: z.string() }),
]);

export function isInviteLinkChange(change: IndexChange): change is InviteLinkChange {
  return change.op === 'invite' || change.op === 'uninvite';
}

export function isFileRefChange(change: IndexChange): change is FileRefChange {
  return change.op === 'ref' || change.op === 'unref';
}

/** Applies the changes in order, in one D1 transaction. */
export async function applyIndexChanges(db: Db, changes: readonly IndexChange[], now: number): Promise<void> {
  const statements = changes.flatMap((change): BatchItem<'sqlite'>[] =>
    isFileRefChange(change)
      ? fileRefStatements(db, change, now)
      : isInviteLinkChange(change)
        ? [inviteLinkStatement(db, change)]
        : [membershipStatement(db, change)],
  );
  const [first, ...rest] = statements;
  if (!first) return;
  await db.batch([first, ...rest]);
}
