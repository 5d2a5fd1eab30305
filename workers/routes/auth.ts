import { database } from '../../d1/db.js';
import { createAccount, findAccountById, findAccountByUsername, usernameKey } from '../../d1/queries/accounts.js';
import { profilePhoto } from '../../d1/queries/profile-photos.js';
import { seenUser } from '../../services/account-api/seen-users.js';
import { hit } from '../../d1/queries/rate-limits.js';
import { deleteSession } from '../../d1/queries/sessions.js';
import { mailbox } from '../../durable-objects/stubs.js';
import { checkPersonUsername, usernameTaken } from '../../services/account-api/profile.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { LoginBody, LoginSecondFactorBody, SignupBody, type AuthResult, type MeResult, type OkResult } from '../../protocol/http/auth.js';
import { newApp } from '../app.js';
import { issueSession, requestOrigin } from '../auth/issue-session.js';
import { AUTH_LIMITS } from '../auth/limits.js';
import { reserveLoginAttempt } from '../auth/login-attempts.js';
import { decoyHash, hashPassword, verifyPassword } from '../../services/auth/password.js';
import { requireSession } from '../middleware/session.js';
import { completeSecondFactor, startSecondFactor } from '../auth/second-factor-login.js';
import { jsonBody } from '../validate.js';

export const authRoutes = newApp()
  .post('/signup', async (c) => {
    const body = await jsonBody(c, SignupBody);
    checkPersonUsername(body.username);
    const db = database(c.env.DB);
    const now = Date.now();
    const ip = requestOrigin(c).ip ?? 'unknown';
    const perIp = await hit(db, `signup:ip:${ip}`, AUTH_LIMITS.signupPerIp, now);
    if (perIp.count > AUTH_LIMITS.signupPerIp.limit) throw fail.rateLimited(perIp.retryAfterSec);

    if (await findAccountByUsername(db, body.username)) throw usernameTaken();
    const account = await createAccount(db, {
      username: body.username,
      displayName: body.display_name,
      passwordHash: await hashPassword(body.password),
      now,
    });
    if (!account) throw usernameTaken(); // lost a race with a concurrent sign-up
    return c.json((await issueSession(c, db, account, body.device, now)) satisfies AuthResult, 201);
  })
  .post('/login', async (c) => {
    const body = await jsonBody(c, LoginBody);
    const db = database(c.env.DB);
    const now = Date.now();
    const ip = requestOrigin(c).ip ?? 'unknown';
    const perIp = await hit(db, `login:ip:${ip}`, AUTH_LIMITS.loginPerIp, now);
    if (perIp.count > AUTH_LIMITS.loginPerIp.limit) throw fail.rateLimited(perIp.retryAfterSec);
    const account = await findAccountByUsername(db, body.username);
    // Reserved before hashing, so parallel guesses cannot pass together (login-attempts.ts).
    const attempt = await reserveLoginAttempt(db, { usernameKey: usernameKey(body.username), ip, accountId: account?.id }, now);
    if (attempt.refused) throw fail.rateLimited(attempt.refused.retryAfterSec);
    const ok = await verifyPassword(body.password, account?.passwordHash ?? decoyHash());
    if (!account || !account.passwordHash || !ok) {
      throw new EdgegramError(ErrorCode.INVALID_CREDENTIALS, 'Wrong username or password');
    }
    await attempt.release();
    // Only now, with the password right, may the answer tell that the account has a second factor.
    await startSecondFactor(db, account.id, now);
    return c.json((await issueSession(c, db, account, body.device, now)) satisfies AuthResult);
  })
  .post('/login/second-factor', async (c) => {
    const body = await jsonBody(c, LoginSecondFactorBody);
    const db = database(c.env.DB);
    const now = Date.now();
    const ip = requestOrigin(c).ip ?? 'unknown';
    const perIp = await hit(db, `login:ip:${ip}`, AUTH_LIMITS.loginPerIp, now);
    if (perIp.count > AUTH_LIMITS.loginPerIp.limit) throw fail.rateLimited(perIp.retryAfterSec);
    const account = await completeSecondFactor(db, body, now);
    return c.json((await issueSession(c, db, account, body.device, now)) satisfies AuthResult);
  })
  .post('/logout', requireSession(), async (c) => {
    const { accountId, sessionId } = c.var.session;
    await deleteSession(database(c.env.DB), accountId, sessionId);
    await mailbox(c.env, accountId).closeSessions([sessionId]);
    return c.json({ ok: true } satisfies OkResult);
  })
  .get('/me', requireSession(), async (c) => {
    const db = database(c.env.DB);
    const account = await findAccountById(db, c.var.session.accountId);
    if (!account) throw fail.unauthorized();
    // One's own profile, photo included (one's own rules never hide anything from oneself).
    return c.json({ user: seenUser(account, true, await profilePhoto(db, account.id, undefined)) } satisfies MeResult);
  });
