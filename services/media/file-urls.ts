import { database } from '../../d1/db.js';
import { currentSecret, secretById } from '../../d1/queries/secrets.js';
import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import type { FileUrl } from '../../protocol/media.js';
import { FILE_URL_TTL_SECONDS, signFileUrl, verifyFileSignature, type SigningKey } from '../../r2/signed-urls.js';

/**
 * Signed file links, with their HMAC key kept in D1 (`server_secrets`,
 * generated on first use) and cached per isolate. A rotated key becomes
 * current here within CURRENT_KEY_TTL_MS; older keys keep verifying until
 * the scheduled handler prunes them (see maintenance).
 */
export const FILE_URL_PURPOSE = 'file_url';
export const CURRENT_KEY_TTL_MS = 5 * 60_000;

let current: { key: SigningKey; fetchedAt: number } | undefined;
const known = new Map<string, string>();

async function signingKey(db: D1Database, now: number): Promise<SigningKey> {
  if (current && now - current.fetchedAt < CURRENT_KEY_TTL_MS) return current.key;
  const row = await currentSecret(database(db), FILE_URL_PURPOSE, now);
  current = { key: { id: row.id, secret: row.secret }, fetchedAt: now };
  known.set(row.id, row.secret);
  return current.key;
}

async function secretFor(db: D1Database, id: string): Promise<string | undefined> {
  const cached = known.get(id);
  if (cached) return cached;
  const row = await secretById(database(db), FILE_URL_PURPOSE, id);
  if (row) known.set(id, row.secret);
  return row?.secret;
}

export async function fileUrl(db: D1Database, fileId: string, name: string | null, now: number): Promise<FileUrl> {
  const exp = Math.floor(now / 1000) + FILE_URL_TTL_SECONDS;
  return { url: await signFileUrl(await signingKey(db, now), fileId, exp, name ?? undefined), expires_at: exp * 1000 };
}

/**
 * Checks a link before anything about the file is looked up, so a forged or
 * expired link learns nothing (not even whether the file exists).
 */
export async function checkFileUrl(
  db: D1Database,
  link: { fileId: string; exp: number; sig: string; name?: string | undefined },
  now: number,
): Promise<void> {
  if (link.exp * 1000 <= now) throw invalid('This file link has expired');
  const [kid, mac] = link.sig.split('.');
  const secret = kid && mac ? await secretFor(db, kid) : undefined;
  if (!secret || !(await verifyFileSignature(secret, link.fileId, link.exp, link.name, mac!))) {
    throw invalid('This file link is not valid');
  }
}

function invalid(message: string) {
  return new EdgegramError(ErrorCode.FILE_URL_INVALID, `${message}: ask getFileUrl for a new one`);
}
