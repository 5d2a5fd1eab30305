import { createHash, type Hash } from 'node:crypto';

const MiB = 1024 * 1024;

/**
 * `size` deterministic bytes (xorshift32 from `seed`), made 1 MiB at a time
 * as a reader asks for them and hashed on the way, so a large file is never
 * held whole: the media e2e test and the media benchmark send these.
 * In bench/, not test/support/: tests may import anything, but nothing
 * outside test/ may import test/ (ARCHITECTURE.md, .dependency-cruiser.cjs).
 */
export async function* generatedBytes(size: number, seed: number, hash: Hash): AsyncGenerator<Uint8Array> {
  let x = (0x9e3779b9 ^ Math.imul(seed + 1, 0x85ebca6b)) >>> 0 || 1;
  for (let at = 0; at < size; at += MiB) {
    const chunk = new Uint8Array(Math.min(MiB, size - at));
    const words = new Uint32Array(chunk.buffer, 0, chunk.length >>> 2);
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[i] = x >>> 0;
    }
    hash.update(chunk);
    yield chunk;
  }
}

/** Reads a body to its end: its length and SHA-256, without keeping it. */
export async function hashStream(body: ReadableStream<Uint8Array>): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { bytes, sha256: hash.digest('hex') };
}
