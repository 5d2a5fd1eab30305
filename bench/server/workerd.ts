/**
 * The server process for the workerd targets: Edgegram (the production
 * bundle) and peer (a), the minimal Durable Object, in one Miniflare/workerd
 * instance, each on its own direct socket (no dev proxy, no entry worker in
 * the path). D1 migrations are applied by executing their SQL; state lives in
 * a fresh temporary directory per instance. `BENCH_WORKERD_INSTANCES=n`
 * starts n such instances, each its own workerd process (memory and CPU are
 * read per process), from this one Node host, so wrangler and Miniflare load
 * once rather than once per server. Started by the orchestrator (pinned with
 * taskset; the workerd children inherit it); prints
 * `BENCH_READY {"instances":[{"pid","urls",…}]}` (pids: workerd's) and exits
 * when stdin closes.
 */
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findDescendants } from '../lib/cpu.js';
import { unstable_getMiniflareWorkerOptions, unstable_splitSqlQuery } from 'wrangler';
import { exitWithParent } from '../peers/protocol.js';
import { buildBundles, ROOT, type Bundles } from './bundle.js';
import { applyMigrations } from './d1-migrations.js';

type MiniflareModule = typeof import('../../node_modules/wrangler/node_modules/miniflare');
// The Miniflare that wrangler itself bundles, so workerd is the same build `npm start` runs.
const { Miniflare, Log, LogLevel, convertV4MiniflareOptions } = createRequire(path.join(ROOT, 'node_modules', 'wrangler', 'package.json'))(
  'miniflare',
) as MiniflareModule;

/**
 * Edgegram's bindings, compatibility date and flags exactly as wrangler.toml
 * declares them (wrangler's own translation to Miniflare options), minus what
 * the bench does not serve: static assets, crons, module rules (the bundle is
 * one module).
 */
function edgegramOptions(): Record<string, unknown> {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(ROOT, 'wrangler.toml'));
  const { assets, cronTriggers, modulesRules, rootPath, connectHandlers, ...options } = workerOptions as Record<string, unknown>;
  void [assets, cronTriggers, modulesRules, rootPath, connectHandlers];
  return options;
}

type Instance = { pid: number; urls: { edgegram: string; minimal: string }; stateDir: string; migrated: number; inspector: string | null };

/** The workerd under this host that has a file open under `stateDir` (its D1 database, once migrated). */
function workerdWith(stateDir: string): number | undefined {
  return findDescendants(process.pid, 'workerd').find((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(`${stateDir}/`);
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
}

async function startInstance(mf: InstanceType<typeof Miniflare>, stateDir: string): Promise<Instance> {
  await mf.ready;
  const migrated = await applyMigrations(await mf.getD1Database('DB', 'edgegram'), path.join(ROOT, 'd1/migrations'), unstable_splitSqlQuery);
  const urls = {
    edgegram: (await mf.unsafeGetDirectURL('edgegram')).origin,
    minimal: (await mf.unsafeGetDirectURL('minimal')).origin,
  };
  // Instances start together: each one's workerd is the one holding its state directory open.
  const pid = workerdWith(stateDir);
  if (pid === undefined) throw new Error(`no workerd process under the Miniflare host has ${stateDir} open`);
  const inspector = process.env.BENCH_INSPECTOR_PORT ? (await mf.getInspectorURL()).href : null;
  return { pid, urls, stateDir, migrated, inspector };
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'edgegram-bench-'));
  const edgegram = edgegramOptions();
  // The orchestrator builds the bundles once per run (BENCH_BUNDLES); standalone, build them here.
  const prebuilt = process.env.BENCH_BUNDLES ? (JSON.parse(process.env.BENCH_BUNDLES) as Bundles) : undefined;
  const { edgegram: edgegramScript, minimal: minimalScript } = prebuilt ?? (await buildBundles(work));
  const direct = [{ host: '127.0.0.1', port: 0 }];
  const count = Math.max(1, Number(process.env.BENCH_WORKERD_INSTANCES) || 1);
  // --profile runs one instance; its V8 inspector is on this port.
  const inspectorPort = Number(process.env.BENCH_INSPECTOR_PORT) || 0;

  const instanceOptions = (stateDir: string) => convertV4MiniflareOptions({
    log: new Log(LogLevel.WARN),
    // No network: use the placeholder `request.cf` rather than fetching the real one.
    cf: false,
    // --profile: the V8 inspector, for CPU profiles of the Edgegram worker (left off otherwise).
    ...(inspectorPort ? { inspectorPort } : {}),
    resourcePersistencePath: stateDir,
    workers: [
      {
        ...edgegram,
        // The local-only bulk seeding route (workers/routes/dev-seeding.ts): the large-chat scenario's supergroups.
        bindings: { ...((edgegram.bindings as Record<string, unknown> | undefined) ?? {}), DEV_SEEDING: '1' },
        name: 'edgegram',
        modules: true,
        scriptPath: edgegramScript,
        // Module names are relative to rootPath; the bundles live outside the repository.
        rootPath: path.dirname(edgegramScript),
        unsafeDirectSockets: direct,
        ...(inspectorPort ? { unsafeInspectorProxy: true } : {}),
      },
      {
        name: 'minimal',
        modules: true,
        scriptPath: minimalScript,
        rootPath: path.dirname(minimalScript),
        compatibilityDate: edgegram.compatibilityDate as string,
        compatibilityFlags: ['nodejs_compat'],
        durableObjects: { ROOM: { className: 'MinimalRoom', useSQLite: true } },
        // The plain-R2 baseline of the media scenario: the same local R2 as Edgegram's MEDIA.
        r2Buckets: { BUCKET: 'bench-plain-r2' },
        unsafeDirectSockets: direct,
      },
    ],
  });

  const instances: Instance[] = [];
  const running: InstanceType<typeof Miniflare>[] = [];
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all(running.map((mf) => mf.dispose().catch(() => {})));
    rmSync(work, { recursive: true, force: true });
    process.exit(0);
  };
  exitWithParent(() => void stop());
  const started = await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const stateDir = path.join(work, `state-${i}`);
      const mf = new Miniflare(instanceOptions(stateDir));
      running.push(mf);
      return startInstance(mf, stateDir);
    }),
  );
  instances.push(...started);
  if (new Set(instances.map((x) => x.pid)).size !== instances.length) throw new Error('two instances resolved to one workerd process');
  process.stdout.write(`BENCH_READY ${JSON.stringify({ instances, bundles: { edgegram: edgegramScript, minimal: minimalScript } })}\n`);
}

main().catch((err: unknown) => {
  console.error('bench server failed:', err);
  process.exit(1);
});
