/**
 * A resumable job: named steps run in order, each in pages. A step is given
 * the cursor it reached (null at its start) and does one bounded page of
 * work, answering the next cursor, or `done`. The progress is recorded after
 * every page, so a crash or an eviction resumes at the page that did not
 * record (which runs again: each page must be idempotent), never from the start.
 */
export type StepPage = { done: true } | { done: false; cursor: string };
export type Step = (cursor: string | null) => Promise<StepPage>;

/** Where the job is: a step's name and its cursor in it; null step = not started. */
export type Progress = { step: string | null; cursor: string | null };

/** Where progress is kept (a D1 row for deletion and export; a map in unit tests). */
export interface ProgressStore {
  load(): Promise<Progress>;
  save(progress: Progress): Promise<void>;
}

/**
 * Runs the steps from the recorded progress: to the end (answers true), or
 * until `pageBudget` pages ran (answers false; the caller runs it again,
 * from another alarm, so one run's subrequests and time stay bounded). A
 * step name the job no longer has (a rename across versions) starts the job
 * again from its first step, which idempotent steps allow.
 */
export async function runSteps(store: ProgressStore, steps: ReadonlyArray<readonly [string, Step]>, pageBudget = Infinity): Promise<boolean> {
  let budget = pageBudget;
  const progress = await store.load();
  let index = progress.step === null ? 0 : steps.findIndex(([name]) => name === progress.step);
  let cursor = index < 0 ? null : progress.cursor;
  if (index < 0) index = 0;
  for (; index < steps.length; index++) {
    const [name, step] = steps[index]!;
    for (;;) {
      if (budget-- <= 0) return false;
      const page = await step(cursor);
      if (page.done) break;
      cursor = page.cursor;
      await store.save({ step: name, cursor });
    }
    cursor = null;
    const next = steps[index + 1];
    if (next) await store.save({ step: next[0], cursor: null });
  }
  return true;
}
