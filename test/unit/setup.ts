import fc from 'fast-check';

// Every property test of the run starts from the run's seed (test/support/seed.ts),
// printed at the start and with any counterexample.
fc.configureGlobal({ seed: Number(process.env.EDGEGRAM_FUZZ_SEED) });
