/**
 * Keeps the message list where the reader left it while its content
 * changes: stuck to the bottom if they were at the bottom, otherwise with
 * the first visible message at the same place on screen (so older pages
 * prepended above, or messages arriving below, never move what they read).
 */
export interface ScrollSnapshot {
  atBottom: boolean;
  anchorKey: string | null;
  /** The anchor's distance from the top of the viewport, in px. */
  anchorTop: number;
}

const BOTTOM_SLACK_PX = 32;

export function distanceFromBottom(el: HTMLElement): number {
  return el.scrollHeight - el.scrollTop - el.clientHeight;
}

export function takeSnapshot(el: HTMLElement): ScrollSnapshot {
  const atBottom = distanceFromBottom(el) <= BOTTOM_SLACK_PX;
  const top = el.getBoundingClientRect().top;
  for (const node of el.querySelectorAll<HTMLElement>('[data-key]')) {
    const rect = node.getBoundingClientRect();
    if (rect.bottom > top) return { atBottom, anchorKey: node.dataset.key!, anchorTop: rect.top - top };
  }
  return { atBottom, anchorKey: null, anchorTop: 0 };
}

export function scrollToBottom(el: HTMLElement): void {
  el.scrollTop = el.scrollHeight;
}

/** Puts the snapshot's anchor back where it was; does nothing if it did not move. */
export function restore(el: HTMLElement, snapshot: ScrollSnapshot): void {
  if (snapshot.atBottom) {
    scrollToBottom(el);
    return;
  }
  if (!snapshot.anchorKey) return;
  const node = el.querySelector<HTMLElement>(`[data-key="${CSS.escape(snapshot.anchorKey)}"]`);
  if (!node) return;
  const drift = node.getBoundingClientRect().top - el.getBoundingClientRect().top - snapshot.anchorTop;
  if (Math.abs(drift) >= 1) el.scrollTop += drift;
}

/** Scrolls so the message is a third of the way down the viewport. */
export function revealMessage(el: HTMLElement, id: number): boolean {
  const node = el.querySelector<HTMLElement>(`[data-id="${id}"]`);
  if (!node) return false;
  const offset = node.getBoundingClientRect().top - el.getBoundingClientRect().top;
  el.scrollTop += offset - el.clientHeight / 3;
  return true;
}
