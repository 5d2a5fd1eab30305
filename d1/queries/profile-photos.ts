import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { ChatPhoto } from '../../protocol/media.js';
import type { UserPhoto } from '../../protocol/profile-photos.js';
import type { Db } from '../db.js';
import { profilePhotos } from '../schema.js';
import { fileRefStatements } from './files.js';

/**
 * A profile photo's files are kept by a file_refs row under the owner's
 * negated account id (chat ids are positive, so it names no chat and lets no
 * chat member use the file) and message id 0: one ref per file per account,
 * however many of its photos show the file.
 */
export function profilePhotoRefChat(accountId: number): number {
  return -accountId;
}

type Row = typeof profilePhotos.$inferSelect;

export function toUserPhoto(row: Row): UserPhoto {
  return {
    id: row.id,
    big: { id: row.bigFileId, size: row.bigSize, mime_type: row.bigMime, file_name: null },
    small: { id: row.smallFileId, size: row.smallSize, mime_type: row.smallMime, file_name: null },
    width: row.width,
    height: row.height,
    date: row.createdAt,
  };
}

export async function countProfilePhotos(db: Db, accountId: number): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(profilePhotos).where(eq(profilePhotos.accountId, accountId));
  return row?.n ?? 0;
}

/** Adds the photo as the account's current one and refs its files, in one transaction. */
export async function addProfilePhoto(db: Db, accountId: number, photo: Omit<ChatPhoto, 'date'>, now: number): Promise<UserPhoto> {
  const chatId = profilePhotoRefChat(accountId);
  const [[row]] = await db.batch([
    db
      .insert(profilePhotos)
      .values({
        accountId,
        bigFileId: photo.big.id,
        bigSize: photo.big.size,
        bigMime: photo.big.mime_type,
        smallFileId: photo.small.id,
        smallSize: photo.small.size,
        smallMime: photo.small.mime_type,
        width: photo.width,
        height: photo.height,
        createdAt: now,
      })
      .returning(),
    ...[...new Set([photo.big.id, photo.small.id])].flatMap((fileId): BatchItem<'sqlite'>[] =>
      fileRefStatements(db, { op: 'ref', fileId, chatId, messageId: 0 }, now),
    ),
  ]);
  return toUserPhoto(row!);
}

/**
 * Deletes these photos of the account's (others' ids are ignored) and
 * unrefs the files no photo left shows, in one transaction. Answers the
 * deleted ids and the files that lost their ref (for the reaper).
 */
export async function deleteProfilePhotos(db: Db, accountId: number, ids: readonly number[], now: number): Promise<{ deleted: number[]; released: string[] }> {
  const rows = await db
    .select()
    .from(profilePhotos)
    .where(and(eq(profilePhotos.accountId, accountId), inArray(profilePhotos.id, [...ids])));
  if (rows.length === 0) return { deleted: [], released: [] };
  const deleted = new Set(rows.map((r) => r.id));
  const kept = await db.select().from(profilePhotos).where(eq(profilePhotos.accountId, accountId));
  const stillShown = new Set(kept.filter((r) => !deleted.has(r.id)).flatMap((r) => [r.bigFileId, r.smallFileId]));
  const released = [...new Set(rows.flatMap((r) => [r.bigFileId, r.smallFileId]))].filter((f) => !stillShown.has(f));
  const chatId = profilePhotoRefChat(accountId);
  await db.batch([
    db.delete(profilePhotos).where(and(eq(profilePhotos.accountId, accountId), inArray(profilePhotos.id, [...deleted]))),
    ...released.flatMap((fileId): BatchItem<'sqlite'>[] => fileRefStatements(db, { op: 'unref', fileId, chatId, messageId: 0 }, now)),
  ]);
  return { deleted: [...deleted], released };
}

/** The account's photos, newest (the current one) first. */
export async function profilePhotosOf(db: Db, accountId: number, offset: number, limit: number): Promise<UserPhoto[]> {
  const rows = await db
    .select()
    .from(profilePhotos)
    .where(eq(profilePhotos.accountId, accountId))
    .orderBy(desc(profilePhotos.id))
    .limit(limit)
    .offset(offset);
  return rows.map(toUserPhoto);
}

export async function profilePhoto(db: Db, accountId: number, photoId: number | undefined): Promise<UserPhoto | undefined> {
  if (photoId === undefined) return (await profilePhotosOf(db, accountId, 0, 1))[0];
  const row = await db.query.profilePhotos.findFirst({ where: and(eq(profilePhotos.accountId, accountId), eq(profilePhotos.id, photoId)) });
  return row && toUserPhoto(row);
}

/** Each account's current photo (its newest), for these accounts: one read per 90. */
export async function currentProfilePhotos(db: Db, accountIds: readonly number[]): Promise<Map<number, UserPhoto>> {
  const ids = [...new Set(accountIds)];
  const current = new Map<number, UserPhoto>();
  for (let i = 0; i < ids.length; i += 90) {
    const slice = ids.slice(i, i + 90);
    const newest = db
      .select({ id: sql<number>`max(${profilePhotos.id})` })
      .from(profilePhotos)
      .where(inArray(profilePhotos.accountId, slice))
      .groupBy(profilePhotos.accountId);
    for (const row of await db.select().from(profilePhotos).where(inArray(profilePhotos.id, newest))) current.set(row.accountId, toUserPhoto(row));
  }
  return current;
}
