import { database, type Db } from '../../d1/db.js';
import { hit } from '../../d1/queries/rate-limits.js';
import {
  countOpenUploads,
  finalizeUpload,
  findUpload,
  forgetPart,
  insertUpload,
  listParts,
  markAborted,
  recordPart,
  settleUpload,
  type UploadRow,
} from '../../d1/queries/uploads.js';
import { findFile, untrash } from '../../d1/queries/files.js';
import type { Env } from '../../durable-objects/env.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import type { CreateUploadBody, UploadInfo, UploadPartResult, UploadStatus } from '../../protocol/http/uploads.js';
import { MAX_FILE_SIZE, type FileInfo } from '../../protocol/media.js';
import { contentKey } from '../../r2/hashing.js';
import { fileObjectKey } from '../../r2/keys.js';
import { checkDeclaredLength, expectedPartSize, partSizeFrom, planUpload, type UploadPlan } from '../../r2/plan.js';
import { sniffObject } from '../../r2/sniff.js';
import { completeMultipart, deleteObjects, discardUpload, putPart, putSingle } from '../../r2/storage.js';
import { randomHexId } from '../auth/tokens.js';
import { MAX_OPEN_UPLOADS, UPLOAD_HOLD_MS, UPLOAD_LIMITS, UPLOAD_TTL_MS } from './limits.js';

/**
 * The upload verbs, for an authenticated account: check → store → record.
 * Bytes stream from the request to R2 (hashed on the way), never buffered;
 * D1 records what R2 holds only after R2 accepted it.
 */

export async function createUpload(env: Env, accountId: number, body: CreateUploadBody, now: number): Promise<UploadInfo> {
  checkFileSize(body.size);
  const db = database(env.DB);
  await countCreate(db, accountId, now);
  await countBytes(db, accountId, body.size, now);
  await checkOpenUploads(db, accountId);
  return infoOf(await insertNewUpload(env, accountId, planUpload(body.size, partSizeFrom(env.MEDIA_PART_SIZE)), body, now));
}

/**
 * An upload whose size is not known yet: a file streamed inside another
 * request (a Bot API form), whose end is known only when it arrives. It is
 * planned as a multipart upload of the largest file allowed, so
 * putUploadPart takes its full parts as they fill; once the bytes end,
 * settleUploadSize records the real size, then the last part is put and the
 * upload completed like any other (dedup, sniffing, D1 rows). Its row makes
 * an abandoned one (a dead isolate) expire like any other.
 */
export async function createUploadOfUnknownSize(
  env: Env,
  accountId: number,
  meta: Omit<CreateUploadBody, 'size'>,
  now: number,
): Promise<UploadInfo> {
  const db = database(env.DB);
  await countCreate(db, accountId, now);
  await checkOpenUploads(db, accountId);
  return infoOf(await insertNewUpload(env, accountId, planUpload(MAX_FILE_SIZE, partSizeFrom(env.MEDIA_PART_SIZE)), meta, now));
}

/**
 * Records the size of an upload created without one, once every full part
 * is stored and before the last: its bytes are counted against the account
 * only now. Over a limit, the upload is aborted and what it stored freed.
 */
export async function settleUploadSize(env: Env, accountId: number, uploadId: string, size: number, now: number): Promise<UploadInfo> {
  const db = database(env.DB);
  const upload = await openUpload(env, accountId, uploadId, now);
  const plan = planUpload(size, upload.partSize);
  const parts = await listParts(db, uploadId);
  if (upload.mode !== 'multipart' || plan.mode !== 'multipart' || parts.some((p) => p.partNumber >= plan.partCount)) {
    throw new EdgegramError(ErrorCode.UPLOAD_PART_INVALID, `${size} bytes do not match the parts stored`);
  }
  try {
    checkFileSize(size);
    await countBytes(db, accountId, size, now);
  } catch (err) {
    await abortUpload(env, accountId, uploadId, now);
    throw err;
  }
  const settled = await settleUpload(db, uploadId, plan, now);
  if (!settled) throw uploadNotFound();
  return infoOf(settled);
}

