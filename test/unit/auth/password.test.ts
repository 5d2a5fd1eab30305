import { describe, expect, it } from 'vitest';
import { hashPassword, SCRYPT_PARAMS, verifyPassword } from '../../../services/auth/password.js';

describe('password hashing (scrypt)', () => {
  it('stores the parameters, salt and hash as scrypt$16384$8$5$salt$hash', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$16384\$8\$5\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    expect(SCRYPT_PARAMS).toEqual({ N: 16384, r: 8, p: 5 });
    const [, , , , salt, hash] = stored.split('$');
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(hash!, 'base64')).toHaveLength(32);
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash: the same password hashes differently twice', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('treats a malformed stored hash as a failed verification, never a throw', async () => {
    const good = await hashPassword('pw-12345678');
    const [, n, r, p, salt, hash] = good.split('$');
    const malformed = [
      '',
      'plaintext',
      'pw-12345678',
      `bcrypt$${n}$${r}$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$${n}$${r}$${p}$$${hash}`,
      `scrypt$abc$${r}$${p}$${salt}$${hash}`,
      `scrypt$3$${r}$${p}$${salt}$${hash}`,
      `scrypt$${2 ** 30}$${r}$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}$${hash!.slice(0, 10)}`,
    ];
    for (const stored of malformed) {
      await expect(verifyPassword('pw-12345678', stored), stored).resolves.toBe(false);
    }
  });
});
