import { database } from '../../d1/db.js';
import { findAccountById, toUser } from '../../d1/queries/accounts.js';
import {
  findDeletion,
  finishDeletion,
  managedChatsOf,
  privateChatsOf,
  releaseOwnedFiles,
  saveDeletionProgress,
  startDueDeletion,
  tombstoneAccount,
} from '../../d1/queries/account-deletions.js';
import { deleteExportRow, findExport } from '../../d1/queries/data-exports.js';
import { unreferencedFiles } from '../../d1/queries/files.js';
import { deleteProfilePhotos, profilePhotosOf } from '../../d1/queries/profile-photos.js';
import { MAX_PROFILE_PHOTOS } from '../../protocol/profile-photos.js';
import { IN_FLIGHT_MS } from '../media/freeing.js';
import { deleteOtherSessions } from '../../d1/queries/sessions.js';
import type { User } from '../../protocol/common.js';
import type { Env } from '../../durable-objects/env.js';
import { chatRoom, fileReaper } from '../../durable-objects/stubs.js';
import { archiveKey } from './export-job.js';
import { runSteps, type Step, type StepPage } from './steps.js';

/** The grace period between deleteAccount and the deletion, unless ACCOUNT_DELETION_GRACE_MS says otherwise. */
export const DEFAULT_DELETION_GRACE_MS = 7 * 24 * 3600_000;

export function deletionGraceMs(env: Pick<Env, 'ACCOUNT_DELETION_GRACE_MS'>): number {
  const ms = Number(env.ACCOUNT_DELETION_GRACE_MS);
  return env.ACCOUNT_DELETION_GRACE_MS !== undefined && env.ACCOUNT_DELETION_GRACE_MS !== '' && Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_DELETION_GRACE_MS;
}

/** Chats left per page, and files released per page: each page's work fits one alarm run's subrequests. */
const CHATS_PER_PAGE = 20;
const FILES_PER_PAGE = 50;
/** Pages one alarm run does before it hands the rest to the next run. */
const PAGES_PER_RUN = 10;

/** What the deletion needs from the account's mailbox, where it runs. */
export type DeletionHost = {
  env: Env;
  accountId: number;
  now: () => number;
  /** Closes the sockets of these (already deleted) sessions. */
  closeSessions(sessionIds: string[]): Promise<void> | void;
  /** Tells the account's peers of its new (deleted) profile, as a rename does. */
  announceProfile(user: User): Promise<void>;
};

/**
 * The deletion's steps, in order (ARCHITECTURE.md, "Account deletion"):
 * 1. sessions: every session and device signed out, their sockets closed,
 *    so nothing acts for the account while the rest runs;
 * 2. chats: every group, supergroup and channel left as a normal leave
 *    (members see it; a creator's chat passes to its longest-standing admin,
 *    else member: chat-room/membership.ts leave). Private chats stay;
 *    private_chats: private chats stay, with their history, but in each the
 *    account blocks its peer (chat-room/blocks.ts), so a message to a
 *    deleted account is refused (USER_BLOCKED);
 *    profile_photos: its profile photos deleted, their files released;
 * 3. files: the account's upload holds end and each of its files goes to
 *    its reaper, which frees it only if no message shows it (freeing.ts);
 * 4. profile: its data export (archive and row) deleted, the row tombstoned
 *    (name, username, bio, password, contacts, blocks, privacy, second
 *    factor) and the peers told.
 * Bots it owns are kept, orphaned, as Telegram keeps them.
 * Every page is idempotent: leaving a chat one already left is refused and
 * ignored, a released file is released again harmlessly, a tombstone twice
 * is one.
 */
