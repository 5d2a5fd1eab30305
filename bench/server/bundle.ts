import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
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

/** Edgegram (the repository's wrangler.toml) and peer (a), built side by side under `dir`. */
export async function buildBundles(dir: string): Promise<Bundles> {
  const [edgegram, minimal] = await Promise.all([
    bundle(path.join(dir, 'edgegram')),
    bundle(path.join(dir, 'minimal'), path.join(ROOT, 'bench/peers/minimal-do/wrangler.toml')),
  ]);
  return { edgegram, minimal };
}
