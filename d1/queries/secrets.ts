import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { serverSecrets } from '../schema.js';

export type ServerSecret = { id: string; secret: string; createdAt: number };

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The newest secret for `purpose`, generated on first use so operators
 * configure nothing. Concurrent first uses agree: the insert happens only if
 * none exists yet (D1 has one writer), and everyone reads the newest.
 */
export async function currentSecret(db: Db, purpose: string, now: number): Promise<ServerSecret> {
  const newest = () =>
    db
      .select({ id: serverSecrets.id, secret: serverSecrets.secret, createdAt: serverSecrets.createdAt })
      .from(serverSecrets)
      .where(eq(serverSecrets.purpose, purpose))
      .orderBy(desc(serverSecrets.createdAt), desc(serverSecrets.id))
      .limit(1);
  const [found] = await newest();
  if (found) return found;
  await db
    .insert(serverSecrets)
    .select(
      sql`SELECT ${randomHex(4)}, ${purpose}, ${randomHex(32)}, ${now}
          WHERE NOT EXISTS (SELECT 1 FROM ${serverSecrets} WHERE ${serverSecrets.purpose} = ${purpose})`,
    )
    .onConflictDoNothing();
  const [created] = await newest();
  return created!;
}

export async function secretById(db: Db, purpose: string, id: string): Promise<ServerSecret | undefined> {
  const [row] = await db
    .select({ id: serverSecrets.id, secret: serverSecrets.secret, createdAt: serverSecrets.createdAt })
    .from(serverSecrets)
    .where(and(eq(serverSecrets.purpose, purpose), eq(serverSecrets.id, id)));
  return row;
}

/**
 * Rotation: a new secret becomes current at once; the old ones keep
 * verifying what they signed until `pruneSecrets` drops them.
 */
export async function rotateSecret(db: Db, purpose: string, now: number): Promise<ServerSecret> {
  const row = { id: randomHex(4), purpose, secret: randomHex(32), createdAt: now };
  await db.insert(serverSecrets).values(row);
  return row;
}

/** Deletes secrets superseded (by a newer one of the same purpose) before `supersededBefore`. */
export async function pruneSecrets(db: Db, purpose: string, supersededBefore: number): Promise<void> {
  await db.delete(serverSecrets).where(
    and(
      eq(serverSecrets.purpose, purpose),
      lt(serverSecrets.createdAt, supersededBefore),
      sql`EXISTS (SELECT 1 FROM ${serverSecrets} AS newer
                  WHERE newer.purpose = ${purpose} AND newer.created_at > ${serverSecrets.createdAt}
                    AND newer.created_at < ${supersededBefore})`,
    ),
  );
}

/**
 * The keys of one purpose as a signer and verifier use them, cached per
 * isolate: the current key is re-read after `currentTtlMs` (so a rotation
 * takes effect within it), a key looked up by id is kept (keys never change;
 * a pruned one only verifies what has expired by then).
 */
export function keyring(purpose: string, currentTtlMs: number) {
  let current: { key: ServerSecret; fetchedAt: number } | undefined;
  const known = new Map<string, string>();
  return {
    async current(db: Db, now: number): Promise<ServerSecret> {
      if (current && now - current.fetchedAt < currentTtlMs) return current.key;
      const key = await currentSecret(db, purpose, now);
      current = { key, fetchedAt: now };
      known.set(key.id, key.secret);
      return key;
    },
    async secretById(db: Db, id: string): Promise<string | undefined> {
      const cached = known.get(id);
      if (cached) return cached;
      const row = await secretById(db, purpose, id);
      if (row) known.set(id, row.secret);
      return row?.secret;
    },
  };
}
