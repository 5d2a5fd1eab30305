/**
 * The server process for the workerd targets: Edgegram (the production
 * bundle) and peer (a), the minimal Durable Object, in ONE Miniflare/workerd
 * instance, each on its own direct socket (no dev proxy, no entry worker in
 * the path). D1 migrations are applied by executing their SQL; state lives in
 * a fresh temporary directory per server. Started by the orchestrator (pinned
 * with taskset); prints `BENCH_READY {"pid","urls",…}` (pid: workerd's) and
 * exits when stdin closes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
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

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'edgegram-bench-'));
  const edgegram = edgegramOptions();
  // The orchestrator builds the bundles once per run (BENCH_BUNDLES); standalone, build them here.
  const prebuilt = process.env.BENCH_BUNDLES ? (JSON.parse(process.env.BENCH_BUNDLES) as Bundles) : undefined;
  const { edgegram: edgegramScript, minimal: minimalScript } = prebuilt ?? (await buildBundles(work));
  const stateDir = path.join(work, 'state');
  const direct = [{ host: '127.0.0.1', port: 0 }];
  const inspectorPort = Number(process.env.BENCH_INSPECTOR_PORT) || 0;

  const mf = new Miniflare(convertV4MiniflareOptions({
    log: new Log(LogLevel.WARN),
    // No network: use the placeholder `request.cf` rather than fetching the real one.
    cf: false,
    // --profile: the V8 inspector, for CPU profiles of the Edgegram worker (left off otherwise).
    ...(inspectorPort ? { inspectorPort } : {}),
    resourcePersistencePath: stateDir,
    workers: [
      {
        ...edgegram,
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
  }));
  await mf.ready;
  const migrated = await applyMigrations(await mf.getD1Database('DB', 'edgegram'), path.join(ROOT, 'd1/migrations'), unstable_splitSqlQuery);
  const urls = {
    edgegram: (await mf.unsafeGetDirectURL('edgegram')).origin,
    minimal: (await mf.unsafeGetDirectURL('minimal')).origin,
  };
  const [pid] = findDescendants(process.pid, 'workerd');
  if (pid === undefined) throw new Error('workerd process not found under the Miniflare host');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await mf.dispose().catch(() => {});
    rmSync(work, { recursive: true, force: true });
    process.exit(0);
  };
  exitWithParent(() => void stop());
  const inspector = inspectorPort ? (await mf.getInspectorURL()).href : null;
  process.stdout.write(`BENCH_READY ${JSON.stringify({ pid, urls, stateDir, migrated, inspector, bundles: { edgegram: edgegramScript, minimal: minimalScript } })}\n`);
}

main().catch((err: unknown) => {
  console.error('bench server failed:', err);
  process.exit(1);
});
