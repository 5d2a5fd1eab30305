import { Secret, TOTP } from 'otpauth';

/**
 * The second factor's pure parts: TOTP as authenticator apps expect it
 * (RFC 6238 with SHA-1, 6 digits, 30 s steps) through otpauth, and one-time
 * recovery codes. Storage and rate limits are the caller's
 * (services/account-api/second-factor.ts).
 */
export const TOTP_PERIOD_SEC = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now that still count: one, for a phone clock a little off and a code typed at a step's end. */
export const TOTP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;

const ISSUER = 'Edgegram';

function totp(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SEC,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new 160-bit secret (RFC 4226's recommended length) and the otpauth:// URI an authenticator app imports. */
export function newTotpSecret(label: string): { secret: string; uri: string } {
  const secret = new Secret({ size: 20 }).base32;
  return { secret, uri: totp(secret, label).toString() };
}

/**
 * The 30 s step `code` is valid for at `now`, or null if it is not a code of
 * this secret within the window. The caller accepts a step only once.
 */
export function matchTotpStep(secretBase32: string, code: string, now: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secretBase32, '').validate({ token: code, timestamp: now, window: TOTP_WINDOW });
  if (delta === null) return null;
  return TOTP.counter({ period: TOTP_PERIOD_SEC, timestamp: now }) + delta;
}

/** What a person types as a TOTP code: six digits, spaces allowed ("123 456"). */
export function asTotpCode(input: string): string | null {
  const digits = input.replace(/\s+/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

const RECOVERY_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'; // base32: no 0/1/8/9 to confuse with letters

/**
 * Ten fresh recovery codes, e.g. `k3xq-7bzm-pw2d-hy5a`: 16 base32 characters,
 * 80 random bits each. They are shown once and stored as SHA-256 hashes.
 * A fast hash is enough here, unlike for passwords: scrypt exists to make
 * guessing a low-entropy human choice expensive, but a search over 2^80
 * random codes is out of reach at any hash speed, so a slow hash would only
 * cost the server.
 */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b & 31]).join(''); // 5 bits of each byte: 80 bits in all
    return chars.match(/.{4}/g)!.join('-');
  });
}

/** A typed recovery code in its canonical form (case, dashes and spaces ignored), or null if it cannot be one. */
export function normalizeRecoveryCode(input: string): string | null {
  const chars = input.toLowerCase().replace(/[\s-]+/g, '');
  return /^[a-z2-7]{16}$/.test(chars) ? chars : null;
}

/** What is stored for a recovery code: SHA-256 of its canonical form, hex. */
export async function hashRecoveryCode(canonical: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
