/**
 * Secrets are compared in constant time or not at all:
 * - passwords: scrypt, then crypto.timingSafeEqual on the derived keys, also
 *   for unknown usernames (against DECOY_HASH, at the same cost);
 * - session tokens and connect tickets: never compared in JavaScript; D1 finds
 *   the row by the SHA-256 of what was presented (behaviour checked in
 *   test/workers/security.test.ts), and a source check below keeps it that way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const { timingSafeEqual } = await import('node:crypto');
const { DECOY_HASH, hashPassword, SCRYPT_PARAMS, verifyPassword } = await import('../../../services/auth/password.js');
const compare = vi.mocked(timingSafeEqual);

afterEach(() => compare.mockClear());

describe('password verification', () => {
  it('compares the derived keys with timingSafeEqual, for a right and a wrong password alike', async () => {
    const stored = await hashPassword('correct horse battery staple');
    for (const [attempt, expected] of [['correct horse battery staple', true], ['correct horse battery stapl', false], ['x', false]] as const) {
      compare.mockClear();
      expect(await verifyPassword(attempt, stored)).toBe(expected);
      expect(compare, attempt).toHaveBeenCalledTimes(1);
      const [a, b] = compare.mock.calls[0]!;
      expect([a.byteLength, b.byteLength]).toEqual([32, 32]);
    }
  });

  it('an unknown username costs the same: the decoy hash has the current parameters and goes through the same comparison', async () => {
    const [, n, r, p] = DECOY_HASH.split('$');
    expect({ N: Number(n), r: Number(r), p: Number(p) }).toEqual(SCRYPT_PARAMS);
    expect(await verifyPassword('any password at all', DECOY_HASH)).toBe(false);
    expect(compare).toHaveBeenCalledTimes(1);
  });
});

describe('tokens and tickets', () => {
  const root = path.resolve(import.meta.dirname, '../../..');
  const sources = ['workers', 'd1', 'durable-objects'].flatMap((dir) =>
    (readdirSync(path.join(root, dir), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(dir, f)),
  );

  /**
   * A clear token or ticket next to ==, ===, != or !== is a comparison that
   * could leak it by timing. Their SHA-256 hashes may be compared (the hash of
   * a 256-bit secret reveals nothing useful as it is matched).
   */
  it('are never compared in clear in server code (lookups go by their SHA-256)', () => {
    expect(sources.length).toBeGreaterThan(10);
    const secretName = (name: string) => /token|ticket|secret/i.test(name) && !/hash/i.test(name);
    // Checking whether one is present (=== undefined, !== null) compares no secret.
    const presence = (name: string) => name === 'undefined' || name === 'null';
    const comparison = /([\w.$?!\]\[]+)\s*[!=]==?\s*([\w.$?!\]\[]+)/g;
    const offenders = sources.flatMap((file) =>
      readFileSync(path.join(root, file), 'utf8')
        .split('\n')
        .map((text, i) => ({ file, line: i + 1, text: text.trim() }))
        .filter(({ text }) => !text.startsWith('//') && !text.startsWith('*'))
        .filter(({ text }) =>
          [...text.matchAll(comparison)].some(([, a, b]) => {
            const [left, right] = [a!.split('.').at(-1)!, b!.split('.').at(-1)!];
            return !presence(left) && !presence(right) && (secretName(left) || secretName(right));
          }),
        ),
    );
    expect(offenders).toEqual([]);
  });
});
