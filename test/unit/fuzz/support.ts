import type { Env } from '../../../durable-objects/env.js';
import type { CallContext, OwnMailbox } from '../../../services/account-api/context.js';
import { dispatch } from '../../../services/account-api/dispatch.js';
import { EdgegramError, ErrorBody, ErrorCode, httpStatusOf } from '../../../protocol/errors.js';
import { isMethodName, methods } from '../../../protocol/methods.js';
import { safeParseUntrusted } from '../../../protocol/safe-parse.js';
import { sized, suiteSize } from '../../support/suite-size.js';

/**
 * In-process fuzzing runs the real `dispatch()` with a context whose env and
 * own mailbox throw `HandlerReached` when touched: only parsing and
 * validation run, and reaching the handler proves the params passed them.
 *
 * Runs per schema: 1,000 in `npm test`, 10,000 in `npm run test:soak`,
 * 100,000 with EDGEGRAM_LONG=1 (test/support/suite-size.ts);
 * EDGEGRAM_FUZZ_RUNS sets it exactly. EDGEGRAM_FUZZ_SEED replays a run.
 */
export const RUNS = sized(suiteSize(process.env), { quick: 1_000, soak: 10_000, long: 100_000 }, process.env.EDGEGRAM_FUZZ_RUNS);
/** The run's seed (test/support/seed.ts: from the commit, or EDGEGRAM_FUZZ_SEED). */
export const SEED = Number(process.env.EDGEGRAM_FUZZ_SEED);
/** fast-check options: the seed is printed with any counterexample. */
export const fcOptions = { numRuns: RUNS, seed: SEED };

export class HandlerReached extends Error {
  constructor(what: string) {
    super(`handler touched ${what}`);
  }
}

function trap<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get(_, prop) {
      if (prop === 'then') return undefined; // not a thenable
      throw new HandlerReached(`${name}.${String(prop)}`);
    },
  });
}

export const trapContext: CallContext = {
  env: trap<Env>('env'),
  own: trap<OwnMailbox>('own'),
  caller: { userId: 1, sessionId: '0'.repeat(32), deviceId: '1'.repeat(32) },
  now: () => 1_700_000_000_000,
};

const documented = new Set<string>(Object.values(ErrorCode));

/** What a boundary failure may look like: an EdgegramError with a documented 4xx code and a wire-valid body. */
export function expectTypedRejection(err: unknown, context: () => string): asserts err is EdgegramError {
  if (!(err instanceof EdgegramError)) {
    throw new Error(`${context()}: threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)} instead of an EdgegramError`);
  }
  const typed = documented.has(err.code) && err.code !== ErrorCode.INTERNAL && httpStatusOf[err.code] < 500;
  if (!typed) throw new Error(`${context()}: answered ${err.code}`);
  if (!ErrorBody.safeParse(err.toBody()).success) throw new Error(`${context()}: error body off the wire schema`);
}

/**
 * Runs one call through dispatch and checks the outcome against the schema:
 * params the schema rejects get BAD_REQUEST; params it accepts reach the
 * handler (or fail one of its own rules first with a typed 4xx). Anything
 * else thrown is a bug.
 */
/** Whether the params passed the schema (then reached the handler or broke one of its rules) or not. */
export type Outcome = 'passed the schema' | 'rejected';

export async function checkDispatch(method: string, params: unknown): Promise<Outcome> {
  const context = () => `${method}(${preview(params)})`;
  let error: unknown;
  try {
    await dispatch(trapContext, method, params);
    throw new Error(`${context()}: resolved without touching storage`);
  } catch (err) {
    error = err;
  }
  if (!isMethodName(method)) {
    expectTypedRejection(error, context);
    if (error.code !== ErrorCode.UNKNOWN_METHOD) throw new Error(`${context()}: ${error.code}, not UNKNOWN_METHOD`);
    return 'rejected';
  }
  const accepted = safeParseUntrusted(methods[method].params, params ?? {}).success;
  if (error instanceof HandlerReached) {
    if (!accepted) throw new Error(`${context()}: reached the handler with params the schema rejects`);
    return 'passed the schema';
  }
  expectTypedRejection(error, context);
  // Params the schema accepts may still break a handler's own rule (text length, album kinds, bot names): any typed 4xx.
  if (!accepted && error.code !== ErrorCode.BAD_REQUEST) throw new Error(`${context()}: ${error.code} for params the schema rejects`);
  return accepted ? 'passed the schema' : 'rejected';
}

export function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} chars)` : text;
}
