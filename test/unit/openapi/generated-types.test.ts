import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { OPENAPI_TYPES_FILE, renderOpenApiTypes } from '../../../scripts/openapi-types.js';

test('the committed OpenAPI types are what the served document generates (run `npm run openapi:types` after a route change)', async () => {
  const committed = await readFile(OPENAPI_TYPES_FILE, 'utf8');
  // Compared as text rather than with a snapshot: the failure should name the command that fixes it.
  expect(committed, 'protocol/http/openapi.generated.ts is stale or missing: run `npm run openapi:types` (npm run typecheck does)').toBe(await renderOpenApiTypes());
});
