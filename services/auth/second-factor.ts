import type { Db } from '../../d1/db.js';
import { hit, type LimitRule } from '../../d1/queries/rate-limits.js';
import { useRecoveryCode, useTotpStep } from '../../d1/queries/two-factor.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { verifyPassword } from './password.js';
import { asTotpCode, hashRecoveryCode, matchTotpStep, normalizeRecoveryCode } from './two-factor.js';

/**
 * Checks of what only the owner knows, for signed-in changes (password,
 * two-step verification) and the login's second step. Each check is counted
 * BEFORE it is evaluated, in one D1 statement, so parallel guesses cannot
 * all pass a limit checked before any of them counted; a right answer gives
 * its count back, so the owner never locks themselves out by succeeding.
 */
export const SECURITY_LIMITS = {
  /**
   * Current-password checks by a signed-in session (changePassword, disableTwoFactor, transferChatOwnership):
   * one budget for all, so a stolen session cannot add up several.
   */
  passwordChecks: { limit: 5, windowMs: 60 * 60_000 },
  /** Second-factor codes per account: 5 guesses of a 6-digit code per 10 minutes. */
  codeChecks: { limit: 5, windowMs: 10 * 60_000 },
} as const satisfies Record<string, LimitRule>;

export function wrongCredentials(message: string): EdgegramError {
  return new EdgegramError(ErrorCode.INVALID_CREDENTIALS, message);
}

async function counted(db: Db, key: string, rule: LimitRule, now: number, check: () => Promise<boolean>): Promise<boolean> {
  const state = await hit(db, key, rule, now);
  if (state.count > rule.limit) throw fail.rateLimited(state.retryAfterSec);
  const ok = await check();
  if (ok) await hit(db, key, rule, now, -1);
  return ok;
}

/** The account's current password, checked under SECURITY_LIMITS.passwordChecks (the key transfers used before, kept). */
export function checkCurrentPassword(db: Db, accountId: number, storedHash: string | null, password: string, now: number): Promise<boolean> {
  return counted(db, `password-confirm:account:${accountId}`, SECURITY_LIMITS.passwordChecks, now, async () =>
    storedHash === null ? false : verifyPassword(password, storedHash),
  );
}

/**
 * A code of the account's confirmed second factor (login, disabling it),
 * under SECURITY_LIMITS.codeChecks: six digits are a TOTP code, accepted
 * once per 30 s step (a replay within its step, or of an older step, fails);
 * anything else is tried as a recovery code, which this uses up.
 */
export function checkSecondFactorCode(db: Db, input: { accountId: number; secret: string; code: string; now: number }): Promise<boolean> {
  const { accountId, secret, code, now } = input;
  return counted(db, `2fa-code:acct:${accountId}`, SECURITY_LIMITS.codeChecks, now, async () => {
    const totp = asTotpCode(code);
    if (totp !== null) {
      const step = matchTotpStep(secret, totp, now);
      return step !== null && (await useTotpStep(db, accountId, step));
    }
    const recovery = normalizeRecoveryCode(code);
    return recovery !== null && (await useRecoveryCode(db, accountId, await hashRecoveryCode(recovery), now));
  });
}

/**
 * The step of a code of a secret still being set up (only TOTP: there are
 * no recovery codes yet), or null; limited on its own key, so guesses at a
 * setup never lock the login out.
 */
export async function matchSetupCode(db: Db, input: { accountId: number; pendingSecret: string; code: string; now: number }): Promise<number | null> {
  let step: number | null = null;
  await counted(db, `2fa-setup:acct:${input.accountId}`, SECURITY_LIMITS.codeChecks, input.now, async () => {
    const totp = asTotpCode(input.code);
    step = totp === null ? null : matchTotpStep(input.pendingSecret, totp, input.now);
    return step !== null;
  });
  return step;
}
