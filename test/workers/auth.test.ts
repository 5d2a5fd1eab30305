import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { AuthResult, MeResult } from '../../protocol/http/auth.js';
import { AUTH_LIMITS } from '../../workers/auth/limits.js';
import { sha256Hex } from '../../workers/auth/tokens.js';
import { api, BASE, countRows, device, errorCode, login, loginRequest, PASSWORD, randomIp, signup, uniqueUsername } from './helpers.js';

// Every sign-up and login costs an scrypt hash (16 MiB, ~100 ms and up).
const slow = { timeout: 60_000 };

const signupBody = (username: string, extra: Record<string, unknown> = {}) => ({
  username,
  display_name: 'Alice',
  password: PASSWORD,
  device: device(),
  ...extra,
});

async function storedCounts() {
  return { accounts: await countRows('accounts'), sessions: await countRows('sessions'), devices: await countRows('devices') };
}

describe('sign up', slow, () => {
  it('creates the account and a session whose token works on /me', async () => {
    const username = uniqueUsername('alice');
    const res = await api('/v1/auth/signup', { body: signupBody(username, { display_name: 'Alice A.' }) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as AuthResult;
    expect(body.user).toEqual({ id: expect.any(Number), username, display_name: 'Alice A.', is_bot: false });
    expect(body.session).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), token: expect.any(String), expires_at: expect.any(Number) });
    expect(body.session.token.length).toBeGreaterThanOrEqual(43);
    expect(body.session.expires_at).toBeGreaterThan(Date.now());

    const me = await api('/v1/auth/me', { token: body.session.token });
    expect(me.status).toBe(200);
    expect(((await me.json()) as MeResult).user).toEqual(body.user);
  });

  it('stores the password only as an scrypt hash and the token only as its SHA-256', async () => {
    const account = await signup({ password: 'a very secret passphrase' });
    const row = await env.DB.prepare('SELECT password_hash FROM accounts WHERE id = ?')
      .bind(account.user.id)
      .first<{ password_hash: string }>();
    // The suites' setup lowers the cost (test/workers/setup.ts); production's is
    // checked in test/unit/auth/password-cost.test.ts.
    expect(row?.password_hash).toMatch(/^scrypt\$16\$1\$1\$[^$]+\$[^$]+$/);
    expect(row?.password_hash).not.toContain('a very secret passphrase');

    const session = await env.DB.prepare('SELECT * FROM sessions WHERE id = ?').bind(account.session.id).first();
    expect(session?.token_hash).toBe(await sha256Hex(account.token));
    // No column of any auth table holds the token or the password in clear.
    for (const table of ['accounts', 'sessions', 'devices']) {
      const { results } = await env.DB.prepare(`SELECT * FROM ${table}`).all();
      const dump = JSON.stringify(results);
      expect(dump, table).not.toContain(account.token);
      expect(dump, table).not.toContain('a very secret passphrase');
    }
  });

  it.each([
    ['too short', 'abcd'],
    ['too long', `a${'b'.repeat(32)}`],
    ['starting with a digit', '1alice'],
    ['starting with an underscore', '_alice'],
    ['with a hyphen', 'alice-bob'],
    ['with a space', 'alice bob'],
    ['with a non-ASCII letter', 'alicé_1'],
    ['empty', ''],
  ])('refuses a username %s with USERNAME_INVALID and stores nothing', async (_, username) => {
    const before = await storedCounts();
    const res = await api('/v1/auth/signup', { body: signupBody(username) });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('USERNAME_INVALID');
    expect(await storedCounts()).toEqual(before);
  });

  it('accepts usernames at the edges of the rules (5 and 32 characters, digits and underscores)', async () => {
    const suffix = crypto.randomUUID().replace(/-/g, '').slice(0, 4);
    for (const username of [`a${suffix}`, `Z_9${suffix}`.padEnd(32, '_')]) {
      const res = await api('/v1/auth/signup', { body: signupBody(username) });
      expect(res.status, username).toBe(201);
    }
  });

  it('refuses a username taken in another case with USERNAME_TAKEN and changes nothing', async () => {
    const base = uniqueUsername('Alice');
    await signup({ username: base });
    const before = await storedCounts();
    for (const variant of [base, base.toLowerCase(), base.toUpperCase()]) {
      const res = await api('/v1/auth/signup', { body: signupBody(variant) });
      expect(res.status, variant).toBe(409);
      expect(await errorCode(res)).toBe('USERNAME_TAKEN');
    }
    expect(await storedCounts()).toEqual(before);
  });

  it('refuses a too short password with BAD_REQUEST naming the field', async () => {
    const res = await api('/v1/auth/signup', { body: signupBody(uniqueUsername(), { password: 'short' }) });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.issues.map((i) => i.path)).toContain('password');
  });
});

