import { useEffect, useState } from 'preact/hooks';
import { PasskeyRegistrationResponse, type Passkey } from '../../../../protocol/http/passkeys.js';
import { describeError } from '../../lib/errors.js';
import { formatDialogTime } from '../../lib/time.js';
import { useMessenger } from '../context.js';
import { Spinner } from '../common/spinner.js';

/**
 * Passkeys, in Settings: the account's passkeys (name, added, last used),
 * adding one under a name (the browser asks for a fingerprint, face or PIN)
 * and removing one. A passkey signs in without a password or code.
 */
export function PasskeysSection() {
  const { client } = useMessenger();
  const [passkeys, setPasskeys] = useState<Passkey[] | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function reload() {
    try {
      setPasskeys((await client.api.getPasskeys()).passkeys);
    } catch (err) {
      setError(describeError(err, 'security'));
    }
  }
  useEffect(() => void reload(), []);

  async function act(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      await reload();
    } catch (err) {
      setError(describeError(err, 'passkey'));
    } finally {
      setBusy(false);
    }
  }

  const add = (event: Event) => {
    event.preventDefault();
    if (!name.trim()) return setError('Name the passkey, e.g. the device it is on.');
    void act(async () => {
      // Loaded on first use (see Session.loginWithPasskey).
      const [{ startRegistration }, options] = await Promise.all([import('@simplewebauthn/browser'), client.passkeyRegistrationOptions()]);
      const response = await startRegistration({ optionsJSON: options as Parameters<typeof startRegistration>[0]['optionsJSON'] });
      // The browser's JSON, checked by the protocol's schema (DOM types do not say it is plain data).
      await client.registerPasskey(name.trim(), PasskeyRegistrationResponse.parse(response));
      setName('');
    });
  };

  return (
    <section class="security" aria-labelledby="passkeys-title">
      <h3 class="section-title" id="passkeys-title">
        Passkeys
      </h3>
      {passkeys === null && !error && <Spinner label="Loading passkeys" />}
      {passkeys && passkeys.length === 0 && <p class="security__status">No passkeys yet. Add one to sign in without your password.</p>}
      {passkeys && passkeys.length > 0 && (
        <ul class="session-list" aria-label="Passkeys">
          {passkeys.map((p) => (
            <li key={p.id} class="session-row">
              <span class="session-row__text">
                <span class="session-row__name">{p.name}</span>
                <span class="session-row__details">
                  Added {formatDialogTime(p.created_at)}
                  {p.last_used_at ? ` · last used ${formatDialogTime(p.last_used_at)}` : ' · never used'}
                </span>
              </span>
              <button
                type="button"
                class="button button--small button--danger"
                disabled={busy}
                aria-label={`Remove passkey ${p.name}`}
                onClick={() => void act(async () => void (await client.api.deletePasskey({ id: p.id })))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="security__form" onSubmit={add} noValidate aria-label="Add a passkey">
        <label class="field">
          <span class="field__label">Passkey name</span>
          <input class="field__input" name="passkey_name" maxLength={64} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button button--wide" disabled={busy}>
          {busy ? 'Waiting for the passkey…' : 'Add a passkey'}
        </button>
      </form>
    </section>
  );
}
