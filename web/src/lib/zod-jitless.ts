import { z } from 'zod';

/**
 * The SDK parses every frame with the protocol's zod schemas. Zod's fast path
 * compiles parsers with `new Function`, and merely probing for it is a CSP
 * violation here (no 'unsafe-eval', Trusted Types required). Jitless mode
 * skips the probe and the compilation. Imported first by main.tsx, before
 * any schema runs.
 */
z.config({ jitless: true });
