import type { Env } from '../../durable-objects/env.js';

declare global {
  namespace Cloudflare {
    interface Env extends import('../../durable-objects/env.js').Env {
      TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    }
  }
}
export type { Env };