/** FILE_TOO_LARGE past 2 GiB: for a declared size, and for a stream as it grows past it. */
export function checkFileSize(size: number): void {
  if (size > MAX_FILE_SIZE) {
    throw new EdgegramError(ErrorCode.FILE_TOO_LARGE, `A file is at most ${MAX_FILE_SIZE} bytes (2 GiB)`);
  }
}

async function countCreate(db: Db, accountId: number, now: number): Promise<void> {
  const creates = await hit(db, `upload:acct:${accountId}`, UPLOAD_LIMITS.createsPerAccount, now);
  if (creates.count > UPLOAD_LIMITS.createsPerAccount.limit) throw fail.rateLimited(creates.retryAfterSec);
}

async function countBytes(db: Db, accountId: number, size: number, now: number): Promise<void> {
  const bytes = await hit(db, `upload-bytes:acct:${accountId}`, UPLOAD_LIMITS.bytesPerAccount, now, size);
  if (bytes.count > UPLOAD_LIMITS.bytesPerAccount.limit) throw fail.rateLimited(bytes.retryAfterSec);
}

/** Finishing or aborting one frees a slot; abandoned ones expire. */
async function checkOpenUploads(db: Db, accountId: number): Promise<void> {
  if ((await countOpenUploads(db, accountId)) >= MAX_OPEN_UPLOADS) throw fail.rateLimited(60);
}

async function insertNewUpload(env: Env, accountId: number, plan: UploadPlan, meta: Omit<CreateUploadBody, 'size'>, now: number): Promise<UploadRow> {
  const fileId = randomHexId();
  const r2Key = fileObjectKey(fileId);
  const r2UploadId = plan.mode === 'multipart' ? (await env.MEDIA.createMultipartUpload(r2Key)).uploadId : null;
  const row: UploadRow = {
    id: randomHexId(),
    accountId,
    size: plan.size,
    partSize: plan.partSize,
    partCount: plan.partCount,
    mode: plan.mode,
    fileName: meta.file_name ?? null,
    declaredMime: meta.declared_mime ?? null,
    fileId,
    r2Key,
    r2UploadId,
    state: 'open',
    resultFileId: null,
    createdAt: now,
    updatedAt: now,
    expiresAt: now + UPLOAD_TTL_MS,
  };
  await insertUpload(database(env.DB), row);
  return row;
}

/**
 * Stores one part (or, for a single upload, the body as part 1). A resend
 * replaces the part; a refused body leaves the stored part as it was.
 */
export async function putUploadPart(
  env: Env,
  accountId: number,
  uploadId: string,
  partNumber: number | 'single',
  request: Request,
  now: number,
): Promise<UploadPartResult> {
  const db = database(env.DB);
  const upload = await openUpload(env, accountId, uploadId, now);
  if ((partNumber === 'single') !== (upload.mode === 'single')) {
    throw new EdgegramError(
      ErrorCode.UPLOAD_PART_INVALID,
      upload.mode === 'single' ? 'This is a single upload: PUT the body to /v1/uploads/:id' : 'This is a multipart upload: PUT each part to /v1/uploads/:id/parts/:n',
    );
  }
  const n = partNumber === 'single' ? 1 : partNumber;
  const size = expectedPartSize(planOf(upload), n);
  checkDeclaredLength(request.headers.get('content-length') ?? undefined, size, n);
  const stored =
    upload.mode === 'single'
      ? await putSingle(env.MEDIA, upload.r2Key, request.body, size)
      : await putPart(env.MEDIA, upload.r2Key, upload.r2UploadId!, n, request.body, size);
  const recorded = await recordPart(
    db,
    { uploadId, partNumber: n, etag: stored.etag, size: stored.size, sha256: stored.sha256, uploadedAt: now },
    now + UPLOAD_TTL_MS,
  );
  // Aborted while the bytes streamed: the abort (or the scheduled handler) frees what was written.
  if (!recorded) throw uploadNotFound();
  return { part_number: n, size: stored.size };
}

export async function uploadStatus(env: Env, accountId: number, uploadId: string, now: number): Promise<UploadStatus> {
  const upload = await openUpload(env, accountId, uploadId, now);
  const parts = await listParts(database(env.DB), uploadId);
  return { ...infoOf(upload), received: parts.map((p) => p.partNumber) };
}

