import { useEffect, useState } from 'preact/hooks';
import type { SessionInfo } from '../../../../protocol/http/sessions.js';
import { describeError } from '../../lib/errors.js';
import { formatDialogTime } from '../../lib/time.js';
import { setThemePreference, themePreference, type ThemePreference } from '../../model/theme.js';
import { useMessenger, useSession } from '../context.js';
import { UserAvatar } from '../common/user-avatar.js';
import { Icon } from '../common/icons.js';
import { Modal } from '../common/modal.js';
import { Spinner } from '../common/spinner.js';
import { useOpenModal } from './modals-context.js';
import { AccountDeletionSection } from './account-deletion-section.js';
import { DataExportSection } from './data-export-section.js';
import { PrivacySection } from './privacy-section.js';
import { ChangePasswordSection, TwoStepSection } from './security-section.js';
import { PasskeysSection } from './passkeys-section.js';
import { LoginCodeSection } from './login-code-section.js';

/** The account: profile (Edit profile opens ProfileModal), theme, privacy, password, two-step verification, active sessions (terminate), exporting the data, deleting the account, log out. */
export function SettingsModal({ onClose }: { onClose: () => void }) {
  const messenger = useMessenger();
  const session = useSession();
  const openModal = useOpenModal();
  const me = messenger.me.value;
  // A password change signs other devices out: the session list is read again.
  const [sessionsVersion, setSessionsVersion] = useState(0);
  return (
    <Modal title="Settings" onClose={onClose}>
      <div class="profile">
        <UserAvatar userId={me.id} name={me.display_name} size="xl" />
        <p class="profile__name">{me.display_name}</p>
        <p class="profile__status">@{me.username}</p>
      </div>
      <dl class="info-list">
        <div>
          <dt>Name</dt>
          <dd>{me.display_name}</dd>
        </div>
        <div>
          <dt>Username</dt>
          <dd>@{me.username}</dd>
        </div>
        {me.about && (
          <div>
            <dt>Bio</dt>
            <dd>{me.about}</dd>
          </div>
        )}
      </dl>
      <button type="button" class="button button--wide" onClick={() => openModal({ kind: 'profile', back: 'settings' })}>
        <Icon name="pencil" size={20} /> Edit profile
      </button>
      <ThemePicker />
      <PrivacySection />
      <ChangePasswordSection onChanged={() => setSessionsVersion((v) => v + 1)} />
      <TwoStepSection />
      <PasskeysSection />
      <LoginCodeSection />
      <ActiveSessions key={sessionsVersion} />
      <DataExportSection />
      <AccountDeletionSection />
      <button type="button" class="button button--danger button--wide" onClick={() => void session.logout()}>
        <Icon name="logout" size={20} /> Log out
      </button>
    </Modal>
  );
}

const THEMES: { value: ThemePreference; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

function ThemePicker() {
  return (
    <fieldset class="segmented">
      <legend class="section-title">Theme</legend>
      {THEMES.map((theme) => (
        <label key={theme.value} class="segmented__option">
          <input
            type="radio"
            name="theme"
            value={theme.value}
            checked={themePreference.value === theme.value}
            onChange={() => setThemePreference(theme.value)}
          />
          <span>{theme.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

function ActiveSessions() {
  const { client } = useMessenger();
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function reload() {
    try {
      setSessions(await client.sessions());
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  }
  useEffect(() => void reload(), []);

  async function terminate(action: () => Promise<unknown>) {
    try {
      await action();
      await reload();
    } catch (err) {
      setError(describeError(err));
    }
  }

  const current = sessions?.find((s) => s.current);
  const others = sessions?.filter((s) => !s.current) ?? [];
  return (
    <section class="sessions" aria-labelledby="sessions-title">
      <h3 class="section-title" id="sessions-title">
        Active sessions
      </h3>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {sessions === null && !error && <Spinner label="Loading sessions" />}
      {current && (
        <>
          <h4 class="sessions__group">This device</h4>
          <SessionRow session={current} />
        </>
      )}
      {others.length > 0 && (
        <>
          <h4 class="sessions__group">Other sessions</h4>
          <button type="button" class="button button--danger button--wide" onClick={() => void terminate(() => client.terminateOtherSessions())}>
            Terminate all other sessions
          </button>
          <ul class="session-list" aria-label="Other sessions">
            {others.map((s) => (
              <li key={s.id}>
                <SessionRow session={s} onTerminate={() => void terminate(() => client.terminateSession(s.id))} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function SessionRow({ session, onTerminate }: { session: SessionInfo; onTerminate?: () => void }) {
  const place = [session.device.city, session.device.country].filter(Boolean).join(', ');
  const details = [session.device.ip, place].filter(Boolean).join(' · ');
  return (
    <div class="session-row" data-session-id={session.id}>
      <span class="session-row__icon">
        <Icon name="devices" />
      </span>
      <span class="session-row__text">
        <span class="session-row__name">{session.device.name}</span>
        <span class="session-row__details">
          {details || session.device.platform} · {session.current ? 'online' : `active ${formatDialogTime(session.last_active_at)}`}
        </span>
      </span>
      {onTerminate && (
        <button type="button" class="button button--small button--danger" onClick={onTerminate} aria-label={`Terminate ${session.device.name}`}>
          Terminate
        </button>
      )}
    </div>
  );
}
