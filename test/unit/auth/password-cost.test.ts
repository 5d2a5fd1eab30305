/**
 * Production hashes passwords at OWASP's scrypt cost; only the workerd test
 * suites lower it, through a call no code outside test/ makes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decoyHash, DECOY_HASH, hashPassword, SCRYPT_PARAMS, verifyPassword } from '../../../services/auth/password.js';

const root = path.resolve(import.meta.dirname, '../../..');
const SOURCE_FOLDERS = ['workers', 'services', 'durable-objects', 'd1', 'r2', 'protocol', 'client', 'web/src', 'scripts', 'bench'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts|mjs|js)$/.test(name) ? [full] : [];
  });
}

describe('password hashing cost', () => {
  it('production hashes at OWASP scrypt N=2^14, r=8, p=5 and verifies unknown names against a decoy of that cost', async () => {
    expect(SCRYPT_PARAMS).toEqual({ N: 16384, r: 8, p: 5 });
    const stored = await hashPassword('correct horse battery staple');
    expect(stored.startsWith('scrypt$16384$8$5$')).toBe(true);
    expect(decoyHash()).toBe(DECOY_HASH);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
  });

  it('no code outside test/ can lower the cost: only test files call useCheapPasswordHashingInTests', () => {
    const callers = SOURCE_FOLDERS.flatMap((folder) => sourceFiles(path.join(root, folder)))
      .filter((file) => readFileSync(file, 'utf8').includes('useCheapPasswordHashingInTests'))
      .map((file) => path.relative(root, file));
    // The definition is the one mention allowed.
    expect(callers).toEqual(['services/auth/password.ts']);
  });
});
