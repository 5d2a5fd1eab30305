import { and, asc, desc, eq, gt } from 'drizzle-orm';
import type { Db } from '../db.js';
import { reports } from '../schema.js';

export type ReportRow = typeof reports.$inferSelect;
export type NewReport = Omit<typeof reports.$inferInsert, 'id' | 'status'>;

/**
 * Queues reports; one already made by the same reporter about the same
 * target is kept as it was (the unique index `reports_once`). Answers how
 * many were new.
 */
export async function addReports(db: Db, rows: readonly NewReport[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < rows.length; i += 8) {
    // 11 columns a row: 8 rows stay under D1's 100 bound parameters.
    const inserted = await db
      .insert(reports)
      .values(rows.slice(i, i + 8).map((r) => ({ ...r })))
      .onConflictDoNothing()
      .returning({ id: reports.id });
    added += inserted.length;
  }
  return added;
}

/** The operator's read: reports in a state, oldest first after `afterId` (or newest first), up to `limit`. */
export async function listReports(db: Db, q: { status: 'open' | 'closed'; afterId: number; limit: number }): Promise<ReportRow[]> {
  return db
    .select()
    .from(reports)
    .where(and(eq(reports.status, q.status), gt(reports.id, q.afterId)))
    .orderBy(asc(reports.id))
    .limit(q.limit);
}

export async function newestReports(db: Db, limit: number): Promise<ReportRow[]> {
  return db.select().from(reports).orderBy(desc(reports.id)).limit(limit);
}
