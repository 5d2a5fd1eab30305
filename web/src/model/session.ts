import { signal } from '@preact/signals';
import { EdgegramClient, loginTokenOf } from '../../../client/index.js';
import type { AuthResult } from '../../../protocol/http/auth.js';
import { PasskeyAuthenticationResponse } from '../../../protocol/http/passkeys.js';
import { deviceInfo } from '../lib/device.js';
import { Messenger } from './messenger.js';
import { QrLogin } from './qr-login.js';
import { goHome } from './route.js';
import { clearSession, loadSession, saveSession } from './storage.js';

export type SessionPhase =
  | { kind: 'signed-out'; notice?: string }
  | { kind: 'signed-in'; messenger: Messenger };

/**
 * Signed in or not. A saved token opens the messenger at once (offline too);
 * if the server no longer accepts it the SDK reports `terminated` and the
 * app returns to the sign-in screen with a notice.
 */
export class Session {
  readonly phase = signal<SessionPhase>({ kind: 'signed-out' });

  restore(): void {
    const saved = loadSession();
    if (saved) this.#enter(this.#newClient(saved.token), saved.user);
  }

  /**
   * The password step. With two-step verification on, the account is not
   * signed in yet: the answer is the login token for loginSecondFactor.
   */
  async login(username: string, password: string): Promise<{ loginToken: string } | null> {
    const client = this.#newClient();
    try {
      this.#signedIn(client, await client.login({ username, password }));
      return null;
    } catch (err) {
      const loginToken = loginTokenOf(err);
      if (loginToken) return { loginToken };
      throw err;
    }
  }

  /** The code step: the authenticator app's code or a recovery code. */
  async loginSecondFactor(loginToken: string, code: string): Promise<void> {
    const client = this.#newClient();
    this.#signedIn(client, await client.loginSecondFactor({ login_token: loginToken, code: code.trim() }));
  }

  /** Any passkey this browser has for this site: the browser asks which one (no username needed). */
  async loginWithPasskey(): Promise<void> {
    const client = this.#newClient();
    // Loaded on first use: most sessions never touch WebAuthn, so the app's first load does not carry it.
    const [{ startAuthentication }, options] = await Promise.all([import('@simplewebauthn/browser'), client.passkeyLoginOptions()]);
    const response = await startAuthentication({ optionsJSON: options as Parameters<typeof startAuthentication>[0]['optionsJSON'] });
    // The browser's JSON, checked by the protocol's schema (DOM types do not say it is plain data).
    this.#signedIn(client, await client.loginWithPasskey(PasskeyAuthenticationResponse.parse(response)));
  }

  /** A QR login waiting screen's state; call start() to show a code and stop() when leaving. */
  qrLogin(): QrLogin {
    return new QrLogin(this.#newClient(), (client, auth) => this.#signedIn(client, auth));
  }

  async signup(username: string, displayName: string, password: string): Promise<void> {
    const client = this.#newClient();
    this.#signedIn(client, await client.signup({ username, display_name: displayName, password }));
  }

  async logout(): Promise<void> {
    const phase = this.phase.peek();
    if (phase.kind !== 'signed-in') return;
    phase.messenger.dispose();
    clearSession();
    this.phase.value = { kind: 'signed-out' };
    goHome();
    // Ends the session on the server; if that fails offline, the token is forgotten here anyway.
    await phase.messenger.client.logout().catch(() => {});
  }

  #newClient(token?: string): EdgegramClient {
    return new EdgegramClient({ baseUrl: location.origin, device: deviceInfo(), ...(token && { token }) });
  }

  #signedIn(client: EdgegramClient, result: AuthResult): void {
    saveSession({ token: result.session.token, user: result.user });
    this.#enter(client, result.user);
  }

  #enter(client: EdgegramClient, user: AuthResult['user']): void {
    // A new name or username (from any device) is saved with the token, so a reload shows it at once.
    const messenger = new Messenger(client, user, (me) => {
      if (client.token) saveSession({ token: client.token, user: me });
    });
    client.on('terminated', () => {
      if (this.phase.peek().kind !== 'signed-in') return;
      messenger.dispose();
      clearSession();
      goHome();
      this.phase.value = {
        kind: 'signed-out',
        notice: 'Your session ended (it was terminated from another device, or it expired). Sign in again.',
      };
    });
    this.phase.value = { kind: 'signed-in', messenger };
    messenger.start();
  }
}
