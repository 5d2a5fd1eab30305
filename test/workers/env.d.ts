import type { D1Migration } from 'cloudflare:test';
import type { Env as EdgegramEnv } from '../../durable-objects/env.js';

// `env` from cloudflare:test is typed as Cloudflare.Env: make it ours.
declare global {
  namespace Cloudflare {
    interface Env extends EdgegramEnv {
      TEST_MIGRATIONS: D1Migration[];
      /** Suite-size knobs passed through from the shell (vitest.config.ts); '' when unset. */
      EDGEGRAM_LONG: string;
      EDGEGRAM_SOAK: string;
      EDGEGRAM_FUZZ_RUNS: string;
      EDGEGRAM_FUZZ_SEED: string;
    }
  }
}
