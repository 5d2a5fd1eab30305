/**
 * Fuzzing through workerd, the upload and download routes: every
 * /v1/uploads route (declare, status, the single body, numbered parts,
 * complete, abort), signed downloads (`GET /v1/files/:file_id`) and the
 * OpenAPI document, with generated and mutated ids, part numbers, bodies of
 * every length, queries (expiry, signature, name) and Range / If-None-Match /
 * If-Range headers. The same contract as fuzz.test.ts: no 5xx, typed errors,
 * nothing logged, input the protocol refuses changes no stored state (D1 row
 * counts, the objects in R2). A download's 2xx is the file's bytes, exactly
 * the requested range of them.
 *
 * Targets that exist, so some inputs hit them: alice's open single upload,
 * open multipart upload, completed upload and an upload to abort; bob's open
 * upload (alice must never reach it); a signed link to alice's photo.
 */
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import type { z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateUploadBody, UploadInfo, UploadPartResult, UploadStatus } from '../../protocol/http/uploads.js';
import { FileInfo, type FileUrl } from '../../protocol/media.js';
import { fuzzInput, HOSTILE_VALUES, wireText } from '../support/arbitraries.js';
import {
  apiContract,
  badAuthorization as badAuthorizationOf,
  bearer,
  bodyRejected,
  carriesSession,
  d1State,
  errorBodyVerdict,
  fuzzEndpoint,
  headerText,
  idSegment,
  rememberHash,
  RUNS,
  slow,
  watchForUnexpectedErrors,
  type CheckOptions,
  type Endpoint,
  type Sent,
  type Verdict,
} from './fuzz-harness.js';
import { signup, type Account } from './helpers.js';
import { bytes, call, createUpload, jpeg, PART, partPath, rawRequest, upload } from './media-helpers.js';

watchForUnexpectedErrors();

// ---- the world ----

let alice: Account;
let bob: Account;
/** Alice's uploads, one per role; bob's open one. */
let single: UploadInfo;
let multipart: UploadInfo;
let done: FileInfo & { upload_id: string };
let doomed: UploadInfo;
let bobs: UploadInfo;
let photo: FileInfo;
let photoBytes: Uint8Array;
let link: FileUrl;
/** The last part of `multipart`: small, so a well-formed input is cheap. */
const LAST_PART = 16;
const SINGLE_SIZE = 64;

beforeAll(async () => {
  [alice, bob] = [await signup(), await signup()];
  await rememberHash(alice.token);
  single = await createUpload(alice, SINGLE_SIZE, { file_name: 'single.bin' });
  multipart = await createUpload(alice, PART + LAST_PART);
  const toComplete = await createUpload(alice, 32);
  expect((await rawRequest(alice, 'PUT', partPath(toComplete, 1), bytes(32, 3))).status).toBe(200);
  const completed = await rawRequest(alice, 'POST', `/v1/uploads/${toComplete.upload_id}/complete`);
  done = { ...((await completed.json()) as FileInfo), upload_id: toComplete.upload_id };
  doomed = await createUpload(alice, 10);
  bobs = await createUpload(bob, SINGLE_SIZE);
  photoBytes = jpeg(3_000, 5);
  photo = await upload(alice, photoBytes, { file_name: 'photo.jpg' });
  const { chat } = await call(alice, 'createGroup', { title: 'Media fuzz', user_ids: [bob.user.id] });
  const { message } = await call(alice, 'sendMedia', { peer: { chat_id: chat.id }, random_id: 'photo', media: { kind: 'photo', file_id: photo.id } });
  link = await call(alice, 'getFileUrl', { chat_id: chat.id, message_id: message.id });
}, 60_000);

/** D1 (uploads, parts, files, rate limits) and what R2 holds. */
async function storedState() {
  const listed = await env.MEDIA.list({ limit: 1_000 });
  return { ...(await d1State()), r2Objects: listed.objects.map((o) => `${o.key}:${o.size}`).sort() };
}

// ---- inputs ----

