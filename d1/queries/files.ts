import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { chatMembers, fileOwners, fileRefs, files, fileTrash } from '../schema.js';
import type { FileRow } from './uploads.js';

/**
 * The message id a chat's picture is referenced under. Message ids start at
 * 1, so 0 never names a message: the photo holds its files (and lets the
 * chat's members use them) through the same refs, outbox and reaper as
 * message media, with no table of its own.
 */
export const CHAT_PHOTO_REF = 0;

/** A message (or the chat's picture, CHAT_PHOTO_REF) started or stopped showing a file. Mirrored from the ChatRoom's outbox; idempotent. */
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
    // Releasing a ref touches the file: a forward that read the message before
    // it was deleted may still be on its way, so freeing waits IN_FLIGHT_MS from here.
    db.update(files).set({ touchedAt: now }).where(eq(files.id, fileId)),
  ];
}

export async function findFile(db: Db, id: string): Promise<FileRow | undefined> {
  return db.query.files.findFirst({ where: eq(files.id, id) });
}

/**
 * The file, if `accountId` may send it: they uploaded its bytes, or it is in
 * a message of a chat they are a member of (a forward keeps its media). A
 * hit touches the file, so it cannot be freed while the send is under way
 * (for IN_FLIGHT_MS: see freeFileIfUnused). With `endsHold` (a send, not a
 * download), the caller's own upload hold ends: from now on the messages
 * showing the file keep it, and deleting the last one frees it.
 * Anything else answers undefined, whether the file exists or not.
 */
export async function claimFileForSend(
  db: Db,
  id: string,
  accountId: number,
  now: number,
  options: { endsHold?: boolean } = {},
): Promise<FileRow | undefined> {
  const claim = db
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
  if (!options.endsHold) return (await claim)[0];
  const [[row]] = await db.batch([
    claim,
    db
      .update(fileOwners)
      .set({ heldUntil: 0 })
      .where(and(eq(fileOwners.fileId, id), eq(fileOwners.accountId, accountId), gt(fileOwners.heldUntil, 0))),
  ]);
  return row;
}

export async function refCount(db: Db, fileId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(fileRefs).where(eq(fileRefs.fileId, fileId));
  return row?.n ?? 0;
}

/**
 * Whether a file (the `files` row in scope) may be freed at `now`: no message
 * shows it, no uploader holds it, and nothing touched it (an upload, a send,
 * a release) for `inFlightMs`, the time a send or a forward that picked the
 * file up before then may still need to reach file_refs.
 */
function freeable(now: number, inFlightMs: number) {
  return sql`${files.touchedAt} <= ${now - inFlightMs}
    AND NOT EXISTS (SELECT 1 FROM ${fileRefs} WHERE ${fileRefs.fileId} = ${files.id})
    AND NOT EXISTS (SELECT 1 FROM ${fileOwners} WHERE ${fileOwners.fileId} = ${files.id} AND ${fileOwners.heldUntil} > ${now})`;
}

export type FreeResult =
  /** Freed now: these objects are in the trash, for the caller to delete from R2 and then untrash. */
  | { kind: 'freed'; r2Keys: string[] }
  /** No such file: freed before (a repeated alarm) or never existed. */
  | { kind: 'gone' }
  /** A message shows it (again): a later release will ask again. */
  | { kind: 'referenced' }
  /** Unreferenced but held (an upload's hold, or a send that may still be on its way) until `until`. */
  | { kind: 'held'; until: number };

/**
 * Frees one file if, at this moment, it may be (see freeable), in one D1
 * transaction: its object goes to the trash, its row and owners are deleted.
 * The check and the delete are the same statement, so nothing can refer to
 * the file, claim it or deduplicate onto it in between: D1 runs a batch as
 * one transaction, one at a time. Running it twice frees the file once.
 */
export async function freeFileIfUnused(db: Db, fileId: string, now: number, inFlightMs: number): Promise<FreeResult> {
  const target = sql`${files.id} = ${fileId} AND ${freeable(now, inFlightMs)}`;
  const [, freed, , state] = await db.batch([
    db
      .insert(fileTrash)
      .select(sql`SELECT ${files.r2Key}, ${now} FROM ${files} WHERE ${target}`)
      .onConflictDoNothing(),
    db.delete(files).where(target).returning({ r2Key: files.r2Key }),
    db.delete(fileOwners).where(and(eq(fileOwners.fileId, fileId), sql`NOT EXISTS (SELECT 1 FROM ${files} WHERE ${files.id} = ${fileId})`)),
    db
      .select({
        touchedAt: files.touchedAt,
        refs: sql<number>`(SELECT count(*) FROM ${fileRefs} WHERE ${fileRefs.fileId} = ${fileId})`,
        heldUntil: sql<number | null>`(SELECT max(${fileOwners.heldUntil}) FROM ${fileOwners} WHERE ${fileOwners.fileId} = ${fileId})`,
      })
      .from(files)
      .where(eq(files.id, fileId)),
  ]);
  if (freed.length > 0) return { kind: 'freed', r2Keys: freed.map((r) => r.r2Key) };
  const [row] = state;
  if (!row) return { kind: 'gone' };
  if (row.refs > 0) return { kind: 'referenced' };
  return { kind: 'held', until: Math.max(row.touchedAt + inFlightMs, row.heldUntil ?? 0) };
}

/** Of these files, the ones that exist and that no message shows. */
export async function unreferencedFiles(db: Db, ids: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db
      .select({ id: files.id })
      .from(files)
      .where(
        and(
          inArray(files.id, ids.slice(i, i + 90)),
          sql`NOT EXISTS (SELECT 1 FROM ${fileRefs} WHERE ${fileRefs.fileId} = ${files.id})`,
        ),
      );
    out.push(...rows.map((r) => r.id));
  }
  return out;
}

/**
 * The sweep: frees up to `limit` files that may be freed (see freeable) in
 * one transaction, as freeFileIfUnused does for one. Returns how many.
 */
export async function freeUnreferencedFiles(db: Db, now: number, inFlightMs: number, limit: number): Promise<number> {
  const victims = sql`SELECT ${files.id} FROM ${files} WHERE ${freeable(now, inFlightMs)} ORDER BY ${files.id} LIMIT ${limit}`;
  // Owners go before their files (the victims are still found by id); a
  // victim's owners hold nothing, so deleting them does not change who the
  // victims are.
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
