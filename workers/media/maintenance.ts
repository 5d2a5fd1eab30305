import { database } from '../../d1/db.js';
import { freeUnreferencedFiles, trashKeys, untrash } from '../../d1/queries/files.js';
import { pruneSecrets } from '../../d1/queries/secrets.js';
import { deleteUploads, markAborted, staleUploads } from '../../d1/queries/uploads.js';
import type { Env } from '../../durable-objects/env.js';
import { CURRENT_KEY_TTL_MS, FILE_URL_PURPOSE } from '../../services/media/file-urls.js';
import { IN_FLIGHT_MS } from '../../services/media/freeing.js';
import { FILE_URL_TTL_SECONDS } from '../../r2/signed-urls.js';
import { deleteObjects, discardUpload } from '../../r2/storage.js';

/** How long an aborted upload's row stays, so a PUT that raced the abort is cleaned up too. */
const ABORTED_KEPT_MS = 3600_000;
/** How long a finished upload's row stays, so a retried complete still gets its file. */
const DONE_KEPT_MS = 24 * 3600_000;
/** Work per run is bounded; the next run (cron) continues. */
const BATCH = 100;
const MAX_BATCHES = 10;

export type MaintenanceReport = { abandonedUploads: number; forgottenUploads: number; freedFiles: number; deletedObjects: number };

/**
 * The scheduled handler's work. Every step is idempotent and safe to run
 * concurrently with itself, with FileReaper alarms and with requests, so an
 * overlapping or repeated run frees each thing once and never fails on what
 * another run did:
 * 1. abandoned uploads (open past expiry) are aborted; old aborted and done
 *    upload rows are forgotten;
 * 2. the sweep: files nothing needs (no ref, no uploader's hold, untouched
 *    for IN_FLIGHT_MS: the same rule as the reapers') move to the trash, their
 *    D1 rows going in the same transaction. This frees uploads never sent
 *    once their hold ends, and anything a reaper's alarm missed;
 * 3. the trash is emptied: R2 objects deleted, then their trash rows (what a
 *    reaper or a deduplicating upload queued and could not finish);
 * 4. file-link keys superseded long enough ago are pruned.
 */
export async function runMaintenance(env: Env, now: number): Promise<MaintenanceReport> {
  const db = database(env.DB);
  const report: MaintenanceReport = { abandonedUploads: 0, forgottenUploads: 0, freedFiles: 0, deletedObjects: 0 };

  for (let i = 0; i < MAX_BATCHES; i++) {
    const stale = await staleUploads(
      db,
      { expiredBefore: now, abortedBefore: now - ABORTED_KEPT_MS, doneBefore: now - DONE_KEPT_MS },
      BATCH,
    );
    const forget: string[] = [];
    for (const upload of stale) {
      if (upload.state === 'open') {
        // Claimed first, so a complete racing this abort finds the upload gone, not half-freed.
        if (!(await markAborted(db, upload.id, now))) continue;
        await discardUpload(env.MEDIA, upload.r2Key, upload.r2UploadId);
        report.abandonedUploads++;
      } else {
        if (upload.state === 'aborted') await discardUpload(env.MEDIA, upload.r2Key, upload.r2UploadId);
        forget.push(upload.id);
      }
    }
    await deleteUploads(db, forget);
    report.forgottenUploads += forget.length;
    if (stale.length < BATCH) break;
  }

  for (let i = 0; i < MAX_BATCHES; i++) {
    const freed = await freeUnreferencedFiles(db, now, IN_FLIGHT_MS, BATCH);
    report.freedFiles += freed;
    if (freed < BATCH) break;
  }

  for (let i = 0; i < MAX_BATCHES; i++) {
    const keys = await trashKeys(db, 1000);
    if (keys.length === 0) break;
    await deleteObjects(env.MEDIA, keys);
    await untrash(db, keys);
    report.deletedObjects += keys.length;
  }

  await pruneSecrets(db, FILE_URL_PURPOSE, now - FILE_URL_TTL_SECONDS * 1000 - CURRENT_KEY_TTL_MS);
  return report;
}
