/**
 * Fuzzing through workerd: generated and mutated input (test/support/arbitraries.ts)
 * on every HTTP route (/v1/auth/*, /v1/sessions*, /v1/connect*, /v1/call/<every
 * method>) and as frames on an open WebSocket. For every input:
 * - no 5xx; every error is `{ error: { code, message } }` with a documented
 *   code and its status; a 2xx body matches the protocol's result schema;
 * - input the protocol schema rejects is refused with a 4xx and changes no
 *   stored state (D1 row counts, both test accounts' pts and dialogs, the
 *   test group's event sequence);
 * - nothing is logged as an unexpected error (the server shares this
 *   isolate, so console.error is watched), alice's mailbox is never reset
 *   (a socket opened first is still open), Object.prototype is unchanged;
 * - the socket answers every frame and is still open and usable afterwards.
 *
 * Size: 250 inputs per endpoint and per frame kind in CI (about 40 endpoints,
 * ~10,000 requests, 1-3 minutes on 2 cores; each request is a full trip
 * through workerd, D1 and the Durable Objects, so 1,000 per endpoint would
 * take 5-10 minutes). The in-process suites (test/unit/fuzz) run 10,000 per
 * schema. EDGEGRAM_LONG=1 runs 2,000 per endpoint; EDGEGRAM_FUZZ_RUNS=<n>
 * sets the count; EDGEGRAM_FUZZ_SEED=<seed> replays a run (the seed is
 * printed on failure).
 */
import { env, runInDurableObject, SELF } from 'cloudflare:test';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { chatRoom, mailbox } from '../../durable-objects/stubs.js';
import { ErrorCode, ErrorResponse, httpStatusOf } from '../../protocol/errors.js';
import { AuthResult, LoginBody, MeResult, OkResult, SignupBody } from '../../protocol/http/auth.js';
import { ConnectTicket } from '../../protocol/http/connect.js';
import { SessionList, TerminateOthersResult } from '../../protocol/http/sessions.js';
import { isMethodName, methodNames, methods, type MethodName } from '../../protocol/methods.js';
import { CallFrame, DownFrame, MAX_FRAME_BYTES, PING_FRAME, PingFrame, UpFrame } from '../../protocol/ws.js';
import { AUTH_LIMITS } from '../../workers/auth/limits.js';
import { sha256Hex } from '../../workers/auth/tokens.js';
import { MAX_JSON_BODY_BYTES } from '../../workers/validate.js';
import { fuzzInput, mutationsOf, prototypeFingerprint, sampleInputs, validShaped, wireText, type Hints } from '../support/arbitraries.js';
import type { FileInfo } from '../../protocol/media.js';
import { BASE, connect, countRows, randomIp, signup, type Account, type TestSocket } from './helpers.js';
import { jpeg, upload } from './media-helpers.js';

