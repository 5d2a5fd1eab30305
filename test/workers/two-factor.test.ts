import { env } from 'cloudflare:test';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import type { AuthResult } from '../../protocol/http/auth.js';
import type { MethodInput, MethodName, MethodResult } from '../../protocol/methods.js';
import { SECURITY_LIMITS } from '../../services/auth/second-factor.js';
import { api, connect, device, errorCode, login, loginRequest, signup, type Account } from './helpers.js';

const slow = { timeout: 60_000 };
const STEP_MS = 30_000;

async function call<M extends MethodName>(who: { token: string }, method: M, params: MethodInput<M>): Promise<MethodResult<M>> {
  const res = await api(`/v1/call/${method}`, { body: params, token: who.token });
  if (res.status !== 200) throw new Error(`${method}: ${res.status} ${await res.text()}`);
  return (await res.json()) as MethodResult<M>;
}

async function callError(who: { token: string }, method: MethodName, params: unknown): Promise<string> {
  const res = await api(`/v1/call/${method}`, { body: params, token: who.token });
  expect(res.status, `${method} should fail`).toBeGreaterThanOrEqual(400);
  return errorCode(res);
}

/** The code an authenticator app shows for `secret`, `steps` 30 s steps from now (the server accepts -1, 0, +1). */
function appCode(secret: string, steps = 0): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: Date.now() + steps * STEP_MS });
}

/**
 * Tests use the steps before, at and after now, each once (a step's code is
 * accepted once). Started late in a step, a test could see "now" move on and
 * the earlier step fall out of the window: wait for a fresh step instead.
 */
async function freshStep(): Promise<void> {
  const left = STEP_MS - (Date.now() % STEP_MS);
  if (left < 8_000) await new Promise((r) => setTimeout(r, left + 100));
}

/** Signs up and turns two-step verification on, confirming with the previous step's code. */
async function withTwoFactor(): Promise<{ account: Account; secret: string; recovery: string[] }> {
  await freshStep();
  const account = await signup();
  const { secret } = await call(account, 'enableTwoFactor', { password: account.password });
  const { recovery_codes } = await call(account, 'confirmTwoFactor', { code: appCode(secret, -1) });
  return { account, secret, recovery: recovery_codes };
}

