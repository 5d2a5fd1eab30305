import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { DEFAULT_PRIVACY, privacyAllows, type PrivacyKey, type PrivacyRule } from '../../protocol/privacy.js';
import type { Db } from '../db.js';
import { blocks, contacts, privacyRules } from '../schema.js';

/**
 * Privacy rules and the questions the serving paths ask of them. A block
 * hides everything a rule could share, whatever the rule says.
 */

const IdList = z.array(z.number().int().positive());

function toRule(row: typeof privacyRules.$inferSelect | undefined, key: PrivacyKey): PrivacyRule {
  if (!row) return DEFAULT_PRIVACY[key];
  // A damaged list reads as empty (the value still holds), never as an error on a read path.
  const ids = (text: string) => {
    try {
      const parsed = IdList.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  };
  return { value: row.value, allow_user_ids: ids(row.allowUserIds), disallow_user_ids: ids(row.disallowUserIds) };
}

export async function getPrivacyRule(db: Db, accountId: number, key: PrivacyKey): Promise<PrivacyRule> {
  const row = await db.query.privacyRules.findFirst({ where: and(eq(privacyRules.accountId, accountId), eq(privacyRules.key, key)) });
  return toRule(row, key);
}

export async function setPrivacyRule(db: Db, accountId: number, key: PrivacyKey, rule: PrivacyRule, now: number): Promise<void> {
  const values = {
    value: rule.value,
    allowUserIds: JSON.stringify([...new Set(rule.allow_user_ids)]),
    disallowUserIds: JSON.stringify([...new Set(rule.disallow_user_ids)]),
    updatedAt: now,
  };
  await db
    .insert(privacyRules)
    .values({ accountId, key, ...values })
    .onConflictDoUpdate({ target: [privacyRules.accountId, privacyRules.key], set: values });
}

/**
 * Of `ownerIds`, those whose `key` rule lets `viewerId` have their
 * information (one viewer, many owners: getUsers, group adds). Three reads
 * whatever the count: the owners' rules, whom of them have the viewer as a
 * contact, and who of them blocked it.
 */
export async function ownersAllowing(db: Db, viewerId: number, ownerIds: readonly number[], key: PrivacyKey): Promise<Set<number>> {
  return (await ownersAllowingEach(db, viewerId, ownerIds, [key]))[key]!;
}

/**
 * The same for several keys at once (getUsers asks for presence and bios):
 * the contacts and blocks are read once for all of them, the rules in one
 * read per slice for every key.
 */
export async function ownersAllowingEach<K extends PrivacyKey>(
  db: Db,
  viewerId: number,
  ownerIds: readonly number[],
  keys: readonly K[],
): Promise<Record<K, Set<number>>> {
  const owners = [...new Set(ownerIds)];
  const rules = new Map<string, PrivacyRule>();
  const [contactOf, blockedBy] = [new Set<number>(), new Set<number>()];
  for (let i = 0; i < owners.length; i += 90) {
    const slice = owners.slice(i, i + 90);
    const rows = await db.select().from(privacyRules).where(and(inArray(privacyRules.accountId, slice), inArray(privacyRules.key, [...keys])));
    for (const row of rows) rules.set(`${row.accountId}:${row.key}`, toRule(row, row.key as PrivacyKey));
    for (const row of await db.select({ id: contacts.ownerId }).from(contacts).where(and(inArray(contacts.ownerId, slice), eq(contacts.contactId, viewerId)))) {
      contactOf.add(row.id);
    }
    for (const row of await db.select({ id: blocks.ownerId }).from(blocks).where(and(inArray(blocks.ownerId, slice), eq(blocks.blockedId, viewerId)))) {
      blockedBy.add(row.id);
    }
  }
  const allowed = (owner: number, key: K) =>
    owner === viewerId ||
    (!blockedBy.has(owner) && privacyAllows(rules.get(`${owner}:${key}`) ?? DEFAULT_PRIVACY[key], viewerId, owner, contactOf.has(owner)));
  return Object.fromEntries(keys.map((key) => [key, new Set(owners.filter((owner) => allowed(owner, key)))])) as Record<K, Set<number>>;
}

/**
 * Of `viewerIds`, those the owner's `key` rule lets have its information
 * (one owner, many viewers: presence notices). Three reads as well.
 */
export async function viewersAllowed(db: Db, ownerId: number, viewerIds: readonly number[], key: PrivacyKey): Promise<number[]> {
  const viewers = [...new Set(viewerIds)];
  if (viewers.length === 0) return [];
  const rule = await getPrivacyRule(db, ownerId, key);
  const myContacts = new Set<number>();
  const myBlocks = new Set<number>();
  for (let i = 0; i < viewers.length; i += 90) {
    const slice = viewers.slice(i, i + 90);
    for (const row of await db.select({ id: contacts.contactId }).from(contacts).where(and(eq(contacts.ownerId, ownerId), inArray(contacts.contactId, slice)))) {
      myContacts.add(row.id);
    }
    for (const row of await db.select({ id: blocks.blockedId }).from(blocks).where(and(eq(blocks.ownerId, ownerId), inArray(blocks.blockedId, slice)))) {
      myBlocks.add(row.id);
    }
  }
  return viewers.filter((v) => !myBlocks.has(v) && privacyAllows(rule, v, ownerId, myContacts.has(v)));
}
