import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './spawn.js';

/**
 * Bun from npm: the `bun` package's postinstall links the binary that the
 * platform package (@oven/bun-<os>-<arch>) ships inside the npm tarball. If
 * the install scripts did not run (or the binary is a placeholder), try the
 * platform package directly; otherwise say why peer (d) is skipped.
 */
export function bunBinary(): { path: string; version: string } | { reason: string } {
  const arch = process.arch === 'x64' ? 'x64' : process.arch === 'arm64' ? 'aarch64' : process.arch;
  const candidates = [
    path.join(ROOT, 'node_modules', 'bun', 'bin', 'bun.exe'),
    path.join(ROOT, 'node_modules', '@oven', `bun-${process.platform}-${arch}`, 'bin', 'bun'),
  ];
  for (const candidate of candidates) {
    const run = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (run.status === 0) return { path: candidate, version: run.stdout.trim() };
  }
  return {
    reason:
      'bun binary not usable: the `bun` npm package (devDependency) installs its binary from @oven/bun-* via a postinstall script; ' +
      'run `npm install` with install scripts enabled (npm may list it under `npm install-scripts ls`)',
  };
}
