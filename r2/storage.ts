import { EdgegramError, ErrorCode } from '../protocol/errors.js';
import { hex } from './hashing.js';
import { wrongLength } from './plan.js';

/** A part (or a single upload's body) as R2 stored it, with the server's own hash of its bytes. */
export type StoredPart = { partNumber: number; etag: string; size: number; sha256: string };

/**
 * Streams exactly `size` bytes from a request body into R2 while hashing
 * them, all through native pipes: the body is teed, one branch into R2
 * (through a FixedLengthStream, since R2 wants a stream of known length),
 * one into crypto.DigestStream. No chunk passes through JavaScript, which
 * keeps CPU time and isolate memory flat; the tee buffers at most what the
 * hash has read ahead of R2, less than one part. The caller has checked the
 * declared Content-Length, so the body cannot be longer; if it ends early
 * (the connection dropped) the pipes fail, R2 discards the write, and what
 * was stored before stays.
 */
async function streamInto(
  body: ReadableStream<Uint8Array> | null,
  size: number,
  partNumber: number,
  write: (readable: ReadableStream<Uint8Array>) => Promise<{ etag: string }>,
): Promise<StoredPart> {
  if (!body) throw wrongLength(partNumber, size, 0);
  const [toStore, toHash] = body.tee();
  const fixed = new FixedLengthStream(size);
  const digest = new crypto.DigestStream('SHA-256');
  const [piped, stored, hashed] = await Promise.allSettled([
    toStore.pipeTo(fixed.writable),
    write(fixed.readable),
    toHash.pipeTo(digest),
  ]);
  if (piped.status === 'rejected' || hashed.status === 'rejected' || (stored.status === 'rejected' && endedEarly(stored.reason))) {
    throw wrongLength(partNumber, size, 'fewer');
  }
  if (stored.status === 'rejected') throw storageError(stored.reason);
  return { partNumber, etag: stored.value.etag, size, sha256: hex(await digest.digest) };
}

export function putSingle(bucket: R2Bucket, key: string, body: ReadableStream<Uint8Array> | null, size: number) {
  return streamInto(body, size, 1, async (readable) => {
    const object = await bucket.put(key, readable);
    if (!object) throw new Error('R2 put returned no object');
    return object;
  });
}

export function putPart(
  bucket: R2Bucket,
  key: string,
  uploadId: string,
  partNumber: number,
  body: ReadableStream<Uint8Array> | null,
  size: number,
) {
  return streamInto(body, size, partNumber, (readable) =>
    bucket.resumeMultipartUpload(key, uploadId).uploadPart(partNumber, readable),
  );
}

/**
 * Completes a multipart upload. If R2 no longer knows the upload but the
 * object is there with the right size, a concurrent complete won: fine.
 */
export async function completeMultipart(
  bucket: R2Bucket,
  key: string,
  uploadId: string,
  parts: readonly { partNumber: number; etag: string }[],
  size: number,
): Promise<void> {
  try {
    await bucket.resumeMultipartUpload(key, uploadId).complete(parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })));
  } catch (err) {
    const existing = await bucket.head(key);
    if (existing && existing.size === size) return;
    if (isNoSuchUpload(err)) throw uploadGone();
    throw new EdgegramError(
      ErrorCode.UPLOAD_PART_INVALID,
      'Storage refused the parts (one was replaced while completing): check the upload status, resend, complete again',
      {},
      { cause: err },
    );
  }
}

/** Frees whatever an unfinished upload stored: its multipart parts and any object written. Idempotent. */
export async function discardUpload(bucket: R2Bucket, key: string, r2UploadId: string | null): Promise<void> {
  if (r2UploadId) {
    try {
      await bucket.resumeMultipartUpload(key, r2UploadId).abort();
    } catch (err) {
      if (!isNoSuchUpload(err)) throw err;
    }
  }
  await bucket.delete(key);
}

/** Deletes objects, 1,000 per call (R2's limit). Deleting a missing key is not an error. */
export async function deleteObjects(bucket: R2Bucket, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
}

/**
 * A body that ended before its declared length: workerd reports it on the
 * FixedLengthStream's readable side (so on R2's side) or as a disconnect.
 */
function endedEarly(err: unknown): boolean {
  return /FixedLengthStream|expected bytes|client disconnected|connection lost/i.test(String(err));
}

/** R2 error 10024: "The specified multipart upload does not exist." */
function isNoSuchUpload(err: unknown): boolean {
  return String(err).includes('10024') || /multipart upload does not exist/i.test(String(err));
}

function uploadGone() {
  return new EdgegramError(ErrorCode.UPLOAD_NOT_FOUND, 'Upload not found (expired or aborted)');
}

function storageError(err: unknown): EdgegramError | unknown {
  return isNoSuchUpload(err) ? uploadGone() : err;
}