const LONG = env.EDGEGRAM_LONG === '1' || env.EDGEGRAM_LONG === 'true';
const RUNS = Number(env.EDGEGRAM_FUZZ_RUNS || (LONG ? 2_000 : 250));
const SEED = env.EDGEGRAM_FUZZ_SEED ? Number(env.EDGEGRAM_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
/** Requests in flight at once: enough to keep workerd busy, few enough to stay deterministic per request. */
const IN_FLIGHT = 8;
const slow = { timeout: Math.max(120_000, RUNS * 250) };

// ---- the world the inputs act on ----

let alice: Account;
let bob: Account;
let groupId: number;
let privateChatId: number;
let alicePhoto: FileInfo;
let hints: Hints;

beforeAll(async () => {
  [alice, bob] = [await signup(), await signup()];
  const group = await callOk(alice, 'createGroup', { title: 'Fuzz target', user_ids: [bob.user.id] });
  groupId = (group as { chat: { id: number } }).chat.id;
  for (let i = 1; i <= 3; i++) await callOk(alice, 'sendMessage', { peer: { chat_id: groupId }, random_id: `seed${i}`, text: `message ${i}` });
  const dm = await callOk(alice, 'sendMessage', { peer: { user_id: bob.user.id }, random_id: 'dm', text: 'hi' });
  privateChatId = (dm as { message: { chat_id: number } }).message.chat_id;
  alicePhoto = await upload(alice, jpeg(2_048));
  hints = {
    ids: [alice.user.id, bob.user.id, groupId, privateChatId, 1, 2, 3],
    strings: [alice.username, bob.username, 'fuzzy_bot', alicePhoto.id],
  };
  watcher = await connect(alice.token);
}, 60_000);

async function callOk(who: Account, method: MethodName, params: unknown): Promise<unknown> {
  const res = await post(`/v1/call/${method}`, JSON.stringify(params), { authorization: `Bearer ${who.token}` });
  if (res.status !== 200) throw new Error(`${method}: ${res.status} ${await res.text()}`);
  return res.json();
}

function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`${BASE}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
}

// ---- watching for what must never happen ----

const consoleError = vi.spyOn(console, 'error');
const prototypeBefore = prototypeFingerprint();
/**
 * A Durable Object reset (an uncaught exception, a broken output gate) drops
 * every WebSocket it holds, while hibernation and idle eviction keep them
 * open. So a socket to alice's mailbox opened first and still answering at
 * the end shows her mailbox was never reset. (A ChatRoom holds no sockets: its
 * reset would surface as a 5xx or a logged error, both checked.)
 */
let watcher: TestSocket;

async function expectNoReset() {
  expect(watcher.ws.readyState, "alice's mailbox dropped its sockets").toBe(WebSocket.OPEN);
  watcher.ws.send(PING_FRAME);
  for (let frame = await watcher.next(15_000); frame.t !== 'pong'; frame = await watcher.next(15_000)) {
    // updates pushed by accepted input meanwhile
  }
}

afterEach(async () => {
  const logged = consoleError.mock.calls.map((args) => args.map(String).join(' ').slice(0, 300));
  consoleError.mockClear();
  expect(logged, `unexpected errors logged (seed ${SEED})`).toEqual([]);
  expect(prototypeFingerprint(), 'Object.prototype changed').toBe(prototypeBefore);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

afterAll(() => consoleError.mockRestore());

// ---- stored state ----

/** Everything rejected input must leave alone. */
async function storedState() {
  const { results: tables } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' ORDER BY name",
  ).all<{ name: string }>();
  const rows: Record<string, number> = {};
  for (const { name } of tables) rows[name] = await countRows(name);
  const limits = await env.DB.prepare('SELECT coalesce(sum(count), 0) AS n FROM rate_limits').first<{ n: number }>();
  const state = async (who: Account) => mailbox(env, who.user.id).getState(who.user.id);
  const dialogs = await mailbox(env, alice.user.id).getDialogs(alice.user.id, {});
  const group = await runInDurableObject(chatRoom(env, groupId), (_, s) =>
    s.storage.sql.exec('SELECT next_message_id, next_event_seq, (SELECT count(*) FROM members) AS members FROM chat').one(),
  );
  return { rows, rateLimitHits: limits?.n, alice: await state(alice), bob: await state(bob), dialogs, group };
}

/** Waits for fan-out of earlier accepted input to land, so a snapshot is not taken mid-delivery. */
async function settledState() {
  let last = JSON.stringify(await storedState());
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 40));
    const now = JSON.stringify(await storedState());
    if (now === last) return JSON.parse(now) as unknown;
    last = now;
  }
  throw new Error('stored state never settled');
}

// ---- checking one answer ----

const documented = new Set<string>(Object.values(ErrorCode));

type Verdict = { failure?: string };

/** The contract every HTTP answer keeps, whatever the input. */
async function checkResponse(
  res: Response,
  options: { mustReject: boolean; signedIn: boolean; result?: z.ZodType },
): Promise<Verdict> {
  const text = await res.text();
  const fail = (why: string): Verdict => ({ failure: `${res.status} ${why}: ${text.slice(0, 200)}` });
  if (res.status >= 500) return fail('server error');
  if (res.headers.get('x-content-type-options') !== 'nosniff') return fail('no security headers');
  if (res.status === 101) return options.mustReject ? fail('upgraded with a bad ticket') : {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return fail('body is not JSON');
  }
  if (res.status >= 400) {
    const parsed = ErrorResponse.safeParse(body);
    if (!parsed.success) return fail('error body off the wire shape');
    const { code, retry_after } = parsed.data.error;
    if (!documented.has(code) || code === ErrorCode.INTERNAL) return fail(`code ${code}`);
    if (httpStatusOf[code] !== res.status) return fail(`status does not match ${code}`);
    if (code === ErrorCode.RATE_LIMITED && res.headers.get('retry-after') !== String(retry_after)) return fail('no Retry-After');
    if (options.signedIn && code === ErrorCode.UNAUTHORIZED) return fail('a live session was refused');
    return {};
  }
  if (options.mustReject) return fail('accepted input the schema rejects');
  if (options.result && !options.result.safeParse(body).success) return fail('result off the protocol schema');
  return {};
}

/** Runs `work` over the items, IN_FLIGHT at a time. */
async function inFlight<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
}

// ---- the endpoints, as data ----

type Sent = { path: string; method: string; headers: Record<string, string>; body?: string };

type Endpoint = {
  name: string;
  inputs: () => fc.Arbitrary<Sent>;
  /** True when the protocol certainly refuses this input (it must then change nothing). */
  rejects: (sent: Sent) => boolean;
  result?: z.ZodType;
  /** Runs before the inputs (and before the state snapshot). */
  prepare?: () => Promise<void>;
};

/**
 * Whether a JSON body fails `schema` at the boundary (too big, not JSON, or
 * off the schema), judged as the server reads it: Fetch's text decoding drops
 * a leading BOM, and the account API takes a `null` body as no params.
 */
function bodyRejected(schema: z.ZodType, body: string | undefined, options: { nullIsEmpty?: boolean } = {}): boolean {
  const text = (body ?? '').replace(/^\uFEFF/, '');
  if (new TextEncoder().encode(body ?? '').byteLength > MAX_JSON_BODY_BYTES) return true;
  let value: unknown;
  try {
    value = text.length === 0 ? {} : JSON.parse(text);
  } catch {
    return true;
  }
  if (options.nullIsEmpty) value ??= {};
  return !schema.safeParse(value).success;
}

/** Header values a client can send anywhere (printable ASCII; browsers refuse the rest). */
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 200 });

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** Fetch trims a header value's surrounding whitespace, so compare as the server sees it. */
const carriesAliceSession = (sent: Sent) => sent.headers.authorization?.trim() === `Bearer ${alice.token}`;

/** Authorization headers that are not a live session: garbage, lookalikes, and the stored hash of a real token. */
function badAuthorization(): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    fc.constant({}),
    headerText.map((h) => ({ authorization: h })),
    headerText.map((h) => ({ authorization: `Bearer ${h}` })),
    fc.stringMatching(/^[A-Za-z0-9_-]{16,128}$/).map((t) => bearer(t)),
    fc.constantFrom(
      { authorization: `bearer ${alice.token}` },
      { authorization: `Bearer  ${alice.token}` },
      { authorization: `Bearer ${alice.token}x` },
      { authorization: `Bearer ${alice.token.slice(0, -1)}` },
      { authorization: `Basic ${btoa(`${alice.username}:x`)}` },
      { authorization: `Bearer ${'A'.repeat(129)}` },
    ),
    fc.constant(null).map(() => ({ authorization: `Bearer ${storedHashOfAlice}` })),
  );
}
let storedHashOfAlice = '';
beforeAll(async () => {
  storedHashOfAlice = await sha256Hex(alice.token);
});

const anyBody = wireText(fc.jsonValue({ maxDepth: 3 }));

function callEndpoint(method: MethodName): Endpoint {
  const schema = methods[method].params;
  return {
    name: `POST /v1/call/${method}`,
    inputs: () =>
      fc.oneof(
        { weight: 9, arbitrary: wireText(fuzzInput(schema, hints, 3)).map((body) => ({ body, headers: bearer(alice.token) })) },
        { weight: 1, arbitrary: fc.tuple(wireText(validShaped(schema, hints)), badAuthorization()).map(([body, headers]) => ({ body, headers })) },
      ).map(({ body, headers }) => ({ path: `/v1/call/${method}`, method: 'POST', body, headers })),
    rejects: (sent) => !carriesAliceSession(sent) || bodyRejected(schema, sent.body, { nullIsEmpty: true }),
    result: methods[method].result,
  };
}

/**
 * Auth bodies come from one IP per endpoint whose rate-limit window is seeded
 * a few short of its limit: a few valid-shaped bodies pay for scrypt and go
 * through, the rest are RATE_LIMITED (each scrypt costs 100 ms to 1 s here).
 */
function authEndpoint(path: string, schema: z.ZodType, ip: string, limit: { key: string; limit: number }): Endpoint {
  return {
    name: `POST ${path}`,
    prepare: async () => {
      await env.DB.prepare('INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, ?)')
        .bind(`${limit.key}:${ip}`, Date.now(), limit.limit - 4)
        .run();
    },
    inputs: () =>
      fc
        .oneof({ weight: 1, arbitrary: validShaped(schema, hints) }, { weight: 12, arbitrary: mutationsOf(validShaped(schema, hints)) })
        .chain((v) => wireText(fc.constant(v)))
        .map((body) => ({ path, method: 'POST', body, headers: { 'cf-connecting-ip': ip } })),
    rejects: (sent) => bodyRejected(schema, sent.body),
    result: AuthResult,
  };
}

/** A route with no input but its credentials: only a live session may pass. */
function sessionEndpoint(method: string, path: string, result: z.ZodType, options: { aliceMayCall: boolean }): Endpoint {
  const good = fc.constant(null).map(() => bearer(alice.token));
  return {
    name: `${method} ${path}`,
    inputs: () =>
      fc
        .tuple(options.aliceMayCall ? fc.oneof(badAuthorization(), good) : badAuthorization(), anyBody)
        .map(([headers, body]) => ({ path, method, headers, ...(method === 'GET' ? {} : { body }) })),
    rejects: (sent) => !carriesAliceSession(sent),
    result,
  };
}

/** Path segments for DELETE /v1/sessions/:id: encoded text, raw percent garbage, lookalike ids (none of them alice's). */
const sessionIdSegment = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }).map(encodeURIComponent),
  fc.stringMatching(/^[0-9a-f]{32}$/),
  fc.stringMatching(/^[0-9A-F]{32}$/),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%2F', '%2e%2e', '..', '.', 'a%00b', '0'.repeat(33), '0'.repeat(31), '%F0%9F%99%82', 'x'.repeat(5_000)),
);

const ORIGINS = ['', 'https://evil.example', 'null', 'http://localhost:8787', 'https://api.edgegram.test', 'http://localhost:8787.evil.example'];

const endpoints: Endpoint[] = [
  authEndpoint('/v1/auth/signup', SignupBody, randomIp(), { key: 'signup:ip', limit: AUTH_LIMITS.signupPerIp.limit }),
  authEndpoint('/v1/auth/login', LoginBody, randomIp(), { key: 'login:ip', limit: AUTH_LIMITS.loginPerIp.limit }),
  sessionEndpoint('POST', '/v1/auth/logout', OkResult, { aliceMayCall: false }),
  sessionEndpoint('GET', '/v1/auth/me', MeResult, { aliceMayCall: true }),
  sessionEndpoint('GET', '/v1/sessions', SessionList, { aliceMayCall: true }),
  sessionEndpoint('POST', '/v1/sessions/terminate-others', TerminateOthersResult, { aliceMayCall: false }),
  sessionEndpoint('POST', '/v1/connect/ticket', ConnectTicket, { aliceMayCall: true }),
  {
    name: 'DELETE /v1/sessions/:id',
    inputs: () =>
      fc
        .tuple(sessionIdSegment, fc.oneof({ weight: 4, arbitrary: fc.constant(null).map(() => bearer(alice.token)) }, { weight: 1, arbitrary: badAuthorization() }))
        .map(([segment, headers]) => ({ path: `/v1/sessions/${segment}`, method: 'DELETE', headers })),
    rejects: () => true, // never one of alice's other sessions (she has none)
  },
  {
    name: 'GET /v1/connect',
    inputs: () =>
      fc
        .record({
          query: fc.oneof(
            fc.string({ unit: 'binary', maxLength: 200 }).map((t) => `?ticket=${encodeURIComponent(t)}`),
            fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((t) => `?ticket=${t}`),
            fc.constantFrom('', '?', '?ticket', '?ticket=', '?ticket=a&ticket=b', '?ticket=%', '?ticket=%zz', `?ticket=${'x'.repeat(129)}`, '?TICKET=abc'),
            fc.constant(null).map(() => `?ticket=${storedHashOfAlice}`),
          ),
          upgrade: fc.constantFrom('websocket', 'WebSocket', 'h2c', ''),
          origin: fc.constantFrom(...ORIGINS),
        })
        .map(({ query, upgrade, origin }) => ({
          path: `/v1/connect${query}`,
          method: 'GET',
          headers: { ...(upgrade ? { upgrade } : {}), ...(origin ? { origin } : {}) },
        })),
    rejects: () => true, // no input carries a live ticket
  },
  ...methodNames.map(callEndpoint),
];

function send(sent: Sent): Promise<Response> {
  return SELF.fetch(`${BASE}${sent.path}`, {
    method: sent.method,
    headers: { 'content-type': 'application/json', ...sent.headers },
    ...(sent.body === undefined ? {} : { body: sent.body }),
  });
}

describe('HTTP fuzzing through workerd', () => {
  it.each(endpoints.map((e, i) => [e.name, e, i] as const))(
    `%s: ${RUNS} generated and mutated requests, no 5xx, typed errors, rejected input changes nothing`,
    slow,
    async (name, endpoint, index) => {
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
        const verdict = await checkResponse(res, { mustReject, signedIn: carriesAliceSession(sent), result: endpoint.result });
        if (verdict.failure) failures.push(`${verdict.failure} for ${describeSent(sent)}`);
      };

      await endpoint.prepare?.();
      const before = await settledState();
      await inFlight(rejected, run(true));
      expect(await settledState(), `${name}: rejected input changed stored state (seed ${SEED})`).toEqual(before);
      await inFlight(others, run(false));

      expect(failures.slice(0, 10), `${failures.length} of ${all.length} failed (seed ${SEED})`).toEqual([]);
      // The generator must reach past the schema on routes that have one, or it tests little.
      if (endpoint.result && endpoint.name.startsWith('POST /v1/call/')) expect(others.length).toBeGreaterThan(RUNS * 0.01);
      await expectNoReset();
    },
  );
});

function describeSent(sent: Sent): string {
  const body = sent.body === undefined ? '' : ` ${sent.body.length > 160 ? `${sent.body.slice(0, 160)}… (${sent.body.length} chars)` : sent.body}`;
  return `${sent.method} ${sent.path.slice(0, 120)} ${JSON.stringify(sent.headers).slice(0, 160)}${body}`;
}

// ---- WebSocket frames ----

const hostileFrames = () =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 100 }),
    fc.constantFrom('', ' ', 'null', '[]', '{}', '"ping"', '{"t":"PING"}', '{"t":"ping" }', '{"t":"call"}', `{"t":"call","id":"${'i'.repeat(MAX_FRAME_BYTES)}"}`),
    fc.uint8Array({ maxLength: 64 }),
  );

/** Call frames to every real method with fuzzed params, then maybe mutated as a whole. */
function callFrames() {
  const paramsOf = new Map(methodNames.map((m) => [m, fuzzInput(methods[m].params, hints, 3)]));
  const calls = fc
    .tuple(fc.constantFrom(...methodNames), fc.string({ minLength: 1, maxLength: 64 }))
    .chain(([method, id]) => paramsOf.get(method)!.map((params) => ({ t: 'call', id, method, params })));
  return wireText(fc.oneof({ weight: 4, arbitrary: calls }, { weight: 1, arbitrary: mutationsOf(calls) }, { weight: 1, arbitrary: fuzzInput(CallFrame, hints) }));
}

function pingAndUpFrames() {
  return wireText(fc.oneof(validShaped(PingFrame), mutationsOf(validShaped(PingFrame)), fuzzInput(UpFrame, hints)));
}

/** Whether the mailbox certainly refuses this message (bad frame or call params off the schema). */
function frameRejected(message: string | Uint8Array): boolean {
  if (typeof message !== 'string' || new TextEncoder().encode(message).byteLength > MAX_FRAME_BYTES) return true;
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return true;
  }
  const frame = UpFrame.safeParse(json);
  if (!frame.success) return true;
  if (frame.data.t === 'ping') return false;
  const { method, params } = frame.data;
  return !isMethodName(method) || !methods[method].params.safeParse(params ?? {}).success;
}

/** Frames the server pushes on its own (fan-out, presence) rather than in answer to one of ours. */
const unsolicited = (frame: { t?: unknown }) => frame.t === 'updates' || frame.t === 'event';

async function nextAnswer(socket: TestSocket): Promise<Record<string, unknown>> {
  for (;;) {
    const frame = await socket.next(15_000);
    if (!unsolicited(frame)) return frame;
  }
}

/** Sends the messages a window at a time; every one must get exactly one answer that keeps the contract. */
async function sendFrames(socket: TestSocket, messages: readonly (string | Uint8Array)[], failures: string[]) {
  for (let i = 0; i < messages.length; i += IN_FLIGHT) {
    const window = messages.slice(i, i + IN_FLIGHT);
    for (const m of window) socket.ws.send(m);
    for (let n = 0; n < window.length; n++) {
      const answer = await nextAnswer(socket);
      const error = answer.error as { code?: string } | undefined;
      const offSchema = !DownFrame.safeParse(answer).success;
      const untyped = answer.t === 'error' && (!error?.code || !documented.has(error.code) || error.code === ErrorCode.INTERNAL);
      if (offSchema || untyped) failures.push(`${JSON.stringify(answer).slice(0, 200)} answering ${answeredFrame(answer, window)}`);
    }
  }
}

/** The frame an answer is for: the one with its call id, else the window it came from. */
function answeredFrame(answer: Record<string, unknown>, window: readonly (string | Uint8Array)[]): string {
  const show = (m: string | Uint8Array) => (typeof m === 'string' ? m.slice(0, 200) : `<${m.byteLength} bytes>`);
  const withId = window.find((m) => {
    try {
      return typeof m === 'string' && typeof answer.id === 'string' && String((JSON.parse(m) as { id?: unknown }).id).slice(0, 64) === answer.id;
    } catch {
      return false;
    }
  });
  return withId ? show(withId) : `one of ${window.map(show).join(' | ').slice(0, 600)}`;
}

async function expectUsable(socket: TestSocket) {
  socket.ws.send(PING_FRAME);
  expect(await nextAnswer(socket)).toEqual({ t: 'pong' });
  socket.send({ t: 'call', id: 'still-there', method: 'getState', params: {} });
  expect(await nextAnswer(socket)).toMatchObject({ t: 'result', id: 'still-there', result: { pts: expect.any(Number) } });
  expect(socket.ws.readyState).toBe(WebSocket.OPEN);
}

describe('WebSocket frame fuzzing through workerd', () => {
  it(`${RUNS} call frames, ${RUNS} ping and other frames and ${Math.ceil(RUNS / 5)} raw messages on one socket: each answered, the socket stays usable, rejected frames change nothing`, slow, async () => {
    const socket = await connect(alice.token);
    const all = [
      ...sampleInputs(callFrames(), RUNS, SEED + 1_000),
      ...sampleInputs(pingAndUpFrames(), RUNS, SEED + 1_001),
      ...sampleInputs(hostileFrames(), Math.ceil(RUNS / 5), SEED + 1_002),
    ];
    const failures: string[] = [];

    const before = await settledState();
    await sendFrames(socket, all.filter(frameRejected), failures);
    expect(await settledState(), `rejected frames changed stored state (seed ${SEED})`).toEqual(before);
    await expectUsable(socket);

    await sendFrames(socket, all.filter((m) => !frameRejected(m)), failures);
    expect(failures.slice(0, 10), `${failures.length} of ${all.length} frames failed (seed ${SEED})`).toEqual([]);
    await expectUsable(socket);
    await expectNoReset();
    socket.ws.close(1000);
  });
});

// ---- rejected calls that name a new peer ----

/**
 * A user peer's private chat is created on first use. A call that is then
 * refused must not have created it on the way: the peer would see a new,
 * empty chat from a message that was never sent.
 */
describe('rejected calls to a new peer leave no trace', () => {
  async function expectUntouched(peer: Account, chatsBefore: number) {
    expect(await countRows('chats')).toBe(chatsBefore);
    expect(await mailbox(env, peer.user.id).getState(peer.user.id)).toMatchObject({ ok: true, value: { pts: 0 } });
    expect(await mailbox(env, peer.user.id).getDialogs(peer.user.id, {})).toEqual({ ok: true, value: [] });
  }

  it('a first message that replies to a message that cannot exist creates no chat', async () => {
    const [sender, peer] = [await signup(), await signup()];
    const chatsBefore = await countRows('chats');
    const res = await post(
      '/v1/call/sendMessage',
      JSON.stringify({ peer: { user_id: peer.user.id }, random_id: 'reply', text: 'hi', reply_to_message_id: 1 }),
      bearer(sender.token),
    );
    expect(res.status).toBe(400);
    await expectUntouched(peer, chatsBefore);
  });

  it('a first photo or album that replies to a message that cannot exist creates no chat', async () => {
    const [sender, peer] = [await signup(), await signup()];
    const [first, second] = [await upload(sender, jpeg(2_048, 11)), await upload(sender, jpeg(2_048, 12))];
    const chatsBefore = await countRows('chats');
    const photo = (file: FileInfo) => ({ kind: 'photo', file_id: file.id });
    const attempts = [
      ['sendMedia', { peer: { user_id: peer.user.id }, random_id: 'p', media: photo(first), reply_to_message_id: 1 }],
      ['sendAlbum', { peer: { user_id: peer.user.id }, items: [first, second].map((f, i) => ({ random_id: `a${i}`, media: photo(f) })), reply_to_message_id: 1 }],
    ] as const;
    for (const [method, params] of attempts) {
      const res = await post(`/v1/call/${method}`, JSON.stringify(params), bearer(sender.token));
      expect(res.status, method).toBe(400);
    }
    await expectUntouched(peer, chatsBefore);
  });

  it('forwarding only messages that are not there creates no chat', async () => {
    const peer = await signup();
    const chatsBefore = await countRows('chats');
    const res = await post(
      '/v1/call/forwardMessages',
      JSON.stringify({ from_chat_id: groupId, ids: [999], to: { user_id: peer.user.id }, random_ids: ['f'] }),
      bearer(alice.token),
    );
    expect(res.status).toBe(404);
    await expectUntouched(peer, chatsBefore);
  });
});
