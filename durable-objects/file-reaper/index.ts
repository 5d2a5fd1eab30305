import { DurableObject } from 'cloudflare:workers';
import { database } from '../../d1/db.js';
import { unreferencedFiles } from '../../d1/queries/files.js';
import type { IndexChange } from '../../d1/queries/index-changes.js';
import type { Env } from '../env.js';
import { fileReaper } from '../stubs.js';
import { freeFile, IN_FLIGHT_MS, releasedFiles } from '../../services/media/freeing.js';

const FILE_ID = 'file_id';
/** A hold that ended a moment ago (clocks differ between machines) is checked again this much later. */
const MIN_DELAY_MS = 1_000;

/**
 * One per file whose last ref went away: its alarm frees the file once
 * nothing needs it (freeing.ts explains the rules and the races). It stores
 * only the file id, and forgets it once the file is freed or shown again.
 * Alarms are at-least-once: a repeated or late run finds the file freed (or
 * referenced again) and does nothing.
 */
export class FileReaper extends DurableObject<Env> {
  /** Arms the alarm for `atMs` unless an earlier one is set. A repeated release changes nothing. */
  async release(fileId: string, atMs: number): Promise<void> {
    await this.ctx.storage.put(FILE_ID, fileId);
    const armed = await this.ctx.storage.getAlarm();
    if (armed === null || armed > atMs) await this.ctx.storage.setAlarm(atMs);
  }

  override async alarm(): Promise<void> {
    const fileId = await this.ctx.storage.get<string>(FILE_ID);
    if (fileId === undefined) return;
    const now = Date.now();
    const result = await freeFile(database(this.env.DB), this.env.MEDIA, fileId, now);
    if (result.kind === 'held') {
      // An upload's hold or a send in flight: come back when it ends.
      await this.ctx.storage.setAlarm(Math.max(result.until, now + MIN_DELAY_MS));
      return;
    }
    // Freed, gone, or shown by a message again (whose deletion releases it anew).
    // A release that arrived meanwhile set a new alarm: then the id stays.
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.deleteAll();
  }
}

/**
 * After a chat's index changes reached D1: the files that lost their last
 * ref get their reaper's alarm, IN_FLIGHT_MS from now (the release touched
 * them). Idempotent, so the outbox may run it again; if it throws, the
 * outbox retries the whole (idempotent) index write, and the scheduled
 * sweep catches whatever is still missed.
 */
export async function releaseFiles(env: Pick<Env, 'DB' | 'FILE_REAPER'>, changes: readonly IndexChange[], now: number): Promise<void> {
  const released = releasedFiles(changes);
  if (released.length === 0) return;
  const orphaned = await unreferencedFiles(database(env.DB), released);
  await Promise.all(orphaned.map((id) => fileReaper(env, id).release(id, now + IN_FLIGHT_MS)));
}
