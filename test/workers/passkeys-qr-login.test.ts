import { env } from 'cloudflare:test';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodResult } from '../../protocol/methods.js';
import type { QrLoginPollResult } from '../../protocol/http/qr-login.js';
import { SoftPasskey } from '../support/soft-authenticator.js';
import { api, errorCode, randomIp, signup } from './helpers.js';
import {
  addPasskey,
  loginOptions,
  newQrToken,
  ORIGIN,
  passkeySignIn,
  pollQr,
  registrationOptions,
  sendLogin,
  sendRegistration,
  signedInWith,
} from './passkey-helpers.js';

async function call<M extends MethodName>(who: { token: string }, method: M, params: MethodInput<M>): Promise<MethodResult<M>> {
  const res = await api(`/v1/call/${method}`, { body: params, token: who.token });
  if (res.status !== 200) throw new Error(`${method}: ${res.status} ${await res.text()}`);
  return (await res.json()) as MethodResult<M>;
}

async function callError(who: { token?: string }, method: MethodName, params: unknown): Promise<string> {
  const res = await api(`/v1/call/${method}`, { body: params, ...(who.token && { token: who.token }) });
  expect(res.status, `${method} should fail`).toBeGreaterThanOrEqual(400);
  return errorCode(res);
}

async function whoIs(token: string): Promise<number> {
  const res = await api('/v1/auth/me', { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { user: { id: number } }).user.id;
}

describe('passkeys', () => {
  it('a signed-in user adds a passkey, lists it, and signs in with it on a new device', async () => {
    const alice = await signup();
    const options = await registrationOptions(alice);
    expect(options.rp.id).toBe(new URL(ORIGIN).hostname);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    const { passkey, response } = await SoftPasskey.create(options, ORIGIN);
    const registered = await sendRegistration(alice, '  Laptop  ', response);
    expect(registered.status).toBe(201);
    const { passkeys } = await call(alice, 'getPasskeys', {});
    expect(passkeys).toEqual([expect.objectContaining({ id: passkey.id, name: 'Laptop', transports: ['internal'], last_used_at: null })]);

    // A second registration does not offer the same authenticator again.
    expect((await registrationOptions(alice)).excludeCredentials).toEqual([expect.objectContaining({ id: passkey.id })]);

    const signIn = await signedInWith(await passkeySignIn(passkey));
    expect(signIn.user.id).toBe(alice.user.id);
    expect(await whoIs(signIn.session.token)).toBe(alice.user.id);
    expect((await call(alice, 'getPasskeys', {})).passkeys[0]!.last_used_at).toEqual(expect.any(Number));
  });

  it('a passkey sign-in skips the second factor (it is both factors)', async () => {
    const bob = await signup();
    const { secret } = await call(bob, 'enableTwoFactor', { password: bob.password });
    const code = TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: Date.now() });
    await call(bob, 'confirmTwoFactor', { code });
    const passkey = await addPasskey(bob);
    expect((await signedInWith(await passkeySignIn(passkey))).user.id).toBe(bob.user.id);
  });

  it('a challenge is used once: a replayed sign-in or registration is refused', async () => {
    const carol = await signup();
    const { passkey, response } = await SoftPasskey.create(await registrationOptions(carol), ORIGIN);
    const [first, second] = await Promise.all([sendRegistration(carol, 'One', response), sendRegistration(carol, 'Two', response)]);
    expect([first.status, second.status].sort()).toEqual([201, 400]);
    expect(await errorCode(first.status === 400 ? first : second)).toBe('PASSKEY_INVALID');
    expect((await call(carol, 'getPasskeys', {})).passkeys).toHaveLength(1);

    const assertion = await passkey.assert(await loginOptions(), ORIGIN);
    const [a, b] = await Promise.all([sendLogin(assertion), sendLogin(assertion)]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    expect(await errorCode(a.status === 401 ? a : b)).toBe('INVALID_CREDENTIALS');
  });

  it('an expired challenge is refused', async () => {
    const dave = await signup();
    const passkey = await addPasskey(dave);
    const options = await loginOptions();
    await env.DB.prepare('UPDATE webauthn_challenges SET expires_at = ? WHERE challenge = ?').bind(Date.now() - 1, options.challenge).run();
    const res = await sendLogin(await passkey.assert(options, ORIGIN));
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('INVALID_CREDENTIALS');
  });

  it('another origin or RP ID is refused, and a foreign page cannot start a ceremony', async () => {
    const erin = await signup();
    const evil = await SoftPasskey.create(await registrationOptions(erin), 'https://evil.example');
    const refused = await sendRegistration(erin, 'Evil', evil.response);
    expect(refused.status).toBe(400);
    expect(await errorCode(refused)).toBe('PASSKEY_INVALID');
    const wrongRp = await SoftPasskey.create(await registrationOptions(erin), ORIGIN, { rpId: 'evil.example' });
    expect(await errorCode(await sendRegistration(erin, 'Evil', wrongRp.response))).toBe('PASSKEY_INVALID');
    expect((await call(erin, 'getPasskeys', {})).passkeys).toEqual([]);

    const passkey = await addPasskey(erin);
    expect(await errorCode(await sendLogin(await passkey.assert(await loginOptions(), 'https://evil.example')))).toBe('INVALID_CREDENTIALS');
    expect(await errorCode(await sendLogin(await passkey.assert(await loginOptions(), ORIGIN, { rpId: 'evil.example' })))).toBe(
      'INVALID_CREDENTIALS',
    );
    const foreign = await api('/v1/auth/passkeys/login/options', { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(await errorCode(foreign)).toBe('ORIGIN_NOT_ALLOWED');
    // An allowed browser origin is its own relying party.
    const allowed = await loginOptions({ headers: { origin: 'http://localhost:8787' } });
    expect(allowed.rpId).toBe('localhost');
    expect((await signedInWith(await sendLogin(await passkey.assert(allowed, 'http://localhost:8787'), { headers: { origin: 'http://localhost:8787' } }))).user.id).toBe(
      erin.user.id,
    );
  });

  it('a signature counter that goes back (a cloned authenticator) is refused; one that grows is fine', async () => {
    const frank = await signup();
    const passkey = await addPasskey(frank);
    passkey.counter = 5;
    expect((await passkeySignIn(passkey)).status).toBe(200);
    passkey.counter = 5;
    expect(await errorCode(await passkeySignIn(passkey))).toBe('INVALID_CREDENTIALS');
    passkey.counter = 6;
    expect((await passkeySignIn(passkey)).status).toBe(200);
  });

  it('a passkey without user verification is refused', async () => {
    const gina = await signup();
    const passkey = await addPasskey(gina);
    passkey.userVerified = false;
    expect(await errorCode(await passkeySignIn(passkey))).toBe('INVALID_CREDENTIALS');
  });

  it("a removed passkey cannot sign in, and nobody can remove another account's", async () => {
    const hank = await signup();
    const ivy = await signup();
    const passkey = await addPasskey(hank);
    expect(await callError(ivy, 'deletePasskey', { id: passkey.id })).toBe('NOT_FOUND');
    expect((await passkeySignIn(passkey)).status).toBe(200);
    expect(await call(hank, 'deletePasskey', { id: passkey.id })).toEqual({ ok: true });
    expect(await callError(hank, 'deletePasskey', { id: passkey.id })).toBe('NOT_FOUND');
    expect(await errorCode(await passkeySignIn(passkey))).toBe('INVALID_CREDENTIALS');
    // Signed out, the account methods are refused.
    expect(await callError({}, 'getPasskeys', {})).toBe('UNAUTHORIZED');
  });

  it('an unknown credential and malformed answers are refused without a 500', async () => {
    const stranger = await SoftPasskey.create({ challenge: 'x', rp: {}, user: { id: 'MQ' } }, ORIGIN);
    expect(await errorCode(await sendLogin(await stranger.passkey.assert(await loginOptions(), ORIGIN)))).toBe('INVALID_CREDENTIALS');
    const garbage = { id: 'abc', rawId: 'abc', type: 'public-key', response: { clientDataJSON: 'bm90IGpzb24', authenticatorData: 'AA', signature: 'AA' } };
    expect(await errorCode(await sendLogin(garbage))).toBe('INVALID_CREDENTIALS');
    expect(await errorCode(await sendLogin({ id: 'abc' }))).toBe('BAD_REQUEST');
  });

  it('passkey sign-in attempts count against the address like password logins', async () => {
    const ip = randomIp();
    for (let i = 0; i < 30; i++) await loginOptions({ ip });
    const res = await api('/v1/auth/passkeys/login/options', { method: 'POST', ip });
    expect(res.status).toBe(429);
    expect(await errorCode(res)).toBe('RATE_LIMITED');
  });
});

async function expectPoll(token: string, status: QrLoginPollResult['status']): Promise<QrLoginPollResult> {
  const res = await pollQr(token);
  expect(res.status).toBe(200);
  const body = (await res.json()) as QrLoginPollResult;
  expect(body.status).toBe(status);
  return body;
}

describe('QR login', () => {
  it('a waiting device gets a session once a signed-in device approves its token, once', async () => {
    const alice = await signup();
    const ip = randomIp();
    const { token, url, expires_at } = await newQrToken({ ip, deviceName: 'Kitchen tablet' });
    expect(url).toBe(`edgegram://login?token=${token}`);
    expect(expires_at - Date.now()).toBeGreaterThan(50_000);
    expect(expires_at - Date.now()).toBeLessThanOrEqual(60_000);
    await expectPoll(token, 'waiting');

    const { device } = await call(alice, 'checkLoginToken', { token: url });
    expect(device).toMatchObject({ name: 'Kitchen tablet', platform: 'android', ip });
    await expectPoll(token, 'waiting'); // checking changed nothing
    expect((await call(alice, 'acceptLoginToken', { token })).device.name).toBe('Kitchen tablet');

    const approved = await expectPoll(token, 'approved');
    if (approved.status !== 'approved') throw new Error('unreachable');
    expect(approved.auth.user.id).toBe(alice.user.id);
    expect(await whoIs(approved.auth.session.token)).toBe(alice.user.id);
    const sessions = (await (await api('/v1/sessions', { token: alice.token })).json()) as { sessions: { device: { name: string } }[] };
    expect(sessions.sessions.map((s) => s.device.name)).toContain('Kitchen tablet');

    // Collected: the token is gone.
    expect(await errorCode(await pollQr(token))).toBe('LOGIN_TOKEN_INVALID');
    expect(await callError(alice, 'acceptLoginToken', { token })).toBe('LOGIN_TOKEN_INVALID');
  });

  it('an approval from an account with two-step verification needs no code', async () => {
    const bob = await signup();
    const { secret } = await call(bob, 'enableTwoFactor', { password: bob.password });
    await call(bob, 'confirmTwoFactor', {
      code: TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: Date.now() }),
    });
    const { token } = await newQrToken();
    await call(bob, 'acceptLoginToken', { token });
    const approved = await expectPoll(token, 'approved');
    expect(approved.status === 'approved' && approved.auth.user.id).toBe(bob.user.id);
  });

  it('a token is approved once: a second approval, by anyone, is refused', async () => {
    const carol = await signup();
    const mallory = await signup();
    const { token } = await newQrToken();
    const results = await Promise.all([
      api('/v1/call/acceptLoginToken', { body: { token }, token: carol.token }),
      api('/v1/call/acceptLoginToken', { body: { token }, token: mallory.token }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    const winner = results[0]!.status === 200 ? carol : mallory;
    expect(await errorCode(results.find((r) => r.status === 401)!)).toBe('LOGIN_TOKEN_INVALID');
    const approved = await expectPoll(token, 'approved');
    expect(approved.status === 'approved' && approved.auth.user.id).toBe(winner.user.id);
  });

  it('an expired token says so and changes nothing', async () => {
    const dave = await signup();
    const { token } = await newQrToken();
    await env.DB.prepare('UPDATE qr_login_tokens SET expires_at = ? WHERE account_id IS NULL AND device_name = ?')
      .bind(Date.now() - 1, 'New tablet')
      .run();
    expect(await callError(dave, 'checkLoginToken', { token })).toBe('LOGIN_TOKEN_EXPIRED');
    expect(await callError(dave, 'acceptLoginToken', { token })).toBe('LOGIN_TOKEN_EXPIRED');
    expect(await errorCode(await pollQr(token))).toBe('LOGIN_TOKEN_EXPIRED');
    const row = await env.DB.prepare('SELECT account_id FROM qr_login_tokens WHERE account_id IS NULL AND expires_at < ?').bind(Date.now()).first();
    expect(row).not.toBeNull();
  });

  it('unknown, malformed and replaced tokens are refused', async () => {
    const erin = await signup();
    const unknown = 'A'.repeat(43);
    expect(await callError(erin, 'acceptLoginToken', { token: unknown })).toBe('LOGIN_TOKEN_INVALID');
    expect(await errorCode(await pollQr(unknown))).toBe('LOGIN_TOKEN_INVALID');
    expect(await callError(erin, 'acceptLoginToken', { token: 'not a token!' })).toBe('LOGIN_TOKEN_INVALID');
    expect(await errorCode(await pollQr('short'))).toBe('BAD_REQUEST');

    // A refresh replaces the old token: it stops working at once.
    const first = await newQrToken();
    const second = await newQrToken({ body: { device: { name: 'New tablet', platform: 'android' }, replaces: first.token } });
    expect(await errorCode(await pollQr(first.token))).toBe('LOGIN_TOKEN_INVALID');
    await expectPoll(second.token, 'waiting');
  });

  it('a signed-out request cannot approve', async () => {
    const { token } = await newQrToken();
    expect(await callError({}, 'acceptLoginToken', { token })).toBe('UNAUTHORIZED');
    expect(await callError({ token: 'x'.repeat(43) }, 'acceptLoginToken', { token })).toBe('UNAUTHORIZED');
    await expectPoll(token, 'waiting');
  });

  it('token creation is limited per address and approvals per account', async () => {
    const ip = randomIp();
    for (let i = 0; i < 30; i++) await newQrToken({ ip });
    const refused = await api('/v1/auth/qr-login', { body: { device: { name: 'x', platform: 'web' } }, ip });
    expect(refused.status).toBe(429);
    expect(await errorCode(refused)).toBe('RATE_LIMITED');

    const frank = await signup();
    for (let i = 0; i < 20; i++) expect(await callError(frank, 'acceptLoginToken', { token: `${'B'.repeat(40)}${i}` })).toBe('LOGIN_TOKEN_INVALID');
    const { token } = await newQrToken();
    expect(await callError(frank, 'acceptLoginToken', { token })).toBe('RATE_LIMITED');
    await expectPoll(token, 'waiting');
  });
});
