import type { Context } from 'hono';
import type { AppEnv } from '../app.js';
import type { Db } from '../../d1/db.js';
import { toUser, type AccountRow } from '../../d1/queries/accounts.js';
import { cancelDeletion } from '../../d1/queries/account-deletions.js';
import { createSession } from '../../d1/queries/sessions.js';
import type { DeviceInfo } from '../../protocol/common.js';
import type { AuthResult } from '../../protocol/http/auth.js';
import { randomHexId, randomToken, sha256Hex } from './tokens.js';

export const SESSION_LIFETIME_MS = 365 * 24 * 3600 * 1000;

/**
 * Where the request came from, as the platform in front of the Worker tells
 * us: the address only from the header the deployment names
 * (CLIENT_IP_HEADER), never from one a client could have written itself.
 */
export function requestOrigin(c: Context<AppEnv>) {
  const cf = (c.req.raw as { cf?: { country?: unknown; city?: unknown } }).cf;
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
  const header = c.env.CLIENT_IP_HEADER;
  return {
    ip: header ? (c.req.header(header) ?? null) : null,
    country: str(cf?.country),
    city: str(cf?.city),
  };
}

/**
 * Mints a session bound to a new device record; the token is returned once and stored hashed.
 * Any sign-in cancels a deletion still in its grace period (Telegram's rule); the owner reads
 * that from getAccountDeletion (`cancelled_by: 'sign_in'`).
 */
export async function issueSession(
  c: Context,
  db: Db,
  account: AccountRow,
  device: DeviceInfo,
  now: number,
): Promise<AuthResult> {
  const token = randomToken();
  const sessionId = randomHexId();
  const expiresAt = now + SESSION_LIFETIME_MS;
  await createSession(db, {
    sessionId,
    accountId: account.id,
    tokenHash: await sha256Hex(token),
    expiresAt,
    device: {
      id: randomHexId(),
      accountId: account.id,
      name: device.name,
      platform: device.platform,
      appVersion: device.app_version ?? null,
      ...requestOrigin(c),
      createdAt: now,
      lastActiveAt: now,
    },
  });
  await cancelDeletion(db, account.id, 'sign_in');
  return { user: toUser(account), session: { id: sessionId, token, expires_at: expiresAt } };
}
