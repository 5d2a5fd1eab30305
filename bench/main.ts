/**
 * `npm run bench [-- --quick] [--profile] [--targets=edgegram,a,b,c,d] [--only=media,catch-up,…] [--connections=1000,5000,10000]`:
 * the orchestrator. Starts each server pinned to one core and a separate load
 * generator process pinned to another, prints the tables, writes the JSON to
 * bench/results/. See the README's Benchmarks section.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { FULL, QUICK } from './config.js';
import { bunBinary } from './lib/bun.js';
import { machine } from './lib/machine.js';
import { planPinning } from './lib/pinning.js';
import { render } from './lib/render.js';
import { checks } from './lib/report.js';
import { PEERS, planned, startTargets, stopTargets } from './lib/servers.js';
import { ROOT, runGenerator } from './lib/spawn.js';
import { ScenarioId as S, TargetName, type GeneratorPlan, type Phase, type ScenarioId, type Skipped } from './lib/types.js';
import { buildBundles } from './server/bundle.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const profiling = args.includes('--profile');
const only = args.find((a) => a.startsWith('--targets='))?.slice('--targets='.length).split(',');
/** `--only=media,catch-up`: only these scenarios, by id (`s8-media`) or name (`media`). */
const onlyScenarios = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const chosen = (id: ScenarioId) => !onlyScenarios || onlyScenarios.some((o) => o === id || o === id.replace(/^s\d+-/, ''));
const connections = args.find((a) => a.startsWith('--connections='))?.slice('--connections='.length).split(',').map(Number);
const sizes = { ...(quick ? QUICK : FULL), ...(connections?.every((n) => n > 0) ? { connectionLevels: connections } : {}) };
const runId = `b${Date.now().toString(36).slice(-5)}`;
const started = Date.now();
const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
const resultsDir = path.join(ROOT, 'bench', 'results');
const INSPECTOR_PORT = '9339';

const E = TargetName.edgegram;
const A = TargetName.minimal;
/** Scenarios 1 and 3 on everyone, 2 and 4 on Edgegram and (a), 6 and 7 on Edgegram (5 runs per server, below). */
const SCENARIOS: { id: ScenarioId; targets: TargetName[] }[] = [
  { id: S.oneToOne, targets: [E, A, ...PEERS] },
  { id: S.ingress, targets: [E, A] },
  { id: S.fanOut, targets: [E, A, ...PEERS] },
  { id: S.smallChats, targets: [E, A] },
  { id: S.catchUp, targets: [E] },
  { id: S.reconnect, targets: [E] },
];
const wanted = (t: TargetName) => (!only || only.some((o) => t === o || t.startsWith(`${o}:`))) && (!profiling || t === E);

