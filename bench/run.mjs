#!/usr/bin/env node
// `npm run bench [-- --quick]`: registers tsx (the harness is TypeScript) and
// runs the orchestrator. See bench/main.ts and the README's Benchmarks section.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