/** The password step of a 2FA login: SECOND_FACTOR_REQUIRED with its login token. */
async function passwordStep(account: { username: string; password: string }): Promise<string> {
  const res = await loginRequest(account.username, account.password);
  expect(res.status).toBe(401);
  const body = (await res.json()) as { error: { code: string; login_token?: string } };
  expect(body.error.code).toBe('SECOND_FACTOR_REQUIRED');
  expect(body.error.login_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  return body.error.login_token!;
}

function codeStep(loginToken: string, code: string): Promise<Response> {
  return api('/v1/auth/login/second-factor', { body: { login_token: loginToken, code, device: device('Phone', 'ios') } });
}

async function expectSignedIn(res: Response): Promise<AuthResult> {
  expect(res.status, await res.clone().text()).toBe(200);
  const result = (await res.json()) as AuthResult;
  expect((await api('/v1/auth/me', { token: result.session.token })).status).toBe(200);
  return result;
}

describe('changing the password', slow, () => {
  it("signs every other session out, closing its socket, and keeps the caller's", async () => {
    const account = await signup();
    const phone = await login(account, { deviceName: 'Phone' });
    const tablet = await login(account, { deviceName: 'Tablet' });
    const phoneSocket = await connect(phone.token);

    const result = await call(account, 'changePassword', { current_password: account.password, new_password: 'a brand new password' });
    expect(result).toEqual({ ok: true, signed_out: 2 });
    expect((await phoneSocket.closed).code).toBe(4001);
    for (const ended of [phone, tablet]) expect((await api('/v1/auth/me', { token: ended.token })).status).toBe(401);
    expect((await api('/v1/auth/me', { token: account.token })).status).toBe(200);

    expect(await errorCode(await loginRequest(account.username, account.password))).toBe('INVALID_CREDENTIALS');
    await login({ username: account.username, password: 'a brand new password' });
  });

  it('over the WebSocket too: the calling socket stays open, the other devices close', async () => {
    const account = await signup();
    const phone = await login(account, { deviceName: 'Phone' });
    const laptopSocket = await connect(account.token);
    const phoneSocket = await connect(phone.token);
    phoneSocket.send({ t: 'call', id: 'pw', method: 'changePassword', params: { current_password: account.password, new_password: 'changed on the phone' } });
    for (let frame = await phoneSocket.next(); ; frame = await phoneSocket.next()) {
      if (frame.id !== 'pw') continue;
      expect(frame).toEqual({ t: 'result', id: 'pw', result: { ok: true, signed_out: 1 } });
      break;
    }
    expect((await laptopSocket.closed).code).toBe(4001);
    expect(phoneSocket.ws.readyState).toBe(WebSocket.OPEN);
    expect((await api('/v1/auth/me', { token: account.token })).status).toBe(401);
    phoneSocket.ws.close(1000);
  });

  it('keeps the other sessions when asked', async () => {
    const account = await signup();
    const phone = await login(account);
    const result = await call(account, 'changePassword', {
      current_password: account.password,
      new_password: 'another new password',
      keep_other_sessions: true,
    });
    expect(result).toEqual({ ok: true, signed_out: 0 });
    expect((await api('/v1/auth/me', { token: phone.token })).status).toBe(200);
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const account = await signup();
    const phone = await login(account);
    expect(await callError(account, 'changePassword', { current_password: 'not my password', new_password: 'whatever new one' })).toBe(
      'INVALID_CREDENTIALS',
    );
    expect((await api('/v1/auth/me', { token: phone.token })).status).toBe(200);
    await login(account); // the old password still works
    expect((await loginRequest(account.username, 'whatever new one')).status).toBe(401);
  });

  it("holds the new password to sign-up's rules", async () => {
    const account = await signup();
    expect(await callError(account, 'changePassword', { current_password: account.password, new_password: 'short' })).toBe('BAD_REQUEST');
    await login(account);
  });

  it(`stops guessing at the current password after ${SECURITY_LIMITS.passwordChecks.limit} tries`, async () => {
    const account = await signup();
    for (let i = 0; i < SECURITY_LIMITS.passwordChecks.limit; i++) {
      expect(await callError(account, 'changePassword', { current_password: `guess ${i}`, new_password: 'new password 1' })).toBe('INVALID_CREDENTIALS');
    }
    // Even the right password is now refused until the window passes: the guesses cannot continue.
    expect(await callError(account, 'changePassword', { current_password: account.password, new_password: 'new password 1' })).toBe('RATE_LIMITED');
    await login(account);
  });
});

describe('turning two-step verification on', slow, () => {
  it('protects nothing until the code confirms it, and refuses a wrong code', async () => {
    await freshStep();
    const account = await signup();
    // A session alone is not enough: a wrong password starts nothing.
    expect(await callError(account, 'enableTwoFactor', { password: 'not the password' })).toBe('INVALID_CREDENTIALS');
    expect(await call(account, 'getTwoFactorStatus', {})).toEqual({ enabled: false, pending: false, recovery_codes_left: 0 });
    const setup = await call(account, 'enableTwoFactor', { password: account.password });
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.uri).toBe(
      `otpauth://totp/Edgegram:${account.username}?issuer=Edgegram&secret=${setup.secret}&algorithm=SHA1&digits=6&period=30`,
    );
    expect(await call(account, 'getTwoFactorStatus', {})).toEqual({ enabled: false, pending: true, recovery_codes_left: 0 });
    await login(account); // pending: the password alone still signs in

    const wrong = appCode(setup.secret) === '000000' ? '000001' : '000000';
    expect(await callError(account, 'confirmTwoFactor', { code: wrong })).toBe('INVALID_CREDENTIALS');
    expect((await call(account, 'getTwoFactorStatus', {})).enabled).toBe(false);
    await login(account);

    const { recovery_codes } = await call(account, 'confirmTwoFactor', { code: appCode(setup.secret) });
    expect(recovery_codes).toHaveLength(10);
    expect(await call(account, 'getTwoFactorStatus', {})).toEqual({ enabled: true, pending: false, recovery_codes_left: 10 });
    // Only hashes are kept, and the secret is not shown again.
    const stored = await env.DB.prepare('SELECT code_hash FROM recovery_codes WHERE account_id = ?').bind(account.user.id).all<{ code_hash: string }>();
    expect(stored.results).toHaveLength(10);
    for (const code of recovery_codes) expect(JSON.stringify(stored.results)).not.toContain(code);
    expect(await callError(account, 'enableTwoFactor', { password: account.password })).toBe('CONFLICT');
    expect(JSON.stringify(await call(account, 'getTwoFactorStatus', {}))).not.toContain(setup.secret);
  });

  it('a second enable replaces the unconfirmed secret: only the newest one confirms', async () => {
    await freshStep();
    const account = await signup();
    const first = await call(account, 'enableTwoFactor', { password: account.password });
    const second = await call(account, 'enableTwoFactor', { password: account.password });
    expect(second.secret).not.toBe(first.secret);
    const stale = appCode(first.secret);
    if (stale !== appCode(second.secret) && stale !== appCode(second.secret, -1) && stale !== appCode(second.secret, 1)) {
      expect(await callError(account, 'confirmTwoFactor', { code: stale })).toBe('INVALID_CREDENTIALS');
    }
    await call(account, 'confirmTwoFactor', { code: appCode(second.secret) });
  });

  it('confirming with no setup under way is a CONFLICT', async () => {
    const account = await signup();
    expect(await callError(account, 'confirmTwoFactor', { code: '123456' })).toBe('CONFLICT');
  });
});

