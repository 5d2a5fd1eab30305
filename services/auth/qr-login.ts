import type { Db } from '../../d1/db.js';
import { findQrLoginToken, type QrLoginRow } from '../../d1/queries/qr-login.js';
import type { LimitRule } from '../../d1/queries/rate-limits.js';
import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import type { QrLoginDevice } from '../../protocol/http/qr-login.js';

/**
 * QR login's rules, shared by the Worker's routes (the waiting device) and
 * the account API (the approving one). A token lives a minute, like
 * Telegram's auth.exportLoginToken; once approved, the waiting device has
 * another minute to collect its session.
 */
export const QR_LOGIN = {
  tokenLifetimeMs: 60_000,
  collectWithinMs: 60_000,
  /** Tokens one address may ask for (a waiting screen refreshes one a minute). */
  createPerIp: { limit: 30, windowMs: 10 * 60_000 },
  /** Polls from one address (every 1-2 s per waiting screen). */
  pollPerIp: { limit: 300, windowMs: 60_000 },
  /** Approvals (and checks) one account may try. */
  approvePerAccount: { limit: 20, windowMs: 10 * 60_000 },
} as const satisfies Record<string, LimitRule | number>;

const URL_PREFIX = 'edgegram://login?token=';

/** What the QR code holds. */
export function qrLoginUrl(token: string): string {
  return `${URL_PREFIX}${token}`;
}

/** The token in what a person pasted or scanned: the bare token or the QR code's URL; null if neither. */
export function tokenFromPasted(text: string): string | null {
  const trimmed = text.trim();
  const token = trimmed.startsWith(URL_PREFIX) ? trimmed.slice(URL_PREFIX.length) : trimmed;
  return /^[A-Za-z0-9_-]{20,128}$/.test(token) ? token : null;
}

export async function hashQrLoginToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function loginTokenExpired(): EdgegramError {
  return new EdgegramError(ErrorCode.LOGIN_TOKEN_EXPIRED, 'This login code has expired: the other device shows a new one');
}

export function loginTokenInvalid(message = 'This login code is unknown or was already used'): EdgegramError {
  return new EdgegramError(ErrorCode.LOGIN_TOKEN_INVALID, message);
}

/** The waiting device, as the approving one shows it. */
export function qrLoginDevice(row: QrLoginRow): QrLoginDevice {
  return {
    name: row.deviceName,
    platform: row.platform,
    app_version: row.appVersion,
    ip: row.ip,
    country: row.country,
    city: row.city,
    created_at: row.createdAt,
  };
}

/**
 * The row of a token that may still be approved, else the error that says
 * why not: unknown, already approved (used), or expired.
 */
export async function approvableToken(db: Db, pasted: string, now: number): Promise<QrLoginRow> {
  const token = tokenFromPasted(pasted);
  if (!token) throw loginTokenInvalid('This is not a login code');
  const row = await findQrLoginToken(db, await hashQrLoginToken(token));
  if (!row) throw loginTokenInvalid();
  if (row.accountId !== null) throw loginTokenInvalid('This login code was already used');
  if (row.expiresAt <= now) throw loginTokenExpired();
  return row;
}
