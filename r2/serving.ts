/**
 * How a stored file is served. The type was sniffed from the bytes at upload;
 * only types a browser renders without running anything are served inline,
 * everything else (HTML, SVG, XML, PDF, archives, unknown) is an attachment
 * of type application/octet-stream, so nothing uploaded ever runs as a page
 * of the app's origin. nosniff stops browsers guessing otherwise.
 */
const INLINE_TYPES = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
  'video/mp4',
  'video/webm',
  'video/quicktime',
  'video/ogg',
  'audio/mpeg',
  'audio/ogg',
  'audio/opus',
  'audio/wav',
  'audio/mp4',
  'audio/aac',
  'audio/x-m4a',
  'audio/flac',
  'audio/webm',
]);

/** Judged on the type without parameters: `audio/ogg; codecs=opus` is audio/ogg. */
export function isInlineSafe(mime: string): boolean {
  return INLINE_TYPES.has(mime.split(';')[0]!.trim().toLowerCase());
}

/** The Content-Type a file is served with. */
export function servedType(mime: string): string {
  return isInlineSafe(mime) ? mime : 'application/octet-stream';
}

/** RFC 6266: an ASCII fallback name plus the exact name in RFC 8187 encoding. */
export function contentDisposition(servedAs: string, name: string | undefined): string {
  const disposition = servedAs === 'application/octet-stream' ? 'attachment' : 'inline';
  if (!name) return disposition;
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Files up to this size are kept in the edge cache (the CDN caps cached objects at 512 MB). */
export const EDGE_CACHE_MAX_BYTES = 100 * 1024 * 1024;
/** How long the edge keeps a cached file; the content never changes, only access does. */
export const EDGE_CACHE_TTL_SECONDS = 24 * 3600;

/**
 * Headers of a download, cached or not. Cache-Control: only the holder of the
 * link may keep it (private), for as long as the link is valid, and it never
 * changes (immutable). The ETag is the file id: files never change, and
 * deduplication makes one id per content, so it is a strong validator that,
 * unlike the content hash, reveals nothing about the bytes.
 */
export function downloadHeaders(input: { fileId: string; mime: string; name?: string | undefined; maxAgeSeconds: number }): Headers {
  const type = servedType(input.mime);
  return new Headers({
    'Content-Type': type,
    'Content-Disposition': contentDisposition(type, input.name),
    'X-Content-Type-Options': 'nosniff',
    'Accept-Ranges': 'bytes',
    ETag: etagOf(input.fileId),
    'Cache-Control': `private, max-age=${Math.max(0, input.maxAgeSeconds)}, immutable`,
  });
}

export function etagOf(fileId: string): string {
  return `"${fileId}"`;
}

/** Whether an If-None-Match (or If-Range) header names this entity tag (weak comparison for If-None-Match). */
export function etagMatches(header: string | null | undefined, etag: string, weak = true): boolean {
  if (!header) return false;
  if (weak && header.trim() === '*') return true;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === etag || (weak && tag === `W/${etag}`);
  });
}
