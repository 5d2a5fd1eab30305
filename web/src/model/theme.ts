import { effect, signal } from '@preact/signals';
import { loadTheme, saveTheme } from './storage.js';

/** `system` follows prefers-color-scheme; the CSS does that through color-scheme and light-dark(). */
export type ThemePreference = 'system' | 'light' | 'dark';

const stored = loadTheme();
export const themePreference = signal<ThemePreference>(
  stored === 'light' || stored === 'dark' ? stored : 'system',
);

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');
const systemDark = signal(darkQuery.matches);
darkQuery.addEventListener('change', (event) => (systemDark.value = event.matches));

/** The theme in effect now. */
export function isDark(): boolean {
  return themePreference.value === 'dark' || (themePreference.value === 'system' && systemDark.value);
}

export function setThemePreference(preference: ThemePreference): void {
  themePreference.value = preference;
  saveTheme(preference);
}

/** Cycles light → dark → system, for the one-button toggle. */
export function toggleTheme(): void {
  setThemePreference(isDark() ? 'light' : 'dark');
}

/** Keeps <html data-theme> in step; runs once at start-up, before the first render. */
export function applyTheme(): void {
  effect(() => {
    const root = document.documentElement;
    if (themePreference.value === 'system') delete root.dataset.theme;
    else root.dataset.theme = themePreference.value;
    root.dataset.dark = String(isDark());
  });
}