describe('logging in with two-step verification', slow, () => {
  it('asks for the code after the right password only, then signs in with it', async () => {
    const { account, secret } = await withTwoFactor();
    // A wrong password is a wrong password: nothing tells that the account has a second factor.
    const wrong = await loginRequest(account.username, 'not the password');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: 'Wrong username or password' } });

    const token = await passwordStep(account);
    const session = await expectSignedIn(await codeStep(token, appCode(secret)));
    expect(session.user.id).toBe(account.user.id);
  });

  it('refuses a wrong code, keeping the login token for another try', async () => {
    const { account, secret } = await withTwoFactor();
    const token = await passwordStep(account);
    const right = appCode(secret);
    const wrong = right === '999999' ? '999998' : String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    const res = await codeStep(token, wrong);
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('INVALID_CREDENTIALS');
    await expectSignedIn(await codeStep(token, right));
  });

  it('never accepts the same code twice: a replay in its 30 s step fails', async () => {
    const { account, secret } = await withTwoFactor();
    const code = appCode(secret);
    await expectSignedIn(await codeStep(await passwordStep(account), code));
    const replay = await codeStep(await passwordStep(account), code);
    expect(replay.status).toBe(401);
    expect(await errorCode(replay)).toBe('INVALID_CREDENTIALS');
    // Nor an older step's code, once a later one was used.
    expect(await errorCode(await codeStep(await passwordStep(account), appCode(secret, -1)))).toBe('INVALID_CREDENTIALS');
    // The next step's code still works.
    await expectSignedIn(await codeStep(await passwordStep(account), appCode(secret, 1)));
  });

  it('a login token works once', async () => {
    const { account, secret } = await withTwoFactor();
    const token = await passwordStep(account);
    await expectSignedIn(await codeStep(token, appCode(secret)));
    const again = await codeStep(token, appCode(secret, 1));
    expect(again.status).toBe(401);
    expect(await errorCode(again)).toBe('LOGIN_TOKEN_INVALID');
  });

  it('refuses an expired login token with LOGIN_TOKEN_INVALID', async () => {
    const { account, secret } = await withTwoFactor();
    const token = await passwordStep(account);
    // Five minutes passed: the stored expiry is moved into the past.
    await env.DB.prepare('UPDATE login_tokens SET expires_at = ? WHERE account_id = ?').bind(Date.now() - 1, account.user.id).run();
    const res = await codeStep(token, appCode(secret));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { code: 'LOGIN_TOKEN_INVALID', message: 'This login has expired or was already used: sign in with your password again' },
    });
    expect(await errorCode(await codeStep('made-up-token', appCode(secret)))).toBe('LOGIN_TOKEN_INVALID');
  });

  it('a recovery code signs in once, however it is typed', async () => {
    const { account, recovery } = await withTwoFactor();
    const code = recovery[3]!;
    await expectSignedIn(await codeStep(await passwordStep(account), code.toUpperCase()));
    expect((await call(account, 'getTwoFactorStatus', {})).recovery_codes_left).toBe(9);
    const again = await codeStep(await passwordStep(account), code);
    expect(again.status).toBe(401);
    expect(await errorCode(again)).toBe('INVALID_CREDENTIALS');
    // Another account's recovery code is nothing here.
    const other = await withTwoFactor();
    expect(await errorCode(await codeStep(await passwordStep(account), other.recovery[0]!))).toBe('INVALID_CREDENTIALS');
  });

  it(`stops code guessing after ${SECURITY_LIMITS.codeChecks.limit} wrong codes in 10 minutes`, async () => {
    const { account, secret } = await withTwoFactor();
    const token = await passwordStep(account);
    const valid = new Set([appCode(secret, -1), appCode(secret), appCode(secret, 1)]);
    const wrongCodes = ['111111', '222222', '333333', '444444', '555555', '666666', '777777'].filter((c) => !valid.has(c));
    for (const code of wrongCodes.slice(0, SECURITY_LIMITS.codeChecks.limit)) {
      expect(await errorCode(await codeStep(token, code))).toBe('INVALID_CREDENTIALS');
    }
    const limited = await codeStep(token, appCode(secret));
    expect(limited.status).toBe(429);
    expect(await errorCode(limited)).toBe('RATE_LIMITED');
  });

  it('changing the password voids pending login tokens', async () => {
    const { account, secret } = await withTwoFactor();
    const token = await passwordStep(account);
    await call(account, 'changePassword', { current_password: account.password, new_password: 'fresh password 42' });
    expect(await errorCode(await codeStep(token, appCode(secret)))).toBe('LOGIN_TOKEN_INVALID');
  });
});

