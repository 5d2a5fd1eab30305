import { and, asc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { fileOwners, files, fileTrash, uploadParts, uploads } from '../schema.js';

export type UploadRow = typeof uploads.$inferSelect;
export type UploadPartRow = typeof uploadParts.$inferSelect;
export type FileRow = typeof files.$inferSelect;

export async function insertUpload(db: Db, row: typeof uploads.$inferInsert): Promise<void> {
  await db.insert(uploads).values(row);
}

/** The account's own upload; another account's id is indistinguishable from a missing one. */
export async function findUpload(db: Db, id: string, accountId: number): Promise<UploadRow | undefined> {
  return db.query.uploads.findFirst({ where: and(eq(uploads.id, id), eq(uploads.accountId, accountId)) });
}

export async function listParts(db: Db, uploadId: string): Promise<UploadPartRow[]> {
  return db.select().from(uploadParts).where(eq(uploadParts.uploadId, uploadId)).orderBy(asc(uploadParts.partNumber));
}

/**
 * Records a stored part (a resend replaces it) and moves the upload's expiry
 * forward, only while the upload is open. Returns false if it is not.
 */
export async function recordPart(
  db: Db,
  part: typeof uploadParts.$inferInsert,
  expiresAt: number,
): Promise<boolean> {
  const [, touched] = await db.batch([
    db
      .insert(uploadParts)
      .select(
        sql`SELECT ${part.uploadId}, ${part.partNumber}, ${part.etag}, ${part.size}, ${part.sha256}, ${part.uploadedAt}
            WHERE EXISTS (SELECT 1 FROM ${uploads} WHERE ${uploads.id} = ${part.uploadId} AND ${uploads.state} = 'open')`,
      )
      .onConflictDoUpdate({
        target: [uploadParts.uploadId, uploadParts.partNumber],
        set: {
          etag: sql`excluded.etag`,
          size: sql`excluded.size`,
          sha256: sql`excluded.sha256`,
          uploadedAt: sql`excluded.uploaded_at`,
        },
      }),
    db
      .update(uploads)
      .set({ expiresAt, updatedAt: part.uploadedAt })
      .where(and(eq(uploads.id, part.uploadId), eq(uploads.state, 'open')))
      .returning({ id: uploads.id }),
  ]);
  return touched.length > 0;
}

/**
 * Records the real size of an upload created before its size was known
 * (workers/media/uploads.ts createUploadOfUnknownSize), only while it is
 * open. Returns the row, or undefined if it is not open.
 */
export async function settleUpload(
  db: Db,
  id: string,
  plan: { size: number; partCount: number },
  now: number,
): Promise<UploadRow | undefined> {
  const [row] = await db
    .update(uploads)
    .set({ size: plan.size, partCount: plan.partCount, updatedAt: now })
    .where(and(eq(uploads.id, id), eq(uploads.state, 'open')))
    .returning();
  return row;
}

export async function forgetPart(db: Db, uploadId: string, partNumber: number): Promise<void> {
  await db.delete(uploadParts).where(and(eq(uploadParts.uploadId, uploadId), eq(uploadParts.partNumber, partNumber)));
}

/**
 * Turns a completely uploaded (and R2-completed) upload into a file, in one
 * transaction: the new file row, or, if these bytes are already stored, a
 * touch of the existing one (deduplication); the uploader becomes an owner
 * holding the file until `holdUntil` (a re-upload renews the hold);
 * the upload is done; its own object goes to the trash when it lost to an
 * existing file. Does nothing unless the upload is still open (an abort won
 * the race). Idempotent. Returns the upload and its resulting file.
 */
export async function finalizeUpload(
  db: Db,
  input: { uploadId: string; contentKey: string; mime: string; now: number; holdUntil: number },
): Promise<{ upload: UploadRow; file: FileRow | undefined } | undefined> {
  const { uploadId, contentKey, mime, now, holdUntil } = input;
  const open = sql`(SELECT 1 FROM ${uploads} WHERE ${uploads.id} = ${uploadId} AND ${uploads.state} = 'open')`;
  const done = and(eq(uploads.id, uploadId), eq(uploads.state, 'done'));
  await db.batch([
    db
      .insert(files)
      .select(
        sql`SELECT ${uploads.fileId}, ${contentKey}, ${uploads.r2Key}, ${uploads.size}, ${mime}, ${now}, ${now}
            FROM ${uploads} WHERE ${uploads.id} = ${uploadId} AND EXISTS ${open}`,
      )
      .onConflictDoUpdate({ target: files.contentKey, set: { touchedAt: now } }),
    db
      .update(uploads)
      .set({
        state: 'done',
        updatedAt: now,
        resultFileId: sql`(SELECT ${files.id} FROM ${files} WHERE ${files.contentKey} = ${contentKey})`,
      })
      .where(and(eq(uploads.id, uploadId), eq(uploads.state, 'open'))),
    db
      .insert(fileOwners)
      .select(sql`SELECT ${uploads.resultFileId}, ${uploads.accountId}, ${now}, ${holdUntil} FROM ${uploads} WHERE ${done}`)
      .onConflictDoUpdate({ target: [fileOwners.fileId, fileOwners.accountId], set: { heldUntil: sql`excluded.held_until` } }),
    db
      .insert(fileTrash)
      .select(
        sql`SELECT ${uploads.r2Key}, ${now} FROM ${uploads} WHERE ${done} AND ${uploads.resultFileId} <> ${uploads.fileId}`,
      )
      .onConflictDoNothing(),
    db.delete(uploadParts).where(and(eq(uploadParts.uploadId, uploadId), sql`EXISTS (SELECT 1 FROM ${uploads} WHERE ${done})`)),
  ]);
  const upload = await db.query.uploads.findFirst({ where: eq(uploads.id, uploadId) });
  if (!upload || upload.state !== 'done' || !upload.resultFileId) return upload ? { upload, file: undefined } : undefined;
  return { upload, file: await db.query.files.findFirst({ where: eq(files.id, upload.resultFileId) }) };
}

/** Marks an open upload aborted (the caller then frees its storage); returns it, or undefined if it was not open. */
export async function markAborted(db: Db, id: string, now: number, accountId?: number): Promise<UploadRow | undefined> {
  const [row] = await db
    .update(uploads)
    .set({ state: 'aborted', updatedAt: now })
    .where(
      and(
        eq(uploads.id, id),
        eq(uploads.state, 'open'),
        ...(accountId === undefined ? [] : [eq(uploads.accountId, accountId)]),
      ),
    )
    .returning();
  return row;
}

/**
 * Uploads the scheduled handler must act on: open ones past expiry (abandoned),
 * aborted ones past a grace period (their object is deleted once more, in case
 * a PUT raced the abort), and done ones past a grace period (just forgotten).
 */
export async function staleUploads(
  db: Db,
  cutoffs: { expiredBefore: number; abortedBefore: number; doneBefore: number },
  limit: number,
): Promise<UploadRow[]> {
  return db
    .select()
    .from(uploads)
    .where(
      or(
        and(eq(uploads.state, 'open'), lt(uploads.expiresAt, cutoffs.expiredBefore)),
        and(eq(uploads.state, 'aborted'), lt(uploads.updatedAt, cutoffs.abortedBefore)),
        and(eq(uploads.state, 'done'), lt(uploads.updatedAt, cutoffs.doneBefore)),
      ),
    )
    .limit(limit);
}

export async function deleteUploads(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.batch([
    db.delete(uploadParts).where(inArray(uploadParts.uploadId, ids)),
    db.delete(uploads).where(inArray(uploads.id, ids)),
  ]);
}

/** How many uploads the account has open: bounds what one account can hold half-finished. */
export async function countOpenUploads(db: Db, accountId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(uploads)
    .where(and(eq(uploads.accountId, accountId), eq(uploads.state, 'open')));
  return row?.n ?? 0;
}
