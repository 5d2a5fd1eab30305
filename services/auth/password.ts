import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt, a memory-hard KDF that runs on production
 * Workers through nodejs_compat (WebCrypto PBKDF2 is capped at 100,000
 * iterations in production, below OWASP's advice; argon2 needs runtime WASM
 * compilation, which Workers forbid).
 *
 * Parameters: OWASP ASVS 5 / Password Storage Cheat Sheet set N=2^14, r=8,
 * p=5: 16 MiB of memory per hash, well inside the 128 MB isolate. The
 * parameters are stored with each hash so they can be raised later.
 */
export type ScryptParams = { readonly N: number; readonly r: number; readonly p: number };
export const SCRYPT_PARAMS: ScryptParams = Object.freeze({ N: 2 ** 14, r: 8, p: 5 });
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/**
 * The hash of a random, forgotten password, verified against when the
 * username does not exist so that a failed login costs one scrypt either way
 * (no user enumeration by timing). A constant, not computed on first use:
 * computing it would make the first unknown-name login in an isolate slower.
 */
export const DECOY_HASH = 'scrypt$16384$8$5$IJRY7k7EgvuMGe4Mugn+rA==$jxfA42jQ09Zgnk6AmlTGK6cY0xJzZ7mhvzxO8swrOFQ=';

/**
 * What new hashes use, and the decoy of the same cost. Always the production
 * values, except inside the workerd test suites, whose setup file calls
 * `useCheapPasswordHashingInTests` (a test that reads every source file keeps
 * that call out of everything but test/): hundreds of test sign-ups at ~300 ms
 * of scrypt each were most of `npm test`.
 */
let active: { params: ScryptParams; decoy: string } = { params: SCRYPT_PARAMS, decoy: DECOY_HASH };

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r * 2 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

async function hashWith(password: string, params: ScryptParams): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Returns `scrypt$N$r$p$<salt b64>$<hash b64>`. */
export function hashPassword(password: string): Promise<string> {
  return hashWith(password, active.params);
}

/** The hash an unknown username is verified against: the cost of a real one. */
export function decoyHash(): string {
  return active.decoy;
}

/** A malformed stored hash (bad scheme, parameters out of range) verifies false rather than throwing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash || rest.length > 0) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  // Bound the cost a stored hash can ask for: at most 16x production's memory and work.
  const { N } = params;
  const validN = Number.isInteger(N) && N > 1 && N <= 16 * SCRYPT_PARAMS.N && (N & (N - 1)) === 0;
  const inRange = (v: number, max: number) => Number.isInteger(v) && v >= 1 && v <= max;
  if (!validN || !inRange(params.r, 16) || !inRange(params.p, 16)) return false;
  const expected = Buffer.from(hash, 'base64');
  let actual: Buffer;
  try {
    actual = await derive(password, Buffer.from(salt, 'base64'), params);
  } catch {
    return false;
  }
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * TESTS ONLY: new hashes (and the decoy) use scrypt at N=16, r=1, p=1, about
 * a thousandth of the production cost. Module state, so it reaches only the
 * isolate that calls it: the workerd test runner, where the Worker under test
 * shares the module graph. Nothing outside test/ may call it (checked by
 * test/unit/auth/password-cost.test.ts); `npm start`, the e2e and browser
 * suites and every deployment hash at SCRYPT_PARAMS.
 */
export async function useCheapPasswordHashingInTests(): Promise<void> {
  const params: ScryptParams = Object.freeze({ N: 16, r: 1, p: 1 });
  active = { params, decoy: await hashWith(randomBytes(24).toString('base64'), params) };
}
