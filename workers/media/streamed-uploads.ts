import type { Env } from '../../durable-objects/env.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import type { CreateUploadBody, UploadInfo } from '../../protocol/http/uploads.js';
import type { FileInfo } from '../../protocol/media.js';
import { cutIntoParts, type PartBytes } from '../../r2/cut-parts.js';
import { partSizeFrom } from '../../r2/plan.js';
import {
  abortUpload,
  checkFileSize,
  completeUpload,
  createUpload,
  createUploadOfUnknownSize,
  putUploadPart,
  settleUploadSize,
} from './uploads.js';

/**
 * Stores bytes that arrive as a stream of unknown length (a file part of a
 * Bot API form) as the account's upload, through the upload verbs, so
 * dedup, sniffing, D1 rows and rate limits are those of every upload. At
 * most one part is held (r2/cut-parts.ts): bytes that end within the first
 * part are a single upload, created once their size is known; longer ones a
 * multipart upload whose full parts are put as they fill and whose size is
 * settled (and its bytes counted) at the end. On any failure (the body
 * breaks off, is malformed or too large, a limit) the upload is aborted and
 * what it stored freed.
 */
export async function uploadStream(
  env: Env,
  accountId: number,
  bytes: AsyncIterable<Uint8Array>,
  meta: Omit<CreateUploadBody, 'size'>,
  now: number,
): Promise<FileInfo> {
  const partSize = partSizeFrom(env.MEDIA_PART_SIZE);
  // Held in an object: it is set inside the part callback, which TypeScript's narrowing does not follow.
  const opened: { upload?: UploadInfo } = {};
  try {
    const { last, size } = await cutIntoParts(bytes, partSize, async (part) => {
      // A full part with a byte beyond it: the file is at least this long.
      checkFileSize(part.partNumber * partSize + 1);
      opened.upload ??= await createUploadOfUnknownSize(env, accountId, meta, now);
      await putUploadPart(env, accountId, opened.upload.upload_id, part.partNumber, partRequest(part), now);
    });
    if (size === 0) throw fail.badRequest('File must be non-empty');
    const upload = opened.upload
      ? await settleUploadSize(env, accountId, opened.upload.upload_id, size, now)
      : (opened.upload = await createUpload(env, accountId, { ...meta, size }, now));
    await putUploadPart(env, accountId, upload.upload_id, upload.mode === 'single' ? 'single' : last.partNumber, partRequest(last), now);
    return await completeUpload(env, accountId, upload.upload_id, now);
  } catch (err) {
    if (opened.upload) await freeUpload(env, accountId, opened.upload.upload_id, now);
    throw err;
  }
}

/**
 * A PUT as the upload routes receive it, over a part's chunks. The body is a
 * JS-backed stream: workerd cannot pipe a tee of its own internal streams (a
 * Blob's or a FixedLengthStream's) into another internal stream, which the
 * storage code does with request bodies.
 */
function partRequest(part: PartBytes): Request {
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = part.chunks[next++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
  return new Request('https://upload.invalid/', { method: 'PUT', body, headers: { 'content-length': String(part.size) } });
}

/**
 * Aborts a failed upload. One already gone (aborted by a limit it met, or
 * completed) needs nothing more; anything this cannot free, the scheduled
 * handler frees when the upload expires.
 */
async function freeUpload(env: Env, accountId: number, uploadId: string, now: number): Promise<void> {
  try {
    await abortUpload(env, accountId, uploadId, now);
  } catch (err) {
    if (!(err instanceof EdgegramError && err.code === ErrorCode.UPLOAD_NOT_FOUND)) console.error('could not free a failed upload', err);
  }
}
