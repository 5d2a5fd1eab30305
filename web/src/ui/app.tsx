import type { Session } from '../model/session.js';
import { AuthScreen } from './auth/auth-screen.js';
import { MessengerContext, SessionContext } from './context.js';
import { MessengerLayout } from './messenger-layout.js';
import { Toasts } from './toasts.js';

/** Signed out: the sign-in screen. Signed in: the messenger. */
export function App({ session }: { session: Session }) {
  const phase = session.phase.value;
  return (
    <SessionContext.Provider value={session}>
      {phase.kind === 'signed-in' ? (
        <MessengerContext.Provider value={phase.messenger}>
          <MessengerLayout />
        </MessengerContext.Provider>
      ) : (
        <AuthScreen notice={phase.notice} />
      )}
      <Toasts />
    </SessionContext.Provider>
  );
}
