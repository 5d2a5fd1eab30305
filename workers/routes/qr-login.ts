import { database } from '../../d1/db.js';
import { findAccountById } from '../../d1/queries/accounts.js';
import { collectQrLoginToken, createQrLoginToken, dropQrLoginToken, findQrLoginToken } from '../../d1/queries/qr-login.js';
import { hit } from '../../d1/queries/rate-limits.js';
import { fail } from '../../protocol/errors.js';
import { QrLoginBody, QrLoginPollBody, type QrLoginPollResult, type QrLoginResult } from '../../protocol/http/qr-login.js';
import { hashQrLoginToken, loginTokenExpired, loginTokenInvalid, QR_LOGIN, qrLoginUrl } from '../../services/auth/qr-login.js';
import { newApp } from '../app.js';
import { issueSession, requestOrigin } from '../auth/issue-session.js';
import { randomToken } from '../auth/tokens.js';
import { jsonBody } from '../validate.js';

/**
 * QR login, the waiting device's side (`/v1/auth/qr-login`): a token, then
 * polls until a signed-in device approves it (account method
 * acceptLoginToken) and the poll collects the session, once.
 */
export const qrLoginRoutes = newApp()
  .post('/', async (c) => {
    const body = await jsonBody(c, QrLoginBody);
    const db = database(c.env.DB);
    const now = Date.now();
    const origin = requestOrigin(c);
    const perIp = await hit(db, `qr-login:ip:${origin.ip ?? 'unknown'}`, QR_LOGIN.createPerIp, now);
    if (perIp.count > QR_LOGIN.createPerIp.limit) throw fail.rateLimited(perIp.retryAfterSec);
    if (body.replaces) await dropQrLoginToken(db, await hashQrLoginToken(body.replaces));
    const token = randomToken();
    const expiresAt = now + QR_LOGIN.tokenLifetimeMs;
    await createQrLoginToken(
      db,
      {
        tokenHash: await hashQrLoginToken(token),
        deviceName: body.device.name,
        platform: body.device.platform,
        appVersion: body.device.app_version ?? null,
        ...origin,
        createdAt: now,
        expiresAt,
      },
      now,
    );
    return c.json({ token, url: qrLoginUrl(token), expires_at: expiresAt } satisfies QrLoginResult, 201);
  })
  .post('/poll', async (c) => {
    const body = await jsonBody(c, QrLoginPollBody);
    const db = database(c.env.DB);
    const now = Date.now();
    const perIp = await hit(db, `qr-poll:ip:${requestOrigin(c).ip ?? 'unknown'}`, QR_LOGIN.pollPerIp, now);
    if (perIp.count > QR_LOGIN.pollPerIp.limit) throw fail.rateLimited(perIp.retryAfterSec);
    const tokenHash = await hashQrLoginToken(body.token);
    const collected = await collectQrLoginToken(db, tokenHash, now);
    if (!collected) {
      const row = await findQrLoginToken(db, tokenHash);
      if (!row) throw loginTokenInvalid();
      if (row.expiresAt <= now) throw loginTokenExpired();
      return c.json({ status: 'waiting', expires_at: row.expiresAt } satisfies QrLoginPollResult);
    }
    const account = collected.accountId === null ? undefined : await findAccountById(db, collected.accountId);
    if (!account) throw loginTokenInvalid();
    const device = { name: collected.deviceName, platform: collected.platform, ...(collected.appVersion && { app_version: collected.appVersion }) };
    return c.json({ status: 'approved', auth: await issueSession(c, db, account, device, now) } satisfies QrLoginPollResult);
  });
