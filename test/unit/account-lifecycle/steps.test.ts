import { describe, expect, it } from 'vitest';
import { runSteps, type Progress, type ProgressStore, type Step } from '../../../services/account-lifecycle/steps.js';

/** Progress in memory, as the D1 row keeps it. */
function memoryStore(start: Progress = { step: null, cursor: null }): ProgressStore & { saved: Progress[]; current: Progress } {
  const store = {
    current: start,
    saved: [] as Progress[],
    load: async () => store.current,
    save: async (p: Progress) => {
      store.current = p;
      store.saved.push(p);
    },
  };
  return store;
}

/** A step of `pages` pages that logs each page it runs and throws once at `crashAt`. */
function paged(name: string, pages: number, log: string[], crashAt?: number): Step {
  let crashed = false;
  return async (cursor) => {
    const page = cursor === null ? 0 : Number(cursor);
    if (page === crashAt && !crashed) {
      crashed = true;
      throw new Error('evicted');
    }
    log.push(`${name}:${page}`);
    return page + 1 < pages ? { done: false, cursor: String(page + 1) } : { done: true };
  };
}

describe('resumable steps', () => {
  it('runs every page of every step in order, recording progress after each', async () => {
    const log: string[] = [];
    const store = memoryStore();
    await runSteps(store, [
      ['a', paged('a', 2, log)],
      ['b', paged('b', 3, log)],
    ]);
    expect(log).toEqual(['a:0', 'a:1', 'b:0', 'b:1', 'b:2']);
    expect(store.saved).toEqual([
      { step: 'a', cursor: '1' },
      { step: 'b', cursor: null },
      { step: 'b', cursor: '1' },
      { step: 'b', cursor: '2' },
    ]);
  });

  it('after a crash mid-step, a new run resumes at the page that did not record, not from the start', async () => {
    const log: string[] = [];
    const store = memoryStore();
    const steps = [
      ['a', paged('a', 2, log)],
      ['b', paged('b', 3, log, 2)],
      ['c', paged('c', 1, log)],
    ] as const;
    await expect(runSteps(store, steps)).rejects.toThrow('evicted');
    expect(store.current).toEqual({ step: 'b', cursor: '2' });
    await runSteps(store, steps);
    expect(log).toEqual(['a:0', 'a:1', 'b:0', 'b:1', 'b:2', 'c:0']);
  });

  it('stops after its page budget and the next run goes on from there', async () => {
    const log: string[] = [];
    const store = memoryStore();
    const steps = [
      ['a', paged('a', 3, log)],
      ['b', paged('b', 2, log)],
    ] as const;
    expect(await runSteps(store, steps, 2)).toBe(false);
    expect(await runSteps(store, steps, 2)).toBe(false);
    expect(await runSteps(store, steps, 2)).toBe(true);
    expect(log).toEqual(['a:0', 'a:1', 'a:2', 'b:0', 'b:1']);
  });

  it('a recorded step this version does not know starts again from the first step', async () => {
    const log: string[] = [];
    await runSteps(memoryStore({ step: 'renamed', cursor: '7' }), [['a', paged('a', 1, log)]]);
    expect(log).toEqual(['a:0']);
  });
});
