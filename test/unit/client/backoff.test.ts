import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelay } from '../../../client/backoff.js';

const options = { baseMs: 500, maxMs: 30_000 };

describe('backoff', () => {
  it('doubles from the base and is capped at the maximum', () => {
    const backoff = new Backoff(() => 1, options);
    const delays = Array.from({ length: 10 }, () => backoff.next());
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('jitters within the upper half of each step, so it never drops to zero', () => {
    expect(backoffDelay(0, () => 0, options)).toBe(250);
    expect(backoffDelay(3, () => 0.5, options)).toBe(3000);
    expect(backoffDelay(20, () => 0, options)).toBe(15_000);
  });

  it('stays finite and capped for huge attempt counts', () => {
    expect(backoffDelay(10_000, () => 1, options)).toBe(30_000);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff(() => 1, options);
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(500);
  });
});