const carriesAliceSession = carriesSession(() => alice.token);
const badAuthorization = () => badAuthorizationOf(() => alice.token, () => alice.username);
/** Mostly alice's live session, sometimes anything else. */
const authorization = () =>
  fc.oneof({ weight: 5, arbitrary: fc.constant(null).map(() => bearer(alice.token)) }, { weight: 1, arbitrary: badAuthorization() });

/** Upload ids: the given ones of alice's and bob's, and garbage. */
const uploadIds = (...known: (() => string)[]) => idSegment(() => [...known.map((k) => k()), bobs.upload_id]);

/** Bodies around an expected length (one short, exact, one over), empty, and random sizes. */
const bodyAround = (expected: number) =>
  fc
    .oneof(
      fc.constantFrom(expected - 1, expected, expected + 1, 0, 1),
      fc.nat({ max: 4_096 }),
    )
    .chain((size) => fc.nat().map((seed) => bytes(Math.max(0, size), seed)));

const CONTENT_TYPES = ['application/octet-stream', 'image/jpeg', 'text/html', 'multipart/form-data; boundary=x', '', 'application/json'];

function withBody(sent: Omit<Sent, 'body'>, body: Uint8Array, contentType: string): Sent {
  return { ...sent, headers: { ...sent.headers, ...(contentType ? { 'content-type': contentType } : {}) }, body };
}

/** A path segment decoded as the router does (undefined when it cannot be). */
function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The id in `/v1/uploads/<id>[/...]`. */
const pathId = (sent: Sent) => decoded(sent.path.split('/')[3] ?? '');

const bodyLength = (sent: Sent) => (sent.body instanceof Uint8Array ? sent.body.byteLength : new TextEncoder().encode(sent.body ?? '').byteLength);

const contract = (result: z.ZodType | undefined) => apiContract({ result, signedIn: carriesAliceSession });

// ---- the endpoints ----