const pinning = planPinning();
const phases: Phase[] = [];
const skipped: Skipped[] = [];
const setup: Record<string, Record<string, number>> = {};
const log = (text: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${text}`);

async function drive(plan: Omit<GeneratorPlan, 'sizes' | 'runId'>, timeoutMs = (quick ? 10 : 30) * 60_000): Promise<void> {
  const names = plan.targets.map((t) => t.name).join(', ');
  log(`generator: ${plan.scenarios.map((s) => s.id).join(', ')} on ${names}`);
  const onMessage: Parameters<typeof runGenerator>[2] = (m) => {
    if (m.type === 'phase') {
      phases.push(m.phase);
      const s = m.phase.summary;
      log(`  ${m.phase.target} ${m.phase.label}: ${s.throughput.median.toFixed(0)} ${m.phase.unit}, p99 ${s.p99.median.toFixed(2)} ms, ${s.cpuPerDelivery.median.toFixed(0)} µs CPU/delivery, errors ${s.errors}`);
    } else if (m.type === 'skipped') {
      skipped.push(m.skipped);
      log(`  skipped ${m.skipped.target} ${m.skipped.label}: ${m.skipped.reason}`);
    } else if (m.type === 'log') log(`  ${m.text}`);
    else if (m.type === 'done') setup[`${names}: ${plan.scenarios.map((s) => s.id).join('+')}`] = m.setup;
    else log(`  generator failed: ${m.error}`);
  };
  await runGenerator({ ...plan, sizes, runId }, pinning.generatorCore, onMessage, timeoutMs).catch((err: unknown) => {
    skipped.push({ scenario: plan.scenarios[0]!.id, target: 'all', label: 'remaining scenarios', reason: String(err) });
    log(`  ${String(err)}`);
  });
}

const onSkip = (skip: Skipped) => {
  skipped.push(skip);
  log(`${skip.target}: skipped: ${skip.reason}`);
};

async function runAll(): Promise<void> {
  const names = [E, A, ...PEERS].filter(wanted);
  const dir = mkdtempSync(path.join(tmpdir(), 'edgegram-bench-bundles-'));
  // Interrupted: servers and the generator exit when their pipes close; the bundles go here.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  }
  try {
    log('building the Worker bundles (wrangler deploy --dry-run)…');
    const bundles = await buildBundles(dir);
    const env = { BENCH_BUNDLES: JSON.stringify(bundles), ...(profiling ? { BENCH_INSPECTOR_PORT: INSPECTOR_PORT } : {}) };
    // Every server up at once (idle ones cost nothing); one generator interleaves them.
    const shared = SCENARIOS.filter((s) => chosen(s.id));
    const running = shared.length > 0 ? await startTargets(names, pinning.serverCore, env, onSkip) : [];
    try {
      const up = running.map((r) => r.name);
      const workerd = running.find((r) => r.name === E)?.server;
      const profile = profiling && workerd
        ? { inspector: workerd.info.inspector as string, worker: 'edgegram', bundle: bundles.edgegram, dir: path.join(resultsDir, 'profiles', runId) }
        : undefined;
      const scenarios = shared.map((s) => ({ id: s.id, targets: s.targets.filter((t) => up.includes(t)) }))
        .filter((s) => s.targets.length > 0 && !(profiling && (s.id === S.catchUp || s.id === S.reconnect)));
      if (scenarios.length > 0) await drive({ targets: planned(running), scenarios, accounts: sizes.accounts, ...(profile ? { profile } : {}) });
    } finally {
      await stopTargets(running);
    }
    if (profiling) return;
    // Idle connections: each target in a fresh server of its own, so memory
    // numbers neither share a process nor inherit another run's freed pages;
    // all of them up at once, so they wait for hibernation together.
    const singles = (await Promise.all((chosen(S.connections) ? names : []).map((name) => startTargets([name], pinning.serverCore, env, onSkip)))).flat();
    try {
      if (singles.length) {
        const up = singles.map((r) => r.name);
        await drive({ targets: planned(singles), scenarios: [{ id: S.connections, targets: up }], accounts: sizes.connectionOwners });
      }
    } finally {
      await stopTargets(singles);
    }
    // Media: Edgegram and (a) each in a fresh server of its own as well (peak
    // RSS is per process), both up at once so their repetitions interleave.
    const pair = (await Promise.all((chosen(S.media) ? [E, A].filter(wanted) : []).map((name) => startTargets([name], pinning.serverCore, env, onSkip)))).flat();
    try {
      if (pair.length) {
        const scenarios = [{ id: S.media, targets: pair.map((r) => r.name) }];
        await drive({ targets: planned(pair), scenarios, accounts: 1 }, (quick ? 15 : 90) * 60_000);
      }
    } finally {
      await stopTargets(pair);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  log(`${quick ? 'quick' : 'full'} run ${runId}${profiling ? ' (profiling Edgegram: numbers perturbed)' : ''}; ${pinning.note}`);
  await runAll();
  const host = machine(tmpdir());
  const bun = bunBinary();
  const seconds = (Date.now() - started) / 1000;
  const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
  console.log(render({ command, seconds, startedAt: new Date(started), host, bun: 'version' in bun ? bun.version : 'unavailable', pinning, phases, skipped }));
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${new Date(started).toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}${profiling ? '-profile' : ''}.json`);
  const machineInfo = { ...host, loadAverageAtStart: loadAtStart, loadAverageAtEnd: host.loadAverageAtStart, bun };
  writeFileSync(file, JSON.stringify({ command, runId, quick, profiling, startedAt: new Date(started).toISOString(), seconds, machine: machineInfo, pinning, sizes, setup, phases, checks: checks(phases), skipped }, null, 2));
  console.log(`results: ${path.relative(ROOT, file)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
