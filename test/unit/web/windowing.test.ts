import { describe, expect, it } from 'vitest';
import { nearEnd, rowWindow } from '../../../web/src/lib/windowing.js';

describe('the member list’s row window', () => {
  const base = { viewportHeight: 400, rowHeight: 50, overscan: 2 };

  it('renders the rows in view plus the overscan, at the top of the list', () => {
    expect(rowWindow({ ...base, scrollTop: 0, count: 1000 })).toEqual({ start: 0, end: 10, totalHeight: 50_000 });
  });

  it('renders the same number of rows deep in a list of 200,000 as near its top', () => {
    const deep = rowWindow({ ...base, scrollTop: 5_000_000, count: 200_000 });
    expect(deep).toEqual({ start: 99_998, end: 100_010, totalHeight: 10_000_000 });
    expect(deep.end - deep.start).toBe(12);
  });

  it('counts a row cut by the viewport’s edge as shown', () => {
    expect(rowWindow({ ...base, scrollTop: 25, count: 1000, overscan: 0 })).toMatchObject({ start: 0, end: 9 });
  });

  it('clamps to the list: a short list renders every row, a scrollTop past the end shows the last rows', () => {
    expect(rowWindow({ ...base, scrollTop: 0, count: 3 })).toEqual({ start: 0, end: 3, totalHeight: 150 });
    expect(rowWindow({ ...base, scrollTop: 99_999, count: 20, overscan: 0 })).toEqual({ start: 12, end: 20, totalHeight: 1000 });
    expect(rowWindow({ ...base, scrollTop: -30, count: 20, overscan: 0 })).toMatchObject({ start: 0, end: 8 });
  });

  it('renders nothing for an empty list or before the viewport is measured', () => {
    expect(rowWindow({ ...base, scrollTop: 0, count: 0 })).toEqual({ start: 0, end: 0, totalHeight: 0 });
    expect(rowWindow({ ...base, viewportHeight: 0, scrollTop: 0, count: 100, overscan: 0 })).toMatchObject({ start: 0, end: 0 });
  });

  it('asks for the next page only when the window nears the last loaded row', () => {
    const top = rowWindow({ ...base, scrollTop: 0, count: 50 });
    const bottom = rowWindow({ ...base, scrollTop: 2_100, count: 50 });
    expect(nearEnd(top, 50, 5)).toBe(false);
    expect(nearEnd(bottom, 50, 5)).toBe(true);
  });
});
