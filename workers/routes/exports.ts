import { database } from '../../d1/db.js';
import { findExportById } from '../../d1/queries/data-exports.js';
import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import { archiveKey } from '../../services/account-lifecycle/export-job.js';
import { checkExportUrl } from '../../services/account-lifecycle/export-links.js';
import { newApp } from '../app.js';

/**
 * `GET /v1/exports/:export_id?exp&sig`: a data export's archive by its
 * signed link (getDataExport hands it out), no bearer token, so a browser's
 * download works. The signature and expiry are checked before any look-up
 * (export-links.ts): a tampered link is 403 EXPORT_LINK_INVALID, an expired
 * one 403 EXPORT_LINK_EXPIRED; neither ever gets the file. The archive is
 * streamed from R2 as it is stored.
 */
export const exportRoutes = newApp().get('/:export_id', async (c) => {
  const exportId = c.req.param('export_id');
  const now = Date.now();
  if (!/^[0-9a-f]{32}$/.test(exportId)) throw new EdgegramError(ErrorCode.EXPORT_LINK_INVALID, 'This export link is not valid');
  await checkExportUrl(c.env.DB, exportId, c.req.query('exp'), c.req.query('sig'), now);
  const row = await findExportById(database(c.env.DB), exportId);
  if (!row || row.state === 'expired' || (row.expiresAt !== null && row.expiresAt <= now)) {
    throw new EdgegramError(ErrorCode.EXPORT_LINK_EXPIRED, 'This export has expired: request a new export');
  }
  const object = row.state === 'done' ? await c.env.MEDIA.get(archiveKey(exportId)) : null;
  if (!object) throw new EdgegramError(ErrorCode.NOT_FOUND, 'Export not found');
  const day = new Date(row.requestedAt).toISOString().slice(0, 10);
  return new Response(object.body, {
    headers: {
      'Content-Type': 'application/zip',
      'Content-Length': String(object.size),
      'Content-Disposition': `attachment; filename="edgegram-export-${day}.zip"`,
      'Cache-Control': 'private, no-store',
    },
  });
});
