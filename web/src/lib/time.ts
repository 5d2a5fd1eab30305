import type { UserStatus } from '../../../protocol/common.js';

const DAY_MS = 86_400_000;
const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const longWeekday = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long' });
const fullDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
const numericDate = new Intl.DateTimeFormat(undefined, { day: '2-digit', month: '2-digit', year: '2-digit' });

export function startOfDay(ts: number): number {
  const d = new Date(ts);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function sameDay(a: number, b: number): boolean {
  return startOfDay(a) === startOfDay(b);
}

/** "14:05": the time on a message. */
export function formatClock(ts: number): string {
  return clock.format(ts);
}

/** The dialog list's time column: today's time, this week's day, or a date. */
export function formatDialogTime(ts: number, now = Date.now()): string {
  const days = (startOfDay(now) - startOfDay(ts)) / DAY_MS;
  if (days <= 0) return clock.format(ts);
  if (days < 7) return weekday.format(ts);
  if (new Date(ts).getFullYear() === new Date(now).getFullYear()) return shortDate.format(ts);
  return numericDate.format(ts);
}

/** The date separator between messages of different days. */
export function formatDaySeparator(ts: number, now = Date.now()): string {
  const days = Math.round((startOfDay(now) - startOfDay(ts)) / DAY_MS);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return longWeekday.format(ts);
  if (new Date(ts).getFullYear() === new Date(now).getFullYear()) return dayMonth.format(ts);
  return fullDate.format(ts);
}

/** "online", "last seen just now", "last seen 5 minutes ago", "last seen yesterday at 14:05", … */
export function formatPresence(status: UserStatus | undefined, now = Date.now()): string {
  if (!status) return 'last seen recently';
  if (status.online) return 'online';
  if (status.last_seen === null) return 'last seen a long time ago';
  const ago = now - status.last_seen;
  if (ago < 60_000) return 'last seen just now';
  if (ago < 3_600_000) {
    const minutes = Math.floor(ago / 60_000);
    return `last seen ${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  }
  const days = Math.round((startOfDay(now) - startOfDay(status.last_seen)) / DAY_MS);
  if (days === 0) return `last seen today at ${clock.format(status.last_seen)}`;
  if (days === 1) return `last seen yesterday at ${clock.format(status.last_seen)}`;
  return `last seen ${shortDate.format(status.last_seen)}`;
}
