import type { Db } from '../../d1/db.js';
import { findAccountById, type AccountRow } from '../../d1/queries/accounts.js';
import {
  confirmedSecret,
  consumeLoginToken,
  createLoginToken,
  deleteExpiredLoginTokens,
  findLoginToken,
} from '../../d1/queries/two-factor.js';
import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import type { LoginSecondFactorBody } from '../../protocol/http/auth.js';
import { checkSecondFactorCode, wrongCredentials } from '../../services/auth/second-factor.js';
import { randomToken, sha256Hex } from './tokens.js';

/** How long the password step's login token may be exchanged for a session. */
export const LOGIN_TOKEN_LIFETIME_MS = 5 * 60_000;

/**
 * After a right password: if the account has a second factor, mints a
 * single-use login token (stored hashed) and answers SECOND_FACTOR_REQUIRED
 * with it instead of a session. Returns when there is no second factor.
 */
export async function startSecondFactor(db: Db, accountId: number, now: number): Promise<void> {
  if ((await confirmedSecret(db, accountId)) === null) return;
  await deleteExpiredLoginTokens(db, accountId, now);
  const token = randomToken();
  await createLoginToken(db, { tokenHash: await sha256Hex(token), accountId, expiresAt: now + LOGIN_TOKEN_LIFETIME_MS });
  throw new EdgegramError(ErrorCode.SECOND_FACTOR_REQUIRED, 'Enter the code from your authenticator app, or a recovery code', {
    login_token: token,
  });
}

function tokenInvalid(): EdgegramError {
  return new EdgegramError(ErrorCode.LOGIN_TOKEN_INVALID, 'This login has expired or was already used: sign in with your password again');
}

/**
 * The login's second step: the token must be live, the code right (counted
 * per account, a TOTP step or recovery code accepted once), and the token is
 * then used up; a wrong code leaves the token for another try, within the
 * limit. Returns the account to issue the session for.
 */
export async function completeSecondFactor(db: Db, body: LoginSecondFactorBody, now: number): Promise<AccountRow> {
  const tokenHash = await sha256Hex(body.login_token);
  const login = await findLoginToken(db, tokenHash, now);
  if (!login) throw tokenInvalid();
  const secret = await confirmedSecret(db, login.accountId);
  const account = await findAccountById(db, login.accountId);
  // Turned off (or the account deleted) since the password step: the token proves nothing now.
  if (secret === null || !account) throw tokenInvalid();
  if (!(await checkSecondFactorCode(db, { accountId: account.id, secret, code: body.code, now }))) {
    throw wrongCredentials('The code is wrong or was already used');
  }
  // Two requests with two right codes may race here: only one of them gets the session.
  if (!(await consumeLoginToken(db, tokenHash))) throw tokenInvalid();
  return account;
}
