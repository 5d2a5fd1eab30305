import { database } from '../../d1/db.js';
import { claimFileForSend } from '../../d1/queries/files.js';
import { profilePhotoFileFor } from '../../services/media/profile-photo-files.js';
import { identityOf } from '../../services/bot-api/context.js';
import { botMethodName, dispatchBotMethod } from '../../services/bot-api/dispatch.js';
import { botError } from '../../services/bot-api/errors.js';
import { verifyBotToken } from '../../services/bots/tokens.js';
import { fileUrl } from '../../services/media/file-urls.js';
import { FileUrlQuery } from '../../protocol/http/uploads.js';
import { newApp } from '../app.js';
import { serveFile } from '../media/downloads.js';
import { readBotParams } from './params.js';
import { botFailure, botOk } from './respond.js';
import { botFileParam, resolveAttachments } from './uploads.js';

/**
 * The Telegram Bot API at the domain root, where every framework can reach it
 * by setting its API root: `/bot<token>/<method>` (any HTTP verb; the method
 * name in any case) and `/file/bot<token>/<file_path>`. The token is checked
 * first (401), then the method (404), then its parameters.
 */
export const botApiRoutes = newApp()
  .all('/:token{bot[^/]*}/:method', async (c) => {
    try {
      const record = await botOf(c.env.DB, c.req.param('token'));
      if (!record) throw botError.unauthorized();
      const method = c.req.param('method');
      // Files are stored while the body streams in, so what to do with them is decided from the URL first.
      const params = await readBotParams(c.req.raw, botFileParam(c.env, record.account.id, botMethodName(method), Date.now()));
      resolveAttachments(params);
      const result = await dispatchBotMethod({ env: c.env, bot: identityOf(record), now: Date.now, origin: new URL(c.req.url).origin }, method, params);
      return botOk(c, result);
    } catch (err) {
      return botFailure(c, err);
    }
  })
  /**
   * A file getFile named (`files/<file id>`), for a bot that may use it: it
   * uploaded it or is in a chat showing it. Served like a signed link (ranges,
   * ETag, edge cache), from a link minted for this one request.
   */
  .get('/file/:token{bot[^/]*}/:path{.+}', async (c) => {
    const record = await botOf(c.env.DB, c.req.param('token'));
    if (!record) return botFailure(c, botError.unauthorized());
    const fileId = /^files\/([0-9a-f]{32})$/.exec(c.req.param('path'))?.[1];
    const now = Date.now();
    const db = database(c.env.DB);
    // A file of a chat it is in or its own upload; or a profile photo getUserProfilePhotos showed it.
    const file = fileId ? ((await claimFileForSend(db, fileId, record.account.id, now)) ?? (await profilePhotoFileFor(db, fileId, record.account.id))) : undefined;
    if (!file) return botFailure(c, botError.notFound());
    const link = await fileUrl(c.env.DB, file.id, null, now);
    const query = FileUrlQuery.parse(Object.fromEntries(new URL(link.url, c.req.url).searchParams));
    return serveFile(c, { fileId: file.id, ...query });
  })
  .all('/:token{bot[^/]*}', (c) => botFailure(c, botError.notFound()))
  .all('/:token{bot[^/]*}/*', (c) => botFailure(c, botError.notFound()))
  .all('/file/*', (c) => botFailure(c, botError.notFound()));

/**
 * The bot a `bot<token>` path segment names, or undefined. A segment whose
 * percent-encoding is malformed (`bot%zz`) is no token: decodeURIComponent
 * would throw, and that must be a 401, not a 500 (found by the fuzzer).
 */
async function botOf(db: D1Database, segment: string) {
  let token: string;
  try {
    token = decodeURIComponent(segment.slice(3));
  } catch {
    return undefined;
  }
  return verifyBotToken(database(db), token);
}
