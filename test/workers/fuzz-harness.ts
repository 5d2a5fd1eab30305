/**
 * What the workerd fuzz suites (test/workers/fuzz*.test.ts) share: the size
 * knobs, the watch for what must never happen (a logged unexpected error, a
 * polluted prototype, a reset Durable Object), the account API's answer
 * contract, and the loop that sends one endpoint's inputs and checks that
 * input the protocol refuses changes no stored state.
 *
 * Each suite file has its own storage (and its own world), and vitest runs
 * the files side by side, so splitting the endpoints over files uses both
 * cores of a CI machine.
 */
import { env, SELF } from 'cloudflare:test';
import fc from 'fast-check';
import { afterAll, afterEach, expect, vi } from 'vitest';
import type { z } from 'zod';
import { ErrorCode, ErrorResponse, httpStatusOf } from '../../protocol/errors.js';
import { PING_FRAME } from '../../protocol/ws.js';
import { sha256Hex } from '../../workers/auth/tokens.js';
import { MAX_JSON_BODY_BYTES } from '../../workers/validate.js';
import { prototypeFingerprint, sampleInputs } from '../support/arbitraries.js';
import { sized, suiteSize } from '../support/suite-size.js';
import { BASE, countRows, type TestSocket } from './helpers.js';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';

const SIZE = suiteSize(env);
/**
 * Inputs per endpoint (and per frame kind). Every input is a full trip
 * through workerd, D1 and the Durable Objects: about 7 ms of CPU. 1,000 per
 * endpoint over the 93 endpoints measured 641 CPU-seconds under load (~7.5
 * min idle, one file at a time; two files run at once now): `npm run
 * test:soak` runs that (CI, after `npm test`), well
 * inside CI's 90 minutes; `npm test` runs 40 per endpoint (60 until the endpoints
 * passed 130 and the run its 10-minute budget), every endpoint
 * and frame kind on every commit; EDGEGRAM_LONG=1 runs 5,000,
 * EDGEGRAM_FUZZ_RUNS=<n> any other count (test/support/suite-size.ts).
 */
export const RUNS = sized(SIZE, { quick: 40, soak: 1_000, long: 5_000 }, env.EDGEGRAM_FUZZ_RUNS);
/** The run's seed (test/support/seed.ts: from the commit, or EDGEGRAM_FUZZ_SEED). */
export const SEED = Number(env.EDGEGRAM_FUZZ_SEED);
/**
 * Requests in flight at once. The isolate is CPU-bound (8 and 32 measured
 * the same), so this only hides the storage round trips.
 */
export const IN_FLIGHT = 8;
export const slow = { timeout: Math.max(120_000, RUNS * 250) };

// ---- what must never happen ----

/**
 * The server shares this isolate, so its console.error is watched: an
 * unexpected error is logged there (app.onError, the Bot API's 500s, a
 * Durable Object's background failure). Call once per suite file.
 */
export function watchForUnexpectedErrors(): void {
  const consoleError = vi.spyOn(console, 'error');
  const prototypeBefore = prototypeFingerprint();
  afterEach(() => {
    const logged = consoleError.mock.calls.map((args) => args.map(String).join(' ').slice(0, 300));
    consoleError.mockClear();
    expect(logged, `unexpected errors logged (seed ${SEED})`).toEqual([]);
    expect(prototypeFingerprint(), 'Object.prototype changed').toBe(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  afterAll(() => consoleError.mockRestore());
}

/**
 * A Durable Object reset (an uncaught exception, a broken output gate) drops
 * every WebSocket it holds, while hibernation and idle eviction keep them
 * open. So a socket to a mailbox opened first and still answering at the end
 * shows that mailbox was never reset. (A ChatRoom holds no sockets: its
 * reset would surface as a 5xx or a logged error, both checked.)
 */
export async function expectNoReset(watcher: TestSocket): Promise<void> {
  expect(watcher.ws.readyState, 'the mailbox dropped its sockets').toBe(WebSocket.OPEN);
  watcher.ws.send(PING_FRAME);
  for (let frame = await watcher.next(15_000); frame.t !== 'pong'; frame = await watcher.next(15_000)) {
    // updates pushed by accepted input meanwhile
  }
}

// ---- stored state ----

/** Row counts of every D1 table, and the rate-limit hits (a refused request must not be counted twice over). */
export async function d1State(): Promise<{ rows: Record<string, number>; rateLimitHits: number | undefined }> {
  const { results: tables } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' ORDER BY name",
  ).all<{ name: string }>();
  const rows: Record<string, number> = {};
  for (const { name } of tables) rows[name] = await countRows(name);
  const limits = await env.DB.prepare('SELECT coalesce(sum(count), 0) AS n FROM rate_limits').first<{ n: number }>();
  return { rows, rateLimitHits: limits?.n };
}

/** Waits for fan-out of earlier accepted input to land, so a snapshot is not taken mid-delivery. */
export async function settled(state: () => Promise<unknown>): Promise<unknown> {
  let last = JSON.stringify(await state());
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 40));
    const now = JSON.stringify(await state());
    if (now === last) return JSON.parse(now) as unknown;
    last = now;
  }
  throw new Error('stored state never settled');
}

