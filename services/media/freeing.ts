import type { Db } from '../../d1/db.js';
import { freeFileIfUnused, untrash, type FreeResult } from '../../d1/queries/files.js';
import { isFileRefChange, type IndexChange } from '../../d1/queries/index-changes.js';
import { deleteObjects } from '../../r2/storage.js';

/**
 * Freeing a file's storage once nothing needs it. The D1 index knows who
 * needs a file: the messages showing it (file_refs, mirrored from each
 * ChatRoom), the uploaders still holding it (file_owners.held_until), and
 * anyone who picked it up a moment ago (files.touched_at). When a deletion
 * removes the last ref, the file's reaper (file-reaper.ts) sets an alarm,
 * and the alarm calls freeFile.
 *
 * Why this is safe against everything that can happen meanwhile:
 *
 * - The decision and the delete are one statement in one D1 transaction
 *   (freeFileIfUnused: `DELETE … WHERE id = ? AND <nothing needs it>`,
 *   the object's key going to file_trash in the same transaction). D1 runs
 *   transactions one at a time, so no ref, claim or upload lands between
 *   the check and the delete. Only then is the R2 object deleted, and only
 *   then the trash row: a crash in between leaves the trash row, which the
 *   scheduled sweep empties. A repeated alarm finds no row and frees nothing.
 *
 * - Deduplication. A new upload of the same bytes finishes in one
 *   transaction that finds the row by content key, touches it and makes the
 *   uploader an owner with a hold (finalizeUpload). If that transaction
 *   comes first, the free finds the file held and does nothing (the alarm
 *   comes back when the hold ends). If the free comes first, the upload
 *   finds no row and inserts its own, pointing at the object it just wrote
 *   under its own key (`media/<its file id>`): the R2 delete that follows
 *   the free is for the old key, which nothing can point at any more, since
 *   file ids are never reused.
 *
 * - Sends and forwards in flight. A send claims its files in D1 (a touch)
 *   before its chat commits the message, and the ref reaches D1 only after,
 *   through the chat's outbox; a forward copies media it read from another
 *   chat, perhaps just before that message was deleted (whose release
 *   touches the file). Neither is visible as a ref yet, so a file is freed
 *   only IN_FLIGHT_MS after its last touch. A ref that takes longer than
 *   that (an outbox retrying against a D1 outage for ten minutes) would
 *   show a file that is gone: its download answers FILE_NOT_FOUND.
 *
 * - Uploads not sent yet. Each upload gives its uploader a hold (a day,
 *   UPLOAD_HOLD_MS) so the file waits for its first send; the uploader's own
 *   send ends the hold, after which the messages alone keep the file.
 */

/** How long after its last touch (upload, send, release) a send or forward may still be on its way to file_refs. */
export const IN_FLIGHT_MS = 10 * 60_000;

/** Frees the file if nothing needs it now (see above); R2 is touched only for a file this call freed. */
export async function freeFile(db: Db, bucket: R2Bucket, fileId: string, now: number): Promise<FreeResult> {
  const result = await freeFileIfUnused(db, fileId, now, IN_FLIGHT_MS);
  if (result.kind === 'freed') {
    await deleteObjects(bucket, result.r2Keys);
    await untrash(db, result.r2Keys);
  }
  return result;
}

/** The files these index changes let go of (deleted messages' media and thumbnails), each once. */
export function releasedFiles(changes: readonly IndexChange[]): string[] {
  return [...new Set(changes.flatMap((c) => (isFileRefChange(c) && c.op === 'unref' ? [c.fileId] : [])))];
}
