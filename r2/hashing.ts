/**
 * Content keys. Each part (a single upload's body is one part) is hashed
 * with crypto.DigestStream while it streams to R2 (see storage.ts), and a
 * file's content key is SHA-256 over its parts' digests. The part size is
 * the fixed chunk size, so equal bytes get equal keys (the mode follows from
 * the size). Two keys are equal only for equal bytes: a collision would need
 * one in SHA-256.
 */

/** SHA-256 over the concatenated part digests (hex in, hex out), parts in order. */
export async function contentKey(partDigests: readonly string[]): Promise<string> {
  const joined = new Uint8Array(partDigests.length * 32);
  partDigests.forEach((h, i) => joined.set(unhex(h), i * 32));
  return hex(await crypto.subtle.digest('SHA-256', joined));
}

export function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function unhex(h: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(h)) throw new Error('not a SHA-256 hex digest');
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}
