/**
 * `npm run bench [-- --quick] [--profile] [--targets=edgegram,a,b,c,d] [--only=media,catch-up,…] [--connections=1000,5000,10000] [--media-size=2GiB] [--media-reps=1]`:
 * the orchestrator. Starts each server pinned to one core and a separate load
 * generator process pinned to another, prints the tables, writes the JSON to
 * bench/results/. See the README's Benchmarks section.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { FULL, QUICK } from './config.js';
import { bunBinary } from './lib/bun.js';
import { machine } from './lib/machine.js';
import { planPinning } from './lib/pinning.js';
import { render } from './lib/render.js';
import { checks } from './lib/report.js';
import { PEERS, planned, startGroups, stopTargets } from './lib/servers.js';
import { ROOT, runGenerator } from './lib/spawn.js';
import { ScenarioId as S, TargetName, type GeneratorPlan, type Phase, type ScenarioId, type Skipped } from './lib/types.js';
import { cachedBundles } from './server/bundle.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const profiling = args.includes('--profile');
const only = args.find((a) => a.startsWith('--targets='))?.slice('--targets='.length).split(',');
/** `--only=media,catch-up`: only these scenarios, by id (`s8-media`) or name (`media`). */
const onlyScenarios = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const chosen = (id: ScenarioId) => !onlyScenarios || onlyScenarios.some((o) => o === id || o === id.replace(/^s\d+-/, ''));
const connections = args.find((a) => a.startsWith('--connections='))?.slice('--connections='.length).split(',').map(Number);
/** `--media-size=2GiB` (or 512MiB, or bytes): the media scenario's file; `--media-reps=1`: its repetitions. */
const mediaSize = parseSize(args.find((a) => a.startsWith('--media-size='))?.slice('--media-size='.length));
const mediaReps = Number(args.find((a) => a.startsWith('--media-reps='))?.slice('--media-reps='.length));
const sizes = {
  ...(quick ? QUICK : FULL),
  ...(connections?.every((n) => n > 0) ? { connectionLevels: connections } : {}),
  ...(mediaSize ? { mediaBytes: mediaSize } : {}),
  ...(mediaReps > 0 ? { mediaReps } : {}),
};

/**
 * workerd holds two file descriptors per accepted WebSocket (measured: 10,000
 * idle sockets took it to its limit of 20,000 and it died), so a level that
 * would not fit under the hard limit on open files is lowered to the
 * largest thousand that does, and the run says so.
 */
const FDS_PER_SOCKET = 2;
const FD_HEADROOM = 1_000;
function openFileLimit(): number {
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[2] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(m[2]);
}
const fdLimit = openFileLimit();
const maxIdle = Math.floor((fdLimit - FD_HEADROOM) / FDS_PER_SOCKET / 1_000) * 1_000;
const cappedLevels = [...new Set(sizes.connectionLevels.map((n) => Math.min(n, maxIdle)))];
const levelNote =
  cappedLevels.length === sizes.connectionLevels.length && cappedLevels.every((n, i) => n === sizes.connectionLevels[i])
    ? null
    : `idle connections: levels ${sizes.connectionLevels.join(', ')} lowered to ${cappedLevels.join(', ')}: the hard limit on open files is ${fdLimit} and workerd needs ${FDS_PER_SOCKET} per socket`;
sizes.connectionLevels = cappedLevels;

function parseSize(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(GiB|MiB|KiB|)$/i.exec(text);
  if (!m) throw new Error(`--media-size: expected e.g. 2GiB, 512MiB or a byte count, got ${text}`);
  const unit = { gib: 1024 ** 3, mib: 1024 ** 2, kib: 1024, '': 1 }[m[2]!.toLowerCase() as 'gib' | 'mib' | 'kib' | '']!;
  const bytes = Math.round(Number(m[1]) * unit);
  if (bytes > 2 * 1024 ** 3) throw new Error('--media-size: Edgegram takes files up to 2 GiB');
  return bytes;
}
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
  { id: S.search, targets: [E] },
  { id: S.largeChats, targets: [E] },
];
const wanted = (t: TargetName) => (!only || only.some((o) => t === o || t.startsWith(`${o}:`))) && (!profiling || t === E);

