import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { dataExports } from '../schema.js';

export type ExportRow = typeof dataExports.$inferSelect;

export async function findExport(db: Db, accountId: number): Promise<ExportRow | undefined> {
  return db.query.dataExports.findFirst({ where: eq(dataExports.accountId, accountId) });
}

export async function findExportById(db: Db, id: string): Promise<ExportRow | undefined> {
  return db.query.dataExports.findFirst({ where: eq(dataExports.id, id) });
}

/**
 * Starts a new export for the account, replacing its previous row, unless
 * one is running (one at a time): one conditional upsert, so two requests at
 * once start one export. Returns the row if this call started it.
 */
export async function startExport(db: Db, accountId: number, id: string, now: number): Promise<ExportRow | undefined> {
  const fresh = { id, state: 'running' as const, requestedAt: now, step: null, cursor: null, chatsDone: 0, chatsTotal: 0, messages: 0, size: null, finishedAt: null, expiresAt: null };
  const rows = await db
    .insert(dataExports)
    .values({ accountId, ...fresh })
    .onConflictDoUpdate({ target: dataExports.accountId, set: fresh, setWhere: sql`${dataExports.state} <> 'running'` })
    .returning();
  return rows[0]?.id === id ? rows[0] : undefined;
}

/** Records a page's progress: only for this export while it runs (a newer one is left alone). */
export async function saveExportProgress(
  db: Db,
  exportId: string,
  progress: { step: string | null; cursor: string | null; chatsDone?: number; chatsTotal?: number; messages?: number },
): Promise<void> {
  await db
    .update(dataExports)
    .set(progress)
    .where(and(eq(dataExports.id, exportId), eq(dataExports.state, 'running')));
}

export async function finishExport(db: Db, exportId: string, size: number, now: number, expiresAt: number): Promise<void> {
  await db
    .update(dataExports)
    .set({ state: 'done', size, finishedAt: now, expiresAt, step: null, cursor: null })
    .where(and(eq(dataExports.id, exportId), eq(dataExports.state, 'running')));
}

export async function endExport(db: Db, exportId: string, state: 'expired' | 'failed'): Promise<void> {
  await db.update(dataExports).set({ state, step: null, cursor: null }).where(eq(dataExports.id, exportId));
}

/** The account's export row goes (its deletion). */
export async function deleteExportRow(db: Db, accountId: number): Promise<void> {
  await db.delete(dataExports).where(eq(dataExports.accountId, accountId));
}
