import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionList } from '../../protocol/http/sessions.js';
import { PING_FRAME, PONG_FRAME } from '../../protocol/ws.js';
import { call, openSocket, rawUpgrade, signupOrLogin, type Socket } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  if (!server) return;
  await server.stop();
  // No wrangler or workerd of this server may outlive the suite.
  expect(server.alive()).toBe(false);
});

const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const PASSWORD = 'e2e password 123';

async function expectPong(socket: Socket) {
  socket.send(PING_FRAME);
  expect(await socket.next()).toEqual(JSON.parse(PONG_FRAME));
}

describe('the local server, over HTTP and real WebSockets', () => {
  it('signs up, connects several devices, lists and terminates sessions', async () => {
    const alice = { username: unique('alice'), password: PASSWORD, deviceName: 'Alice laptop' };
    const aliceLaptop = await signupOrLogin(server.baseUrl, 'signup', alice);
    const bob = await signupOrLogin(server.baseUrl, 'signup', { username: unique('bob'), password: PASSWORD, deviceName: 'Bob laptop' });
    const alicePhone = await signupOrLogin(server.baseUrl, 'login', { ...alice, deviceName: 'Alice phone' });
    expect(alicePhone.user.id).toBe(aliceLaptop.user.id);
    expect(bob.user.id).not.toBe(aliceLaptop.user.id);

    const laptopSocket = await openSocket(server.baseUrl, server.wsUrl, aliceLaptop.session.token);
    const phoneSocket = await openSocket(server.baseUrl, server.wsUrl, alicePhone.session.token);
    const bobSocket = await openSocket(server.baseUrl, server.wsUrl, bob.session.token);
    expect(await laptopSocket.next()).toMatchObject({ t: 'hello', user_id: aliceLaptop.user.id, session_id: aliceLaptop.session.id });
    expect(await phoneSocket.next()).toMatchObject({ t: 'hello', user_id: aliceLaptop.user.id, session_id: alicePhone.session.id });
    expect(await bobSocket.next()).toMatchObject({ t: 'hello', user_id: bob.user.id });
    await expectPong(phoneSocket);

    const list = await call(server.baseUrl, '/v1/sessions', { token: aliceLaptop.session.token });
    expect(list.status).toBe(200);
    const sessions = (list.body as SessionList).sessions;
    expect(sessions.map((s) => [s.device.name, s.current]).sort()).toEqual([
      ['Alice laptop', true],
      ['Alice phone', false],
    ]);

    const ended = await call(server.baseUrl, `/v1/sessions/${alicePhone.session.id}`, {
      method: 'DELETE',
      token: aliceLaptop.session.token,
    });
    expect(ended.status).toBe(200);
    expect((await phoneSocket.closed).code).toBe(4001);
    expect((await call(server.baseUrl, '/v1/auth/me', { token: alicePhone.session.token })).status).toBe(401);

    expect(laptopSocket.ws.readyState).toBe(WebSocket.OPEN);
    await expectPong(laptopSocket);
    await expectPong(bobSocket);
    laptopSocket.send({ t: 'call', id: 's1', method: 'getState', params: {} });
    expect(await laptopSocket.next()).toMatchObject({ t: 'result', id: 's1', result: { pts: 0 } });
    for (const s of [laptopSocket, bobSocket]) s.ws.close(1000);
  });

  it('serves the web client at / and the API description at /v1/openapi.json', async () => {
    const page = await fetch(`${server.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<title>Edgegram</title>');
    const doc = await call(server.baseUrl, '/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toContain('/v1/auth/signup');
  });

  it('refuses a WebSocket upgrade from a foreign Origin', async () => {
    const account = await signupOrLogin(server.baseUrl, 'signup', { username: unique('carol'), password: PASSWORD, deviceName: 'Carol' });
    const ticket = await call(server.baseUrl, '/v1/connect/ticket', { method: 'POST', token: account.session.token });
    const refused = await rawUpgrade(server.baseUrl, ticket.body.url, { origin: 'https://evil.example' });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'ORIGIN_NOT_ALLOWED' } });
    // The same ticket still works from an allowed origin.
    const allowed = await rawUpgrade(server.baseUrl, ticket.body.url, { origin: 'http://localhost:8787' });
    expect(allowed.status).toBe(101);
  });

  it('measures login (scrypt) against an authenticated /me', async () => {
    const account = { username: unique('timer'), password: PASSWORD, deviceName: 'Timer' };
    const { session } = await signupOrLogin(server.baseUrl, 'signup', account);
    const time = async (fn: () => Promise<unknown>, runs: number) => {
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        await fn();
        ms.push(performance.now() - start);
      }
      return ms.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
    };
    const login = await time(() => signupOrLogin(server.baseUrl, 'login', account), 5);
    const me = await time(() => call(server.baseUrl, '/v1/auth/me', { token: session.token }), 20);
    console.log(`median latency: login ${login.toFixed(0)} ms, /me ${me.toFixed(1)} ms`);
    expect(me).toBeLessThan(login);
  });
});

describe('persistence', () => {
  it('keeps accounts and sessions across a restart on the same state directory', async () => {
    const account = { username: unique('persist'), password: PASSWORD, deviceName: 'Before restart' };
    const before = await signupOrLogin(server.baseUrl, 'signup', account);
    await server.restart();
    const after = await signupOrLogin(server.baseUrl, 'login', { ...account, deviceName: 'After restart' });
    expect(after.user).toEqual(before.user);
    expect((await call(server.baseUrl, '/v1/auth/me', { token: before.session.token })).status).toBe(200);
    const taken = await call(server.baseUrl, '/v1/auth/signup', {
      body: { username: account.username, display_name: 'x', password: PASSWORD, device: { name: 'x', platform: 'node' } },
    });
    expect(taken.status).toBe(409);
  });

  it('survives a crash (SIGKILL of the whole tree) without losing state', async () => {
    const account = { username: unique('crash'), password: PASSWORD, deviceName: 'Before crash' };
    await signupOrLogin(server.baseUrl, 'signup', account);
    await server.kill('SIGKILL');
    expect(server.alive()).toBe(false);
    await server.restart();
    await expect(signupOrLogin(server.baseUrl, 'login', account)).resolves.toMatchObject({ user: { username: account.username } });
  });

  it("refuses a bot's webhook on this machine by default (no EDGEGRAM_DEV_LOCAL_WEBHOOKS): npm start is no request forger", async () => {
    const owner = await signupOrLogin(server.baseUrl, 'signup', { username: unique('hookowner'), password: PASSWORD, deviceName: 'Laptop' });
    const created = await call(server.baseUrl, '/v1/call/createBot', {
      token: owner.session.token,
      body: { username: `${unique('hook')}_bot`, display_name: 'Hook bot' },
    });
    expect(created.status).toBe(200);
    const token = created.body.token as string;
    for (const url of ['http://127.0.0.1:9/hook', 'https://127.1/hook', 'https://[::1]/hook', 'https://localhost/hook', 'https://169.254.169.254/latest']) {
      const res = await fetch(`${server.baseUrl}/bot${token}/setWebhook?url=${encodeURIComponent(url)}`);
      const body = (await res.json()) as { ok: boolean; error_code?: number; description?: string };
      expect(body, url).toMatchObject({ ok: false, error_code: 400 });
      expect(body.description, url).toMatch(/^Bad Request: bad webhook: /);
    }
  });

  it('believes no client-sent CF-Connecting-IP under npm start (issue 14, finding 12): nothing stands in front of it to set one', async () => {
    const res = await fetch(`${server.baseUrl}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.77' },
      body: JSON.stringify({ username: unique('spoof'), display_name: 'Spoof', password: PASSWORD, device: { name: 'Spoofer', platform: 'node' } }),
    });
    expect(res.status).toBe(201);
    const { session } = (await res.json()) as { session: { token: string } };
    const sessions = await call(server.baseUrl, '/v1/sessions', { token: session.token });
    expect(JSON.stringify(sessions.body)).not.toContain('203.0.113.77');
  });
});

