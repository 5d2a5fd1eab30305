import type { LimitRule } from '../../d1/queries/rate-limits.js';

/**
 * Authentication limits. Per IP they slow down scanning; per account they
 * lock out guessing against one name (counted for unknown names too, so the
 * lockout itself does not reveal which names exist).
 */
export const AUTH_LIMITS = {
  /** Login attempts from one IP. */
  loginPerIp: { limit: 30, windowMs: 60_000 },
  /** Failed logins for one username before it is locked for the rest of the window. */
  loginFailuresPerAccount: { limit: 10, windowMs: 15 * 60_000 },
  /** Sign-ups from one IP. */
  signupPerIp: { limit: 20, windowMs: 60 * 60_000 },
} as const satisfies Record<string, LimitRule>;
