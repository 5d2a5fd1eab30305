import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { chatMembers, fileOwners, fileRefs, files, fileTrash } from '../schema.js';
import type { FileRow } from './uploads.js';

/** A message started or stopped showing a file. Mirrored from the ChatRoom's outbox; idempotent. */
export type FileRefChange =
  | { op: 'ref'; fileId: string; chatId: number; messageId: number }
  | { op: 'unref'; fileId: string; chatId: number; messageId: number };

export function fileRefStatements(db: Db, change: FileRefChange, now: number) {
  const { fileId, chatId, messageId } = change;
  if (change.op === 'ref') return [db.insert(fileRefs).values({ fileId, chatId, messageId }).onConflictDoNothing()];
  return [
    db
      .delete(fileRefs)
      .where(and(eq(fileRefs.fileId, fileId), eq(fileRefs.chatId, chatId), eq(fileRefs.messageId, messageId))),
    // Releasing a ref touches the file: the grace period before it is freed counts from here.
    db.update(files).set({ touchedAt: now }).where(eq(files.id, fileId)),
  ];
}

export async function findFile(db: Db, id: string): Promise<FileRow | undefined> {
  return db.query.files.findFirst({ where: eq(files.id, id) });
}

/**
 * The file, if `accountId` may send it: they uploaded its bytes, or it is in
 * a message of a chat they are a member of (a forward keeps its media). A
 * hit touches the file, so it cannot be freed while the send is under way.
 * Anything else answers undefined, whether the file exists or not.
 */
export async function claimFileForSend(db: Db, id: string, accountId: number, now: number): Promise<FileRow | undefined> {
  const [row] = await db
    .update(files)
    .set({ touchedAt: now })
    .where(
      and(
        eq(files.id, id),
        sql`(EXISTS (SELECT 1 FROM ${fileOwners} WHERE ${fileOwners.fileId} = ${id} AND ${fileOwners.accountId} = ${accountId})
          OR EXISTS (SELECT 1 FROM ${fileRefs} JOIN ${chatMembers} ON ${chatMembers.chatId} = ${fileRefs.chatId}
                     WHERE ${fileRefs.fileId} = ${id} AND ${chatMembers.accountId} = ${accountId}))`,
      ),
    )
    .returning();
  return row;
}

export async function refCount(db: Db, fileId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(fileRefs).where(eq(fileRefs.fileId, fileId));
  return row?.n ?? 0;
}

/**
 * Frees up to `limit` files nobody refers to and nobody touched since
 * `touchedBefore`: in one transaction their objects go to the trash and their
 * rows (and owners) are deleted. Running it twice frees each file once.
 * Returns how many were freed.
 */
export async function freeUnreferencedFiles(db: Db, touchedBefore: number, now: number, limit: number): Promise<number> {
  const victims = sql`SELECT ${files.id} FROM ${files}
    WHERE ${files.touchedAt} < ${touchedBefore}
      AND NOT EXISTS (SELECT 1 FROM ${fileRefs} WHERE ${fileRefs.fileId} = ${files.id})
    ORDER BY ${files.id} LIMIT ${limit}`;
  const [trashed] = await db.batch([
    db
      .insert(fileTrash)
      .select(sql`SELECT ${files.r2Key}, ${now} FROM ${files} WHERE ${files.id} IN (${victims})`)
      .onConflictDoNothing()
      .returning({ r2Key: fileTrash.r2Key }),
    db.delete(fileOwners).where(sql`${fileOwners.fileId} IN (${victims})`),
    db.delete(files).where(sql`${files.id} IN (${victims})`),
  ]);
  return trashed.length;
}

export async function trashKeys(db: Db, limit: number): Promise<string[]> {
  const rows = await db.select({ r2Key: fileTrash.r2Key }).from(fileTrash).limit(limit);
  return rows.map((r) => r.r2Key);
}

export async function queueTrash(db: Db, r2Key: string, now: number): Promise<void> {
  await db.insert(fileTrash).values({ r2Key, queuedAt: now }).onConflictDoNothing();
}

export async function untrash(db: Db, r2Keys: string[]): Promise<void> {
  for (let i = 0; i < r2Keys.length; i += 90) {
    await db.delete(fileTrash).where(inArray(fileTrash.r2Key, r2Keys.slice(i, i + 90)));
  }
}
