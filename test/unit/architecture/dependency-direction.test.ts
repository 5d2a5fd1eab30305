import { cruise, format, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { expect, test } from 'vitest';

/**
 * Runs the rules of .dependency-cruiser.cjs (ARCHITECTURE.md's dependency
 * direction) over the whole tree, as `npx depcruise . --config` would.
 * Paths in the rules are relative to the repository root, where vitest runs.
 */
test('every import follows the dependency direction of ARCHITECTURE.md', async () => {
  const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
  const tsConfig = extractTSConfig('tsconfig.json');
  const { output } = await cruise(['.'], options, {}, { tsConfig });
  const result = output as ICruiseResult;
  // A cruise that found nothing would pass every rule.
  expect(result.summary.totalCruised).toBeGreaterThan(300);
  const readable = result.summary.violations.length > 0 ? String((await format(result, { outputType: 'err-long' })).output) : '';
  expect(result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`), readable).toEqual([]);
}, 120_000);
