import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Messenger } from '../model/messenger.js';
import type { Session } from '../model/session.js';

export const SessionContext = createContext<Session | null>(null);
export const MessengerContext = createContext<Messenger | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionContext.Provider>');
  return session;
}

/** The signed-in app's stores. Only components under the messenger layout use it. */
export function useMessenger(): Messenger {
  const messenger = useContext(MessengerContext);
  if (!messenger) throw new Error('useMessenger outside <MessengerContext.Provider>');
  return messenger;
}
