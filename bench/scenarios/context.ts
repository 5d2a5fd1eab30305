import type { Contender, MeasureContext } from '../generator/measure.js';
import type { Phase, Skipped } from '../lib/types.js';
import type { Target } from '../targets/target.js';

/** What every scenario gets: the systems it runs on, measurement context, and where to report. */
export type ScenarioContext = MeasureContext & {
  /** The targets of this scenario, each with its server's pid. */
  contenders: Contender<null>[];
  report(phase: Phase): void;
  skip(skipped: Skipped): void;
  log(text: string): void;
};

export const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs a scenario's setup on each target in turn (not at once: setup load would overlap). */
export async function setupAll<S>(ctx: ScenarioContext, setup: (target: Target) => Promise<S>): Promise<Contender<S>[]> {
  const out: Contender<S>[] = [];
  for (const c of ctx.contenders) out.push({ ...c, setup: await setup(c.target) });
  return out;
}

export async function closeAll(ctx: ScenarioContext): Promise<void> {
  for (const c of ctx.contenders) await c.target.closeAll();
}
