import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { SessionList } from '../../protocol/http/sessions.js';
import { api, errorCode, login, signup } from './helpers.js';

const slow = { timeout: 60_000 };

async function listSessions(token: string): Promise<SessionList['sessions']> {
  const res = await api('/v1/sessions', { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as SessionList).sessions;
}

describe('active sessions', slow, () => {
  it('lists every device with its name, platform, times, IP and which one is current', async () => {
    const before = Date.now();
    const account = await signup({ ip: '203.0.113.7', deviceName: 'Work laptop' });
    const phone = await login(account, { ip: '198.51.100.23', deviceName: 'Pixel 9' });

    const sessions = await listSessions(phone.token);
    expect(sessions).toHaveLength(2);
    const [current, other] = sessions;
    expect(current).toMatchObject({
      id: phone.session.id,
      current: true,
      device: { name: 'Pixel 9', platform: 'android', ip: '198.51.100.23' },
    });
    expect(other).toMatchObject({
      id: account.session.id,
      current: false,
      device: { name: 'Work laptop', platform: 'web', app_version: '0.1.0', ip: '203.0.113.7' },
    });
    for (const s of sessions) {
      expect(s.created_at).toBeGreaterThanOrEqual(before);
      expect(s.last_active_at).toBeGreaterThanOrEqual(s.created_at);
      expect(s.device.id).toMatch(/^[0-9a-f]{32}$/);
    }
    // The list never carries credentials.
    expect(JSON.stringify(sessions)).not.toContain(account.token);
    expect(JSON.stringify(sessions)).not.toContain(phone.token);
  });

  it("shows only the caller's own sessions", async () => {
    const alice = await signup();
    const bob = await signup();
    const ids = (await listSessions(alice.token)).map((s) => s.id);
    expect(ids).toEqual([alice.session.id]);
    expect(ids).not.toContain(bob.session.id);
  });

  it('terminating a session makes its token stop working and removes its device', async () => {
    const account = await signup();
    const phone = await login(account);
    const res = await api(`/v1/sessions/${phone.session.id}`, { method: 'DELETE', token: account.token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });

    const me = await api('/v1/auth/me', { token: phone.token });
    expect(me.status).toBe(401);
    expect(await errorCode(me)).toBe('UNAUTHORIZED');
    expect((await api('/v1/auth/me', { token: account.token })).status).toBe(200);
    expect((await listSessions(account.token)).map((s) => s.id)).toEqual([account.session.id]);
    const devices = await env.DB.prepare('SELECT count(*) AS n FROM devices WHERE account_id = ?').bind(account.user.id).first<{ n: number }>();
    expect(devices?.n).toBe(1);
  });

  it("answers terminating another account's session with NOT_FOUND and leaves it alive", async () => {
    const alice = await signup();
    const bob = await signup();
    const res = await api(`/v1/sessions/${bob.session.id}`, { method: 'DELETE', token: alice.token });
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('NOT_FOUND');
    expect((await api('/v1/auth/me', { token: bob.token })).status).toBe(200);
  });

  it('answers an unknown session id with NOT_FOUND and a malformed one with BAD_REQUEST', async () => {
    const account = await signup();
    const unknown = await api(`/v1/sessions/${'0'.repeat(32)}`, { method: 'DELETE', token: account.token });
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe('NOT_FOUND');
    const malformed = await api('/v1/sessions/not-a-session', { method: 'DELETE', token: account.token });
    expect(malformed.status).toBe(400);
    expect(await errorCode(malformed)).toBe('BAD_REQUEST');
  });

  it('terminate-others keeps only the current session', async () => {
    const account = await signup();
    const phone = await login(account);
    const tablet = await login(account, { deviceName: 'Tablet' });
    const res = await api('/v1/sessions/terminate-others', { method: 'POST', token: phone.token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ terminated: 2 });

    expect((await listSessions(phone.token)).map((s) => s.id)).toEqual([phone.session.id]);
    for (const ended of [account, tablet]) {
      expect((await api('/v1/auth/me', { token: ended.token })).status).toBe(401);
    }
    const again = await api('/v1/sessions/terminate-others', { method: 'POST', token: phone.token });
    expect(await again.json()).toEqual({ terminated: 0 });
  });

  it('requires a session for every sessions endpoint', async () => {
    for (const [method, path] of [
      ['GET', '/v1/sessions'],
      ['POST', '/v1/sessions/terminate-others'],
      ['DELETE', `/v1/sessions/${'0'.repeat(32)}`],
    ] as const) {
      const res = await api(path, { method });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(await errorCode(res)).toBe('UNAUTHORIZED');
    }
  });
});
