import { useState } from 'preact/hooks';
import { USERNAME_PATTERN } from '../../../../protocol/common.js';
import { EdgegramError, ErrorCode } from '../../../../protocol/errors.js';
import { describeError } from '../../lib/errors.js';
import { useSession } from '../context.js';
import { Spinner } from '../common/spinner.js';
import { QrLoginStep } from './qr-login-step.js';

type Mode = 'login' | 'signup' | 'qr';

/** Sign in or create an account. Server refusals are shown from their error code. */
export function AuthScreen({ notice }: { notice?: string | undefined }) {
  const session = useSession();
  const [mode, setMode] = useState<Mode>('login');
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Set when the password was right and the account asks for its second factor. */
  const [loginToken, setLoginToken] = useState<string | null>(null);

  function switchMode(next: Mode) {
    setMode(next);
    setError(null);
  }

  async function submit(event: Event) {
    event.preventDefault();
    const problem = checkInput(mode === 'signup', username, displayName, password);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (mode === 'login') {
        const secondStep = await session.login(username.trim(), password);
        if (secondStep) {
          setLoginToken(secondStep.loginToken);
          setBusy(false);
        }
      } else await session.signup(username.trim(), displayName.trim(), password);
    } catch (err) {
      setError(describeError(err, mode === 'signup' ? 'signup' : 'login'));
      setBusy(false);
    }
  }

  async function passkey() {
    setBusy(true);
    setError(null);
    try {
      await session.loginWithPasskey();
    } catch (err) {
      setError(describeError(err, 'passkey'));
      setBusy(false);
    }
  }

  if (mode === 'qr') return <QrLoginStep onBack={() => switchMode('login')} />;

  if (loginToken) {
    return (
      <SecondFactorStep
        loginToken={loginToken}
        onRestart={(problem) => {
          setLoginToken(null);
          setPassword('');
          setError(problem);
        }}
      />
    );
  }

  const signup = mode === 'signup';
  return (
    <main class="auth">
      <div class="auth__card">
        <img class="auth__logo" src="/favicon.svg" alt="" width="120" height="120" />
        <h1 class="auth__title">Edgegram</h1>
        <p class="auth__subtitle">
          {signup ? 'Create an account to start messaging.' : 'Sign in with your username and password.'}
        </p>
        {notice && !error && (
          <p class="auth__notice" role="status">
            {notice}
          </p>
        )}
        <div class="auth__tabs" role="tablist" aria-label="Account">
          <button type="button" role="tab" aria-selected={!signup} class="auth__tab" onClick={() => switchMode('login')}>
            Sign in
          </button>
          <button type="button" role="tab" aria-selected={signup} class="auth__tab" onClick={() => switchMode('signup')}>
            Create account
          </button>
        </div>
        <form class="auth__form" onSubmit={submit} noValidate aria-describedby={error ? 'auth-error' : undefined}>
          <label class="field">
            <span class="field__label">Username</span>
            <input
              class="field__input"
              name="username"
              autocomplete="username"
              autocapitalize="none"
              spellcheck={false}
              required
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          </label>
          {signup && (
            <label class="field">
              <span class="field__label">Your name</span>
              <input
                class="field__input"
                name="display_name"
                autocomplete="name"
                required
                maxLength={64}
                value={displayName}
                onInput={(e) => setDisplayName(e.currentTarget.value)}
              />
            </label>
          )}
          <label class="field">
            <span class="field__label">Password</span>
            <input
              class="field__input"
              name="password"
              type="password"
              autocomplete={signup ? 'new-password' : 'current-password'}
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </label>
          {error && (
            <p id="auth-error" class="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="button button--primary button--wide" disabled={busy}>
            {busy ? <Spinner label={signup ? 'Creating account' : 'Signing in'} size={22} /> : signup ? 'Create account' : 'Sign in'}
          </button>
        </form>
        {!signup && (
          <div class="auth__alternatives">
            <button type="button" class="button button--wide" disabled={busy} onClick={() => void passkey()}>
              Sign in with a passkey
            </button>
            <button type="button" class="button button--wide" disabled={busy} onClick={() => switchMode('qr')}>
              Log in by QR code
            </button>
          </div>
        )}
      </div>
    </main>
  );
}

/**
 * Two-step verification: after the right password, the code from the
 * authenticator app (or a recovery code). An expired or used login sends
 * the person back to the password.
 */
function SecondFactorStep({ loginToken, onRestart }: { loginToken: string; onRestart: (problem: string | null) => void }) {
  const session = useSession();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    if (!code.trim()) return setError('Enter the code from your authenticator app.');
    setBusy(true);
    setError(null);
    try {
      await session.loginSecondFactor(loginToken, code);
    } catch (err) {
      if (err instanceof EdgegramError && err.code === ErrorCode.LOGIN_TOKEN_INVALID) return onRestart(describeError(err, 'second-factor'));
      setError(describeError(err, 'second-factor'));
      setBusy(false);
    }
  }

  return (
    <main class="auth">
      <div class="auth__card">
        <img class="auth__logo" src="/favicon.svg" alt="" width="120" height="120" />
        <h1 class="auth__title">Two-step verification</h1>
        <p class="auth__subtitle">Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
        <form class="auth__form" onSubmit={submit} noValidate aria-describedby={error ? 'auth-error' : undefined}>
          <label class="field">
            <span class="field__label">Code</span>
            <input
              class="field__input"
              name="code"
              autocomplete="one-time-code"
              autocapitalize="none"
              spellcheck={false}
              maxLength={32}
              autoFocus
              required
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </label>
          {error && (
            <p id="auth-error" class="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="button button--primary button--wide" disabled={busy}>
            {busy ? <Spinner label="Checking the code" size={22} /> : 'Verify'}
          </button>
          <button type="button" class="button button--wide" onClick={() => onRestart(null)}>
            Back
          </button>
        </form>
      </div>
    </main>
  );
}

/** The same rules the server applies, checked first so the user gets the answer at once. */
function checkInput(signup: boolean, username: string, displayName: string, password: string): string | null {
  if (!username.trim()) return 'Enter your username.';
  if (signup) {
    if (!USERNAME_PATTERN.test(username.trim())) {
      return 'Usernames are 5–32 letters, digits or underscores and start with a letter.';
    }
    if (!displayName.trim()) return 'Enter your name, as others will see it.';
    if (password.length < 8) return 'Choose a password of at least 8 characters.';
  }
  if (!password) return 'Enter your password.';
  return null;
}
