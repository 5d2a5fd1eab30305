import { and, eq } from 'drizzle-orm';
import type { Db } from '../db.js';
import { outboxParked } from '../schema.js';

export type ParkedTarget = {
  chatId: number;
  userId: number;
  parkedAt: number;
  attempts: number;
  oldestSeq: number | null;
  rowCount: number;
};

/** Records (or refreshes) a parked outbox target. */
export async function recordParked(db: Db, parked: ParkedTarget): Promise<void> {
  const { chatId, userId, ...fields } = parked;
  await db
    .insert(outboxParked)
    .values(parked)
    .onConflictDoUpdate({ target: [outboxParked.chatId, outboxParked.userId], set: fields });
}

export async function clearParked(db: Db, chatId: number, userId: number): Promise<void> {
  await db.delete(outboxParked).where(and(eq(outboxParked.chatId, chatId), eq(outboxParked.userId, userId)));
}

export async function listParked(db: Db, chatId: number): Promise<ParkedTarget[]> {
  return db.select().from(outboxParked).where(eq(outboxParked.chatId, chatId));
}
