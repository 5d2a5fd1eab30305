import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { dohAnswer } from './test/support/fake-dns.js';
import { runSeed } from './test/support/seed.js';
import { suiteSize } from './test/support/suite-size.js';

const root = import.meta.dirname;

// One seed for every fuzz, property and crash schedule of this run, from the
// commit under test (test/support/seed.ts). The Node projects read it from
// the environment (their workers inherit it), workerd from a binding.
const { seed, source } = runSeed(root);
process.env.EDGEGRAM_FUZZ_SEED = String(seed);
const size = suiteSize(process.env);
console.log(`[edgegram] ${size} suites, seed ${seed} (${source}); replay with EDGEGRAM_FUZZ_SEED=${seed}`);

/**
 * Suite-size knobs the workerd tests read from `env` (workerd does not see the
 * shell's environment): EDGEGRAM_SOAK=1 for the soak strength
 * (`npm run test:soak`), EDGEGRAM_LONG=1 for the long mode,
 * EDGEGRAM_FUZZ_RUNS for an exact count, EDGEGRAM_FUZZ_SEED to replay a run.
 */
function suiteSizeSettings(): Record<string, string> {
  const names = ['EDGEGRAM_SOAK', 'EDGEGRAM_LONG', 'EDGEGRAM_FUZZ_RUNS', 'EDGEGRAM_FUZZ_SEED'];
  return Object.fromEntries(names.map((name) => [name, process.env[name] ?? '']));
}

/**
 * The suites whose strength is a number (test/support/suite-size.ts): `npm
 * test` runs them quick among the rest; `npm run test:soak` (EDGEGRAM_SOAK=1)
 * runs only these, at full strength.
 */
const SOAK_SUITES = {
  unit: ['test/unit/fuzz/**/*.test.ts', 'test/unit/model/**/*.test.ts'],
  workers: ['test/workers/fuzz*.test.ts', 'test/workers/authorization*.test.ts', 'test/workers/bot-api-webhooks.test.ts'],
  e2e: ['test/e2e/crash-restart.test.ts', 'test/e2e/large-chats.test.ts'],
  // Pictures for a person to look at (39 s).
  browser: ['test/browser/screenshots.test.ts'],
};
/**
 * Of those, the ones `npm test` leaves to CI's soak run altogether, to stay in
 * its 10-minute budget on 2 cores: each costs a minute or more even quick
 * (the authorization matrices build a fresh group per allowed write; the
 * e2e suites restart servers), and CI runs them at full strength after
 * every `npm test`. The fuzzers stay in both: quick, they still find bugs.
 */
const SOAK_ONLY = {
  unit: [] as string[],
  workers: ['test/workers/authorization*.test.ts'],
  e2e: ['test/e2e/crash-restart.test.ts', 'test/e2e/large-chats.test.ts'],
  browser: ['test/browser/screenshots.test.ts'],
};
const soak = size !== 'quick';
const include = (project: keyof typeof SOAK_SUITES, everyday: string[]) => (soak ? SOAK_SUITES[project] : everyday);
const exclude = (project: keyof typeof SOAK_ONLY) => (soak ? [] : SOAK_ONLY[project]);

/**
 * Four projects:
 * - unit: plain logic in Node (DO logic over node:sqlite, protocol, SDK);
 * - workers: integration tests inside workerd, with D1 migrations applied;
 * - e2e: starts the real local server (wrangler dev) and talks to it over
 *   HTTP and real WebSockets;
 * - browser: the web client in Debian's Chromium (playwright-core) against
 *   the real local server.
 * e2e and browser build the web client first (once, only if stale).
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, 'd1/migrations'));
  const projects = [
    {
      test: {
        name: 'unit',
        include: include('unit', ['test/unit/**/*.test.ts']),
        setupFiles: ['test/unit/setup.ts'],
        environment: 'node',
        testTimeout: 30_000,
      },
    },
    {
      plugins: [
        cloudflareTest({
          wrangler: { configPath: './wrangler.toml' },
          miniflare: {
            bindings: {
              TEST_MIGRATIONS: migrations,
              ...suiteSizeSettings(),
              // R2's minimum part size, so multipart tests move 5 MiB parts rather than 8.
              MEDIA_PART_SIZE: String(5 * 1024 * 1024),
              // The operator routes' bearer secret (workers/routes/operator.ts).
              OPERATOR_TOKEN: 'test-operator-token',
            },
            // No request from inside workerd reaches the network: DNS-over-HTTPS gets
            // test answers, anything else a 502 (suites stub the fetches they expect).
            outboundService: (request: Request) =>
              dohAnswer(request) ?? new Response(`no network in tests: ${request.url}`, { status: 502 }),
          },
        }),
      ],
      test: {
        name: 'workers',
        include: include('workers', ['test/workers/**/*.test.ts']),
        exclude: exclude('workers'),
        setupFiles: ['test/workers/setup.ts'],
        // Several tests walk through multi-step conversations (scrypt logins,
        // fan-out, BotFather); 5 s is too tight on a loaded 2-core CI machine.
        testTimeout: 30_000,
      },
    },
    {
      test: {
        name: 'e2e',
        include: include('e2e', ['test/e2e/**/*.test.ts']),
        exclude: exclude('e2e'),
        environment: 'node',
        globalSetup: ['test/e2e/support/web-build.ts'],
        testTimeout: 120_000,
        hookTimeout: 180_000,
        // One local server per file (its own port and state). These files run
        // beside the unit and workers files, two files at a time in all.
      },
    },
    {
      test: {
        name: 'browser',
        include: include('browser', ['test/browser/**/*.test.ts']),
        exclude: exclude('browser'),
        environment: 'node',
        globalSetup: ['test/e2e/support/web-build.ts'],
        testTimeout: 180_000,
        hookTimeout: 180_000,
        // Each file runs a server and a browser, after the other projects, so UI
        // timings do not compete with them for the CPU. Two files at a time (the
        // run's maxWorkers): one at a time took 254 s of a 10-minute budget, two
        // 180 s, every poll still well inside its 15 s. EDGEGRAM_BROWSER_SERIAL=1
        // runs them one by one, to rule the sharing out when a UI test fails.
        fileParallelism: process.env.EDGEGRAM_BROWSER_SERIAL !== '1',
        sequence: { groupOrder: 1 },
        // The UI reacts within milliseconds, but a loaded CI machine can take seconds.
        expect: { poll: { timeout: 15_000, interval: 100 } },
      },
    },
  ];
  return {
    test: {
      // Two files at a time on a 2-core machine (vitest's default is one fewer
      // than the cores: one). The workerd and e2e files wait on I/O often
      // enough that two keep both cores busy; the browser project runs its
      // files after the rest (UI timings), two at a time as well.
      maxWorkers: 2,
      // test:soak runs only the projects that have soak suites.
      projects: projects.filter((project) => project.test.include.length > 0),
    },
  };
});
