import type { Db } from '../../d1/db.js';
import { hit, type LimitState } from '../../d1/queries/rate-limits.js';
import { isKnownSource } from '../../d1/queries/sessions.js';
import { AUTH_LIMITS } from './limits.js';

/**
 * A login attempt's place in the per-account limits, taken BEFORE the
 * password is hashed: the counter is incremented in one D1 statement first,
 * so parallel guesses cannot all pass a check made before any of them
 * counted (they did: 24 parallel wrong passwords were all evaluated against
 * a limit of 10). A right password gives its reservation back.
 */
export type Reservation = { refused: LimitState | null; release: () => Promise<void> };

export async function reserveLoginAttempt(
  db: Db,
  input: { usernameKey: string; ip: string; accountId: number | undefined },
  now: number,
): Promise<Reservation> {
  const sourceKey = `login:acct:${input.usernameKey}:ip:${input.ip}`;
  const accountKey = `login:acct:${input.usernameKey}`;
  const perSource = await hit(db, sourceKey, AUTH_LIMITS.loginAttemptsPerAccountSource, now);
  const perAccount = await hit(db, accountKey, AUTH_LIMITS.loginAttemptsPerAccount, now);
  const release = async () => {
    await hit(db, sourceKey, AUTH_LIMITS.loginAttemptsPerAccountSource, now, -1);
    await hit(db, accountKey, AUTH_LIMITS.loginAttemptsPerAccount, now, -1);
  };
  if (perSource.count > AUTH_LIMITS.loginAttemptsPerAccountSource.limit) return { refused: perSource, release };
  if (perAccount.count > AUTH_LIMITS.loginAttemptsPerAccount.limit) {
    // The owner's way in: where one of their devices is signed in, the account-wide cap does not apply.
    const known = input.accountId !== undefined && (await isKnownSource(db, input.accountId, input.ip));
    if (!known) return { refused: perAccount, release };
  }
  return { refused: null, release };
}
