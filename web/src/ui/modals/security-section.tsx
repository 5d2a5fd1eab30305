import { useEffect, useState } from 'preact/hooks';
import type { MethodResult } from '../../../../protocol/methods.js';
import { describeError } from '../../lib/errors.js';
import { useMessenger } from '../context.js';
import { Spinner } from '../common/spinner.js';

const MIN_PASSWORD = 8;

/**
 * Change password, in Settings: the current one and the new one (twice).
 * As in Telegram the other devices are signed out, unless the person
 * unticks it; this one stays. `onChanged` lets the session list refresh.
 */
export function ChangePasswordSection({ onChanged }: { onChanged: () => void }) {
  const { client } = useMessenger();
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [signOutOthers, setSignOutOthers] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    if (!current) return setError('Enter your current password.');
    if (next.length < MIN_PASSWORD) return setError(`Choose a new password of at least ${MIN_PASSWORD} characters.`);
    if (next !== repeat) return setError('The two new passwords differ.');
    setBusy(true);
    setError(null);
    try {
      const result = await client.api.changePassword({ current_password: current, new_password: next, keep_other_sessions: !signOutOthers });
      setOpen(false);
      setCurrent('');
      setNext('');
      setRepeat('');
      const others = result.signed_out === 1 ? '1 other session was' : `${result.signed_out} other sessions were`;
      setDone(signOutOthers ? `Password changed. ${others} signed out.` : 'Password changed.');
      onChanged();
    } catch (err) {
      setError(describeError(err, 'security'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="security" aria-labelledby="password-title">
      <h3 class="section-title" id="password-title">
        Password
      </h3>
      {done && <p role="status">{done}</p>}
      {!open ? (
        <button type="button" class="button button--wide" onClick={() => (setOpen(true), setDone(null))}>
          Change password
        </button>
      ) : (
        <form class="security__form" onSubmit={submit} noValidate aria-label="Change password">
          <PasswordField label="Current password" name="current_password" autocomplete="current-password" value={current} onInput={setCurrent} />
          <PasswordField label="New password" name="new_password" autocomplete="new-password" value={next} onInput={setNext} />
          <PasswordField label="Repeat the new password" name="repeat_password" autocomplete="new-password" value={repeat} onInput={setRepeat} />
          <label class="setting-toggle">
            <input type="checkbox" checked={signOutOthers} onChange={(e) => setSignOutOthers(e.currentTarget.checked)} />
            <span>
              Sign out other devices
              <small class="setting-toggle__hint">Anyone who knew the old password is signed out everywhere but here.</small>
            </span>
          </label>
          {error && (
            <p class="form-error" role="alert">
              {error}
            </p>
          )}
          <div class="security__actions">
            <button type="button" class="button" onClick={() => (setOpen(false), setError(null))}>
              Cancel
            </button>
            <button type="submit" class="button button--primary" disabled={busy}>
              {busy ? 'Saving…' : 'Change password'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

type Status = MethodResult<'getTwoFactorStatus'>;
type Phase =
  | { kind: 'status' }
  | { kind: 'setup'; secret: string; uri: string }
  | { kind: 'codes'; codes: string[] }
  | { kind: 'disable' }
  /** Turning it on: the password first (a stolen session alone cannot turn it on). */
  | { kind: 'enable' };

/**
 * Two-step verification: turning it on shows the secret and its otpauth://
 * link as text for the authenticator app (no QR image: no QR library is
 * bundled), then asks for a code to confirm; the recovery codes are shown
 * once. Turning it off asks for the password and a code.
 */
export function TwoStepSection() {
  const { client } = useMessenger();
  const [status, setStatus] = useState<Status | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'status' });
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function reload() {
    try {
      setStatus(await client.api.getTwoFactorStatus());
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
    } catch (err) {
      setError(describeError(err, 'security'));
    } finally {
      setBusy(false);
    }
  }

  function show(next: Phase) {
    setPhase(next);
    setCode('');
    setPassword('');
    setError(null);
  }

  const start = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      const setup = await client.api.enableTwoFactor({ password });
      show({ kind: 'setup', ...setup });
    });
  };
  const confirm = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      const { recovery_codes } = await client.api.confirmTwoFactor({ code: code.trim() });
      show({ kind: 'codes', codes: recovery_codes });
      await reload();
    });
  };
  const disable = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      await client.api.disableTwoFactor({ password, code: code.trim() });
      show({ kind: 'status' });
      await reload();
    });
  };

  return (
    <section class="security" aria-labelledby="two-step-title">
      <h3 class="section-title" id="two-step-title">
        Two-step verification
      </h3>
      {status === null && !error && <Spinner label="Loading two-step verification" />}
      {phase.kind === 'status' && status && (
        <>
          <p class="security__status">
            {status.enabled
              ? `On. Signing in asks for a code from your authenticator app. ${status.recovery_codes_left} recovery codes left.`
              : 'Off. Turn it on to ask for a code from an authenticator app after your password.'}
          </p>
          {status.enabled ? (
            <button type="button" class="button button--danger button--wide" onClick={() => show({ kind: 'disable' })}>
              Turn off two-step verification
            </button>
          ) : (
            <button type="button" class="button button--wide" disabled={busy} onClick={() => show({ kind: 'enable' })}>
              Turn on two-step verification
            </button>
          )}
        </>
      )}
      {phase.kind === 'setup' && (
        <form class="security__form" onSubmit={confirm} noValidate aria-label="Confirm two-step verification">
          <p>Add this key to your authenticator app (or open the link on the device that has it), then enter the code it shows.</p>
          <dl class="info-list">
            <div>
              <dt>Key</dt>
              <dd class="security__secret" data-testid="two-step-secret">
                {phase.secret}
              </dd>
            </div>
            <div>
              <dt>Link</dt>
              <dd class="security__secret">
                <a href={phase.uri}>{phase.uri}</a>
              </dd>
            </div>
          </dl>
          <CodeField value={code} onInput={setCode} />
          {error && (
            <p class="form-error" role="alert">
              {error}
            </p>
          )}
          <div class="security__actions">
            <button type="button" class="button" onClick={() => show({ kind: 'status' })}>
              Cancel
            </button>
            <button type="submit" class="button button--primary" disabled={busy}>
              Confirm
            </button>
          </div>
        </form>
      )}
      {phase.kind === 'codes' && (
        <>
          <p role="status">Two-step verification is on. Save these recovery codes somewhere safe: each signs in once without the app. They are not shown again.</p>
          <ol class="security__codes" aria-label="Recovery codes">
            {phase.codes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ol>
          <button type="button" class="button button--primary button--wide" onClick={() => show({ kind: 'status' })}>
            I saved them
          </button>
        </>
      )}
      {phase.kind === 'enable' && (
        <form class="security__form" onSubmit={start} noValidate aria-label="Turn on two-step verification">
          <PasswordField label="Password" name="password" autocomplete="current-password" value={password} onInput={setPassword} />
          {error && (
            <p class="form-error" role="alert">
              {error}
            </p>
          )}
          <div class="security__actions">
            <button type="button" class="button" onClick={() => show({ kind: 'status' })}>
              Cancel
            </button>
            <button type="submit" class="button button--primary" disabled={busy || !password}>
              Continue
            </button>
          </div>
        </form>
      )}
      {phase.kind === 'disable' && (
        <form class="security__form" onSubmit={disable} noValidate aria-label="Turn off two-step verification">
          <PasswordField label="Password" name="password" autocomplete="current-password" value={password} onInput={setPassword} />
          <CodeField value={code} onInput={setCode} hint="The code from your authenticator app, or a recovery code." />
          {error && (
            <p class="form-error" role="alert">
              {error}
            </p>
          )}
          <div class="security__actions">
            <button type="button" class="button" onClick={() => show({ kind: 'status' })}>
              Cancel
            </button>
            <button type="submit" class="button button--danger" disabled={busy}>
              Turn off
            </button>
          </div>
        </form>
      )}
      {phase.kind === 'status' && error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function PasswordField(props: { label: string; name: string; autocomplete: string; value: string; onInput: (v: string) => void }) {
  return (
    <label class="field">
      <span class="field__label">{props.label}</span>
      <input
        class="field__input"
        type="password"
        name={props.name}
        autocomplete={props.autocomplete}
        maxLength={256}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </label>
  );
}

function CodeField({ value, onInput, hint }: { value: string; onInput: (v: string) => void; hint?: string }) {
  return (
    <label class="field">
      <span class="field__label">Code</span>
      <input
        class="field__input"
        name="code"
        autocomplete="one-time-code"
        autocapitalize="none"
        spellcheck={false}
        maxLength={32}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {hint && <span class="field__hint">{hint}</span>}
    </label>
  );
}
