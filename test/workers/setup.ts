import { applyD1Migrations, env } from 'cloudflare:test';
import fc from 'fast-check';
import { useCheapPasswordHashingInTests } from '../../services/auth/password.js';

// Setup files run outside per-test storage and may run more than once;
// applyD1Migrations skips migrations already applied.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// The Worker under test shares this isolate's modules, so its sign-ups hash
// at test cost from here on (production cost is proven in
// test/unit/auth/password-cost.test.ts).
await useCheapPasswordHashingInTests();

// Every property test of the run starts from the run's seed (test/support/seed.ts).
fc.configureGlobal({ seed: Number(env.EDGEGRAM_FUZZ_SEED) });
