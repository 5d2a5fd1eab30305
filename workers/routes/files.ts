import { parseSchema } from '../../services/account-api/parse.js';
import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import { FileIdParam, FileUrlQuery } from '../../protocol/http/uploads.js';
import { newApp } from '../app.js';
import { serveFile } from '../media/downloads.js';

/**
 * Downloads by signed link (from getFileUrl): no bearer token, so links work
 * in <img>, <video> and download managers. Ranges, ETag and the edge cache
 * are handled in media/downloads.ts.
 */
export const fileRoutes = newApp().get('/:file_id', async (c) => {
  const { file_id } = parseSchema(FileIdParam, c.req.param(), 'file id');
  const query = FileUrlQuery.safeParse(c.req.query());
  if (!query.success) throw new EdgegramError(ErrorCode.FILE_URL_INVALID, 'This file link is not valid: ask getFileUrl for a new one');
  return serveFile(c, { fileId: file_id, ...query.data });
});
