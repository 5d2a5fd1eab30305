import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const outdir = mkdtempSync(path.join(os.tmpdir(), 'edgegram-bundle-'));
const KiB = 1024;
const MiB = 1024 * KiB;
/** Workers' limit on the compressed script size: 3 MiB on the free plan, 10 MiB on paid plans. */
const FREE_PLAN_LIMIT = 3 * MiB;

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

it('bundles for deployment within the free plan compressed size limit', () => {
  const wrangler = path.join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  const run = spawnSync(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', outdir], {
    cwd: root,
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(run.status, `wrangler deploy --dry-run failed:\n${run.stdout}\n${run.stderr}`).toBe(0);

  // The uploaded modules are the JavaScript (and any wasm) files; source maps are not uploaded.
  const modules = readdirSync(outdir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(m?js|wasm)$/.test(f));
  expect(modules.length).toBeGreaterThan(0);
  const contents = Buffer.concat(modules.map((f) => readFileSync(path.join(outdir, f))));
  const gzipped = gzipSync(contents, { level: 9 }).byteLength;

  console.log(
    `bundle: ${(contents.byteLength / KiB).toFixed(1)} KiB, gzip ${(gzipped / KiB).toFixed(1)} KiB ` +
      'of the 3 MiB (free) / 10 MiB (paid) compressed Workers limit',
  );
  expect(gzipped).toBeLessThan(FREE_PLAN_LIMIT);
});
