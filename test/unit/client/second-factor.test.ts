import { describe, expect, it } from 'vitest';
import { EdgegramClient, EdgegramError, loginTokenOf, type FetchLike } from '../../../client/index.js';

const USER = { id: 7, username: 'erin_h', display_name: 'Erin', is_bot: false };
const SESSION = { id: 'a'.repeat(32), token: 'session-token', expires_at: 1 };

/** A server that wants a second factor: the password step answers SECOND_FACTOR_REQUIRED, the code step a session. */
function twoStepServer() {
  const requests: { url: string; body: unknown }[] = [];
  const fetch: FetchLike = async (url, init) => {
    const body = JSON.parse(String(init.body ?? '{}')) as Record<string, unknown>;
    requests.push({ url, body });
    const answer = (status: number, value: unknown) => ({ status, text: async () => JSON.stringify(value) });
    if (url.endsWith('/v1/auth/login')) {
      return answer(401, { error: { code: 'SECOND_FACTOR_REQUIRED', message: 'Enter the code', login_token: 'lt-1' } });
    }
    if (url.endsWith('/v1/auth/login/second-factor') && body.login_token === 'lt-1' && body.code === '123456') {
      return answer(200, { user: USER, session: SESSION });
    }
    return answer(401, { error: { code: 'INVALID_CREDENTIALS', message: 'The code is wrong' } });
  };
  return { fetch, requests };
}

describe('SDK: logging in with two-step verification', () => {
  it('login rejects with SECOND_FACTOR_REQUIRED carrying the login token; loginSecondFactor signs in', async () => {
    const server = twoStepServer();
    const client = new EdgegramClient({ baseUrl: 'https://edgegram.test', device: { name: 'test', platform: 'node' }, fetch: server.fetch });
    const error = await client.login({ username: 'erin_h', password: 'pw-12345678' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EdgegramError);
    expect(loginTokenOf(error)).toBe('lt-1');
    expect(client.token).toBeUndefined();

    const result = await client.loginSecondFactor({ login_token: 'lt-1', code: '123456' });
    expect(result.user).toEqual(USER);
    expect(client.token).toBe('session-token');
    expect(client.user).toEqual(USER);
    expect(server.requests[1]).toMatchObject({
      url: 'https://edgegram.test/v1/auth/login/second-factor',
      body: { login_token: 'lt-1', code: '123456', device: { name: 'test', platform: 'node' } },
    });
  });

  it('loginTokenOf is undefined for any other error', () => {
    expect(loginTokenOf(new EdgegramError('INVALID_CREDENTIALS', 'x'))).toBeUndefined();
    expect(loginTokenOf(new Error('x'))).toBeUndefined();
  });
});
