import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EdgegramClient } from '../../../client/index.js';
import { EdgegramError } from '../../../protocol/errors.js';
import type { QrLoginPollResult, QrLoginResult } from '../../../protocol/http/qr-login.js';
import { QR_POLL_INTERVAL_MS, QrLogin } from '../../../web/src/model/qr-login.js';

const AUTH = { user: { id: 7, username: 'erin_h', display_name: 'Erin', is_bot: false }, session: { id: 's', token: 't', expires_at: 1 } };

/** A client whose codes live 60 s and whose polls answer from `answers` (then `waiting`). */
function fakeClient(answers: (QrLoginPollResult | EdgegramError)[]) {
  const started: (string | undefined)[] = [];
  const polled: string[] = [];
  let n = 0;
  const client = {
    async startQrLogin(replaces?: string): Promise<QrLoginResult> {
      started.push(replaces);
      n += 1;
      const token = `token-${n}`.padEnd(43, 'x');
      return { token, url: `edgegram://login?token=${token}`, expires_at: Date.now() + 60_000 };
    },
    async pollQrLogin(token: string): Promise<QrLoginPollResult> {
      polled.push(token);
      const answer = answers.shift() ?? { status: 'waiting', expires_at: 0 };
      if (answer instanceof EdgegramError) throw answer;
      return answer;
    },
  };
  return { client: client as unknown as EdgegramClient, started, polled };
}

describe('web: the QR login waiting screen', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows a code, polls it, and signs in when approved', async () => {
    const { client, polled } = fakeClient([{ status: 'waiting', expires_at: 0 }, { status: 'approved', auth: AUTH }]);
    const signedIn = vi.fn();
    const login = new QrLogin(client, signedIn);
    login.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(login.state.value.kind).toBe('showing');
    await vi.advanceTimersByTimeAsync(QR_POLL_INTERVAL_MS);
    expect(signedIn).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(QR_POLL_INTERVAL_MS);
    expect(signedIn).toHaveBeenCalledWith(client, AUTH);
    await vi.advanceTimersByTimeAsync(10 * QR_POLL_INTERVAL_MS);
    expect(polled).toHaveLength(2); // stopped once signed in
  });

  it('replaces the code before it expires, and after an expired answer', async () => {
    const { client, started } = fakeClient([]);
    const login = new QrLogin(client, vi.fn());
    login.start();
    await vi.advanceTimersByTimeAsync(58_000);
    expect(started).toEqual([undefined, 'token-1'.padEnd(43, 'x')]);
    login.stop();

    const expired = fakeClient([new EdgegramError('LOGIN_TOKEN_EXPIRED', 'expired')]);
    const again = new QrLogin(expired.client, vi.fn());
    again.start();
    await vi.advanceTimersByTimeAsync(QR_POLL_INTERVAL_MS);
    expect(expired.started).toEqual([undefined, undefined]);
    const state = again.state.value;
    expect(state.kind === 'showing' && state.code.token.startsWith('token-2')).toBe(true);
    again.stop();
  });

  it('stops polling when the screen is left', async () => {
    const { client, polled } = fakeClient([]);
    const login = new QrLogin(client, vi.fn());
    login.start();
    await vi.advanceTimersByTimeAsync(QR_POLL_INTERVAL_MS);
    login.stop();
    await vi.advanceTimersByTimeAsync(10 * QR_POLL_INTERVAL_MS);
    expect(polled).toHaveLength(1);
  });
});
