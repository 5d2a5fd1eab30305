import type { User } from '../../../protocol/common.js';

/**
 * What the app keeps in localStorage: the session token and the account it
 * belongs to (so a reload opens the messenger at once, even offline), and
 * the theme. Nothing else: history and dialogs are loaded from the server.
 */
const SESSION_KEY = 'edgegram.session';
const THEME_KEY = 'edgegram.theme';

export interface SavedSession {
  token: string;
  user: User;
}

export function loadSession(): SavedSession | undefined {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return undefined;
    const value: unknown = JSON.parse(raw);
    if (isSavedSession(value)) return value;
  } catch {
    // corrupt or unavailable storage: start signed out
  }
  return undefined;
}

export function saveSession(session: SavedSession): void {
  try {
    localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  } catch {
    // storage full or disabled: the session lasts until the tab closes
  }
}

export function clearSession(): void {
  try {
    localStorage.removeItem(SESSION_KEY);
  } catch {
    // nothing to clear
  }
}

export function loadTheme(): string | null {
  try {
    return localStorage.getItem(THEME_KEY);
  } catch {
    return null;
  }
}

export function saveTheme(theme: string): void {
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    // not remembered
  }
}

function isSavedSession(value: unknown): value is SavedSession {
  if (typeof value !== 'object' || value === null) return false;
  const { token, user } = value as Partial<SavedSession>;
  return (
    typeof token === 'string' &&
    typeof user === 'object' &&
    user !== null &&
    typeof user.id === 'number' &&
    typeof user.username === 'string' &&
    typeof user.display_name === 'string'
  );
}
