import { CpuWindow } from '../lib/cpu.js';
import type { ProfileSummary } from '../lib/profile.js';
import { percentiles, summarize } from '../lib/stats.js';
import type { Phase, Rep, ScenarioId, Sizes } from '../lib/types.js';
import type { Target } from '../targets/target.js';
import type { Active } from './drive.js';
import { Window, type Tracker } from './tracker.js';

/** Bounds on the adaptive parts of a repetition. */
const MAX_RAMP_MS = 20_000;
const MAX_WINDOW_MS = 10_000;
/** A window spans at least this many of the slowest (p99) message latencies seen in the warm-up. */
const WINDOW_LATENCIES = 4;

/** Above this share of its core the generator, not the server, may be what limits a run. */
export const GENERATOR_SATURATED = 0.85;

export type PhaseSpec = {
  scenario: ScenarioId;
  label: string;
  unit?: string;
  /** Runs before each repetition, outside its measurement window. */
  before?: () => Promise<void>;
  /**
   * Runs the repetition; may return scenario-specific numbers. Load phases
   * offer load while `active()` and then drain; the others run for about
   * `durationMs` (or as long as they take).
   */
  run: (active: Active, durationMs: number) => Promise<Record<string, number> | void>;
  /** The phase's throughput from a repetition; deliveries per second unless given. */
  throughput?: (rep: Rep) => number;
  reps?: number;
  warmup?: boolean;
  durationMs?: number;
  /**
   * Load phases (the default) are measured in steady state: the load runs
   * unmeasured for at least rampMs and until the first messages in flight
   * have completed (cold objects woke up, pipelines are full), then for the
   * measured window, then stops and drains (unmeasured, though latencies of
   * messages sent in the window still count). `false`: the whole run is the
   * window (connections, catch-up, storms).
   */
  steady?: boolean;
};

/** Profiles the server around each phase, warm-up included (only with --profile). */
export type Profiler = { start(): Promise<void>; stop(label: string): Promise<ProfileSummary> };

/** Shared by every phase of one generator process. */
export type MeasureContext = {
  sizes: Sizes;
  tracker: Tracker;
  profiler?: Profiler;
  /** Runs before each phase, outside it: the idle connections' next step (bench/scenarios/connections.ts). */
  between?: () => Promise<void>;
};

/** One system under test in a phase, with what the scenario set up on it. */
export type Contender<S = unknown> = { target: Target; serverPid: number; setup: S };

/**
 * Measures one phase on every contender with their repetitions interleaved
 * (rep 1 of each, then rep 2 of each, the order rotating), so a shared
 * machine's changing background load falls on all of them alike: the ratios
 * hold even when absolute numbers drift. A warm-up repetition each comes
 * first and is discarded.
 */
export async function measureAcross<S>(ctx: MeasureContext, contenders: Contender<S>[], specOf: (c: Contender<S>) => PhaseSpec): Promise<Phase[]> {
  const specs = contenders.map(specOf);
  const first = specs[0];
  if (!first) return [];
  await ctx.between?.();
  const count = first.reps ?? ctx.sizes.reps;
  const reps: Rep[][] = contenders.map(() => []);
  // Windows long against the target's own latency: a slow system's 1 s window may otherwise see no completion.
  const windows = specs.map((spec) => spec.durationMs ?? ctx.sizes.repMs);
  await ctx.profiler?.start();
  for (let i = (first.warmup ?? true) ? -1 : 0; i < count; i++) {
    for (let k = 0; k < contenders.length; k++) {
      const j = (k + Math.max(i, 0)) % contenders.length;
      const spec = specs[j]!;
      const rep = await measureRep(ctx, contenders[j]!, spec, i < 0 ? ctx.sizes.warmupMs : windows[j]!);
      if (i >= 0) reps[j]!.push(rep);
      else if (spec.steady !== false) {
        const slowest = Math.max(rep.lastLatency.p99, rep.latency.p99, rep.ackLatency.p99);
        // A warm-up that saw nothing complete says the latency is past its window: measure over the longest window instead
        // (500 small chats with one message each in flight once measured 0 deliveries in 0.7 s windows).
        windows[j] = Number.isFinite(slowest) ? Math.min(MAX_WINDOW_MS, Math.max(windows[j]!, WINDOW_LATENCIES * slowest)) : MAX_WINDOW_MS;
      }
    }
  }
  const profile = ctx.profiler ? await ctx.profiler.stop(first.label) : undefined;
  return contenders.map((c, j) => summarizePhase(c.target, specs[j]!, reps[j]!, profile));
}

/** The same, for one system. */
export async function measurePhase(ctx: MeasureContext, contender: Contender, spec: PhaseSpec): Promise<Phase> {
  return (await measureAcross(ctx, [contender], () => spec))[0]!;
}

/** Counts as the CPU cost per delivery: server CPU over the repetition / deliveries in it. */
function cpuPerDelivery(rep: Rep): number {
  return rep.deliveries > 0 ? rep.serverCpuUs / rep.deliveries : Number.NaN;
}

