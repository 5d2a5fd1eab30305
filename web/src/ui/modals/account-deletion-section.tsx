import { useEffect, useState } from 'preact/hooks';
import type { AccountDeletion } from '../../../../protocol/account-lifecycle.js';
import { describeError } from '../../lib/errors.js';
import { useMessenger } from '../context.js';

/**
 * "Delete my account", in Settings: the password (and, with two-step
 * verification on, a code) schedules the deletion after the grace period;
 * the section then shows the date and a Cancel button. A sign-in during the
 * grace period cancels it too, which the section says.
 */
export function AccountDeletionSection() {
  const { client } = useMessenger();
  const [deletion, setDeletion] = useState<AccountDeletion | null>(null);
  const [asking, setAsking] = useState(false);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client.api.getAccountDeletion().then(
      (r) => setDeletion(r.deletion),
      (err: unknown) => setError(describeError(err, 'security')),
    );
  }, []);

  async function act(action: () => Promise<AccountDeletion>) {
    setBusy(true);
    setError(null);
    try {
      setDeletion(await action());
      setAsking(false);
      setPassword('');
      setCode('');
    } catch (err) {
      setError(describeError(err, 'security'));
    } finally {
      setBusy(false);
    }
  }

  const submit = (event: Event) => {
    event.preventDefault();
    const trimmed = code.trim();
    void act(async () => (await client.api.deleteAccount({ password, ...(trimmed ? { code: trimmed } : {}) })).deletion);
  };

  const scheduled = deletion?.state === 'scheduled' || deletion?.state === 'running';
  return (
    <section class="security" aria-labelledby="delete-account-title">
      <h3 class="section-title" id="delete-account-title">
        Delete my account
      </h3>
      {scheduled && deletion?.due_at !== undefined && (
        <p class="security__status" role="status" data-testid="deletion-scheduled">
          Your account will be deleted on {new Date(deletion.due_at).toLocaleString()}. Signing in again also cancels it.
        </p>
      )}
      {deletion?.state === 'cancelled' && deletion.cancelled_by === 'sign_in' && (
        <p class="security__status">A scheduled deletion of your account was cancelled because you signed in.</p>
      )}
      {scheduled ? (
        deletion?.state === 'scheduled' && (
          <button type="button" class="button button--wide" disabled={busy} onClick={() => void act(async () => (await client.api.cancelAccountDeletion()).deletion)}>
            Cancel account deletion
          </button>
        )
      ) : !asking ? (
        <button type="button" class="button button--danger button--wide" onClick={() => setAsking(true)}>
          Delete my account
        </button>
      ) : (
        <form class="security__form" onSubmit={submit} noValidate aria-label="Delete my account">
          <p>Your chats, contacts and files go, and people see you as “Deleted Account”. You can cancel until the date shown.</p>
          <label class="field">
            <span class="field__label">Password</span>
            <input class="field__input" type="password" name="delete_password" autocomplete="current-password" maxLength={256} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span class="field__label">Code (if two-step verification is on)</span>
            <input class="field__input" name="delete_code" inputMode="text" autocomplete="one-time-code" maxLength={32} value={code} onInput={(e) => setCode(e.currentTarget.value)} />
          </label>
          {error && (
            <p class="form-error" role="alert">
              {error}
            </p>
          )}
          <div class="security__actions">
            <button type="button" class="button" onClick={() => (setAsking(false), setError(null))}>
              Cancel
            </button>
            <button type="submit" class="button button--danger" disabled={busy || !password}>
              {busy ? 'Deleting…' : 'Delete my account'}
            </button>
          </div>
        </form>
      )}
      {!asking && error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
