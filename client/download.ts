import { ClientError } from './errors.js';
import { errorOf, parseJson } from './http.js';
import type { FetchLike } from './platform.js';

export interface DownloadOptions {
  /** Bytes `start` to `end` inclusive (end defaults to the last byte): answered 206. */
  range?: { start: number; end?: number };
  /** As bytes arrive. */
  onProgress?: (progress: { received: number; total: number }) => void;
  signal?: AbortSignal;
}

export interface FileDownload {
  /** 200 for the whole file, 206 for a range. */
  status: 200 | 206;
  /** The whole file's size. */
  size: number;
  /** Where `body` starts in the file, and how many bytes it has. */
  offset: number;
  length: number;
  /** As served: the sniffed type for media shown inline, application/octet-stream otherwise. */
  contentType: string;
  etag: string | null;
  /** The bytes, streamed: read them once, through this or bytes(). */
  body: ReadableStream<Uint8Array>;
  /** Reads the whole body into memory (fine for photos, not for a 2 GB video). */
  bytes(): Promise<Uint8Array>;
}

/**
 * Fetches a file link from getFileUrl (no token: the link is the
 * credential). The body is streamed, never buffered unless bytes() is called.
 */
export async function downloadFile(fetch: FetchLike, url: string, options: DownloadOptions = {}): Promise<FileDownload> {
  const headers: Record<string, string> = {};
  if (options.range) headers.range = `bytes=${options.range.start}-${options.range.end ?? ''}`;
  let response;
  try {
    response = await fetch(url, { method: 'GET', headers, ...(options.signal && { signal: options.signal }) });
  } catch (cause) {
    if (options.signal?.aborted) throw new ClientError('ABORTED', 'Download aborted', { cause });
    throw new ClientError('NETWORK', `GET ${url} failed: ${String(cause)}`, { cause });
  }
  if (response.status !== 200 && response.status !== 206) {
    throw errorOf(response.status, parseJson(await response.text()), `GET ${url}`);
  }
  if (!response.body || !response.headers) throw new ClientError('PROTOCOL', 'This fetch gives no response body stream');
  const get = (name: string) => response.headers!.get(name);
  const length = Number(get('content-length'));
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(get('content-range') ?? '');
  const size = range ? Number(range[3]) : length;
  const offset = range ? Number(range[1]) : 0;
  let received = 0;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        options.onProgress?.({ received, total: length });
        controller.enqueue(chunk);
      },
    }),
  );
  return {
    status: response.status,
    size,
    offset,
    length,
    contentType: get('content-type') ?? 'application/octet-stream',
    etag: get('etag'),
    body: counted,
    async bytes() {
      const out = new Uint8Array(length);
      let at = 0;
      for await (const chunk of counted as unknown as AsyncIterable<Uint8Array>) {
        out.set(chunk, at);
        at += chunk.byteLength;
      }
      if (at !== length) throw new ClientError('NETWORK', `Download ended after ${at} of ${length} bytes`);
      return out;
    },
  };
}
