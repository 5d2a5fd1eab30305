import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * CPU pinning with taskset (util-linux): the server on one core, the load
 * generator on another, so neither steals the other's cycles. Skipped (and
 * reported) when taskset is missing or there is only one core.
 */
export type Pinning = { enabled: boolean; serverCore: number | null; generatorCore: number | null; note: string };

export function planPinning(): Pinning {
  const cores = availableParallelism();
  const probe = spawnSync('taskset', ['-c', '0', 'true']);
  if (probe.error || probe.status !== 0) {
    return { enabled: false, serverCore: null, generatorCore: null, note: 'taskset unavailable: processes not pinned' };
  }
  if (cores < 2) {
    return { enabled: false, serverCore: null, generatorCore: null, note: 'one core: processes not pinned' };
  }
  // The last core for the server, the one before it for the generator.
  return { enabled: true, serverCore: cores - 1, generatorCore: cores - 2, note: `server on core ${cores - 1}, generator on core ${cores - 2}` };
}

/** The command line that runs `argv` on `core` (unchanged when pinning is off). */
export function pinned(core: number | null, argv: string[]): string[] {
  return core === null ? argv : ['taskset', '-c', String(core), ...argv];
}
