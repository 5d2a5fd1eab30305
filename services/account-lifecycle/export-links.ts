import { database } from '../../d1/db.js';
import { keyring } from '../../d1/queries/secrets.js';
import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import { base64url, fromBase64url, hmacKey } from '../../r2/signed-urls.js';

/**
 * Signed download links of data exports, built as file links are
 * (r2/signed-urls.ts): HMAC-SHA-256 over the link's path and expiry with a
 * server key from D1's server_secrets (its own purpose, generated on first
 * use), the key's id in the link so a rotated key keeps verifying.
 * `/v1/exports/<export id>?exp=<s>&sig=<kid>.<mac>`.
 */
export const EXPORT_URL_PURPOSE = 'export_url';
const keys = keyring(EXPORT_URL_PURPOSE, 5 * 60_000);

export function exportPath(exportId: string): string {
  return `/v1/exports/${exportId}`;
}

function payload(path: string, exp: number): Uint8Array {
  return new TextEncoder().encode(`edgegram-export-v1\n${path}\n${exp}`);
}

/** A link to the export's archive valid until `expiresAt` (ms; the link carries seconds). */
export async function signExportUrl(db: D1Database, exportId: string, expiresAt: number, now: number): Promise<string> {
  const key = await keys.current(database(db), now);
  const exp = Math.floor(expiresAt / 1000);
  const path = exportPath(exportId);
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(key.secret), payload(path, exp));
  return `${path}?${new URLSearchParams({ exp: String(exp), sig: `${key.id}.${base64url(new Uint8Array(mac))}` }).toString()}`;
}

/**
 * Checks a link before anything is looked up: a signature that does not
 * verify (an altered id, expiry or signature) is EXPORT_LINK_INVALID; a
 * genuine link past its expiry is EXPORT_LINK_EXPIRED. Both 403.
 */
export async function checkExportUrl(db: D1Database, exportId: string, expText: string | undefined, sig: string | undefined, now: number): Promise<void> {
  const exp = expText !== undefined && /^[1-9][0-9]{0,11}$/.test(expText) ? Number(expText) : NaN;
  const [kid, mac] = (sig ?? '').split('.');
  const secret = kid && mac && Number.isFinite(exp) ? await keys.secretById(database(db), kid) : undefined;
  const bytes = mac ? fromBase64url(mac) : null;
  const genuine =
    secret !== undefined && bytes !== null && bytes.byteLength === 32 && (await crypto.subtle.verify('HMAC', await hmacKey(secret), bytes, payload(exportPath(exportId), exp)));
  if (!genuine) throw new EdgegramError(ErrorCode.EXPORT_LINK_INVALID, 'This export link is not valid');
  if (exp * 1000 <= now) throw new EdgegramError(ErrorCode.EXPORT_LINK_EXPIRED, 'This export link has expired: request a new export');
}