const pinning = planPinning();
const phases: Phase[] = [];
const skipped: Skipped[] = [];
const setup: Record<string, Record<string, number>> = {};
/** Wall time of each step of the run, seconds: building, starting servers, each scenario (from the generators), stopping. */
const wall: Record<string, number> = {};
const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
  const t0 = Date.now();
  try {
    return await work();
  } finally {
    wall[step] = (wall[step] ?? 0) + (Date.now() - t0) / 1000;
  }
};
const log = (text: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${text}`);

async function drive(plan: Omit<GeneratorPlan, 'sizes' | 'runId'>, timeoutMs = (quick ? 10 : 30) * 60_000): Promise<void> {
  const names = plan.targets.map((t) => t.name).join(', ');
  log(`generator: ${plan.scenarios.map((s) => s.id).join(', ')}${plan.idle ? ` (and ${S.connections} between them on ${plan.idle.targets.map((t) => t.name).join(', ')})` : ''} on ${names}`);
  const onMessage: Parameters<typeof runGenerator>[2] = (m) => {
    if (m.type === 'phase') {
      phases.push(m.phase);
      const s = m.phase.summary;
      log(`  ${m.phase.target} ${m.phase.label}: ${s.throughput.median.toFixed(0)} ${m.phase.unit}, p99 ${s.p99.median.toFixed(2)} ms, ${s.cpuPerDelivery.median.toFixed(0)} µs CPU/delivery, errors ${s.errors}`);
    } else if (m.type === 'skipped') {
      skipped.push(m.skipped);
      log(`  skipped ${m.skipped.target} ${m.skipped.label}: ${m.skipped.reason}`);
    } else if (m.type === 'log') log(`  ${m.text}`);
    else if (m.type === 'done') {
      setup[`${names}: ${[...plan.scenarios.map((s) => s.id), ...(plan.idle ? [S.connections] : [])].join('+')}`] = m.setup;
      for (const [k, v] of Object.entries(m.setup)) {
        if (k.endsWith(' seconds') && k.startsWith('s')) wall[k.slice(0, -' seconds'.length)] = v;
        else if (k.endsWith('signupSeconds')) wall['sign-ups'] = (wall['sign-ups'] ?? 0) + v;
      }
    }
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
    log('the Worker bundles (wrangler deploy --dry-run, reused while their inputs are unchanged)…');
    const bundles = await timed('bundles', () => cachedBundles(dir));
    log(bundles.cached ? `bundles: cached (${bundles.key})` : `bundles: built${bundles.key ? ` and cached (${bundles.key})` : ''}`);
    const env = { BENCH_BUNDLES: JSON.stringify({ edgegram: bundles.edgegram, minimal: bundles.minimal }), ...(profiling ? { BENCH_INSPECTOR_PORT: INSPECTOR_PORT } : {}) };
    const shared = SCENARIOS.filter((s) => chosen(s.id));
    const idleNames = chosen(S.connections) && !profiling ? names : [];
    const mediaNames = chosen(S.media) && !profiling ? [E, A].filter(wanted) : [];
    // Every server of the run starts at once, up front (idle ones cost
    // nothing): one set for the shared scenarios (Edgegram and (a) in one
    // workerd), and, since memory is per process, a fresh server per target
    // for the idle connections and one each for Edgegram's and (a)'s media.
    const groups = [shared.length > 0 ? names : [], ...idleNames.map((n) => [n]), ...mediaNames.map((n) => [n])];
    const up0 = await timed('server start', () => startGroups(groups, pinning.serverCore, env, onSkip));
    const running = up0[0]!;
    const singles = up0.slice(1, 1 + idleNames.length).flat();
    const pair = up0.slice(1 + idleNames.length).flat();
    try {
      const up = running.map((r) => r.name);
      const inspector = running.find((r) => r.name === E)?.inspector;
      const profile = profiling && inspector
        ? { inspector, worker: 'edgegram', bundle: bundles.edgegram, dir: path.join(resultsDir, 'profiles', runId) }
        : undefined;
      const scenarios = shared.map((s) => ({ id: s.id, targets: s.targets.filter((t) => up.includes(t)) }))
        .filter((s) => s.targets.length > 0 && !(profiling && (s.id === S.catchUp || s.id === S.reconnect || s.id === S.search || s.id === S.largeChats)));
      // Idle connections run in the same generator, between these scenarios (their hibernation waits overlap them).
      // Edgegram's idle owners are seeded by the target itself (EdgegramTarget.openIdle): no sign-ups.
      const idle = singles.length > 0 ? { targets: planned(singles), accounts: 0 } : undefined;
      if (scenarios.length > 0 || idle) {
        await drive({ targets: planned(running), scenarios, accounts: scenarios.length > 0 ? sizes.accounts : 0, ...(idle ? { idle } : {}), ...(profile ? { profile } : {}) });
      }
      if (pair.length) {
        const scenarios = [{ id: S.media, targets: pair.map((r) => r.name) }];
        await drive({ targets: planned(pair), scenarios, accounts: 1 }, (quick ? 15 : 90) * 60_000);
      }
    } finally {
      await timed('server stop', () => stopTargets([...running, ...singles, ...pair]));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  log(`${quick ? 'quick' : 'full'} run ${runId}${profiling ? ' (profiling Edgegram: numbers perturbed)' : ''}; ${pinning.note}`);
  if (levelNote) {
    log(levelNote);
    skipped.push({ scenario: S.connections, target: 'all', label: 'idle connection levels', reason: levelNote });
  }
  await runAll();
  const host = machine(tmpdir());
  const bun = bunBinary();
  const seconds = (Date.now() - started) / 1000;
  const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
  console.log(render({ command, seconds, wall, startedAt: new Date(started), host, bun: 'version' in bun ? bun.version : 'unavailable', pinning, phases, skipped }));
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${new Date(started).toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}${profiling ? '-profile' : ''}.json`);
  const machineInfo = { ...host, loadAverageAtStart: loadAtStart, loadAverageAtEnd: host.loadAverageAtStart, bun };
  writeFileSync(file, JSON.stringify({ command, runId, quick, profiling, startedAt: new Date(started).toISOString(), seconds, wallSeconds: wall, machine: machineInfo, pinning, sizes, setup, phases, checks: checks(phases), skipped }, null, 2));
  console.log(`results: ${path.relative(ROOT, file)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