const endpoints: Endpoint[] = [
  {
    name: 'GET /v1/uploads/:id',
    inputs: () =>
      fc.tuple(uploadIds(() => single.upload_id), authorization()).map(([id, headers]) => ({ path: `/v1/uploads/${id}`, method: 'GET', headers })),
    rejects: (sent) => !carriesAliceSession(sent) || pathId(sent) !== single.upload_id,
    check: contract(UploadStatus),
  },
  {
    name: 'PUT /v1/uploads/:id (a single upload\'s body)',
    inputs: () =>
      fc
        .tuple(uploadIds(() => single.upload_id, () => multipart.upload_id), authorization(), bodyAround(SINGLE_SIZE), fc.constantFrom(...CONTENT_TYPES))
        .map(([id, headers, body, type]) => withBody({ path: `/v1/uploads/${id}`, method: 'PUT', headers }, body, type)),
    rejects: (sent) => !carriesAliceSession(sent) || pathId(sent) !== single.upload_id || bodyLength(sent) !== SINGLE_SIZE,
    check: contract(UploadPartResult),
  },
  {
    name: 'PUT /v1/uploads/:id/parts/:n',
    inputs: () =>
      fc
        .tuple(
          uploadIds(() => multipart.upload_id, () => single.upload_id),
          fc.oneof(
            fc.constantFrom('1', '2', '02', '00002', '0', '3', '99999', '100000', '-1', '1.0', '2e0', ' 2', '%32', '', 'abc', '%', '%zz'),
            fc.nat({ max: 10_001 }).map(String),
          ),
          authorization(),
          bodyAround(LAST_PART),
          fc.constantFrom(...CONTENT_TYPES),
        )
        .map(([id, n, headers, body, type]) => withBody({ path: `/v1/uploads/${id}/parts/${n}`, method: 'PUT', headers }, body, type)),
    rejects: (sent) => {
      const n = decoded(sent.path.split('/')[5] ?? '');
      return !carriesAliceSession(sent) || pathId(sent) !== multipart.upload_id || !/^0*2$/.test(n ?? '') || bodyLength(sent) !== LAST_PART;
    },
    check: contract(UploadPartResult),
  },
  {
    name: 'POST /v1/uploads/:id/complete',
    inputs: () =>
      fc
        .tuple(uploadIds(() => done.upload_id, () => multipart.upload_id, () => single.upload_id), authorization())
        .map(([id, headers]) => ({ path: `/v1/uploads/${id}/complete`, method: 'POST', headers })),
    // The open ones lack parts (multipart's first is never sent; single's body, if the PUT fuzz stored it, is a later matter).
    rejects: (sent) => !carriesAliceSession(sent) || ![done.upload_id, single.upload_id].includes(pathId(sent) ?? ''),
    check: contract(FileInfo),
  },
  {
    name: 'DELETE /v1/uploads/:id',
    inputs: () =>
      fc.tuple(uploadIds(() => doomed.upload_id), authorization()).map(([id, headers]) => ({ path: `/v1/uploads/${id}`, method: 'DELETE', headers })),
    rejects: (sent) => !carriesAliceSession(sent) || pathId(sent) !== doomed.upload_id,
    check: contract(undefined),
  },
  {
    name: 'GET /v1/files/:file_id',
    inputs: () => fileLinkInputs(),
    rejects: (sent) => !carriesRealLink(sent),
    check: downloadContract,
    minAccepted: 0.05,
  },
  {
    name: 'GET /v1/openapi.json',
    inputs: () =>
      fc
        .tuple(fc.oneof(fc.constant(''), headerText.map((q) => `?${encodeURIComponent(q)}`)), fc.oneof(fc.constant({}), authorization()))
        .map(([query, headers]) => ({ path: `/v1/openapi.json${query}`, method: 'GET', headers })),
    rejects: () => false,
    // The document is large: its start tells it apart from an error, without parsing it a thousand times.
    check: async (res) => {
      const text = await res.text();
      if (res.status !== 200) return { failure: `${res.status}: ${text.slice(0, 200)}` };
      return text.startsWith('{"openapi":') ? {} : { failure: `not the OpenAPI document: ${text.slice(0, 80)}` };
    },
  },
  // Last: accepted declarations spend alice's upload budget, which the targets above were made from.
  {
    name: 'POST /v1/uploads',
    inputs: () =>
      fc
        .tuple(wireText(fuzzInput(CreateUploadBody, { strings: ['photo.jpg', 'a b.txt'] }, 3)), authorization())
        .map(([body, headers]) => ({ path: '/v1/uploads', method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })),
    rejects: (sent) => !carriesAliceSession(sent) || bodyRejected(CreateUploadBody, sent.body as string),
    check: contract(UploadInfo),
    minAccepted: 0.01,
  },
];

// ---- signed links ----

/** The real link's query, then 0-2 of its parameters replaced, dropped or duplicated, and a file id that may be another. */
function fileLinkInputs(): fc.Arbitrary<Sent> {
  const hostileText = fc.oneof(
    fc.constantFrom(...HOSTILE_VALUES.filter((v): v is string => typeof v === 'string' && v.length < 1_000)),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('a\r\nSet-Cookie: x=1', 'a"; filename*=UTF-8\'\'evil.html', '..%2f..%2fetc', 'x'.repeat(300), '9'.repeat(13), '-1', '0'),
  );
  const change = fc.record({
    key: fc.constantFrom('exp', 'sig', 'name', 'extra'),
    how: fc.constantFrom('replace' as const, 'drop' as const, 'duplicate' as const, 'flip' as const),
    value: hostileText,
  });
  const range = fc.oneof(
    fc.constant(undefined),
    fc.tuple(fc.nat({ max: 4_000 }), fc.nat({ max: 4_000 })).map(([a, b]) => `bytes=${a}-${b}`),
    fc.nat({ max: 4_000 }).map((a) => `bytes=${a}-`),
    fc.nat({ max: 4_000 }).map((a) => `bytes=-${a}`),
    fc.constantFrom('bytes=0-0', 'bytes=-0', 'bytes=0-1,5-9', 'bytes=', 'bytes=-', 'items=0-1', 'bytes=99999999999999999999-', ' bytes=1-2 '),
    headerText,
  );
  const conditional = fc.oneof(
    fc.constant({}),
    fc.constant(null).map(() => ({ 'if-none-match': `"${photo.id}"` })),
    fc.constant(null).map(() => ({ 'if-range': `"${photo.id}"` })),
    headerText.map((h) => ({ 'if-none-match': h })),
    headerText.map((h) => ({ 'if-range': h })),
  );
  const fileId = fc.oneof({ weight: 6, arbitrary: fc.constant(null).map(() => photo.id) }, { weight: 1, arbitrary: idSegment(() => [done.id]) });
  return fc
    .tuple(fileId, fc.array(change, { maxLength: 2 }), range, conditional)
    .map(([id, changes, rangeHeader, headers]) => {
      const real = new URL(link.url, 'https://x.invalid');
      const params = [...real.searchParams.entries()];
      for (const { key, how, value } of changes) {
        const at = params.findIndex(([k]) => k === key);
        if (how === 'drop' && at >= 0) params.splice(at, 1);
        else if (how === 'duplicate') params.push([key, at >= 0 && value.length % 2 === 0 ? params[at]![1] : value]);
        else if (how === 'flip' && at >= 0) params[at] = [key, flipLastChar(params[at]![1])];
        else if (at >= 0) params[at] = [key, value];
        else params.push([key, value]);
      }
      const query = new URLSearchParams(params).toString();
      return { path: `/v1/files/${id}?${query}`, method: 'GET', headers: { ...headers, ...(rangeHeader === undefined ? {} : { range: rangeHeader }) } };
    });
}

