import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
const WRANGLER = path.join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');

/**
 * Builds a Worker the way production does (`wrangler deploy --dry-run`) and
 * resolves to the path of the bundled module. Static assets are pointed at an
 * empty directory: the bench serves no web client, so it needs no web build.
 */
export function bundle(outdir: string, config?: string): Promise<string> {
  const noAssets = path.join(outdir, 'no-assets');
  mkdirSync(noAssets, { recursive: true });
  const args = [WRANGLER, 'deploy', '--dry-run', '--outdir', outdir, '--assets', noAssets, ...(config ? ['--config', config] : [])];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrangler deploy --dry-run failed:\n${output}`));
      // Named after the entry file (index.js for workers/index.ts).
      const script = readdirSync(outdir).find((f) => f.endsWith('.js'));
      if (!script) return reject(new Error(`no bundle in ${outdir}`));
      resolve(path.join(outdir, script));
    });
  });
}

export type Bundles = { edgegram: string; minimal: string };

/** What the two bundles are built from: the server's sources, its config, the lockfile (dependency versions), peer (a). */
const INPUTS = ['protocol', 'd1', 'r2', 'durable-objects', 'workers', 'wrangler.toml', 'tsconfig.json', 'package-lock.json', 'bench/peers/minimal-do'];

/** A digest of every input file (tracked or not, minus ignored ones), path and content, and of wrangler's version. */
function inputDigest(): string | null {
  const ls = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '--', ...INPUTS], { cwd: ROOT, encoding: 'utf8' });
  if (ls.status !== 0) return null;
  const hash = createHash('sha256');
  hash.update(readFileSync(path.join(ROOT, 'node_modules', 'wrangler', 'package.json')));
  for (const file of ls.stdout.split('\n').filter(Boolean).sort()) {
    const full = path.join(ROOT, file);
    if (!existsSync(full)) continue; // deleted in the working tree
    hash.update(`${file}\0`).update(readFileSync(full)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The bundles, reused from node_modules/.cache/edgegram-bench/<digest> when
 * none of their inputs changed since they were built (building takes ~15 s
 * of both cores), else built under `dir` and kept there for the next run.
 * The same `wrangler deploy --dry-run` output either way.
 */
export async function cachedBundles(dir: string): Promise<Bundles & { cached: boolean; key: string | null }> {
  const key = inputDigest();
  if (!key) return { ...(await buildBundles(dir)), cached: false, key };
  const cacheRoot = path.join(ROOT, 'node_modules', '.cache', 'edgegram-bench');
  const cached = path.join(cacheRoot, key);
  const locate = (base: string): Bundles => {
    const find = (sub: string) => path.join(base, sub, readdirSync(path.join(base, sub)).find((f) => f.endsWith('.js'))!);
    return { edgegram: find('edgegram'), minimal: find('minimal') };
  };
  if (existsSync(path.join(cached, 'complete'))) return { ...locate(cached), cached: true, key };
  await buildBundles(dir);
  // Old entries go: the cache holds the latest build only.
  rmSync(cacheRoot, { recursive: true, force: true });
  mkdirSync(cacheRoot, { recursive: true });
  const staging = `${cached}.partial`;
  cpSync(dir, staging, { recursive: true });
  mkdirSync(path.join(staging, 'complete'));
  renameSync(staging, cached);
  return { ...locate(cached), cached: false, key };
}

/** Edgegram (the repository's wrangler.toml) and peer (a), built side by side under `dir`. */
export async function buildBundles(dir: string): Promise<Bundles> {
  const [edgegram, minimal] = await Promise.all([
    bundle(path.join(dir, 'edgegram')),
    bundle(path.join(dir, 'minimal'), path.join(ROOT, 'bench/peers/minimal-do/wrangler.toml')),
  ]);
  return { edgegram, minimal };
}
