/**
 * Security regressions, inside workerd. What other suites already prove is
 * referenced, not repeated:
 * - login lockout after 10 failures with RATE_LIMITED + Retry-After, the right
 *   password refused while locked, per-IP limits: test/workers/auth.test.ts;
 * - a foreign Origin refused without spending the ticket, tickets dying with
 *   their session, sockets closed with 4001 on logout: test/workers/connect.test.ts;
 * - the token stored only as SHA-256, the password only as scrypt: auth.test.ts;
 * - every method and session route refusing a logged-out token: authorization.test.ts;
 * - password comparison through timingSafeEqual: test/unit/security/password-compare.test.ts;
 * - the web page's headers (static assets are not served in this pool):
 *   test/e2e/security-headers.test.ts.
 * Runs in about 20 s; no long mode.
 */
import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTH_LIMITS } from '../../workers/auth/limits.js';
import { call, callError } from './bot-api-helpers.js';
import { MAX_SOCKETS_PER_SESSION } from '../../durable-objects/user-mailbox/connections.js';
import { CHAT_LIMITS } from '../../services/account-api/chat-limits.js';
import { ACTION_RULES } from '../../durable-objects/chat-room/context.js';
import { sha256Hex } from '../../workers/auth/tokens.js';
import { mostAllowed, untilRefused } from '../support/token-bucket.js';
import {
  acceptSocket,
  connect,
  api,
  BASE,
  countRows,
  device,
  errorCode,
  login,
  loginRequest,
  PASSWORD,
  randomIp,
  signup,
  ticketFor,
  uniqueUsername,
  upgrade,
  type Account,
} from './helpers.js';

const slow = { timeout: 60_000 };
const FOREIGN = 'https://evil.example';

let alice: Account;
let bob: Account;
beforeAll(async () => {
  [alice, bob] = [await signup(), await signup()];
}, 60_000);

describe('WebSocket upgrade Origin', slow, () => {
  it.each([
    ['a foreign site', FOREIGN],
    ['an opaque origin (sandboxed frame, file:)', 'null'],
    ['this host over http', 'http://api.edgegram.test'],
    ['this host on another port', 'https://api.edgegram.test:8443'],
    ['a listed origin as a prefix of another host', 'http://localhost:8787.evil.example'],
    ['a listed origin with a path', 'http://localhost:8787/'],
    ['a listed origin in other case', 'HTTP://LOCALHOST:8787'],
  ])('refuses %s (%s) with 403 ORIGIN_NOT_ALLOWED, leaving the ticket unspent', async (_, origin) => {
    const ticket = await ticketFor(alice.token);
    const refused = await upgrade(ticket, { origin });
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe('ORIGIN_NOT_ALLOWED');
    const accepted = await upgrade(ticket);
    expect(accepted.status).toBe(101);
    acceptSocket(accepted.webSocket!).ws.close(1000);
  });

  it.each([
    ['no Origin (an SDK or bot, not a browser)', undefined],
    ['its own origin', BASE],
    ['a listed origin', 'http://localhost:8787'],
  ])('accepts %s', async (_, origin) => {
    const res = await upgrade(await ticketFor(alice.token), origin ? { origin } : {});
    expect(res.status).toBe(101);
    acceptSocket(res.webSocket!).ws.close(1000);
  });
});

