/**
 * Fuzzing the account API's boundary in process: for every method in
 * protocol/methods.ts, generated and mutated params go through the real
 * `dispatch()`; it may only answer with a typed EdgegramError (BAD_REQUEST for
 * params the schema rejects) or hand valid params to the handler.
 *
 * 1,000 inputs per method (10,000 in test:soak, about 20 s for all); EDGEGRAM_LONG=1 runs
 * 100,000, EDGEGRAM_FUZZ_RUNS=<n> sets the count, EDGEGRAM_FUZZ_SEED=<seed>
 * replays the seed fast-check prints with a counterexample.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { methodNames, methods } from '../../../protocol/methods.js';
import { fuzzInput, HOSTILE_VALUES, prototypeFingerprint } from '../../support/arbitraries.js';
import { checkDispatch, fcOptions, RUNS } from './support.js';

const timeout = { timeout: Math.max(120_000, RUNS * 30) };
const hints = { ids: [1, 2, 3, 42], strings: ['alice_1', 'Bob_the_2nd', 'fuzzy_bot', '0123456789abcdef0123456789abcdef'] };

describe('method params fuzzing (dispatch in process)', () => {
  it.each(methodNames)(`%s: ${RUNS} generated and mutated params get a typed answer`, timeout, async (method) => {
    const prototype = prototypeFingerprint();
    const inputs = fuzzInput(methods[method].params, hints, 4);
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(inputs, async (params) => {
        if ((await checkDispatch(method, params)) === 'passed the schema') passed += 1;
      }),
      fcOptions,
    );
    // The generator is worth something only if valid params get past the schema too.
    expect(passed, 'inputs that passed the schema').toBeGreaterThan(RUNS * 0.01);
    expect(prototypeFingerprint()).toBe(prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('every hostile value as the whole params object gets a typed answer', async () => {
    for (const method of methodNames) {
      for (const params of HOSTILE_VALUES) await checkDispatch(method, params);
    }
  });

  it(`${RUNS} method names that do not exist are UNKNOWN_METHOD, prototype keys included`, timeout, async () => {
    const names = fc.oneof(
      fc.string({ maxLength: 70 }),
      fc.string({ unit: 'binary', maxLength: 70 }),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '', ' getState', 'getstate', 'GETSTATE'),
      fc.tuple(fc.constantFrom(...methodNames), fc.constantFrom('', ' ', '\u0000', '/', 's', '.call')).map(([m, suffix]) => m + suffix),
    );
    await fc.assert(
      fc.asyncProperty(names, fc.jsonValue({ maxDepth: 2 }), async (name, params) => {
        await checkDispatch(name, params);
      }),
      fcOptions,
    );
  });
});