// ---- one request and its answer ----

export type Sent = { path: string; method: string; headers: Record<string, string>; body?: string | Uint8Array };
export type Verdict = { failure?: string };
export type CheckOptions = { mustReject: boolean; sent: Sent };

export type Endpoint = {
  name: string;
  inputs: () => fc.Arbitrary<Sent>;
  /** True when the protocol certainly refuses this input (it must then change nothing). */
  rejects: (sent: Sent) => boolean;
  /** The answer's contract, whatever the input. */
  check: (res: Response, options: CheckOptions) => Promise<Verdict>;
  /** Runs before the inputs (and before the state snapshot). */
  prepare?: () => Promise<void>;
  /** At least this share of the inputs must get past the protocol's checks, or the generator tests little. */
  minAccepted?: number;
};

export function send(sent: Sent): Promise<Response> {
  return SELF.fetch(`${BASE}${sent.path}`, {
    method: sent.method,
    headers: sent.headers,
    ...(sent.body === undefined ? {} : { body: sent.body }),
  });
}

export const documented = new Set<string>(Object.values(ErrorCode));

/**
 * The account API's contract: no 5xx, security headers, an error is
 * `{ error: { code, message } }` with a documented code and its status, a
 * 2xx body matches the result schema, refused input is never accepted.
 * `signedIn`: the request carried a live session, so 401 would be wrong.
 */
export function apiContract(options: { result?: z.ZodType; signedIn?: (sent: Sent) => boolean } = {}) {
  return async (res: Response, { mustReject, sent }: CheckOptions): Promise<Verdict> => {
    const text = await res.text();
    const fail = (why: string): Verdict => ({ failure: `${res.status} ${why}: ${text.slice(0, 200)}` });
    if (res.status >= 500) return fail('server error');
    if (res.headers.get('x-content-type-options') !== 'nosniff') return fail('no security headers');
    if (res.status === 101) return mustReject ? fail('upgraded with a bad ticket') : {};
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return fail('body is not JSON');
    }
    if (res.status >= 400) return errorBodyVerdict(res, body, fail, options.signedIn?.(sent) ?? false);
    if (mustReject) return fail('accepted input the schema rejects');
    if (options.result && !options.result.safeParse(body).success) return fail('result off the protocol schema');
    return {};
  };
}

export function errorBodyVerdict(res: Response, body: unknown, fail: (why: string) => Verdict, signedIn: boolean): Verdict {
  const parsed = ErrorResponse.safeParse(body);
  if (!parsed.success) return fail('error body off the wire shape');
  const { code, retry_after } = parsed.data.error;
  if (!documented.has(code) || code === ErrorCode.INTERNAL) return fail(`code ${code}`);
  if (httpStatusOf[code] !== res.status) return fail(`status does not match ${code}`);
  if (code === ErrorCode.RATE_LIMITED && res.headers.get('retry-after') !== String(retry_after)) return fail('no Retry-After');
  if (signedIn && code === ErrorCode.UNAUTHORIZED) return fail('a live session was refused');
  return {};
}

/** Runs `work` over the items, IN_FLIGHT at a time. */
export async function inFlight<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
}

/**
 * Sends RUNS inputs of one endpoint: first those the protocol refuses (the
 * stored state must be the same after them), then the rest; every answer
 * must keep the endpoint's contract.
 */
