import { useState } from 'preact/hooks';
import type { QrLoginDevice } from '../../../../protocol/http/qr-login.js';
import { describeError } from '../../lib/errors.js';
import { useMessenger } from '../context.js';

/**
 * "Scan or paste a login code", in Settings: the code another device shows
 * on its "Log in by QR code" screen. The device it would sign in is shown
 * first (name, platform, address); approving signs it in to this account.
 */
export function LoginCodeSection() {
  const { client } = useMessenger();
  const [code, setCode] = useState('');
  const [pending, setPending] = useState<{ token: string; device: QrLoginDevice } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await action();
    } catch (err) {
      setPending(null);
      setError(describeError(err, 'login-code'));
    } finally {
      setBusy(false);
    }
  }

  const check = (event: Event) => {
    event.preventDefault();
    const token = code.trim();
    if (!token) return setError('Paste the code the other device shows.');
    void act(async () => setPending({ token, device: (await client.api.checkLoginToken({ token })).device }));
  };
  const approve = () =>
    void act(async () => {
      const { device } = await client.api.acceptLoginToken({ token: pending!.token });
      setPending(null);
      setCode('');
      setDone(`${device.name} is now signed in to your account.`);
    });

  return (
    <section class="security" aria-labelledby="login-code-title">
      <h3 class="section-title" id="login-code-title">
        Scan or paste a login code
      </h3>
      {done && <p role="status">{done}</p>}
      {!pending ? (
        <form class="security__form" onSubmit={check} noValidate aria-label="Paste a login code">
          <label class="field">
            <span class="field__label">Login code</span>
            <input
              class="field__input"
              name="login_code"
              autocomplete="off"
              spellcheck={false}
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </label>
          {error && (
            <p class="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="button button--wide" disabled={busy}>
            Continue
          </button>
        </form>
      ) : (
        <div class="security__form" role="group" aria-label="Approve the login">
          <p>Sign in this device to your account? Only approve a device you are holding.</p>
          <dl class="info-list">
            <div>
              <dt>Device</dt>
              <dd data-testid="login-code-device">
                {pending.device.name} ({pending.device.platform})
              </dd>
            </div>
            <div>
              <dt>Address</dt>
              <dd>{[pending.device.ip ?? 'unknown', pending.device.city, pending.device.country].filter(Boolean).join(', ')}</dd>
            </div>
          </dl>
          <div class="security__actions">
            <button type="button" class="button" onClick={() => setPending(null)}>
              Cancel
            </button>
            <button type="button" class="button button--primary" disabled={busy} onClick={approve}>
              Approve
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
