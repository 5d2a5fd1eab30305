/**
 * The dependency direction of ARCHITECTURE.md, checked on every test run
 * (test/unit/architecture/dependency-direction.test.ts):
 *
 *   protocol ← d1, r2 ← durable-objects, services ← workers
 *   services reach Durable Objects only through their stubs, never their classes
 *   client and web import protocol only (web: and client)
 *   nothing imports test/
 *
 * One named rule per arrow. A new top-level folder goes into `LAYERS` and
 * into the rules that say what may import it and what it may import.
 * No rule against cycles: the tree has some (most through type-only imports
 * such as durable-objects/env.ts naming the DO classes), see ARCHITECTURE.md.
 */

/** Every top-level folder of project code; `under('a', 'b')` matches files in them. */
const LAYERS = ['protocol', 'd1', 'r2', 'durable-objects', 'services', 'workers', 'client', 'web', 'test', 'bench', 'scripts'];
const under = (...folders) => `^(${folders.join('|')})/`;
const allBut = (...allowed) => under(...LAYERS.filter((folder) => !allowed.includes(folder)));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'protocol-imports-only-protocol',
      comment: 'protocol/ is the wire contract at the bottom: it may not import any other part of the project.',
      severity: 'error',
      from: { path: under('protocol') },
      to: { path: allBut('protocol') },
    },
    {
      name: 'd1-and-r2-stay-below-the-durable-objects',
      comment: 'protocol ← d1, r2 ← durable-objects, services: storage modules may not import the layers above them.',
      severity: 'error',
      from: { path: under('d1', 'r2') },
      to: { path: under('durable-objects', 'services', 'workers', 'client', 'web') },
    },
    {
      name: 'durable-objects-and-services-stay-below-the-worker',
      comment:
        'durable-objects, services ← workers: the Durable Objects and the services both run in (may not import the Worker nor the clients).',
      severity: 'error',
      from: { path: under('durable-objects', 'services') },
      to: { path: under('workers', 'client', 'web') },
    },
    {
      name: 'services-reach-objects-through-stubs',
      comment:
        'A service runs in the Worker and inside objects alike, so it may not hold a Durable Object class: it calls ' +
        'objects through durable-objects/stubs.ts (their classes are the runtime adapters, durable-objects/<name>/index.ts).',
      severity: 'error',
      from: { path: under('services') },
      to: { path: '^durable-objects/[^/]+/index[.]ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'client-imports-only-protocol',
      comment: 'The SDK runs in Node and browsers against the wire contract only.',
      severity: 'error',
      from: { path: under('client') },
      to: { path: allBut('protocol', 'client') },
    },
    {
      name: 'web-imports-only-client-and-protocol',
      comment: 'The web client talks to the server through the SDK and the wire contract only.',
      severity: 'error',
      from: { path: under('web') },
      to: { path: allBut('protocol', 'client', 'web') },
    },
    {
      name: 'nothing-imports-test',
      comment: "test/ may import anything; nothing outside it may import test/ but the test runner's own config.",
      severity: 'error',
      from: { pathNot: `${under('test')}|^vitest[.]config[.]ts$` },
      to: { path: under('test') },
    },
    {
      name: 'project-imports-resolve',
      comment:
        'A relative import the cruiser cannot resolve is one no rule above can see; package and runtime ' +
        'specifiers (cloudflare:workers, conditional exports) are not project code.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, path: '^[.]' },
    },
  ],
  options: {
    // The test cruises the whole tree ('.'), so a new folder is checked from its first file; build output is not source.
    exclude: { path: '^(node_modules|[.]wrangler|web/dist|bench/results|test-results)/' },
    doNotFollow: { path: 'node_modules' },
    // Resolves `./x.js` to `./x.ts` as tsc does, and keeps type-only imports: a layer may not name another's types either.
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
