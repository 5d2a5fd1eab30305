import { describe, expect, it } from 'vitest';
import { EdgegramClient, EdgegramError, type FetchLike } from '../../../client/index.js';

const USER = { id: 7, username: 'erin_h', display_name: 'Erin', is_bot: false };
const SESSION = { id: 'a'.repeat(32), token: 'session-token', expires_at: 1 };
const TOKEN = 'T'.repeat(43);

/** A server whose QR token is approved on the third poll, then gone. */
function qrServer() {
  let polls = 0;
  const fetch: FetchLike = async (url) => {
    const answer = (status: number, value: unknown) => ({ status, text: async () => JSON.stringify(value) });
    if (url.endsWith('/v1/auth/qr-login')) return answer(201, { token: TOKEN, url: `edgegram://login?token=${TOKEN}`, expires_at: 60_000 });
    polls += 1;
    if (polls < 3) return answer(200, { status: 'waiting', expires_at: 60_000 });
    if (polls === 3) return answer(200, { status: 'approved', auth: { user: USER, session: SESSION } });
    return answer(401, { error: { code: 'LOGIN_TOKEN_INVALID', message: 'used' } });
  };
  return fetch;
}

describe('SDK: QR login', () => {
  it('polls until approved, then is signed in; the token is then used up', async () => {
    const client = new EdgegramClient({ baseUrl: 'https://edgegram.test', device: { name: 'test', platform: 'node' }, fetch: qrServer() });
    const { token } = await client.startQrLogin();
    expect((await client.pollQrLogin(token)).status).toBe('waiting');
    expect(client.token).toBeUndefined();
    expect((await client.pollQrLogin(token)).status).toBe('waiting');
    expect((await client.pollQrLogin(token)).status).toBe('approved');
    expect(client.token).toBe('session-token');
    expect(client.user).toEqual(USER);
    const error = await client.pollQrLogin(token).catch((e: unknown) => e);
    expect(error instanceof EdgegramError && error.code).toBe('LOGIN_TOKEN_INVALID');
  });
});