function flipLastChar(s: string): string {
  if (s.length === 0) return 'x';
  const last = s[s.length - 1]!;
  return s.slice(0, -1) + (last === 'a' ? 'b' : 'a');
}

/** Whether the request carries exactly the real link (file id, exp, sig, name), so it may be served. */
function carriesRealLink(sent: Sent): boolean {
  const url = new URL(sent.path, 'https://x.invalid');
  const real = new URL(link.url, 'https://x.invalid');
  if (url.pathname !== real.pathname) return false;
  // The router reads the first of a repeated parameter; judge conservatively: any copy may be the one read.
  return ['exp', 'sig', 'name'].every((key) => {
    const want = real.searchParams.get(key);
    const got = url.searchParams.getAll(key);
    return want === null ? true : got.includes(want);
  });
}

/** A download answers the file's bytes (the requested range of them), 304 with no body, or a typed error. */
async function downloadContract(res: Response, { mustReject }: CheckOptions): Promise<Verdict> {
  const data = new Uint8Array(await res.arrayBuffer());
  const text = () => new TextDecoder().decode(data.slice(0, 200));
  const fail = (why: string): Verdict => ({ failure: `${res.status} ${why}: ${text()}` });
  if (res.status >= 500) return fail('server error');
  if (res.headers.get('x-content-type-options') !== 'nosniff') return fail('no security headers');
  if (res.status >= 400) {
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(data));
    } catch {
      return fail('error body is not JSON');
    }
    return errorBodyVerdict(res, body, fail, false);
  }
  if (mustReject) return fail('served a link that is not the signed one');
  if (res.status === 304) return data.byteLength === 0 ? {} : fail('a 304 with a body');
  if (res.status === 200) return equalBytes(data, photoBytes) ? {} : fail(`200 with ${data.byteLength} bytes, not the file`);
  if (res.status === 206) {
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
    if (!m || Number(m[3]) !== photoBytes.byteLength) return fail(`Content-Range ${res.headers.get('content-range')}`);
    return equalBytes(data, photoBytes.subarray(Number(m[1]), Number(m[2]) + 1)) ? {} : fail('206 with bytes that are not that range');
  }
  return fail('unexpected status');
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((v, i) => v === b[i]);
}

describe('upload and download fuzzing through workerd', () => {
  it.each(endpoints.map((e, i) => [e.name, e, i] as const))(
    `%s: ${RUNS} generated and mutated requests, no 5xx, typed errors, rejected input changes nothing`,
    slow,
    async (_name, endpoint, index) => {
      await fuzzEndpoint(endpoint, 2_000 + index, storedState);
    },
  );

  it("bob's upload is untouched by all of it", async () => {
    const res = await rawRequest(bob, 'GET', `/v1/uploads/${bobs.upload_id}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as UploadStatus).received).toEqual([]);
  });
});
