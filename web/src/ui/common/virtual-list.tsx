import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { nearEnd, rowWindow } from '../../lib/windowing.js';

/** What each rendered row's <li> must carry: its place in the scrolled content, and in the whole list for screen readers. */
export interface RowProps {
  style: { top: string; height: string };
  'aria-posinset': number;
  'aria-setsize': number;
}

interface VirtualListProps<T> {
  items: readonly T[];
  /** Every row's height in px (fixed: that is what makes the window cheap to compute). */
  rowHeight: number;
  /** The list's accessible name. */
  label: string;
  /** How many items the whole list has, loaded or not (screen readers say "3 of 200,000"). */
  total?: number;
  /** Renders one row as an <li> that spreads `props`. */
  renderRow: (item: T, props: RowProps) => JSX.Element;
  /** Called when the shown rows come within a few of the last loaded one: load the next page. */
  onNearEnd?: () => void;
  /** Shown after the rows, inside the scrolling area (loading, "no one found"). */
  footer?: ComponentChildren;
  /** A change scrolls back to the top (a new search). */
  resetKey?: unknown;
}

const OVERSCAN = 6;

/**
 * A scrolling list that renders only the rows in view (plus a few on each
 * side): the content is as tall as every row together, and each rendered
 * row is placed at its offset. Its DOM stays the same size however long the
 * list grows.
 */
export function VirtualList<T>({ items, rowHeight, label, total, renderRow, onNearEnd, footer, resetKey }: VirtualListProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(0);

  useLayoutEffect(() => {
    const element = scroller.current!;
    setViewportHeight(element.clientHeight);
    const observer = new ResizeObserver(() => setViewportHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  }, [resetKey]);

  const shown = rowWindow({ scrollTop, viewportHeight, rowHeight, count: items.length, overscan: OVERSCAN });
  const wantsMore = viewportHeight > 0 && nearEnd(shown, items.length, OVERSCAN);
  useEffect(() => {
    if (wantsMore) onNearEnd?.();
  }, [wantsMore, items.length]);

  const rows: JSX.Element[] = [];
  for (let i = shown.start; i < shown.end; i++) {
    rows.push(
      renderRow(items[i]!, {
        style: { top: `${i * rowHeight}px`, height: `${rowHeight}px` },
        'aria-posinset': i + 1,
        'aria-setsize': total ?? items.length,
      }),
    );
  }
  return (
    <div ref={scroller} class="virtual-list" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <ul class="virtual-list__content" aria-label={label} style={{ height: `${shown.totalHeight}px` }}>
        {rows}
      </ul>
      {footer && <div class="virtual-list__footer">{footer}</div>}
    </div>
  );
}
