import type { LimitRule } from '../../d1/queries/rate-limits.js';

/**
 * Authentication limits. Per IP they slow down scanning. Per account they
 * stop guessing against one name, counted for unknown names too so that a
 * limit never reveals which names exist, and in two layers so that nobody
 * can lock an owner out (see workers/auth/login-attempts.ts):
 * - per account and source: one address guessing gets 10 tries a quarter;
 *   the owner, elsewhere, is untouched;
 * - per account from anywhere: a distributed guess is capped too, but this
 *   cap does not apply where the owner already has a signed-in device.
 * Signed-in sessions are never affected by either.
 */
export const AUTH_LIMITS = {
  /** Login attempts from one IP. */
  loginPerIp: { limit: 30, windowMs: 60_000 },
  /** Login attempts for one username from one IP, reserved before the password is hashed. */
  loginAttemptsPerAccountSource: { limit: 10, windowMs: 15 * 60_000 },
  /** Failed login attempts for one username from all addresses but the owner's known ones. */
  loginAttemptsPerAccount: { limit: 100, windowMs: 60 * 60_000 },
  /** Sign-ups from one IP. */
  signupPerIp: { limit: 20, windowMs: 60 * 60_000 },
} as const satisfies Record<string, LimitRule>;
