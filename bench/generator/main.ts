/**
 * The load generator: a separate process (pinned to its own core) that the
 * orchestrator starts with a GeneratorPlan over IPC. It connects to every
 * planned server, runs the scenarios (each on its listed targets, their
 * repetitions interleaved) and reports each measured phase back.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Inspector, moduleMap, summarizeProfile } from '../lib/profile.js';
import { ScenarioId as S, TargetName, type GeneratorMessage, type GeneratorPlan, type PlannedTarget, type ScenarioId } from '../lib/types.js';
import { catchUp } from '../scenarios/catch-up.js';
import { search } from '../scenarios/search.js';
import { largeChats } from '../scenarios/large-chats.js';
import { IdleConnections } from '../scenarios/connections.js';
import type { ScenarioContext } from '../scenarios/context.js';
import { fanOut } from '../scenarios/fan-out.js';
import { ingress } from '../scenarios/ingress.js';
import { media } from '../scenarios/media.js';
import { oneToOne } from '../scenarios/one-to-one.js';
import { reconnectStorm } from '../scenarios/reconnect-storm.js';
import { smallChats } from '../scenarios/small-chats.js';
import { EdgegramTarget } from '../targets/edgegram.js';
import { RoomsTarget } from '../targets/rooms.js';
import { SocketIoTarget } from '../targets/socketio.js';
import type { Target } from '../targets/target.js';
import type { Profiler } from './measure.js';
import { Tracker } from './tracker.js';

function send(message: GeneratorMessage): void {
  process.send?.(message);
}

function targetFor(planned: PlannedTarget, plan: GeneratorPlan, tracker: Tracker, accounts: number): Target {
  switch (planned.name) {
    case TargetName.edgegram:
      return new EdgegramTarget(planned.url, tracker, plan.runId, accounts);
    case TargetName.socketIo:
      return new SocketIoTarget(planned.url, tracker);
    case TargetName.minimal:
    case TargetName.nodeWs:
    case TargetName.bun:
      return new RoomsTarget(planned.name, planned.url, tracker, plan.runId);
  }
}

async function runScenario(id: ScenarioId, ctx: ScenarioContext): Promise<void> {
  const edgegram = () => {
    const target = ctx.contenders[0]?.target;
    if (!(target instanceof EdgegramTarget)) throw new Error(`${id} is an Edgegram scenario`);
    return target;
  };
  switch (id) {
    case S.oneToOne:
      return oneToOne(ctx);
    case S.ingress:
      return ingress(ctx);
    case S.fanOut:
      return fanOut(ctx);
    case S.smallChats:
      return smallChats(ctx);
    case S.connections:
      throw new Error('idle connections run between the other scenarios (GeneratorPlan.idle)');
    case S.catchUp:
      return catchUp(ctx, edgegram());
    case S.reconnect:
      return reconnectStorm(ctx, edgegram());
    case S.media:
      return media(ctx);
    case S.search:
      return search(ctx, edgegram());
    case S.largeChats:
      return largeChats(ctx, edgegram());
  }
}

/** --profile: a V8 CPU profile of the server around each phase's measured repetitions. */
async function profilerFor(plan: GeneratorPlan): Promise<Profiler | undefined> {
  if (!plan.profile) return undefined;
  const { inspector, worker, bundle, dir } = plan.profile;
  const session = await Inspector.connect(inspector, worker);
  const moduleOf = moduleMap(bundle);
  mkdirSync(dir, { recursive: true });
  return {
    start: () => session.start(),
    async stop(label) {
      const profile = await session.stop();
      writeFileSync(path.join(dir, `${worker}-${label.replace(/[^A-Za-z0-9]+/g, '-')}.cpuprofile`), JSON.stringify(profile));
      return summarizeProfile(profile, moduleOf);
    },
  };
}

async function run(plan: GeneratorPlan): Promise<void> {
  const tracker = new Tracker(plan.runId);
  const targets = plan.targets.map((t) => ({ target: targetFor(t, plan, tracker, plan.accounts), serverPid: t.serverPid, setup: null }));
  const idleTargets = (plan.idle?.targets ?? []).map((t) => ({ target: targetFor(t, plan, tracker, plan.idle!.accounts), serverPid: t.serverPid, setup: null }));
  const profiler = await profilerFor(plan);
  const setup: Record<string, number> = {};
  for (const [kind, list] of [['', targets], ['idle ', idleTargets]] as const) {
    for (const { target } of list) {
      for (const [k, v] of Object.entries(await target.prepare())) setup[`${kind}${target.name} ${k}`] = v;
    }
  }
  // Idle connections advance one step before each phase of the other scenarios (see IdleConnections).
  let between: (() => Promise<void>) | undefined;
  const contextFor = (contenders: ScenarioContext['contenders']): ScenarioContext => ({
    ...(profiler ? { profiler } : {}),
    ...(between ? { between } : {}),
    sizes: plan.sizes,
    tracker,
    contenders,
    report: (phase) => send({ type: 'phase', phase }),
    skip: (skipped) => send({ type: 'skipped', skipped }),
    log: (text) => send({ type: 'log', text }),
  });
  const idle = idleTargets.length > 0 ? new IdleConnections(contextFor(idleTargets), idleTargets) : undefined;
  /** Seconds the idle connections' own steps took (connecting, and waits nothing overlapped). */
  let idleSeconds = 0;
  const idleStep = async (last: boolean) => {
    if (!idle) return;
    const started = performance.now();
    await (last ? idle.finish() : idle.step());
    idleSeconds += (performance.now() - started) / 1000;
  };
  if (idle) between = () => idleStep(false);
  for (const { id, targets: names } of plan.scenarios) {
    const contenders = names.map((name) => targets.find((t) => t.target.name === name)!).filter(Boolean);
    const ctx = contextFor(contenders);
    const started = performance.now();
    try {
      await runScenario(id, ctx);
    } catch (err) {
      ctx.skip({ scenario: id, target: 'all', label: id, reason: `failed: ${err instanceof Error ? err.message : String(err)}` });
      tracker.abandonAll();
      for (const c of contenders) await c.target.closeAll().catch(() => {});
    }
    setup[`${id} seconds`] = (performance.now() - started) / 1000;
  }
  await idleStep(true);
  if (idle) setup[`${S.connections} seconds`] = idleSeconds;
  send({ type: 'done', setup });
}

// The orchestrator went away (interrupted): stop too.
process.once('disconnect', () => process.exit(1));
process.once('message', (plan: GeneratorPlan) => {
  run(plan).then(
    () => process.exit(0),
    (err: unknown) => {
      send({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      process.exit(1);
    },
  );
});
