import { execFileSync } from 'node:child_process';

/**
 * The seed every fuzz, property and crash schedule of one test run starts
 * from. Derived from the commit under test, so `.ci/run` on a developer's
 * machine explores exactly the inputs CI will (a submission can no longer pass
 * locally and fail in CI on a seed nobody ran), while every new commit still
 * explores new inputs. EDGEGRAM_FUZZ_SEED=<n> replays any seed; outside a git
 * checkout the seed is random. Read in the vitest config (Node), which hands it
 * to the Node projects through the environment and to workerd as a binding.
 */
export function runSeed(root: string): { seed: number; source: string } {
  const given = process.env.EDGEGRAM_FUZZ_SEED;
  if (given && Number.isSafeInteger(Number(given))) return { seed: Number(given), source: 'EDGEGRAM_FUZZ_SEED' };
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    // 31 bits of the commit id: a positive int32, as fast-check and the PRNGs take it.
    return { seed: parseInt(commit.slice(0, 8), 16) >>> 1, source: `commit ${commit.slice(0, 12)}` };
  } catch {
    return { seed: Math.floor(Math.random() * 2 ** 31), source: 'random (no git checkout)' };
  }
}
