import { EdgegramError, ErrorCode } from '../protocol/errors.js';
import { OkResult } from '../protocol/http/auth.js';
import { UploadInfo, UploadPartResult, UploadStatus } from '../protocol/http/uploads.js';
import { FileInfo } from '../protocol/media.js';
import { ClientError } from './errors.js';
import type { HttpApi } from './http.js';
import { partReader, type UploadSource } from './upload-source.js';

export type { UploadSource } from './upload-source.js';

export interface UploadProgress {
  upload_id: string;
  /** Bytes the server has confirmed. */
  sent: number;
  total: number;
}

export interface UploadOptions {
  /** Shown as the document's name; sent with the upload. */
  fileName?: string;
  /** A hint only: the server sniffs the type from the bytes. */
  mime?: string;
  /** Required when the source is a stream or async iterable. */
  size?: number;
  /** After every stored part. */
  onProgress?: (progress: UploadProgress) => void;
  /** Aborting stops the transfer and abandons the upload on the server. */
  signal?: AbortSignal;
  /** Parts in flight at once (default 4). */
  concurrency?: number;
  /** Continue an upload an earlier call started (same source): only missing parts are sent. */
  uploadId?: string;
  /** Attempts per part before giving up (default 6), with backoff between them. */
  attempts?: number;
  /** Per-part request timeout (default 120 s). */
  partTimeoutMs?: number;
}

const RETRY_BASE_MS = 250;
const RETRY_MAX_MS = 8_000;

/**
 * Uploads a file and returns it, ready for sendMedia. Files up to one part
 * go in a single PUT, larger ones as parts sent `concurrency` at a time.
 * A part that fails on the network (or with a 5xx) is retried with backoff;
 * before each retry the client asks the server which parts it stored (the
 * answer may have been lost, not the part) and sends only what is missing.
 * The same happens when `uploadId` resumes an earlier upload.
 */
export async function uploadFile(http: HttpApi, source: UploadSource, options: UploadOptions = {}): Promise<FileInfo> {
  const reader = partReader(source, options.size);
  const { signal } = options;
  const info: UploadInfo & { received?: number[] } = options.uploadId
    ? await http.request('GET', `/v1/uploads/${options.uploadId}`, UploadStatus)
    : await http.request('POST', '/v1/uploads', UploadInfo, {
        size: reader.size,
        ...(options.fileName !== undefined && { file_name: options.fileName }),
        ...(options.mime !== undefined && { declared_mime: options.mime }),
      });
  if (info.size !== reader.size) throw new ClientError('PROTOCOL', `Upload ${info.upload_id} is ${info.size} bytes, the source ${reader.size}`);
  const stored = new Set<number>(info.received ?? []);
  const sizeOf = (n: number) => (n < info.part_count ? info.part_size : info.size - (n - 1) * info.part_size);
  let sent = [...stored].reduce((sum, n) => sum + sizeOf(n), 0);
  /** Bytes of parts still on their way, where the platform reports them: progress moves within a part too. */
  const inFlight = new Map<number, number>();
  const report = () => {
    let moving = 0;
    for (const bytes of inFlight.values()) moving += bytes;
    options.onProgress?.({ upload_id: info.upload_id, sent: sent + moving, total: info.size });
  };
  const path = (n: number) => (info.mode === 'single' ? `/v1/uploads/${info.upload_id}` : `/v1/uploads/${info.upload_id}/parts/${n}`);

  const sendPart = async (n: number, bytes: Uint8Array | Blob): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      checkAborted(signal);
      try {
        const timeout = AbortSignal.timeout(options.partTimeoutMs ?? 120_000);
        await http.sendBytes('PUT', path(n), UploadPartResult, bytes, signal ? AbortSignal.any([signal, timeout]) : timeout, (bytesSent) => {
          // Never past the part itself (a retry starts again from zero).
          inFlight.set(n, Math.min(bytesSent, sizeOf(n)));
          report();
        });
        inFlight.delete(n);
        return;
      } catch (error) {
        // The bytes of a failed try are not stored: take them back from the progress.
        if (inFlight.delete(n)) report();
        checkAborted(signal);
        if (!retryable(error) || attempt >= (options.attempts ?? 6)) throw error;
        await sleep(delay(attempt, error), signal);
        // Resume: the part may have been stored even though its answer was lost.
        const status = await http.request('GET', `/v1/uploads/${info.upload_id}`, UploadStatus).catch(() => undefined);
        if (status?.received.includes(n)) return;
      }
    }
  };

  let next = 1;
  const worker = async (): Promise<void> => {
    while (next <= info.part_count) {
      checkAborted(signal);
      const n = next++;
      // Read in this same tick, so a stream source is read in part order.
      const bytes = reader.read(n, info.part_size);
      if (stored.has(n)) {
        await bytes;
        continue;
      }
      await sendPart(n, await bytes);
      stored.add(n);
      sent += sizeOf(n);
      report();
    }
  };
  try {
    report();
    const workers = Math.max(1, Math.min(options.concurrency ?? 4, info.part_count));
    await Promise.all(Array.from({ length: workers }, worker));
    return await withRetry(() => http.request('POST', `/v1/uploads/${info.upload_id}/complete`, FileInfo), options, signal);
  } catch (error) {
    if (signal?.aborted) {
      // Abandoned on purpose: free the server's copy now rather than at expiry.
      await http.request('DELETE', `/v1/uploads/${info.upload_id}`, OkResult).catch(() => {});
      throw new ClientError('ABORTED', 'Upload aborted', { cause: error });
    }
    throw error;
  }
}

async function withRetry<T>(fn: () => Promise<T>, options: UploadOptions, signal: AbortSignal | undefined): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      checkAborted(signal);
      if (!retryable(error) || attempt >= (options.attempts ?? 6)) throw error;
      await sleep(delay(attempt, error), signal);
    }
  }
}

/** Network failures, timeouts, 5xx and rate limits are worth another try; other refusals are final. */
function retryable(error: unknown): boolean {
  if (error instanceof ClientError) return error.code === 'NETWORK';
  if (error instanceof EdgegramError) return error.code === ErrorCode.INTERNAL || error.code === ErrorCode.RATE_LIMITED;
  return false;
}

function delay(attempt: number, error: unknown): number {
  if (error instanceof EdgegramError && error.extra.retry_after) return error.extra.retry_after * 1000;
  const step = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
  return step / 2 + Math.random() * (step / 2);
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ClientError('ABORTED', 'Upload aborted', { cause: signal.reason });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
