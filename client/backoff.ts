/** Reconnect delays: exponential growth with jitter, capped. Pure; the caller passes `random`. */
export interface BackoffOptions {
  /** First delay, before jitter. */
  baseMs: number;
  /** No delay ever exceeds this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * The delay before reconnect attempt `attempt` (0-based). "Equal jitter": half
 * the exponential step is fixed, half random, so delays keep growing (a fleet
 * of clients dropped by one deploy does not stampede back in lockstep) yet
 * never fall to zero.
 */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  // Clamp the exponent so 2 ** attempt never overflows to Infinity.
  const step = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + (random() * step) / 2);
}

/** Counts attempts; `reset()` after a connection succeeds. */
export class Backoff {
  #attempt = 0;

  constructor(
    private readonly random: () => number,
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
  ) {}

  get attempt(): number {
    return this.#attempt;
  }

  /** The next delay; each call advances the attempt counter. */
  next(): number {
    return backoffDelay(this.#attempt++, this.random, this.options);
  }

  reset(): void {
    this.#attempt = 0;
  }
}
