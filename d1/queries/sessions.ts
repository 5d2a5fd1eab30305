import { and, eq, gt, ne } from 'drizzle-orm';
import type { Db } from '../db.js';
import { devices, sessions } from '../schema.js';

export type DeviceRecord = typeof devices.$inferInsert;

/** Creates the device and its session in one batch (both or neither). */
export async function createSession(
  db: Db,
  input: { sessionId: string; accountId: number; tokenHash: string; expiresAt: number; device: DeviceRecord },
): Promise<void> {
  await db.batch([
    db.insert(devices).values(input.device),
    db.insert(sessions).values({
      id: input.sessionId,
      accountId: input.accountId,
      deviceId: input.device.id,
      tokenHash: input.tokenHash,
      createdAt: input.device.createdAt,
      expiresAt: input.expiresAt,
    }),
  ]);
}

export type AuthenticatedSession = {
  sessionId: string;
  accountId: number;
  deviceId: string;
  lastActiveAt: number;
  expiresAt: number;
};

export async function findSessionByTokenHash(
  db: Db,
  tokenHash: string,
  now: number,
): Promise<AuthenticatedSession | undefined> {
  const rows = await db
    .select({
      sessionId: sessions.id,
      accountId: sessions.accountId,
      deviceId: sessions.deviceId,
      lastActiveAt: devices.lastActiveAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(devices, eq(devices.id, sessions.deviceId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
    .limit(1);
  return rows[0];
}

export async function touchDevice(db: Db, deviceId: string, now: number): Promise<void> {
  await db.update(devices).set({ lastActiveAt: now }).where(eq(devices.id, deviceId));
}

export async function listSessions(db: Db, accountId: number, now: number) {
  return db
    .select({ session: sessions, device: devices })
    .from(sessions)
    .innerJoin(devices, eq(devices.id, sessions.deviceId))
    .where(and(eq(sessions.accountId, accountId), gt(sessions.expiresAt, now)));
}

/**
 * Deletes a session of this account and its device.
 * Returns whether it existed: another account's session id is "not found".
 */
export async function deleteSession(db: Db, accountId: number, sessionId: string): Promise<boolean> {
  const session = await db.query.sessions.findFirst({
    where: and(eq(sessions.id, sessionId), eq(sessions.accountId, accountId)),
  });
  if (!session) return false;
  await db.batch([
    db.delete(sessions).where(eq(sessions.id, sessionId)),
    db.delete(devices).where(eq(devices.id, session.deviceId)),
  ]);
  return true;
}

/** Ends every session of the account except `keepSessionId`; returns the ended session ids. */
export async function deleteOtherSessions(db: Db, accountId: number, keepSessionId: string): Promise<string[]> {
  const others = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.accountId, accountId), ne(sessions.id, keepSessionId)));
  for (const { id } of others) await deleteSession(db, accountId, id);
  return others.map((o) => o.id);
}

/** Whether one of the account's signed-in devices last signed in from `ip`: a place its owner is known to be. */
export async function isKnownSource(db: Db, accountId: number, ip: string): Promise<boolean> {
  const row = await db.query.devices.findFirst({ where: and(eq(devices.accountId, accountId), eq(devices.ip, ip)), columns: { id: true } });
  return row !== undefined;
}
