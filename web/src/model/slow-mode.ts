/**
 * Slow mode as this app knows it: when each chat lets the user send again
 * (ms), from the sends it made there and from the server's SLOW_MODE_WAIT
 * (which also covers sends from other devices). Kept while the app runs.
 */
const until = new Map<string, number>();

/** The user must wait `seconds` before its next message in the chat (a send just made, or the server's answer). */
export function noteSlowModeWait(chatKey: string, seconds: number, now = Date.now()): void {
  until.set(chatKey, Math.max(until.get(chatKey) ?? 0, now + seconds * 1000));
}

/** When the chat lets the user send again (0: now). */
export function slowModeUntil(chatKey: string): number {
  return until.get(chatKey) ?? 0;
}
