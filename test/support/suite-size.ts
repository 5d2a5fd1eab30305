/**
 * How hard the long-running suites (fuzzing, property models, the
 * authorization matrices, crash-restart) push, from the run's settings:
 *
 * - `quick`: `npm test`, every day, every commit; each suite still runs
 *   every endpoint, row and code path, at a fraction of the inputs;
 * - `soak`: `npm run test:soak` (CI runs it after `npm test`): the full
 *   strength the suites always had (EDGEGRAM_SOAK=1);
 * - `long`: EDGEGRAM_LONG=1, for hunting (hours, by hand).
 *
 * Node suites pass `process.env`; workerd suites `env` from cloudflare:test
 * (the vitest config forwards the variables as bindings).
 */
export type SuiteSize = 'quick' | 'soak' | 'long';

export function suiteSize(vars: { EDGEGRAM_SOAK?: string | undefined; EDGEGRAM_LONG?: string | undefined }): SuiteSize {
  const on = (v: string | undefined) => v === '1' || v === 'true';
  if (on(vars.EDGEGRAM_LONG)) return 'long';
  return on(vars.EDGEGRAM_SOAK) ? 'soak' : 'quick';
}

/** A count per size; EDGEGRAM_FUZZ_RUNS-style overrides win when given. */
export function sized(size: SuiteSize, counts: Record<SuiteSize, number>, override?: string): number {
  const exact = Number(override);
  return override && Number.isInteger(exact) && exact > 0 ? exact : counts[size];
}
