import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { blocks, contacts } from '../schema.js';

/** Contacts and blocks (d1/schema.ts): the cross-account authority for both. */

export type ContactRow = typeof contacts.$inferSelect;

/** Adds or renames a contact; false when the owner already has MAX contacts (and this is not one of them). */
export async function putContact(
  db: Db,
  row: { ownerId: number; contactId: number; firstName: string; lastName: string | null; addedAt: number },
  max: number,
): Promise<boolean> {
  // One statement: the count and the insert cannot be raced apart by a second add.
  const written = await db.all<{ owner_id: number }>(
    sql`INSERT INTO contacts (owner_id, contact_id, first_name, last_name, added_at)
        SELECT ${row.ownerId}, ${row.contactId}, ${row.firstName}, ${row.lastName}, ${row.addedAt}
        WHERE (SELECT count(*) FROM contacts WHERE owner_id = ${row.ownerId} AND contact_id <> ${row.contactId}) < ${max}
        ON CONFLICT (owner_id, contact_id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name
        RETURNING owner_id`,
  );
  return written.length === 1;
}

/** Removes contacts, 90 ids per statement: D1 binds at most 100 parameters (found by the fuzzer with 100 ids). */
export async function deleteContacts(db: Db, ownerId: number, contactIds: readonly number[]): Promise<void> {
  const ids = [...new Set(contactIds)];
  for (let i = 0; i < ids.length; i += 90) {
    await db.delete(contacts).where(and(eq(contacts.ownerId, ownerId), inArray(contacts.contactId, ids.slice(i, i + 90))));
  }
}

/** The owner's contacts by name, each with whether it is mutual. */
export async function listContacts(db: Db, ownerId: number): Promise<(ContactRow & { mutual: boolean })[]> {
  const rows = await db.all<{ owner_id: number; contact_id: number; first_name: string; last_name: string | null; added_at: number; mutual: number }>(
    sql`SELECT c.*, EXISTS (SELECT 1 FROM contacts r WHERE r.owner_id = c.contact_id AND r.contact_id = c.owner_id) AS mutual
        FROM contacts c WHERE c.owner_id = ${ownerId} ORDER BY c.first_name COLLATE NOCASE, c.last_name COLLATE NOCASE, c.contact_id`,
  );
  return rows.map((r) => ({ ownerId: r.owner_id, contactId: r.contact_id, firstName: r.first_name, lastName: r.last_name, addedAt: r.added_at, mutual: r.mutual === 1 }));
}

export async function findContact(db: Db, ownerId: number, contactId: number): Promise<(ContactRow & { mutual: boolean }) | undefined> {
  const row = await db.query.contacts.findFirst({ where: and(eq(contacts.ownerId, ownerId), eq(contacts.contactId, contactId)) });
  if (!row) return undefined;
  const back = await db.query.contacts.findFirst({ where: and(eq(contacts.ownerId, contactId), eq(contacts.contactId, ownerId)) });
  return { ...row, mutual: back !== undefined };
}

export async function putBlock(db: Db, ownerId: number, blockedId: number, at: number): Promise<void> {
  await db.insert(blocks).values({ ownerId, blockedId, blockedAt: at }).onConflictDoNothing();
}

export async function deleteBlock(db: Db, ownerId: number, blockedId: number): Promise<void> {
  await db.delete(blocks).where(and(eq(blocks.ownerId, ownerId), eq(blocks.blockedId, blockedId)));
}

/** A page of the owner's block list, newest first, and how many in all. */
export async function listBlocks(db: Db, ownerId: number, offset: number, limit: number) {
  const rows = await db.select().from(blocks).where(eq(blocks.ownerId, ownerId)).orderBy(sql`${blocks.blockedAt} DESC`, asc(blocks.blockedId)).limit(limit).offset(offset);
  const [{ n }] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM blocks WHERE owner_id = ${ownerId}`) as [{ n: number }];
  return { rows, count: n };
}

/** Of `owners`, those who blocked `userId` (they hide from it, and refuse its invitations). */
export async function blockedBy(db: Db, userId: number, owners: readonly number[]): Promise<Set<number>> {
  if (owners.length === 0) return new Set();
  const found = new Set<number>();
  for (let i = 0; i < owners.length; i += 90) {
    const rows = await db
      .select({ ownerId: blocks.ownerId })
      .from(blocks)
      .where(and(eq(blocks.blockedId, userId), inArray(blocks.ownerId, owners.slice(i, i + 90))));
    for (const r of rows) found.add(r.ownerId);
  }
  return found;
}

/** Whether `ownerId` blocked `userId`. */
export async function isBlocked(db: Db, ownerId: number, userId: number): Promise<boolean> {
  return (await blockedBy(db, userId, [ownerId])).has(ownerId);
}