describe('cross-site requests cannot act (bearer tokens, no cookies)', slow, () => {
  /** What a foreign page can make a browser send without a preflight: a "simple" request. */
  function simplePost(path: string, body: string, contentType: string, headers: Record<string, string> = {}) {
    return SELF.fetch(`${BASE}${path}`, {
      method: 'POST',
      body,
      headers: { origin: FOREIGN, 'content-type': contentType, 'cf-connecting-ip': randomIp(), ...headers },
    });
  }

  function expectUnreadableCrossSite(res: Response) {
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('set-cookie')).toBeNull();
  }

  it('a form-encoded login POST from a foreign page is malformed JSON and signs nobody in', async () => {
    const sessions = await countRows('sessions');
    const form = new URLSearchParams({ username: alice.username, password: PASSWORD, device: 'x' }).toString();
    const res = await simplePost('/v1/auth/login', form, 'application/x-www-form-urlencoded');
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('MALFORMED_JSON');
    expectUnreadableCrossSite(res);
    expect(await countRows('sessions')).toBe(sessions);
  });

  it('a text/plain POST carrying JSON to sendMessage, with a cookie, is 401 and sends nothing', async () => {
    const before = await env.DB.prepare('SELECT count(*) AS n FROM chats').first<{ n: number }>();
    const body = JSON.stringify({ peer: { user_id: bob.user.id }, random_id: 'csrf', text: 'sent by a foreign page' });
    const res = await simplePost('/v1/call/sendMessage', body, 'text/plain', { cookie: `session=${alice.token}; token=${alice.token}` });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('UNAUTHORIZED');
    expectUnreadableCrossSite(res);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM chats').first<{ n: number }>()).toEqual(before);
  });

  it('even a cross-site login with valid JSON sets no cookie and cannot be read by the page', async () => {
    const body = JSON.stringify({ username: alice.username, password: 'not the password', device: device() });
    const res = await simplePost('/v1/auth/login', body, 'text/plain');
    expect(res.status).toBe(401);
    expectUnreadableCrossSite(res);
    // No response anywhere in the API sets a cookie, so a browser holds no ambient credential to ride on.
    const ok = await loginRequest(alice.username, PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toBeNull();
  });

  it.each([
    ['POST', '/v1/call/sendMessage'],
    ['DELETE', `/v1/sessions/${'0'.repeat(32)}`],
    ['POST', '/v1/connect/ticket'],
  ])('a foreign page may not preflight a bearer token to %s %s', async (method, path) => {
    const res = await api(path, {
      method: 'OPTIONS',
      headers: { origin: FOREIGN, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' },
    });
    // Without Access-Control-Allow-Origin the browser fails the preflight and never sends the request.
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('an ended session token is refused everywhere', slow, () => {
  const ends: [string, (owner: Account, ended: Account) => Promise<Response>][] = [
    ['logout', (_, ended) => api('/v1/auth/logout', { method: 'POST', token: ended.token })],
    ['terminating it from another device', (owner, ended) => api(`/v1/sessions/${ended.session.id}`, { method: 'DELETE', token: owner.token })],
    ['terminate-others from another device', (owner) => api('/v1/sessions/terminate-others', { method: 'POST', token: owner.token })],
  ];

  it.each(ends)('after %s: every authenticated route answers 401, and a ticket minted before is dead', async (_, end) => {
    const owner = await signup();
    const ended = await login(owner, { deviceName: 'Soon ended' });
    const ticket = await ticketFor(ended.token);
    expect((await end(owner, ended)).status).toBe(200);

    for (const [method, path] of [
      ['GET', '/v1/auth/me'],
      ['GET', '/v1/sessions'],
      ['POST', '/v1/connect/ticket'],
      ['POST', '/v1/call/getState'],
      ['POST', '/v1/auth/logout'],
      ['POST', '/v1/sessions/terminate-others'],
      ['DELETE', `/v1/sessions/${owner.session.id}`],
    ] as const) {
      const res = await api(path, { method, token: ended.token, ...(method === 'POST' ? { body: {} } : {}) });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(await errorCode(res)).toBe('UNAUTHORIZED');
    }
    const socket = await upgrade(ticket);
    expect(socket.status).toBe(401);
    expect(await errorCode(socket)).toBe('TICKET_INVALID');
    // The ending session's owner is untouched by the reuse attempts.
    expect((await api('/v1/auth/me', { token: owner.token })).status).toBe(200);
  });
});

describe('brute force on login (beyond auth.test.ts)', { timeout: 90_000 }, () => {
  const { limit } = AUTH_LIMITS.loginAttemptsPerAccountSource;

  /** `limit` wrong guesses from one IP, then one more. */
  async function guessUntilLocked(username: string) {
    const ip = randomIp();
    for (let i = 0; i < limit; i++) {
      const res = await loginRequest(username, `guess number ${i}`, { ip });
      expect(res.status, `guess ${i + 1}`).toBe(401);
    }
    return loginRequest(username, `guess number ${limit}`, { ip });
  }

  it(`locks a name for an address after ${limit} failures there, and an unknown name locks the same way`, async () => {
    const known = await guessUntilLocked(bob.username);
    const unknown = await guessUntilLocked(uniqueUsername('nobody'));
    for (const res of [known, unknown]) {
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    type Body = { error: { code: string; message: string; retry_after?: number } };
    // The seconds left may differ by one between the two; nothing else may.
    const shape = ({ error }: Body) => ({ ...error, message: error.message.replace(/\d+/g, 'N'), retry_after: typeof error.retry_after });
    const [a, b] = [(await known.json()) as Body, (await unknown.json()) as Body];
    expect(a.error.code).toBe('RATE_LIMITED');
    // Nothing tells a locked real account from a locked made-up name.
    expect(shape(b)).toEqual(shape(a));
  });
});

describe('credentials are looked up by their SHA-256, never compared in clear', slow, () => {
  it('a stolen token_hash is not a credential', async () => {
    const stored = await env.DB.prepare('SELECT token_hash FROM sessions WHERE id = ?').bind(alice.session.id).first<{ token_hash: string }>();
    expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const res = await api('/v1/auth/me', { token: stored!.token_hash });
    expect(res.status).toBe(401);
  });

  it('a session answers to whatever token hashes to its token_hash', async () => {
    const account = await signup();
    const replacement = `replacement-${crypto.randomUUID()}`;
    await env.DB.prepare('UPDATE sessions SET token_hash = ? WHERE id = ?').bind(await sha256Hex(replacement), account.session.id).run();
    expect((await api('/v1/auth/me', { token: replacement })).status).toBe(200);
    expect((await api('/v1/auth/me', { token: account.token })).status).toBe(401);
  });

  it("a ticket cannot be re-pointed at another account or session: its claims are signed", async () => {
    const ticket = await ticketFor(alice.token);
    const [keyId, body, mac] = ticket.split('.') as [string, string, string];
    const claims = JSON.parse(atob(body.replace(/-/g, '+').replace(/_/g, '/'))) as [string, number, string, number, string];
    const reclaimed = btoa(JSON.stringify([claims[0], claims[1] + 1, ...claims.slice(2)])).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const refused = await upgrade(`${keyId}.${reclaimed}.${mac}`);
    expect(refused.status).toBe(401);
    expect(await errorCode(refused)).toBe('TICKET_INVALID');
    const accepted = await upgrade(ticket);
    expect(accepted.status).toBe(101);
    acceptSocket(accepted.webSocket!).ws.close(1000);
  });
});

describe('security headers', slow, () => {
  function expectHardened(res: Response, what: string) {
    expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp, what).toContain("default-src 'none'");
    expect(csp, what).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options'), what).toBe('DENY');
    expect(res.headers.get('set-cookie'), what).toBeNull();
    expect(res.headers.get('access-control-allow-origin'), what).toBeNull();
  }

  it('are on every kind of /v1 response: success, each error status, preflight, refused upgrade, unknown path', async () => {
    const foreign = { origin: FOREIGN };
    const responses: [string, Promise<Response>][] = [
      ['200 me', api('/v1/auth/me', { token: alice.token, headers: foreign })],
      ['200 call', api('/v1/call/getState', { token: alice.token, body: {}, headers: foreign })],
      ['200 sessions', api('/v1/sessions', { token: alice.token, headers: foreign })],
      ['200 ticket', api('/v1/connect/ticket', { method: 'POST', token: alice.token, headers: foreign })],
      ['200 openapi', api('/v1/openapi.json', { headers: foreign })],
      ['400 malformed', api('/v1/auth/login', { body: '{', headers: foreign })],
      ['400 bad params', api('/v1/call/getHistory', { token: alice.token, body: { chat_id: -1 }, headers: foreign })],
      ['401 no token', api('/v1/call/getState', { body: {}, headers: foreign })],
      ['403 upgrade origin', SELF.fetch(`${BASE}/v1/connect?ticket=x`, { headers: { upgrade: 'websocket', ...foreign } })],
      ['404 unknown method', api('/v1/call/nope', { token: alice.token, body: {}, headers: foreign })],
      ['404 unknown path', api('/v1/nope', { headers: foreign })],
      ['404 missing chat', api('/v1/call/getChat', { token: alice.token, body: { chat_id: 2_000_000_000 }, headers: foreign })],
      ['413 too large', api('/v1/auth/login', { body: 'x'.repeat(70 * 1024), headers: foreign })],
      ['preflight', api('/v1/auth/login', { method: 'OPTIONS', headers: { ...foreign, 'access-control-request-method': 'POST' } })],
    ];
    for (const [what, pending] of responses) expectHardened(await pending, what);
  });

  it('are on the 101 that opens a socket too', async () => {
    const res = await upgrade(await ticketFor(alice.token));
    expect(res.status).toBe(101);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    acceptSocket(res.webSocket!).ws.close(1000);
  });

  it.each(['/bot123:abc/getMe', '/file/abc', '/no/such/page'])('are on Worker responses outside /v1 too (%s)', async (path) => {
    expectHardened(await SELF.fetch(`${BASE}${path}`), path);
  });
});

describe('names that hide or reorder text (issue 14, finding 9)', slow, () => {
  const hostile = ['\u202Eevil', 'a\u0000b', 'zero\u200Bwidth', '\u2066isolated\u2069', '\u3164', '\u2800'];

  it('display names, chat titles and device names with controls, bidi overrides, zero-width or blank text are refused', async () => {
    for (const name of hostile) {
      expect(await callError(alice, 'updateProfile', { display_name: name }), JSON.stringify(name)).toBe('BAD_REQUEST');
      expect(await callError(alice, 'createGroup', { title: name, user_ids: [bob.user.id] }), JSON.stringify(name)).toBe('BAD_REQUEST');
      const res = await api('/v1/auth/signup', {
        body: { username: uniqueUsername(), display_name: name, password: PASSWORD, device: device() },
      });
      expect(res.status, JSON.stringify(name)).toBe(400);
      const login = await api('/v1/auth/login', { body: { username: alice.username, password: PASSWORD, device: { name, platform: 'web' } } });
      expect(login.status, JSON.stringify(name)).toBe(400);
    }
    // Names people really have still pass.
    expect(await call(alice, 'updateProfile', { display_name: 'Zoë 👨‍👩‍👧 محمد' })).toMatchObject({ user: { display_name: 'Zoë 👨‍👩‍👧 محمد' } });
  });
});

describe('nothing sent is silently dropped (issue 14, finding 11)', slow, () => {
  it('an account-API parameter the method does not know is refused with BAD_REQUEST naming it (ttl_period, schedule_date, typos)', async () => {
    const peer = { user_id: bob.user.id };
    for (const [method, params, unknown] of [
      ['sendMessage', { peer, random_id: 'ttl-1', text: 'self-destruct?', ttl_period: 60 }, 'ttl_period'],
      ['sendMessage', { peer, random_id: 'sched-1', text: 'later?', schedule_date: Math.floor(Date.now() / 1000) + 3600 }, 'schedule_date'],
      ['getHistory', { chat_id: 1, limt: 10 }, 'limt'],
      ['getState', { verbose: true }, 'verbose'],
    ] as const) {
      const res = await api(`/v1/call/${method}`, { body: params, token: alice.token });
      expect(res.status, method).toBe(400);
      const body = await res.text();
      expect(JSON.parse(body).error.code, body).toBe('BAD_REQUEST');
      expect(body, method).toContain(unknown);
    }
    // Nothing was sent.
    const difference = await call(bob, 'getDifference', { pts: 0 });
    expect(JSON.stringify(difference)).not.toContain('self-destruct?');
    expect(JSON.stringify(difference)).not.toContain('later?');
  });
});

describe('sockets per session and account (issue 14, finding 8)', slow, () => {
  it(`one session holds at most ${MAX_SOCKETS_PER_SESSION} sockets: the next is refused with 429 and the open ones keep working`, async () => {
    const owner = await signup();
    const sockets = [];
    for (let i = 0; i < MAX_SOCKETS_PER_SESSION; i++) sockets.push(await connect(owner.token));
    const ticket = await ticketFor(owner.token);
    const refused = await upgrade(ticket);
    expect(refused.status).toBe(429);
    expect(await errorCode(refused)).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // The open ones still hear the account's events, and a closed one frees a place (the same ticket works then).
    sockets.pop()!.ws.close(1000);
    await new Promise((r) => setTimeout(r, 50));
    const again = await upgrade(ticket);
    expect(again.status).toBe(101);
    again.webSocket!.accept();
    again.webSocket!.close(1000);
    for (const s of sockets) s.ws.close(1000);
  });
});

describe('putting strangers into chats is limited (issue 14, finding 6)', slow, () => {
  it(`an account makes at most ${CHAT_LIMITS.created.limit} chats an hour and puts at most ${CHAT_LIMITS.added.limit} people into them`, async () => {
    const spammer = await signup();
    const victim = await signup();
    // At the limit of people added this hour: nobody else gets in.
    await env.DB.prepare('INSERT OR REPLACE INTO rate_limits (key, window_start, count) VALUES (?, ?, ?)')
      .bind(`chats:add:${spammer.user.id}`, Date.now(), CHAT_LIMITS.added.limit)
      .run();
    expect(await callError(spammer, 'createGroup', { title: 'Spam', user_ids: [victim.user.id] })).toBe('RATE_LIMITED');
    expect(await callError(spammer, 'addChatMember', { chat_id: 1, user_id: victim.user.id })).toBe('RATE_LIMITED');
    const { dialogs } = await call(victim, 'getDialogs', {});
    expect(dialogs).toEqual([]);
    // Creation has its own limit: an empty group still counts.
    await env.DB.prepare('INSERT OR REPLACE INTO rate_limits (key, window_start, count) VALUES (?, ?, ?)')
      .bind(`chats:create:${spammer.user.id}`, Date.now(), CHAT_LIMITS.created.limit)
      .run();
    expect(await callError(spammer, 'createChannel', { title: 'More spam', user_ids: [] })).toBe('RATE_LIMITED');
    // Another account is untouched.
    expect(await call(victim, 'createGroup', { title: 'Mine', user_ids: [] })).toMatchObject({ chat: { kind: 'group' } });
  });

  it('a channel made with hundreds of user_ids is refused whole: nobody is added', async () => {
    const spammer = await signup();
    const people = [];
    for (let i = 0; i < 3; i++) people.push(await signup());
    await env.DB.prepare('INSERT OR REPLACE INTO rate_limits (key, window_start, count) VALUES (?, ?, ?)')
      .bind(`chats:add:${spammer.user.id}`, Date.now(), CHAT_LIMITS.added.limit - 2)
      .run();
    expect(await callError(spammer, 'createChannel', { title: 'Too many', user_ids: people.map((p) => p.user.id) })).toBe('RATE_LIMITED');
    for (const person of people) expect((await call(person, 'getDialogs', {})).dialogs).toEqual([]);
  });
});

describe('edits, reactions and pins are throttled per member (issue 14, finding 7)', slow, () => {
  it(`${ACTION_RULES.edit.burst} edits in a row go out, the next is RATE_LIMITED and reaches nobody`, async () => {
    const [author, reader] = [await signup(), await signup()];
    const { chat } = await call(author, 'createGroup', { title: 'Edits', user_ids: [reader.user.id] });
    const { message } = await call(author, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'e0', text: 'v0' });
    // The burst goes out at once (plus what refilled while the calls ran: see token-bucket.ts), then RATE_LIMITED.
    let version = 0;
    const edits = await untilRefused(async () => {
      const res = await api('/v1/call/editMessage', { body: { chat_id: chat.id, id: message.id, text: `v${version + 1}` }, token: author.token });
      if (res.status === 200) version += 1;
      else expect(await errorCode(res)).toBe('RATE_LIMITED');
      return res.status === 200;
    }, ACTION_RULES.edit.burst * 3);
    expect(edits.refused).toBe(true);
    expect(edits.passed).toBeGreaterThanOrEqual(ACTION_RULES.edit.burst);
    expect(edits.passed).toBeLessThanOrEqual(mostAllowed(ACTION_RULES.edit, edits.elapsedMs));
    // The refused edit reached nobody.
    const { messages } = await call(reader, 'getMessages', { chat_id: chat.id, ids: [message.id] });
    expect(messages[0]?.text).toBe(`v${version}`);
    // Pins have their own bucket, so messages still go out.
    let pins = 0;
    const pinned = await untilRefused(async () => {
      const method = pins % 2 === 0 ? 'pinMessage' : 'unpinMessage';
      const res = await api(`/v1/call/${method}`, { body: { chat_id: chat.id, ...(method === 'pinMessage' ? { message_id: message.id } : {}) }, token: author.token });
      if (res.status === 200) pins += 1;
      else expect(res.status).toBe(429);
      return res.status === 200;
    }, ACTION_RULES.pin.burst * 3);
    expect(pinned.refused).toBe(true);
    expect(pinned.passed).toBeGreaterThanOrEqual(ACTION_RULES.pin.burst);
    expect(pinned.passed).toBeLessThanOrEqual(mostAllowed(ACTION_RULES.pin, pinned.elapsedMs));
    expect((await call(author, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'e1', text: 'still here' })).message.text).toBe('still here');
  });
});