/**
 * Makes the uploaded bytes a file. The content key is computed from the
 * part digests the server took itself; if identical bytes are already
 * stored, this upload's object is deleted and the existing file is used.
 * The type is sniffed from the stored bytes. Idempotent: a repeated call
 * returns the same file.
 */
export async function completeUpload(env: Env, accountId: number, uploadId: string, now: number): Promise<FileInfo> {
  const db = database(env.DB);
  const found = await findUpload(db, uploadId, accountId);
  if (found?.state === 'done') return doneInfo(env, found);
  const upload = await openUpload(env, accountId, uploadId, now);
  const parts = await listParts(db, uploadId);
  const have = new Set(parts.map((p) => p.partNumber));
  const missing = Array.from({ length: upload.partCount }, (_, i) => i + 1).filter((n) => !have.has(n));
  if (missing.length > 0) {
    const list = missing.length > 20 ? `${missing.slice(0, 20).join(', ')}, …` : missing.join(', ');
    throw new EdgegramError(ErrorCode.UPLOAD_INCOMPLETE, `Missing parts: ${list} (${missing.length} of ${upload.partCount})`);
  }
  if (upload.mode === 'multipart') {
    await completeMultipart(env.MEDIA, upload.r2Key, upload.r2UploadId!, parts, upload.size);
  } else {
    // A resend racing another could leave R2 and D1 describing different bodies: only a match counts.
    const head = await env.MEDIA.head(upload.r2Key);
    if (!head || head.size !== upload.size || head.etag !== parts[0]!.etag) {
      await forgetPart(db, uploadId, 1);
      throw new EdgegramError(ErrorCode.UPLOAD_PART_INVALID, 'The stored body changed while completing: send it again');
    }
  }
  const key = await contentKey(parts.map((p) => p.sha256));
  const mime = await sniffObject(env.MEDIA, upload.r2Key);
  const result = await finalizeUpload(db, { uploadId, contentKey: key, mime, now, holdUntil: now + UPLOAD_HOLD_MS });
  if (!result || result.upload.state !== 'done') throw uploadNotFound();
  if (result.upload.resultFileId !== upload.fileId) {
    // Deduplicated: the bytes are already stored once. The trash row makes this retry-safe.
    await deleteObjects(env.MEDIA, [upload.r2Key]);
    await untrash(db, [upload.r2Key]);
  }
  return doneInfo(env, result.upload);
}

/** Abandons an upload at the client's request: its parts and any stored bytes are freed. */
export async function abortUpload(env: Env, accountId: number, uploadId: string, now: number): Promise<void> {
  const upload = await markAborted(database(env.DB), uploadId, now, accountId);
  if (!upload) throw uploadNotFound();
  await discardUpload(env.MEDIA, upload.r2Key, upload.r2UploadId);
}

async function openUpload(env: Env, accountId: number, uploadId: string, now: number): Promise<UploadRow> {
  const upload = await findUpload(database(env.DB), uploadId, accountId);
  if (!upload || upload.state !== 'open' || upload.expiresAt <= now) throw uploadNotFound();
  return upload;
}

async function doneInfo(env: Env, upload: UploadRow): Promise<FileInfo> {
  const file = upload.resultFileId ? await findFile(database(env.DB), upload.resultFileId) : undefined;
  if (!file) throw uploadNotFound();
  return { id: file.id, size: file.size, mime_type: file.mime, file_name: upload.fileName };
}

function planOf(upload: UploadRow): UploadPlan {
  return { size: upload.size, partSize: upload.partSize, partCount: upload.partCount, mode: upload.mode };
}

function infoOf(row: UploadRow): UploadInfo {
  return {
    upload_id: row.id,
    mode: row.mode,
    size: row.size,
    part_size: row.partSize,
    part_count: row.partCount,
    expires_at: row.expiresAt,
  };
}

function uploadNotFound() {
  return new EdgegramError(ErrorCode.UPLOAD_NOT_FOUND, 'Upload not found (unknown, expired, aborted or not yours)');
}
