import { z } from 'zod';
import { Timestamp } from '../common.js';
import { FileName, UploadId } from '../media.js';

/**
 * Uploads over HTTP. `POST /v1/uploads` declares the file; its bytes then go
 * in one `PUT /v1/uploads/:id` (mode `single`) or as numbered parts
 * `PUT /v1/uploads/:id/parts/:n` (mode `multipart`, any order, in parallel);
 * `POST /v1/uploads/:id/complete` turns them into a file.
 */

// The size is checked by the handler so that too large a file gets FILE_TOO_LARGE.
export const CreateUploadBody = z.object({
  size: z.number().int().positive(),
  file_name: FileName.optional(),
  /** Recorded, never trusted: the stored type is sniffed from the bytes. */
  declared_mime: z.string().max(255).optional(),
});
export type CreateUploadBody = z.infer<typeof CreateUploadBody>;

export const UploadMode = {
  /** The whole file in one PUT: files up to part_size. */
  single: 'single',
  /** R2 multipart: part_count parts of part_size bytes, the last one shorter or equal. */
  multipart: 'multipart',
} as const;
export type UploadMode = (typeof UploadMode)[keyof typeof UploadMode];

export const UploadInfo = z.object({
  upload_id: UploadId,
  mode: z.enum(['single', 'multipart']),
  size: z.number().int().positive(),
  /** Every part is exactly this long except the last (size - (part_count - 1) * part_size). */
  part_size: z.number().int().positive(),
  part_count: z.number().int().positive(),
  /** Unfinished uploads are aborted after this; every stored part moves it forward. */
  expires_at: Timestamp,
});
export type UploadInfo = z.infer<typeof UploadInfo>;

/** What `GET /v1/uploads/:id` answers: enough to resume after a dropped connection. */
export const UploadStatus = UploadInfo.extend({
  /** Part numbers stored so far, ascending (a single upload's one body is part 1). */
  received: z.array(z.number().int().positive()),
});
export type UploadStatus = z.infer<typeof UploadStatus>;

/** The answer to one stored part (or a single upload's body). */
export const UploadPartResult = z.object({
  part_number: z.number().int().positive(),
  size: z.number().int().nonnegative(),
});
export type UploadPartResult = z.infer<typeof UploadPartResult>;

export const UploadIdParam = z.object({ id: UploadId });
export const UploadPartParam = z.object({
  id: UploadId,
  // Piped into a number schema so the parsed type is declared (the OpenAPI
  // document describes URL parameters by it); the regex already bounds it.
  n: z.string().regex(/^[0-9]{1,5}$/, 'a part number is 1-5 digits').transform(Number).pipe(z.number().int().nonnegative().max(99_999)),
});

/** The query of a signed file link (see FileUrl). */
export const FileUrlQuery = z.object({
  /** Expiry, Unix seconds. */
  // One spelling per expiry (no leading zeros): a link that differs from the one handed out is not served.
  exp: z.string().regex(/^(0|[1-9][0-9]{0,11})$/).transform(Number).pipe(z.number().int().nonnegative()),
  /** `<key id>.<HMAC-SHA-256, base64url>` */
  sig: z.string().regex(/^[0-9a-f]{1,32}\.[A-Za-z0-9_-]{43}$/),
  /** The file name the message shows, for Content-Disposition. */
  name: z.string().max(255).optional(),
});
export const FileIdParam = z.object({ file_id: z.string().regex(/^[0-9a-f]{32}$/, 'not a file id') });
