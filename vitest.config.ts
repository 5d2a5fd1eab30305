import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

/**
 * Three projects:
 * - unit: plain logic in Node (DO logic over node:sqlite, protocol, SDK);
 * - workers: integration tests inside workerd, with D1 migrations applied;
 * - e2e: starts the real local server (wrangler dev) and talks to it over
 *   HTTP and real WebSockets.
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, 'd1/migrations'));
  return {
    test: {
      projects: [
        {
          test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: { bindings: { TEST_MIGRATIONS: migrations } },
            }),
          ],
          test: {
            name: 'workers',
            include: ['test/workers/**/*.test.ts'],
            setupFiles: ['test/workers/setup.ts'],
          },
        },
        {
          test: {
            name: 'e2e',
            include: ['test/e2e/**/*.test.ts'],
            environment: 'node',
            testTimeout: 120_000,
            hookTimeout: 180_000,
            // One local server per file; files run one at a time on a 2-core machine.
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
