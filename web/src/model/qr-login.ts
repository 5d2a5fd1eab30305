import { signal } from '@preact/signals';
import type { EdgegramClient } from '../../../client/index.js';
import { EdgegramError, ErrorCode } from '../../../protocol/errors.js';
import type { AuthResult } from '../../../protocol/http/auth.js';
import type { QrLoginResult } from '../../../protocol/http/qr-login.js';

/** How often the waiting screen asks whether its code was approved. */
export const QR_POLL_INTERVAL_MS = 1_500;
/** A code is replaced this long before it expires, so the one shown can always still be used. */
const REFRESH_BEFORE_MS = 5_000;

export type QrLoginState =
  | { kind: 'starting' }
  | { kind: 'showing'; code: QrLoginResult }
  | { kind: 'failed'; error: unknown };

/**
 * The signed-out side of QR login: a code from the server, shown until a
 * signed-in device approves it, replaced with a fresh one before it
 * expires. Polls every 1.5 s; `onSignedIn` gets the client once approved.
 */
export class QrLogin {
  readonly state = signal<QrLoginState>({ kind: 'starting' });
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(
    private readonly client: EdgegramClient,
    private readonly onSignedIn: (client: EdgegramClient, auth: AuthResult) => void,
  ) {}

  start(): void {
    void this.#refresh();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async #refresh(replaces?: string): Promise<void> {
    try {
      const code = await this.client.startQrLogin(replaces);
      if (this.#stopped) return;
      this.state.value = { kind: 'showing', code };
      this.#schedule();
    } catch (error) {
      this.state.value = { kind: 'failed', error };
    }
  }

  #schedule(): void {
    this.#timer = setTimeout(() => void this.#poll(), QR_POLL_INTERVAL_MS);
  }

  async #poll(): Promise<void> {
    const current = this.state.peek();
    if (this.#stopped || current.kind !== 'showing') return;
    const { token, expires_at } = current.code;
    try {
      const result = await this.client.pollQrLogin(token);
      if (this.#stopped) return;
      if (result.status === 'approved') {
        this.stop();
        this.onSignedIn(this.client, result.auth);
        return;
      }
      if (expires_at - Date.now() < REFRESH_BEFORE_MS) return void this.#refresh(token);
      this.#schedule();
    } catch (error) {
      if (this.#stopped) return;
      if (error instanceof EdgegramError && (error.code === ErrorCode.LOGIN_TOKEN_EXPIRED || error.code === ErrorCode.LOGIN_TOKEN_INVALID)) {
        return void this.#refresh();
      }
      // A network blip: keep showing the code and try again.
      this.#schedule();
    }
  }
}