describe('turning two-step verification off', slow, () => {
  it('needs the password and a current code; then the password alone signs in again', async () => {
    const { account, secret } = await withTwoFactor();
    expect(await callError(account, 'disableTwoFactor', { password: 'wrong password', code: appCode(secret) })).toBe('INVALID_CREDENTIALS');
    const wrong = appCode(secret) === '123123' ? '321321' : '123123';
    expect(await callError(account, 'disableTwoFactor', { password: account.password, code: wrong })).toBe('INVALID_CREDENTIALS');
    expect((await call(account, 'getTwoFactorStatus', {})).enabled).toBe(true);

    expect(await call(account, 'disableTwoFactor', { password: account.password, code: appCode(secret) })).toEqual({ ok: true });
    expect(await call(account, 'getTwoFactorStatus', {})).toEqual({ enabled: false, pending: false, recovery_codes_left: 0 });
    await login(account);
    expect(await countFor('recovery_codes', account.user.id)).toBe(0);
    expect(await callError(account, 'disableTwoFactor', { password: account.password, code: appCode(secret, 1) })).toBe('CONFLICT');
  });

  it('drops a setup never confirmed without asking for proof (it protected nothing)', async () => {
    const account = await signup();
    await call(account, 'enableTwoFactor', { password: account.password });
    expect(await call(account, 'disableTwoFactor', { password: '', code: '' })).toEqual({ ok: true });
    expect(await call(account, 'getTwoFactorStatus', {})).toEqual({ enabled: false, pending: false, recovery_codes_left: 0 });
    expect(await callError(account, 'confirmTwoFactor', { code: '123456' })).toBe('CONFLICT');
  });

  it('takes a recovery code instead of the app code', async () => {
    const { account, recovery } = await withTwoFactor();
    await call(account, 'disableTwoFactor', { password: account.password, code: recovery[0]! });
    await login(account);
  });

  it('voids a login token taken while it was on', async () => {
    const { account, secret } = await withTwoFactor();
    const token = await passwordStep(account);
    await call(account, 'disableTwoFactor', { password: account.password, code: appCode(secret) });
    expect(await errorCode(await codeStep(token, appCode(secret, 1)))).toBe('LOGIN_TOKEN_INVALID');
  });
});

async function countFor(table: string, accountId: number): Promise<number> {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE account_id = ?`).bind(accountId).first<{ n: number }>();
  return row?.n ?? 0;
}
