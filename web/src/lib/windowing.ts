/**
 * Which rows of a long list of fixed-height rows to render: only those in
 * the viewport, plus `overscan` rows on each side so a fast scroll does not
 * show blank space before the next frame. Pure, so a list of 200,000 rows
 * costs what a list of 20 does.
 */
export interface WindowInput {
  /** The scroll container's scrollTop, in px. */
  scrollTop: number;
  /** The scroll container's visible height, in px. */
  viewportHeight: number;
  rowHeight: number;
  /** How many rows the list has (loaded so far). */
  count: number;
  overscan?: number;
}

export interface RowWindow {
  /** First row to render (inclusive). */
  start: number;
  /** Row after the last one to render (exclusive); start === end when nothing is shown. */
  end: number;
  /** The height of every row together: the scrollable content's height. */
  totalHeight: number;
}

export function rowWindow({ scrollTop, viewportHeight, rowHeight, count, overscan = 4 }: WindowInput): RowWindow {
  const totalHeight = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, totalHeight };
  // The container may report a scrollTop past the content for a frame after rows went away (a new search).
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, totalHeight - viewportHeight));
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight);
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + overscan), totalHeight };
}

/** Whether the rendered window is close enough to the end of what is loaded to ask for the next page. */
export function nearEnd(window: RowWindow, count: number, threshold: number): boolean {
  return window.end >= count - threshold;
}
