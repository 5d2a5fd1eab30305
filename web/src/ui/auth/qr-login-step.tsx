import { useEffect, useMemo } from 'preact/hooks';
import { describeError } from '../../lib/errors.js';
import { useSession } from '../context.js';
import { QrCode } from '../common/qr-code.js';
import { Spinner } from '../common/spinner.js';

/**
 * "Log in by QR code": this signed-out browser shows a code (as a QR code
 * and as text to paste) and waits; a signed-in device approves it in
 * Settings, and this one is signed in. The code is replaced before it expires.
 */
export function QrLoginStep({ onBack }: { onBack: () => void }) {
  const session = useSession();
  const login = useMemo(() => session.qrLogin(), [session]);
  useEffect(() => {
    login.start();
    return () => login.stop();
  }, [login]);
  const state = login.state.value;

  return (
    <main class="auth">
      <div class="auth__card">
        <h1 class="auth__title">Log in by QR code</h1>
        <p class="auth__subtitle">
          On a device where you are signed in, open Settings → “Scan or paste a login code”, and scan this code or paste the text below.
        </p>
        {state.kind === 'starting' && <Spinner label="Getting a login code" />}
        {state.kind === 'showing' && (
          <div class="qr-login" aria-live="polite">
            <QrCode value={state.code.url} label="Login QR code" />
            <label class="field">
              <span class="field__label">Login code</span>
              <input class="field__input qr-login__token" name="login_code" readOnly value={state.code.token} onFocus={(e) => e.currentTarget.select()} />
            </label>
            <p class="qr-login__waiting" role="status">
              Waiting for approval… The code changes every minute.
            </p>
          </div>
        )}
        {state.kind === 'failed' && (
          <p class="form-error" role="alert">
            {describeError(state.error, 'login-code')}
          </p>
        )}
        <button type="button" class="button button--wide" onClick={onBack}>
          Back
        </button>
      </div>
    </main>
  );
}
