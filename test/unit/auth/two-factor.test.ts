import { Secret, TOTP, URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import {
  asTotpCode,
  hashRecoveryCode,
  matchTotpStep,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
} from '../../../services/auth/two-factor.js';

/** A code as an authenticator app computes it from the base32 secret, independently of the module under test. */
function appCode(secret: string, at: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at });
}

describe('TOTP second factor', () => {
  it('makes a 160-bit SHA-1, 6-digit, 30 s secret and the otpauth:// URI apps import', () => {
    const { secret, uri } = newTotpSecret('alice_1');
    expect(Secret.fromBase32(secret).bytes).toHaveLength(20);
    const parsed = URI.parse(uri);
    expect(parsed).toBeInstanceOf(TOTP);
    const totp = parsed as TOTP;
    expect([totp.issuer, totp.label, totp.algorithm, totp.digits, totp.period]).toEqual(['Edgegram', 'alice_1', 'SHA1', 6, 30]);
    expect(totp.secret.base32).toBe(secret);
    expect(newTotpSecret('alice_1').secret).not.toBe(secret);
  });

  it("accepts the app's code for its 30 s step, and one step either side for clock drift", () => {
    const { secret } = newTotpSecret('a');
    const now = 1_800_000_015_000; // 15 s into step 60,000,000
    const step = Math.floor(now / 30_000);
    expect(matchTotpStep(secret, appCode(secret, now), now)).toBe(step);
    expect(matchTotpStep(secret, appCode(secret, now - 30_000), now)).toBe(step - 1);
    expect(matchTotpStep(secret, appCode(secret, now + 30_000), now)).toBe(step + 1);
    expect(matchTotpStep(secret, appCode(secret, now - 90_000), now)).toBeNull();
  });

  it("refuses another secret's code and anything that is not six digits", () => {
    const { secret } = newTotpSecret('a');
    const other = newTotpSecret('a').secret;
    const now = Date.now();
    const code = appCode(other, now);
    // A different secret's code may collide by chance (1 in 10^6 per step); then this run proves nothing, not a failure.
    if (code !== appCode(secret, now) && code !== appCode(secret, now - 30_000) && code !== appCode(secret, now + 30_000)) {
      expect(matchTotpStep(secret, code, now)).toBeNull();
    }
    expect(matchTotpStep(secret, '12345', now)).toBeNull();
    expect(matchTotpStep(secret, 'abcdef', now)).toBeNull();
  });

  it('reads a typed code with spaces as six digits', () => {
    expect(asTotpCode(' 123 456 ')).toBe('123456');
    expect(asTotpCode('1234567')).toBeNull();
    expect(asTotpCode('k3xq-7bzm-pw2d-hy5a')).toBeNull();
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes of 16 base32 characters in groups of four', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
  });

  it('match however they are typed: case, dashes and spaces do not matter', async () => {
    const [code] = newRecoveryCodes();
    const canonical = normalizeRecoveryCode(code!)!;
    expect(normalizeRecoveryCode(code!.toUpperCase().replace(/-/g, ' '))).toBe(canonical);
    expect(await hashRecoveryCode(canonical)).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashRecoveryCode(canonical)).toBe(await hashRecoveryCode(normalizeRecoveryCode(code!.replace(/-/g, ''))!));
    expect(normalizeRecoveryCode('123456')).toBeNull();
    expect(normalizeRecoveryCode('k3xq-7bzm-pw2d')).toBeNull();
  });
});