export function deletionSteps(host: DeletionHost): Array<readonly [string, Step]> {
  const db = database(host.env.DB);
  const id = host.accountId;
  const sessions: Step = async () => {
    const ended = await deleteOtherSessions(db, id, '');
    if (ended.length > 0) await host.closeSessions(ended);
    return { done: true };
  };
  const leaveChats: Step = async (cursor) => {
    const page = await managedChatsOf(db, id, Number(cursor ?? 0), CHATS_PER_PAGE);
    for (const chatId of page) {
      const left = await chatRoom(host.env, chatId).leave(id);
      // Already gone (a repeated page, or the D1 index behind the room): nothing to undo.
      if (!left.ok) console.warn(JSON.stringify({ event: 'deletion_leave_refused', accountId: id, chatId, code: left.error.code }));
    }
    return nextPage(page.length === CHATS_PER_PAGE, String(page.at(-1)));
  };
  // A deleted account takes no more messages: its block of the peer, in each private chat, refuses their sends.
  const privateChats: Step = async (cursor) => {
    const page = await privateChatsOf(db, id, Number(cursor ?? 0), CHATS_PER_PAGE);
    for (const { chatId, peerId } of page) {
      if (peerId !== id) unwrapOrLog(await chatRoom(host.env, chatId).setBlocked(id, peerId, true), chatId);
    }
    return nextPage(page.length === CHATS_PER_PAGE, String(page.at(-1)?.chatId));
  };
  // Its profile photos go; the files no message shows either are freed by their reapers (as deleteProfilePhotos does).
  const profilePhotos: Step = async () => {
    const ids = (await profilePhotosOf(db, id, 0, MAX_PROFILE_PHOTOS)).map((p) => p.id);
    const { released } = await deleteProfilePhotos(db, id, ids, host.now());
    const orphaned = released.length > 0 ? await unreferencedFiles(db, released) : [];
    await Promise.all(orphaned.map((fileId) => fileReaper(host.env, fileId).release(fileId, host.now() + IN_FLIGHT_MS)));
    return { done: true };
  };
  const files: Step = async (cursor) => {
    const page = await releaseOwnedFiles(db, id, cursor ?? '', FILES_PER_PAGE);
    const now = host.now();
    await Promise.all(page.map((fileId) => fileReaper(host.env, fileId).release(fileId, now)));
    return nextPage(page.length === FILES_PER_PAGE, page.at(-1) ?? '');
  };
  const profile: Step = async () => {
    // A data export holds the account's messages: it goes too (a running one finds no row and stops).
    const exported = await findExport(db, id);
    if (exported) {
      await host.env.MEDIA.delete(archiveKey(exported.id));
      await deleteExportRow(db, id);
    }
    await tombstoneAccount(db, id, host.now());
    const row = await findAccountById(db, id);
    if (row) await host.announceProfile(toUser(row));
    return { done: true };
  };
  return [
    ['sessions', sessions],
    ['chats', leaveChats],
    ['private_chats', privateChats],
    ['profile_photos', profilePhotos],
    ['files', files],
    ['profile', profile],
  ];
}

function unwrapOrLog(outcome: { ok: boolean; error?: { code: string } }, chatId: number): void {
  if (!outcome.ok) console.warn(JSON.stringify({ event: 'deletion_block_refused', chatId, code: outcome.error?.code }));
}

function nextPage(more: boolean, cursor: string): StepPage {
  return more ? { done: false, cursor } : { done: true };
}

/**
 * The mailbox alarm's deletion job: starts the deletion if it is due and
 * still scheduled (a cancelled one does nothing), resumes a running one
 * from its recorded step, and marks it done at the end. Answers the time to
 * run again when it is not due yet (the alarm may fire early, or the due
 * time moved) or when pages are left for the next run, else null.
 */
export async function runAccountDeletion(host: DeletionHost): Promise<number | null> {
  const db = database(host.env.DB);
  const now = host.now();
  const running = await startDueDeletion(db, host.accountId, now);
  if (!running) {
    const row = await findDeletion(db, host.accountId);
    return row?.state === 'scheduled' ? row.dueAt : null;
  }
  const finished = await runSteps(
    {
      load: async () => ({ step: running.step, cursor: running.cursor }),
      save: (p) => saveDeletionProgress(db, host.accountId, p.step ?? '', p.cursor),
    },
    deletionSteps(host),
    PAGES_PER_RUN,
  );
  // The rest in the next alarm run, at once: each run's subrequests stay bounded.
  if (!finished) return host.now();
  await finishDeletion(db, host.accountId, host.now());
  console.log(JSON.stringify({ event: 'account_deleted', accountId: host.accountId }));
  return null;
}
