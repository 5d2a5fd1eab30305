import type { BatchItem } from 'drizzle-orm/batch';
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