describe('login and logout', slow, () => {
  it('signs in with the right password as a new session on a new device', async () => {
    const account = await signup();
    const second = await login(account, { deviceName: 'Pixel' });
    expect(second.user).toEqual(account.user);
    expect(second.session.id).not.toBe(account.session.id);
    expect(second.token).not.toBe(account.token);
    const { results } = await env.DB.prepare('SELECT device_id FROM sessions WHERE account_id = ?').bind(account.user.id).all();
    expect(new Set(results.map((r) => r.device_id)).size).toBe(2);
    expect((await api('/v1/auth/me', { token: second.token })).status).toBe(200);
    expect((await api('/v1/auth/me', { token: account.token })).status).toBe(200);
  });

  it('logs in case-insensitively by username', async () => {
    const account = await signup({ username: uniqueUsername('MixedCase') });
    const res = await loginRequest(account.username.toLowerCase(), PASSWORD);
    expect(res.status).toBe(200);
  });

  it('answers a wrong password and an unknown user identically (no enumeration)', async () => {
    const account = await signup();
    const wrong = await loginRequest(account.username, 'wrong password!');
    const unknown = await loginRequest(uniqueUsername('nobody'), 'wrong password!');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await wrong.json(), await unknown.json()];
    expect(a).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: expect.any(String) } });
    expect(b).toEqual(a);
  });

  it('logout ends the session: the token stops working and the session row is gone', async () => {
    const account = await signup();
    const res = await api('/v1/auth/logout', { method: 'POST', token: account.token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const me = await api('/v1/auth/me', { token: account.token });
    expect(me.status).toBe(401);
    expect(await errorCode(me)).toBe('UNAUTHORIZED');
    expect(await env.DB.prepare('SELECT id FROM sessions WHERE id = ?').bind(account.session.id).first()).toBeNull();
  });

  it('refuses /me without a token, with a malformed header or with an unknown token', async () => {
    for (const authorization of [undefined, 'Basic abc', 'Bearer', 'Bearer short', `Bearer ${'x'.repeat(43)}`]) {
      const res = await api('/v1/auth/me', { headers: authorization ? { authorization } : {} });
      expect(res.status, authorization).toBe(401);
      expect(await errorCode(res)).toBe('UNAUTHORIZED');
    }
  });
});

