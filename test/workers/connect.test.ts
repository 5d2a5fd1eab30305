import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ConnectTicket } from '../../protocol/http/connect.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import { PING_FRAME, PONG_FRAME } from '../../protocol/ws.js';
import { newNonce, readTicket, signTicket } from '../../workers/auth/connect-tickets.js';
import { TICKET_LIFETIME_MS } from '../../workers/routes/connect.js';
import { acceptSocket, api, connect, errorCode, login, signup, ticketFor, upgrade, type TestSocket } from './helpers.js';

/** The current connect-ticket key, as the Worker keeps it in D1. */
async function ticketKey() {
  const row = await env.DB.prepare("SELECT id, secret FROM server_secrets WHERE purpose = 'connect_ticket' ORDER BY created_at DESC LIMIT 1").first<{ id: string; secret: string }>();
  return row!;
}

async function ticketClaims(ticket: string) {
  const key = await ticketKey();
  return readTicket(ticket, async (id) => (id === key.id ? key.secret : undefined), Date.now());
}

const slow = { timeout: 60_000 };

/** Sends the exact ping text and waits for the pong (answered without waking the DO). */
async function expectPong(socket: TestSocket) {
  socket.ws.send(PING_FRAME);
  expect(await socket.next()).toEqual(JSON.parse(PONG_FRAME));
}

