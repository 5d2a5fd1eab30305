import { database } from '../../d1/db.js';
import { findExport, startExport, type ExportRow } from '../../d1/queries/data-exports.js';
import type { DataExport } from '../../protocol/account-lifecycle.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { archiveKey } from '../account-lifecycle/export-job.js';
import { signExportUrl } from '../account-lifecycle/export-links.js';
import type { Handlers } from './dispatch.js';
import type { CallContext } from './context.js';

/** One export a day per account, unless DATA_EXPORT_INTERVAL_MS says otherwise. */
export const DEFAULT_EXPORT_INTERVAL_MS = 24 * 3600_000;

function exportIntervalMs(ctx: CallContext): number {
  const ms = Number(ctx.env.DATA_EXPORT_INTERVAL_MS);
  return ctx.env.DATA_EXPORT_INTERVAL_MS && Number.isSafeInteger(ms) && ms >= 0 ? ms : DEFAULT_EXPORT_INTERVAL_MS;
}

function randomId(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The export as its owner sees it: progress while running, a fresh signed link (valid until the archive's expiry) when done. */
async function shownExport(ctx: CallContext, row: ExportRow | undefined): Promise<DataExport> {
  if (!row) return { state: 'none' };
  const now = ctx.now();
  const progress = {
    chats_done: row.chatsDone,
    chats_total: row.chatsTotal,
    messages: row.messages,
    fraction: row.state === 'done' ? 1 : row.chatsTotal === 0 ? 0 : Math.min(1, row.chatsDone / row.chatsTotal),
  };
  // Past its expiry the archive is (being) deleted by the alarm: never hand out its link again.
  const expired = row.state === 'expired' || (row.state === 'done' && row.expiresAt !== null && row.expiresAt <= now);
  if (expired) return { state: 'expired', requested_at: row.requestedAt, ...(row.expiresAt !== null ? { expires_at: row.expiresAt } : {}) };
  if (row.state === 'done' && row.expiresAt !== null) {
    return {
      state: 'done',
      requested_at: row.requestedAt,
      progress,
      url: await signExportUrl(ctx.env.DB, row.id, row.expiresAt, now),
      expires_at: row.expiresAt,
      size: row.size ?? 0,
    };
  }
  return { state: row.state === 'done' ? 'running' : row.state, requested_at: row.requestedAt, progress };
}

export const dataExportHandlers: Handlers<'requestDataExport' | 'getDataExport'> = {
  /**
   * Check (one at a time, one a day; a failed export may be retried at
   * once) → start (a conditional upsert: two requests at once start one) →
   * arm the mailbox's export job, which builds it in resumable steps.
   */
  async requestDataExport(ctx) {
    const db = database(ctx.env.DB);
    const now = ctx.now();
    const previous = await findExport(db, ctx.caller.userId);
    if (previous?.state === 'running') throw new EdgegramError(ErrorCode.CONFLICT, 'An export is already being prepared');
    const nextAllowed = previous && previous.state !== 'failed' ? previous.requestedAt + exportIntervalMs(ctx) : 0;
    if (nextAllowed > now) throw fail.rateLimited(Math.ceil((nextAllowed - now) / 1000));
    if (previous) await ctx.env.MEDIA.delete(archiveKey(previous.id)); // the old archive goes with its row
    const started = await startExport(db, ctx.caller.userId, randomId(), now);
    if (!started) throw new EdgegramError(ErrorCode.CONFLICT, 'An export is already being prepared');
    await ctx.own.scheduleAccountJob('data_export', now);
    return { export: await shownExport(ctx, started) };
  },

  async getDataExport(ctx) {
    return { export: await shownExport(ctx, await findExport(database(ctx.env.DB), ctx.caller.userId)) };
  },
};
