/**
 * Rate-limit tests against a real clock: a token bucket lets `burst` through
 * at once and refills `rate` a second, so how many calls in a row pass
 * depends on how fast the machine makes them. These helpers keep calling
 * until one is refused and check the count against what the bucket may let
 * through in the time it took: exact on a fast machine, and still failing if
 * the limit is missing or too loose, however slow the machine is.
 */
export type BucketRule = { rate: number; burst: number };

/** Calls `act` (true: it passed, false: it was refused) until refused, at most `max` times. */
export async function untilRefused(act: () => Promise<boolean>, max: number): Promise<{ passed: number; refused: boolean; elapsedMs: number }> {
  const started = Date.now();
  let passed = 0;
  while (passed < max) {
    if (!(await act())) return { passed, refused: true, elapsedMs: Date.now() - started };
    passed += 1;
  }
  return { passed, refused: false, elapsedMs: Date.now() - started };
}

/** The most the bucket lets through, starting full, over `elapsedMs`: the burst and what refilled meanwhile. */
export function mostAllowed(rule: BucketRule, elapsedMs: number): number {
  return rule.burst + Math.floor((rule.rate * elapsedMs) / 1000);
}
