import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';

/**
 * Reports each message matching `selector` (unread incoming ones,
 * `[data-unread]`; channel posts, `[data-post]`) once at least half of it (or
 * half the viewport, for a long one) is on screen while the page is visible.
 * Hidden pages report nothing; when the page becomes visible again the
 * messages on screen are reported then.
 */
export function useSeenObserver(
  scroller: RefObject<HTMLElement | null>,
  chatId: number | null,
  selector: string,
  seen: (messageId: number) => void,
): void {
  const observer = useRef<IntersectionObserver | null>(null);
  const onSeen = useRef(seen);
  onSeen.current = seen;

  useEffect(() => {
    const root = scroller.current;
    if (!root || chatId === null) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (document.visibilityState !== 'visible') return;
        for (const entry of entries) {
          const rootHeight = entry.rootBounds?.height ?? Infinity;
          const enough = entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= rootHeight / 2;
          if (!entry.isIntersecting || !enough) continue;
          const id = Number((entry.target as HTMLElement).dataset.id);
          if (id > 0) onSeen.current(id);
          io.unobserve(entry.target);
        }
      },
      { root, threshold: [0, 0.5, 1] },
    );
    observer.current = io;
    const observeAll = () => root.querySelectorAll(selector).forEach((el) => io.observe(el));
    const onVisible = () => {
      if (document.visibilityState !== 'visible') return;
      io.disconnect();
      observeAll();
    };
    observeAll();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      io.disconnect();
      observer.current = null;
    };
  }, [chatId]);

  // After every render: watch the messages that appeared.
  useLayoutEffect(() => {
    const root = scroller.current;
    root?.querySelectorAll(selector).forEach((el) => observer.current?.observe(el));
  });
}
