import { EdgegramError, ErrorCode, fail } from '../protocol/errors.js';

/** R2 refuses multipart parts under 5 MiB (except the last). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
/** Parts stay far below the 100 MB request body limit of most plans. */
export const MAX_PART_SIZE = 64 * 1024 * 1024;
/**
 * 8 MiB: a 2 GiB file is 256 parts (R2 allows 10,000); a lost connection
 * costs at most one part; four parts in flight keep a fast link busy.
 */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/** The configured part size (env MEDIA_PART_SIZE), honoured only within R2's limits. */
export function partSizeFrom(configured: string | undefined): number {
  const n = Number(configured);
  return Number.isSafeInteger(n) && n >= MIN_PART_SIZE && n <= MAX_PART_SIZE ? n : DEFAULT_PART_SIZE;
}

export type UploadPlan = { size: number; partSize: number; partCount: number; mode: 'single' | 'multipart' };

/** Files up to one part go in a single PUT; larger ones as R2 multipart uploads. */
export function planUpload(size: number, partSize: number): UploadPlan {
  const partCount = Math.max(1, Math.ceil(size / partSize));
  return { size, partSize, partCount, mode: partCount === 1 ? 'single' : 'multipart' };
}

/** Every part is exactly partSize bytes except the last, which holds the rest. */
export function expectedPartSize(plan: UploadPlan, partNumber: number): number {
  if (!Number.isSafeInteger(partNumber) || partNumber < 1 || partNumber > plan.partCount) {
    throw new EdgegramError(
      ErrorCode.UPLOAD_PART_INVALID,
      `Part ${partNumber} is out of range: this upload has parts 1-${plan.partCount}`,
    );
  }
  return partNumber < plan.partCount ? plan.partSize : plan.size - (plan.partCount - 1) * plan.partSize;
}

/**
 * A part's Content-Length must be declared and be the exact part length,
 * checked before reading a byte. Declared, the body cannot run longer (HTTP
 * framing), so the streaming side only has to catch a body that ends early.
 */
export function checkDeclaredLength(header: string | undefined, expected: number, partNumber: number): void {
  if (header === undefined) {
    throw new EdgegramError(ErrorCode.UPLOAD_PART_INVALID, `Part ${partNumber} needs a Content-Length of ${expected}`);
  }
  if (!/^[0-9]+$/.test(header)) throw fail.badRequest('Content-Length must be a number');
  const declared = Number(header);
  if (declared !== expected) throw wrongLength(partNumber, expected, declared);
}

export function wrongLength(partNumber: number, expected: number, got: number | 'fewer' | 'more'): EdgegramError {
  const what = typeof got === 'number' ? `${got} bytes` : `${got} bytes than that`;
  return new EdgegramError(ErrorCode.UPLOAD_PART_INVALID, `Part ${partNumber} must be exactly ${expected} bytes, got ${what}`);
}
