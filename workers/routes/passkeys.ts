import { database, type Db } from '../../d1/db.js';
import { findAccountById } from '../../d1/queries/accounts.js';
import { hit } from '../../d1/queries/rate-limits.js';
import { fail } from '../../protocol/errors.js';
import type { AuthResult } from '../../protocol/http/auth.js';
import {
  PasskeyLoginBody,
  PasskeyRegisterBody,
  type PasskeyLoginOptionsResult,
  type PasskeyRegisterResult,
  type PasskeyRegistrationOptionsResult,
} from '../../protocol/http/passkeys.js';
import { newApp } from '../app.js';
import { issueSession, requestOrigin } from '../auth/issue-session.js';
import { AUTH_LIMITS } from '../auth/limits.js';
import { loginOptions, passkeyLogin, PASSKEYS, registerPasskey, registrationOptions, relyingParty } from '../auth/passkeys.js';
import { requireSession } from '../middleware/session.js';
import { jsonBody } from '../validate.js';

/**
 * Passkey ceremonies (`/v1/auth/passkeys`): HTTP, not account methods,
 * because the relying party is the origin the browser reached (listing and
 * removing passkeys are account methods: getPasskeys, deletePasskey).
 */
export const passkeyRoutes = newApp()
  .post('/register/options', requireSession(), async (c) => {
    const db = database(c.env.DB);
    const now = Date.now();
    const rp = relyingParty(c);
    const { accountId } = c.var.session;
    const counted = await hit(db, `passkey-register:acct:${accountId}`, PASSKEYS.registrationsPerAccount, now);
    if (counted.count > PASSKEYS.registrationsPerAccount.limit) throw fail.rateLimited(counted.retryAfterSec);
    const account = await findAccountById(db, accountId);
    if (!account) throw fail.unauthorized();
    return c.json({ options: await registrationOptions(db, rp, account, now) } satisfies PasskeyRegistrationOptionsResult);
  })
  .post('/register', requireSession(), async (c) => {
    const body = await jsonBody(c, PasskeyRegisterBody);
    relyingParty(c);
    const db = database(c.env.DB);
    const account = await findAccountById(db, c.var.session.accountId);
    if (!account) throw fail.unauthorized();
    return c.json({ passkey: await registerPasskey(db, account, body, Date.now()) } satisfies PasskeyRegisterResult, 201);
  })
  // Signed out: counted per address with password logins (one budget for every way to try signing in).
  .post('/login/options', async (c) => {
    const db = database(c.env.DB);
    const now = Date.now();
    const rp = relyingParty(c);
    await countLoginAttempt(db, requestOrigin(c).ip, now);
    return c.json({ options: await loginOptions(db, rp, now) } satisfies PasskeyLoginOptionsResult);
  })
  .post('/login', async (c) => {
    const body = await jsonBody(c, PasskeyLoginBody);
    relyingParty(c);
    const db = database(c.env.DB);
    const now = Date.now();
    await countLoginAttempt(db, requestOrigin(c).ip, now);
    // A verified passkey is both factors: no SECOND_FACTOR_REQUIRED step.
    const account = await passkeyLogin(db, body.response, now);
    return c.json((await issueSession(c, db, account, body.device, now)) satisfies AuthResult);
  });

async function countLoginAttempt(db: Db, ip: string | null, now: number): Promise<void> {
  const perIp = await hit(db, `login:ip:${ip ?? 'unknown'}`, AUTH_LIMITS.loginPerIp, now);
  if (perIp.count > AUTH_LIMITS.loginPerIp.limit) throw fail.rateLimited(perIp.retryAfterSec);
}