describe('login rate limits', slow, () => {
  const { limit } = AUTH_LIMITS.loginAttemptsPerAccountSource;
  const { limit: accountLimit } = AUTH_LIMITS.loginAttemptsPerAccount;

  it(`an address that guessed ${limit} times is refused even the right password; the owner elsewhere is not locked out`, async () => {
    const account = await signup();
    const ip = randomIp();
    for (let i = 0; i < limit; i++) {
      const res = await loginRequest(account.username, `wrong password ${i}`, { ip });
      expect(res.status, `attempt ${i + 1}`).toBe(401);
    }
    const locked = await loginRequest(account.username, PASSWORD, { ip });
    expect(locked.status).toBe(429);
    const { error } = (await locked.json()) as { error: { code: string; retry_after: number } };
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retry_after).toBeGreaterThan(0);
    expect(error.retry_after).toBeLessThanOrEqual(AUTH_LIMITS.loginAttemptsPerAccountSource.windowMs / 1000);
    expect(locked.headers.get('retry-after')).toBe(String(error.retry_after));
    // Sessions already signed in are untouched, and the owner signs in from elsewhere.
    expect((await api('/v1/auth/me', { token: account.token })).status).toBe(200);
    expect((await loginRequest(account.username, PASSWORD, { ip: randomIp() })).status).toBe(200);
    const other = await signup();
    expect((await loginRequest(other.username, PASSWORD, { ip })).status).toBe(200);
  });

  it(`parallel guesses cannot pass the limit together: of ${limit + 14} at once, ${limit} are evaluated`, async () => {
    const account = await signup();
    const ip = randomIp();
    const answers = await Promise.all(
      Array.from({ length: limit + 14 }, (_, i) => loginRequest(account.username, `parallel guess ${i}`, { ip })),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(14);
  });

  it('a right password gives its reservation back: an owner signing in often is never limited', async () => {
    const account = await signup();
    const ip = randomIp();
    for (let i = 0; i < limit + 2; i++) expect((await loginRequest(account.username, PASSWORD, { ip })).status, `login ${i + 1}`).toBe(200);
  });

  it(`a distributed guess is capped at ${accountLimit} an hour, except where the owner has a signed-in device`, async () => {
    const account = await signup();
    const home = randomIp();
    // The owner's device, signed in from home.
    expect((await loginRequest(account.username, PASSWORD, { ip: home })).status).toBe(200);
    // Seed the account-wide window at its cap instead of paying for that many guesses.
    await env.DB.prepare('INSERT OR REPLACE INTO rate_limits (key, window_start, count) VALUES (?, ?, ?)')
      .bind(`login:acct:${account.username.toLowerCase()}`, Date.now(), accountLimit)
      .run();
    const fromAnywhere = await loginRequest(account.username, PASSWORD, { ip: randomIp() });
    expect(fromAnywhere.status).toBe(429);
    expect((await loginRequest(account.username, PASSWORD, { ip: home })).status).toBe(200);
  });

  it('limits login attempts per IP, without affecting other IPs', async () => {
    const account = await signup();
    const ip = randomIp();
    // Seed the window one short of the limit instead of paying for that many scrypt hashes.
    await env.DB.prepare('INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, ?)')
      .bind(`login:ip:${ip}`, Date.now(), AUTH_LIMITS.loginPerIp.limit - 1)
      .run();
    expect((await loginRequest(account.username, PASSWORD, { ip })).status).toBe(200);
    const limited = await loginRequest(account.username, PASSWORD, { ip });
    expect(limited.status).toBe(429);
    expect(await errorCode(limited)).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await loginRequest(account.username, PASSWORD, { ip: randomIp() })).status).toBe(200);
  });

  it('limits sign-ups per IP', async () => {
    const ip = randomIp();
    await env.DB.prepare('INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, ?)')
      .bind(`signup:ip:${ip}`, Date.now(), AUTH_LIMITS.signupPerIp.limit)
      .run();
    const before = await storedCounts();
    const res = await api('/v1/auth/signup', { body: signupBody(uniqueUsername()), ip });
    expect(res.status).toBe(429);
    expect(await errorCode(res)).toBe('RATE_LIMITED');
    expect(await storedCounts()).toEqual(before);
  });
});

describe('bad input never causes a 500', () => {
  it('answers malformed JSON with MALFORMED_JSON', async () => {
    for (const body of ['{', '{"username": }', 'not json', '{"a":1}}']) {
      const res = await api('/v1/auth/signup', { body });
      expect(res.status, body).toBe(400);
      expect(await errorCode(res)).toBe('MALFORMED_JSON');
    }
  });

  it('answers missing fields with BAD_REQUEST listing the issues', async () => {
    const res = await api('/v1/auth/login', { body: { username: 'alice_1' } });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.issues.map((i) => i.path).sort()).toEqual(['device', 'password']);
  });

  it('answers oversized fields with BAD_REQUEST', async () => {
    const cases = [
      signupBody(uniqueUsername(), { display_name: 'x'.repeat(65) }),
      signupBody(uniqueUsername(), { password: 'x'.repeat(257) }),
      signupBody('a'.repeat(65)),
      signupBody(uniqueUsername(), { device: { name: 'x'.repeat(65), platform: 'web' } }),
    ];
    for (const body of cases) {
      const res = await api('/v1/auth/signup', { body });
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; issues: unknown[] } };
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.issues.length).toBeGreaterThan(0);
    }
  });

  it('answers wrong JSON types (null, array, string, number, wrong field types) with BAD_REQUEST', async () => {
    for (const body of ['null', '[]', '"text"', '42', '{"username":5,"password":[],"device":"x"}', '']) {
      const res = await api('/v1/auth/login', { body, method: 'POST' });
      expect(res.status, body).toBe(400);
      expect(await errorCode(res)).toBe('BAD_REQUEST');
    }
  });

  it('refuses a body over 64 KiB with PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify(signupBody(uniqueUsername(), { padding: 'x'.repeat(64 * 1024) }));
    const res = await api('/v1/auth/signup', { body: big });
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a chunked body that declares no length as soon as it passes 64 KiB, without reading the rest', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
    const total = 32;
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled++ < total) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await SELF.fetch(`${BASE}/v1/auth/login`, { method: 'POST', body: stream, headers: { 'cf-connecting-ip': randomIp() } });
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
    expect(pulled).toBeLessThan(total);
  });
});