export async function fuzzEndpoint(endpoint: Endpoint, index: number, state: () => Promise<unknown>): Promise<void> {
  const all = sampleInputs(endpoint.inputs(), RUNS, SEED + index);
  const rejected = all.filter(endpoint.rejects);
  const others = all.filter((s) => !endpoint.rejects(s));
  const failures: string[] = [];
  const run = (mustReject: boolean) => async (sent: Sent) => {
    let res: Response;
    try {
      res = await send(sent);
    } catch (err) {
      failures.push(`request failed: ${String(err)} for ${describeSent(sent)}`);
      return;
    }
    const verdict = await endpoint.check(res, { mustReject, sent });
    if (verdict.failure) failures.push(`${verdict.failure} for ${describeSent(sent)}`);
  };

  await endpoint.prepare?.();
  const before = await settled(state);
  await inFlight(rejected, run(true));
  // A refused input that was accepted explains a state change best: report it first.
  expect(failures.slice(0, 10), `${failures.length} of ${rejected.length} refused inputs failed (seed ${SEED})`).toEqual([]);
  expect(await settled(state), `${endpoint.name}: rejected input changed stored state (seed ${SEED})`).toEqual(before);
  await inFlight(others, run(false));

  expect(failures.slice(0, 10), `${failures.length} of ${all.length} failed (seed ${SEED})`).toEqual([]);
  // The generator's share of valid input is a statistic: judged only where the
  // run expects at least a handful of them (test:soak always; a quick run's 40
  // inputs would expect 0.2 of a 0.5% share, and miss it by chance).
  const expectedValid = endpoint.minAccepted === undefined ? 0 : RUNS * endpoint.minAccepted;
  if (expectedValid >= 5) expect(others.length, 'inputs past the protocol checks').toBeGreaterThan(expectedValid);
}

export function describeSent(sent: Sent): string {
  const text = typeof sent.body === 'string' ? sent.body : sent.body === undefined ? '' : `<${sent.body.byteLength} bytes>`;
  const body = text.length > 160 ? `${text.slice(0, 160)}… (${text.length} chars)` : text;
  return `${sent.method} ${sent.path.slice(0, 160)} ${JSON.stringify(sent.headers).slice(0, 160)} ${body}`;
}

// ---- input pieces ----

/**
 * Whether a JSON body fails `schema` at the boundary (too big, not JSON, or
 * off the schema), judged as the server reads it: Fetch's text decoding drops
 * a leading BOM, and the account API takes a `null` body as no params.
 */
export function bodyRejected(schema: z.ZodType, body: string | undefined, options: { nullIsEmpty?: boolean } = {}): boolean {
  const text = (body ?? '').replace(/^\uFEFF/, '');
  if (new TextEncoder().encode(body ?? '').byteLength > MAX_JSON_BODY_BYTES) return true;
  let value: unknown;
  try {
    value = text.length === 0 ? {} : JSON.parse(text);
  } catch {
    return true;
  }
  if (options.nullIsEmpty) value ??= {};
  return !safeParseUntrusted(schema, value).success;
}

/** Header values a client can send anywhere (printable ASCII; browsers refuse the rest). */
export const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 200 });

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Fetch trims a header value's surrounding whitespace, so compare as the server sees it. */
export const carriesSession = (token: () => string) => (sent: Sent) => sent.headers.authorization?.trim() === `Bearer ${token()}`;

/** Authorization headers that are not a live session: garbage, lookalikes of `token`, and its stored hash. */
export function badAuthorization(token: () => string, username: () => string): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    fc.constant({}),
    headerText.map((h) => ({ authorization: h })),
    headerText.map((h) => ({ authorization: `Bearer ${h}` })),
    fc.stringMatching(/^[A-Za-z0-9_-]{16,128}$/).map((t) => bearer(t)),
    fc.constantFrom(0, 1, 2, 3, 4, 5).map((n) => {
      const t = token();
      return [
        { authorization: `bearer ${t}` },
        { authorization: `Bearer  ${t}` },
        { authorization: `Bearer ${t}x` },
        { authorization: `Bearer ${t.slice(0, -1)}` },
        { authorization: `Basic ${btoa(`${username()}:x`)}` },
        { authorization: `Bearer ${'A'.repeat(129)}` },
      ][n]!;
    }),
    fc.constant(null).map(() => bearer(hashes.get(token()) ?? 'no hash yet')),
  );
}
/** Stored hashes of live tokens (filled by `rememberHash`), for the "stolen hash" input. */
const hashes = new Map<string, string>();
export async function rememberHash(token: string): Promise<string> {
  const hash = await sha256Hex(token);
  hashes.set(token, hash);
  return hash;
}

/** Path segments where an id goes: encoded text, raw percent garbage, lookalike hex ids, and `known` ones. */
export function idSegment(known: () => readonly string[] = () => []): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }).map(encodeURIComponent),
    fc.stringMatching(/^[0-9a-f]{32}$/),
    fc.stringMatching(/^[0-9A-F]{32}$/),
    fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%2F', '%2e%2e', '..', '.', 'a%00b', '0'.repeat(33), '0'.repeat(31), '%F0%9F%99%82', 'x'.repeat(5_000)),
    fc.nat().map((n) => known()[n % Math.max(known().length, 1)] ?? 'none'),
  );
}