describe('connect tickets', slow, () => {
  it('mints a short-lived single-use ticket for a signed-in session', async () => {
    const account = await signup();
    const before = Date.now();
    const res = await api('/v1/connect/ticket', { method: 'POST', token: account.token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ConnectTicket;
    expect(body.ticket.length).toBeGreaterThanOrEqual(43);
    expect(body.url).toBe(`/v1/connect?ticket=${body.ticket}`);
    expect(body.expires_at).toBeGreaterThanOrEqual(before + TICKET_LIFETIME_MS);
    expect(body.expires_at).toBeLessThanOrEqual(Date.now() + TICKET_LIFETIME_MS);
    // Signed, not stored: the ticket names the session (connect_tickets is gone since migration 0004).
    expect(await ticketClaims(body.ticket)).toMatchObject({ sessionId: account.session.id, userId: account.user.id, expiresAt: body.expires_at });
  });

  it('refuses a ticket without a session', async () => {
    const res = await api('/v1/connect/ticket', { method: 'POST' });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('UNAUTHORIZED');
  });
});

describe('WebSocket upgrade', slow, () => {
  it('upgrades with a ticket and greets with a hello naming user, session and device', async () => {
    const account = await signup();
    const res = await upgrade(await ticketFor(account.token));
    expect(res.status).toBe(101);
    expect(res.webSocket).toBeTruthy();
    const socket = acceptSocket(res.webSocket!);
    const device = await env.DB.prepare('SELECT device_id FROM sessions WHERE id = ?').bind(account.session.id).first<{ device_id: string }>();
    expect(await socket.next()).toEqual({
      t: 'hello',
      protocol_version: PROTOCOL_VERSION,
      user_id: account.user.id,
      session_id: account.session.id,
      device_id: device?.device_id,
    });
    await expectPong(socket);
    socket.ws.close(1000, 'done');
  });

  it('refuses a ticket used a second time with TICKET_INVALID', async () => {
    const account = await signup();
    const ticket = await ticketFor(account.token);
    const first = await upgrade(ticket);
    expect(first.status).toBe(101);
    acceptSocket(first.webSocket!).ws.close(1000);
    const second = await upgrade(ticket);
    expect(second.status).toBe(401);
    expect(await errorCode(second)).toBe('TICKET_INVALID');
  });

  it('refuses an expired, a forged, an altered and an unknown ticket with TICKET_INVALID', async () => {
    const account = await signup();
    const genuine = await ticketFor(account.token);
    const claims = (await ticketClaims(genuine))!;
    const key = await ticketKey();
    const [keyId, body, mac] = genuine.split('.') as [string, string, string];
    const other = await signup();
    const altered = await signTicket(key, { ...claims, userId: other.user.id });
    const refused = [
      await signTicket(key, { ...claims, nonce: newNonce(), expiresAt: Date.now() - 1_000 }),
      await signTicket({ id: key.id, secret: 'ab'.repeat(32) }, { ...claims, nonce: newNonce() }),
      `${keyId}.${altered.split('.')[1]}.${mac}`,
      `${keyId}.${body}.${mac.slice(0, -2)}AA`,
      `ffffffff.${body}.${mac}`,
      'never-issued-' + crypto.randomUUID(),
    ];
    for (const ticket of refused) {
      const res = await upgrade(ticket);
      expect(res.status, ticket).toBe(401);
      expect(await errorCode(res)).toBe('TICKET_INVALID');
    }
    // None of them spent the genuine ticket.
    const res = await upgrade(genuine);
    expect(res.status).toBe(101);
    acceptSocket(res.webSocket!).ws.close(1000);
  });

  it("refuses a ticket whose session has ended", async () => {
    const account = await signup();
    const ticket = await ticketFor(account.token);
    await api('/v1/auth/logout', { method: 'POST', token: account.token });
    const res = await upgrade(ticket);
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('TICKET_INVALID');
  });

  it('refuses a foreign Origin with ORIGIN_NOT_ALLOWED without spending the ticket', async () => {
    const account = await signup();
    const ticket = await ticketFor(account.token);
    const res = await upgrade(ticket, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('ORIGIN_NOT_ALLOWED');
    const allowed = await upgrade(ticket, { origin: 'http://localhost:8787' });
    expect(allowed.status).toBe(101);
    acceptSocket(allowed.webSocket!).ws.close(1000);
  });

  it('refuses a plain GET without an upgrade and a missing ticket with BAD_REQUEST', async () => {
    const plain = await api('/v1/connect?ticket=abc');
    expect(plain.status).toBe(400);
    expect(await errorCode(plain)).toBe('BAD_REQUEST');
    const missing = await upgrade('');
    expect(missing.status).toBe(400);
    expect(await errorCode(missing)).toBe('BAD_REQUEST');
  });
});

describe('the socket', slow, () => {
  it('closes with 4001 when its session is terminated, while another device stays connected', async () => {
    const account = await signup();
    const phone = await login(account);
    const laptopSocket = await connect(account.token);
    const phoneSocket = await connect(phone.token);

    const res = await api(`/v1/sessions/${phone.session.id}`, { method: 'DELETE', token: account.token });
    expect(res.status).toBe(200);
    const closed = await phoneSocket.closed;
    expect(closed.code).toBe(4001);

    expect(laptopSocket.ws.readyState).toBe(WebSocket.OPEN);
    await expectPong(laptopSocket);
    laptopSocket.ws.close(1000);
  });

  it('closes on logout with 4001', async () => {
    const account = await signup();
    const socket = await connect(account.token);
    await api('/v1/auth/logout', { method: 'POST', token: account.token });
    expect((await socket.closed).code).toBe(4001);
  });

  it('closes with 4001 once its session has expired, at its next frame', async () => {
    const account = await signup();
    const other = await connect(account.token);
    // This session expires in a moment; the other socket's session never does.
    const short = await login(account);
    await env.DB.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').bind(Date.now() + 1_500, short.session.id).run();
    const socket = await connect(short.token);
    socket.send({ t: 'call', id: 'c1', method: 'getState', params: {} });
    expect(await socket.next()).toMatchObject({ t: 'result', id: 'c1' });
    await new Promise((r) => setTimeout(r, 1_600));
    socket.send({ t: 'call', id: 'c2', method: 'getState', params: {} });
    expect(await socket.closed).toMatchObject({ code: 4001, reason: 'session expired' });
    other.send({ t: 'call', id: 'c3', method: 'getState', params: {} });
    expect(await other.next()).toMatchObject({ t: 'result', id: 'c3' });
    other.ws.close(1000);
  });

  it('answers a malformed frame with an error frame and stays open', async () => {
    const account = await signup();
    const socket = await connect(account.token);
    socket.send('{not json');
    expect(await socket.next()).toMatchObject({ t: 'error', id: null, error: { code: 'MALFORMED_JSON' } });
    for (const frame of [{ t: 'nope' }, { t: 'call', method: 'getState' }, [], 42, { t: 'call', id: 5, method: 'x' }, null]) {
      socket.send(frame);
      expect(await socket.next(), JSON.stringify(frame)).toMatchObject({ t: 'error', id: null, error: { code: 'BAD_REQUEST' } });
    }
    socket.send(`{"t":"call","id":"big","method":"getState","params":{"pad":"${'x'.repeat(300 * 1024)}"}}`);
    expect(await socket.next()).toMatchObject({ t: 'error', id: null, error: { code: 'BAD_REQUEST' } });
    socket.send(new Uint8Array([1, 2, 3]));
    expect(await socket.next()).toMatchObject({ t: 'error', id: null, error: { code: 'BAD_REQUEST' } });
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    await expectPong(socket);
    socket.ws.close(1000);
  });

  it('echoes the call id in errors once a frame is parsed far enough to know it', async () => {
    const account = await signup();
    const socket = await connect(account.token);
    socket.send({ t: 'call', id: 'c1', method: 'noSuchMethod', params: {} });
    expect(await socket.next()).toMatchObject({ t: 'error', id: 'c1', error: { code: 'UNKNOWN_METHOD' } });
    socket.send({ t: 'call', id: 'c2', method: 'getDifference', params: { pts: -1 } });
    expect(await socket.next()).toMatchObject({ t: 'error', id: 'c2', error: { code: 'BAD_REQUEST' } });
    socket.ws.close(1000);
  });

  it('answers getState for a fresh account with pts 0', async () => {
    const account = await signup();
    const socket = await connect(account.token);
    socket.send({ t: 'call', id: 'state-1', method: 'getState', params: {} });
    expect(await socket.next()).toEqual({ t: 'result', id: 'state-1', result: { pts: 0, date: expect.any(Number) } });
    socket.ws.close(1000);
  });
});