export function summarizePhase(target: Target, spec: PhaseSpec, reps: Rep[], profile: ProfileSummary | undefined): Phase {
  const throughputOf = spec.throughput ?? ((r: Rep) => (r.deliveries / r.wallMs) * 1000);
  const extraKeys = [...new Set(reps.flatMap((r) => Object.keys(r.extra)))];
  const saturated = reps.some((r) => r.generatorCpuShare > GENERATOR_SATURATED);
  return {
    scenario: spec.scenario,
    target: target.name,
    label: spec.label,
    unit: spec.unit ?? 'deliveries/s',
    reps,
    summary: {
      throughput: summarize(reps.map(throughputOf)),
      p50: summarize(reps.map((r) => r.latency.p50)),
      p99: summarize(reps.map((r) => r.latency.p99)),
      p999: summarize(reps.map((r) => r.latency.p999)),
      lastP99: summarize(reps.map((r) => r.lastLatency.p99)),
      cpuPerDelivery: summarize(reps.map(cpuPerDelivery)),
      writeKiBPerDelivery: summarize(reps.map((r) => (r.deliveries > 0 ? r.serverWriteBytes / 1024 / r.deliveries : Number.NaN))),
      generatorCpu: summarize(reps.map((r) => r.generatorCpuShare)),
      errors: reps.reduce((n, r) => n + r.errors, 0),
      extra: Object.fromEntries(extraKeys.map((k) => [k, summarize(reps.map((r) => r.extra[k] ?? Number.NaN))])),
    },
    generatorSaturated: saturated,
    notes: saturated ? [`generator above ${GENERATOR_SATURATED * 100}% of its core: client-bound`] : [],
    ...(profile ? { profile } : {}),
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The counters, server CPU and generator CPU of one measurement window. */
class Measurement {
  readonly window = new Window();
  private readonly server: CpuWindow;
  private readonly self = process.cpuUsage();
  private stopped: Omit<Rep, 'latency' | 'lastLatency' | 'ackLatency' | 'extra'> | undefined;

  constructor(
    private readonly tracker: Tracker,
    serverPid: number,
  ) {
    tracker.window = this.window;
    this.server = new CpuWindow(serverPid);
  }

  /** Ends the window: arrivals after this count nowhere (latencies of messages sent in it still do). */
  stop(): void {
    const serverCpu = this.server.stop();
    const own = process.cpuUsage(this.self);
    this.tracker.window = new Window();
    const w = this.window;
    this.stopped = {
      wallMs: serverCpu.wallMs,
      sends: w.sends,
      acks: w.acks,
      deliveries: w.deliveries,
      errors: w.errors,
      errorCodes: w.errorCodes,
      serverCpuUs: serverCpu.cpuUs,
      serverWriteBytes: serverCpu.writeBytes,
      generatorCpuShare: (own.user + own.system) / (serverCpu.wallMs * 1000),
    };
  }

  /** The repetition, once its messages have drained. */
  rep(extra: Record<string, number>): Rep {
    if (!this.stopped) this.stop();
    const w = this.window;
    return {
      ...this.stopped!,
      errors: w.errors,
      errorCodes: w.errorCodes,
      latency: percentiles(w.latencies),
      lastLatency: percentiles(w.lastLatencies),
      ackLatency: percentiles(w.ackLatencies),
      extra,
    };
  }
}

async function measureRep(ctx: MeasureContext, contender: Contender, spec: PhaseSpec, durationMs: number): Promise<Rep> {
  const { serverPid, target } = contender;
  await spec.before?.();
  if (spec.steady === false) {
    const m = new Measurement(ctx.tracker, serverPid);
    const extra = (await spec.run(() => false, durationMs)) ?? {};
    return m.rep(extra);
  }
  const ramp = new Window();
  ctx.tracker.window = ramp;
  let active = true;
  const running = spec.run(() => active, durationMs);
  // What went out at once (closed loops fill their windows synchronously) must come back before measuring.
  const initial = ramp.sends;
  const rampStarted = performance.now();
  await sleep(ctx.sizes.rampMs);
  while (ramp.acks + ramp.errors < initial && performance.now() - rampStarted < MAX_RAMP_MS) await sleep(20);
  // Rows written over the window, read just outside it (two local HTTP calls): a steady state's rate.
  const rowsBefore = await target.sqlRowsWritten?.();
  const m = new Measurement(ctx.tracker, serverPid);
  await sleep(durationMs);
  m.stop();
  const rowsAfter = await target.sqlRowsWritten?.();
  active = false;
  const ran = (await running) ?? {};
  const deliveries = m.window.deliveries;
  const extra =
    rowsBefore !== undefined && rowsAfter !== undefined && deliveries > 0 ? { ...ran, rowsPerDelivery: (rowsAfter - rowsBefore) / deliveries } : ran;
  // Failures of messages sent during the ramp (e.g. never delivered) stay visible.
  return m.rep(ramp.errors > 0 ? { ...extra, rampErrors: ramp.errors } : extra);
}
