import type { D1Migration } from 'cloudflare:test';
import type { Env as EdgegramEnv } from '../../durable-objects/env.js';

// `env` from cloudflare:test is typed as Cloudflare.Env: make it ours.
declare global {
  namespace Cloudflare {
    interface Env extends EdgegramEnv {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
