import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { ROOT } from './spawn.js';

export type Disk = { dir: string; device: string; fsType: string; rotational: string; note: string };

/** The disk under `dir` (the state directory): local SQLite throughput depends on it. */
export function diskOf(dir: string): Disk {
  const df = spawnSync('df', ['-T', dir], { encoding: 'utf8' });
  const fields = df.stdout?.trim().split('\n').at(-1)?.split(/\s+/) ?? [];
  const device = fields[0] ?? 'unknown';
  const fsType = fields[1] ?? 'unknown';
  // The whole disk a partition belongs to: vda1 → vda, nvme0n1p2 → nvme0n1.
  const base = path.basename(device);
  const whole = /^(nvme\d+n\d+|mmcblk\d+)p\d+$/.exec(base)?.[1] ?? base.replace(/\d+$/, '');
  const candidates = [base, whole].map((n) => `/sys/block/${n}/queue/rotational`);
  const file = candidates.find((f) => existsSync(f));
  const rotational = file ? readFileSync(file, 'utf8').trim() : 'unknown';
  const note =
    rotational === '1'
      ? 'kernel reports rotational (virtual disks such as virtio often do, whatever backs them)'
      : rotational === '0'
        ? 'kernel reports non-rotational (SSD/NVMe or RAM)'
        : 'rotational flag unavailable';
  return { dir, device, fsType, rotational, note };
}

function versionOf(pkg: string): string | null {
  for (const p of [path.join(ROOT, 'node_modules', 'wrangler', 'node_modules', pkg), path.join(ROOT, 'node_modules', pkg)]) {
    try {
      return (JSON.parse(readFileSync(path.join(p, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // try the next
    }
  }
  return null;
}

export function machine(stateDir: string) {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    kernel: readFileSync('/proc/version', 'utf8').split(' ').slice(0, 3).join(' '),
    node: process.version,
    wrangler: versionOf('wrangler'),
    miniflare: versionOf('miniflare'),
    workerd: versionOf('workerd'),
    disk: diskOf(stateDir),
  };
}
