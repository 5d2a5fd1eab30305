import type { Context } from 'hono';
import { database } from '../../d1/db.js';
import { findFile } from '../../d1/queries/files.js';
import { checkFileUrl } from '../../services/media/file-urls.js';
import { EdgegramError, ErrorCode, type ErrorResponse } from '../../protocol/errors.js';
import { edgeCacheKey } from '../../r2/keys.js';
import { rangeStream } from '../../r2/reads.js';
import { contentRange, parseRange, singleByteRange, type RangeRequest } from '../../r2/ranges.js';
import {
  downloadHeaders,
  EDGE_CACHE_MAX_BYTES,
  EDGE_CACHE_TTL_SECONDS,
  etagMatches,
  etagOf,
  servedType,
} from '../../r2/serving.js';
import type { AppEnv } from '../app.js';

export type FileLink = { fileId: string; exp: number; sig: string; name?: string | undefined };

/**
 * `GET /v1/files/:file_id?exp&sig[&name]`. In order, each step answering
 * without the next when it can:
 * 1. the signature and expiry (no look-up before this: a bad link learns nothing);
 * 2. If-None-Match against the ETag (the file id) → 304, no storage read;
 * 3. the edge cache (keyed without the signature), which serves ranges itself;
 * 4. D1 for the size and sniffed type, then R2 in bounded ranged reads
 *    (r2/reads.ts). Small files are then
 *    copied into the edge cache in the background, from a second R2 read, so
 *    the client's stream is never teed (a tee buffers what the slower side
 *    has not read: a whole file, for a slow client).
 */
export async function serveFile(c: Context<AppEnv>, link: FileLink): Promise<Response> {
  const now = Date.now();
  await checkFileUrl(c.env.DB, link, now);
  const maxAge = link.exp - Math.floor(now / 1000);
  const etag = etagOf(link.fileId);
  if (etagMatches(c.req.header('if-none-match'), etag)) {
    return new Response(null, { status: 304, headers: { ETag: etag, 'Cache-Control': `private, max-age=${maxAge}, immutable` } });
  }
  // If-Range: a range only if the client's copy is this entity (strong comparison); otherwise the whole file.
  const ifRange = c.req.header('if-range');
  const rangeHeader =
    ifRange === undefined || etagMatches(ifRange, etag, false) ? singleByteRange(c.req.header('range')) : undefined;
  const cache = caches.default;
  const cacheKey = edgeCacheKey(new URL(c.req.url).origin, link.fileId);
  const cached = await cache.match(new Request(cacheKey, { headers: rangeHeader ? { Range: rangeHeader } : {} }));
  if (cached) return fromCache(cached, link, maxAge);

  const file = await findFile(database(c.env.DB), link.fileId);
  if (!file) throw new EdgegramError(ErrorCode.FILE_NOT_FOUND, 'File not found');
  const range = parseRange(rangeHeader, file.size);
  if (range.kind === 'unsatisfiable') return unsatisfiable(file.size);
  const [offset, length] = range.kind === 'range' ? [range.offset, range.length] : [0, file.size];
  const stream = rangeStream(c.env.MEDIA, file.r2Key, offset, length);
  if (file.size <= EDGE_CACHE_MAX_BYTES) c.executionCtx.waitUntil(fillCache(c.env.MEDIA, cache, cacheKey, file));
  const headers = downloadHeaders({ fileId: file.id, mime: file.mime, name: link.name, maxAgeSeconds: maxAge });
  headers.set('X-Edgegram-Cache', 'MISS');
  return body(stream, headers, range, file.size);
}

function body(stream: ReadableStream, headers: Headers, range: RangeRequest, size: number): Response {
  if (range.kind === 'range') {
    headers.set('Content-Range', contentRange(range.offset, range.length, size));
    headers.set('Content-Length', String(range.length));
    return new Response(stream, { status: 206, headers });
  }
  headers.set('Content-Length', String(size));
  return new Response(stream, { status: 200, headers });
}

/** The cached copy carries the served type and the file-wide headers; the link decides the rest. */
function fromCache(cached: Response, link: FileLink, maxAge: number): Response {
  if (cached.status === 416) {
    const total = /\/(\d+)$/.exec(cached.headers.get('content-range') ?? '')?.[1];
    return unsatisfiable(Number(total ?? 0));
  }
  const headers = downloadHeaders({
    fileId: link.fileId,
    mime: cached.headers.get('content-type') ?? 'application/octet-stream',
    name: link.name,
    maxAgeSeconds: maxAge,
  });
  for (const name of ['content-length', 'content-range']) {
    const value = cached.headers.get(name);
    if (value) headers.set(name, value);
  }
  headers.set('X-Edgegram-Cache', 'HIT');
  return new Response(cached.body, { status: cached.status, headers });
}

async function fillCache(
  bucket: R2Bucket,
  cache: Cache,
  cacheKey: string,
  file: { id: string; r2Key: string; size: number; mime: string },
): Promise<void> {
  try {
    const object = await bucket.get(file.r2Key);
    if (!object) return;
    const headers = new Headers({
      'Content-Type': servedType(file.mime),
      'Content-Length': String(file.size),
      ETag: etagOf(file.id),
      // For the edge cache only; clients get private headers (see fromCache).
      'Cache-Control': `public, max-age=${EDGE_CACHE_TTL_SECONDS}, immutable`,
    });
    await cache.put(cacheKey, new Response(object.body, { headers }));
  } catch (err) {
    console.warn('edge cache fill failed', err);
  }
}

function unsatisfiable(size: number): Response {
  const body: ErrorResponse = {
    error: { code: ErrorCode.RANGE_NOT_SATISFIABLE, message: `The file has ${size} bytes; the range starts past its end` },
  };
  return new Response(JSON.stringify(body), {
    status: 416,
    headers: { 'Content-Type': 'application/json', 'Content-Range': `bytes */${size}` },
  });
}
