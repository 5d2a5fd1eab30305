/**
 * Short-lived signed links to files: HMAC-SHA-256 over the file id, expiry
 * and name, with a server key named by id in the link (so a rotated-out key
 * keeps verifying what it signed until it is pruned). Verification is
 * crypto.subtle.verify, which compares in constant time.
 */
export type SigningKey = { id: string; secret: string };

/** A link is valid this long: long enough to play a film, short enough that a leaked link soon dies. */
export const FILE_URL_TTL_SECONDS = 3600;

const imported = new Map<string, Promise<CryptoKey>>();

/** An HMAC-SHA-256 key from its hex secret, imported once per isolate. */
export function hmacKey(secretHex: string): Promise<CryptoKey> {
  let key = imported.get(secretHex);
  if (!key) {
    const raw = new Uint8Array(secretHex.match(/../g)!.map((h) => parseInt(h, 16)));
    key = crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    imported.set(secretHex, key);
  }
  return key;
}

function payload(fileId: string, exp: number, name: string | undefined): Uint8Array {
  return new TextEncoder().encode(`edgegram-file-v1\n${fileId}\n${exp}\n${name ?? ''}`);
}

export async function signFileUrl(key: SigningKey, fileId: string, exp: number, name: string | undefined): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(key.secret), payload(fileId, exp, name));
  const query = new URLSearchParams({ exp: String(exp) });
  if (name) query.set('name', name);
  query.set('sig', `${key.id}.${base64url(new Uint8Array(mac))}`);
  return `/v1/files/${fileId}?${query.toString()}`;
}

export async function verifyFileSignature(
  secretHex: string,
  fileId: string,
  exp: number,
  name: string | undefined,
  mac: string,
): Promise<boolean> {
  const bytes = fromBase64url(mac);
  if (!bytes || bytes.byteLength !== 32) return false;
  return crypto.subtle.verify('HMAC', await hmacKey(secretHex), bytes, payload(fileId, exp, name));
}

export function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Strict: only the one canonical spelling of some bytes decodes. atob alone
 * ignores the unused low bits of the last character (and tolerates white
 * space and padding), so a signature would have several spellings that all
 * verify — a link that differs from the one handed out must not be served.
 */
export function fromBase64url(text: string): Uint8Array | null {
  let bytes: Uint8Array;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  return base64url(bytes) === text ? bytes : null;
}
