/**
 * Fuzzing through workerd, the Bot API: every method at `/bot<token>/<method>`
 * with generated and mutated parameters sent the four ways frameworks send
 * them (JSON, urlencoded form, query string, multipart, now and then with a
 * file part), under the live token or lookalikes of it; unknown methods and
 * paths; and `GET /file/bot<token>/<path>` downloads. For every input:
 * - no 5xx; every answer is Telegram's shape (`{ ok: true, result }`, or
 *   `{ ok: false, error_code, description }` with the HTTP status equal to
 *   error_code and Retry-After on 429); the live token is never refused;
 * - input refused for certain (a token that is not live, an unknown method,
 *   parameters the method's schema refuses, with no file to store) changes
 *   no stored state: D1 row counts, the bot's and alice's mailboxes, the
 *   group's event sequence;
 * - nothing is logged as an unexpected error; alice's mailbox (a socket held
 *   open) is never reset.
 *
 * The world: alice owns the bot, which is in a group with alice and bob and
 * has a private chat with alice; carol owns another bot. Parameters are aimed
 * now and then at the real chats, messages, users and files, so some inputs
 * get past the schema to the handlers. getUpdates is always sent with
 * timeout 0 (a long poll would hold a request for up to 50 s; long polling
 * has its own tests).
 */
import { env, runInDurableObject, SELF } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { chatRoomStub, mailbox } from '../../durable-objects/stubs.js';
import { botParams, type BotMethodName } from '../../protocol/bot-api/params.js';
import type { FileInfo } from '../../protocol/media.js';
import { fuzzInput, wireText } from '../support/arbitraries.js';
import { MAX_TEXT_BYTES } from '../../workers/bot-api/params.js';
import { botOk, call, newBot, userWrites, type TestBot } from './bot-api-helpers.js';
import {
  d1State,
  expectNoReset,
  fuzzEndpoint,
  headerText,
  idSegment,
  RUNS,
  slow,
  watchForUnexpectedErrors,
  type CheckOptions,
  type Endpoint,
  type Sent,
  type Verdict,
} from './fuzz-harness.js';
import { BASE, connect, signup, type Account, type TestSocket } from './helpers.js';
import { jpeg, upload } from './media-helpers.js';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';

watchForUnexpectedErrors();

// ---- the world ----

let alice: Account;
let bob: Account;
let theBot: TestBot;
let othersBot: TestBot;
let groupId: number;
let privateChatId: number;
let botFile: { file_id: string };
let alicePhoto: FileInfo;
let watcher: TestSocket;
/** Real ids and names to aim parameters at. */
let targets: { chatIds: (number | string)[]; userIds: number[]; messageIds: number[]; fileIds: string[] };

beforeAll(async () => {
  [alice, bob] = [await signup(), await signup()];
  theBot = await newBot(alice);
  othersBot = await newBot();
  const { chat } = await call(alice, 'createGroup', { title: 'Bot fuzz', user_ids: [bob.user.id, theBot.id] });
  groupId = chat.id;
  for (let i = 1; i <= 3; i++) await botOk(theBot.token, 'sendMessage', { chat_id: -groupId, text: `seed ${i}` });
  privateChatId = (await userWrites(alice, theBot.id, '/start')).chat_id;
  alicePhoto = await upload(alice, jpeg(2_048, 21));
  const form = new FormData();
  form.set('chat_id', String(alice.user.id));
  form.set('photo', new File([jpeg(1_024, 22)], 'bot.jpg', { type: 'image/jpeg' }));
  const res = await SELF.fetch(`${BASE}/bot${theBot.token}/sendPhoto`, { method: 'POST', body: form });
  const sent = ((await res.json()) as { result: { photo: { file_id: string }[] } }).result;
  botFile = { file_id: sent.photo[sent.photo.length - 1]!.file_id };
  targets = {
    chatIds: [-groupId, alice.user.id, bob.user.id, `@${theBot.username}`, `@${alice.username}`, -privateChatId],
    userIds: [alice.user.id, bob.user.id, theBot.id, othersBot.id],
    messageIds: [1, 2, 3, 4],
    fileIds: [botFile.file_id, alicePhoto.id],
  };
  watcher = await connect(alice.token);
}, 60_000);

async function storedState() {
  const group = await runInDurableObject(chatRoomStub(env, groupId), (_, s) =>
    s.storage.sql.exec('SELECT next_message_id, next_event_seq, (SELECT count(*) FROM members) AS members FROM chat').one(),
  );
  return {
    ...(await d1State()),
    bot: await mailbox(env, theBot.id).getState(theBot.id),
    alice: await mailbox(env, alice.user.id).getState(alice.user.id),
    group,
  };
}

// ---- inputs ----

type Encoding = 'json' | 'form' | 'query' | 'multipart';

/**
 * What the server will read from a request, kept beside it: the parameters
 * (or `unreadable` when the body cannot be parsed) and whether a file part
 * goes with it (files are stored before the parameters are checked, as
 * Telegram does, so such a request is never "certainly refused").
 */
type Reading = { params: Record<string, unknown> | 'unreadable'; withFile: boolean; liveToken: boolean; knownMethod: boolean };
const readings = new WeakMap<Sent, Reading>();

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const asText = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined'));

/** Now and then points id fields at things that exist, so the handlers run past "chat not found". */
function aimed(values: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(values, fc.boolean(), fc.nat()).map(([value, aim, n]) => {
    if (!aim || !isObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) Object.defineProperty(out, key, { value: value[key], enumerable: true, writable: true, configurable: true });
    const pick = <T,>(list: readonly T[]) => list[n % list.length]!;
    if ('chat_id' in out) out.chat_id = pick(targets.chatIds);
    if ('from_chat_id' in out) out.from_chat_id = pick(targets.chatIds);
    if ('user_id' in out) out.user_id = pick(targets.userIds);
    if ('message_id' in out) out.message_id = pick(targets.messageIds);
    if ('file_id' in out) out.file_id = pick(targets.fileIds);
    return out;
  });
}

/** Tokens that are not live: lookalikes of the bot's, another shape, garbage. The other account's bot's token is live (for that bot), so it is not here. */
const badToken = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 4, 5).map((n) => {
    const t = theBot.token;
    const [id, secret] = [t.slice(0, t.indexOf(':')), t.slice(t.indexOf(':') + 1)];
    return [`${t}x`, t.slice(0, -1), `${id}:${secret.split('').reverse().join('')}`, `${othersBot.id}:${secret}`, t.toUpperCase() === t ? `${t}A` : t.toUpperCase(), `${id}:`][n]!;
  }),
  fc.stringMatching(/^[0-9]{1,12}:[A-Za-z0-9_-]{20,40}$/),
  fc.string({ unit: 'binary', maxLength: 60 }).map(encodeURIComponent),
  fc.constantFrom('', ':', '%', '%zz', '%E0%A4%A', '%00', '..', '%2F', 'x'.repeat(2_000)),
);

/** How the method name is written: as documented, in other cases (Telegram ignores case). */
const spelled = (method: string) =>
  fc.constantFrom(method, method, method, method, method.toLowerCase(), method.toUpperCase());

function botRequest(method: BotMethodName): fc.Arbitrary<Sent> {
  const schema = botParams[method];
  let values = aimed(fuzzInput(schema, { ids: [1, 2, 3], strings: [`@${'x'.repeat(5)}`, 'attach://photo', 'HTML', 'MarkdownV2'] }, 3));
  // A long poll holds the request; the fuzzer only ever asks for what is there.
  if (method === 'getUpdates') values = values.map((v) => (isObject(v) ? { ...v, timeout: 0 } : v));
  return fc
    .record({
      value: values,
      encoding: fc.constantFrom<Encoding>('json', 'json', 'json', 'form', 'query', 'multipart'),
      token: fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: badToken }),
      name: spelled(method),
      file: fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('photo', 'document', 'thumbnail', 'voice', 'x') }),
    })
    .chain((r) => wireText(fc.constant(r.value)).map((json) => ({ ...r, json })))
    .map(({ value, encoding, token, name, file, json }) => encode({ value, encoding, token, name, file, json }));
}

function encode(input: { value: unknown; encoding: Encoding; token: string | null; name: string; file: string | undefined; json: string }): Sent {
  const token = input.token ?? theBot.token;
  const path = `/bot${token}/${input.name}`;
  const reading: Reading = {
    params: 'unreadable',
    withFile: false,
    liveToken: input.token === null,
    knownMethod: true,
  };
  const entries = isObject(input.value) ? Object.keys(input.value).map((k) => [k, asText((input.value as Record<string, unknown>)[k])] as [string, string]) : [];
  let sent: Sent;
  switch (input.encoding) {
    case 'json': {
      sent = { path, method: 'POST', headers: { 'content-type': 'application/json' }, body: input.json };
      reading.params = readJson(input.json);
      break;
    }
    case 'form': {
      const body = isObject(input.value) ? new URLSearchParams(entries).toString() : asText(input.value);
      sent = { path, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body };
      reading.params = new TextEncoder().encode(body).byteLength > MAX_TEXT_BYTES ? 'unreadable' : Object.fromEntries(new URLSearchParams(decodedText(body)));
      break;
    }
    case 'query': {
      const query = new URLSearchParams(entries).toString();
      sent = { path: `${path}?${query}`, method: 'GET', headers: {} };
      reading.params = Object.fromEntries(new URLSearchParams(query));
      break;
    }
    case 'multipart': {
      const boundary = `fuzz${Math.abs(input.json.length * 7919) % 100_000}`;
      const parts = entries.map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k.replace(/["\r\n]/g, '_')}"\r\n\r\n${v}\r\n`);
      if (input.file) {
        parts.push(`--${boundary}\r\ncontent-disposition: form-data; name="${input.file}"; filename="f.jpg"\r\ncontent-type: image/jpeg\r\n\r\n\u00ff\u00d8\u00ff\u00e0fuzz\r\n`);
        reading.withFile = true;
      }
      const body = `${parts.join('')}--${boundary}--\r\n`;
      sent = { path, method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body };
      // Keys the server reads differently (quotes, line breaks) make the reading uncertain.
      const clean = entries.every(([k, v]) => !/["\r\n\\;=]/.test(k) && !v.includes(`--${boundary}`));
      reading.params = clean ? Object.fromEntries(entries.map(([k]) => [k, readMultipartValue(entries, k)])) : 'unreadable';
      if (!clean) reading.withFile = true; // not judged
      break;
    }
  }
  readings.set(sent, reading);
  return sent;
}

/** The last value sent under `key`, as the server's multipart reader keeps it (each value decoded on its own). */
function readMultipartValue(entries: [string, string][], key: string): string {
  return decodedText(entries.filter(([k]) => k === key).at(-1)![1]);
}

/**
 * Text as the server gets it back from UTF-8: TextDecoder drops a leading
 * byte order mark, and a lone surrogate went over the wire as U+FFFD.
 */
function decodedText(text: string): string {
  return new TextDecoder().decode(new TextEncoder().encode(text));
}

/** A JSON body as workers/bot-api/params.ts reads it; 'unreadable' when it answers 400 or 413. */
function readJson(text: string): Record<string, unknown> | 'unreadable' {
  if (new TextEncoder().encode(text).byteLength > MAX_TEXT_BYTES) return 'unreadable';
  const decoded = decodedText(text);
  if (decoded.trim().length === 0) return {};
  try {
    const json = JSON.parse(decoded) as unknown;
    return isObject(json) ? json : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Whether the Bot API certainly refuses the request (and so must change nothing). */
function certainlyRefused(method: BotMethodName | undefined) {
  return (sent: Sent): boolean => {
    const r = readings.get(sent);
    if (!r) return false;
    if (!r.liveToken || !r.knownMethod || !method) return true;
    if (r.withFile) return false;
    return r.params === 'unreadable' || !safeParseUntrusted(botParams[method], r.params).success;
  };
}

/** Why the test expected a refusal: the first schema issue, for a failure message. */
function whyRefused(sent: Sent): string {
  const r = readings.get(sent);
  const method = /^\/bot[^/]*\/([^/?]+)/.exec(sent.path)?.[1]?.toLowerCase();
  const name = (Object.keys(botParams) as BotMethodName[]).find((m) => m.toLowerCase() === method);
  if (!r || r.params === 'unreadable' || !name) return JSON.stringify(r).slice(0, 300);
  return JSON.stringify(safeParseUntrusted(botParams[name], r.params).error?.issues[0]).slice(0, 600);
}

// ---- the answer ----

/** Telegram's answer shape, whatever the input; the live token is never refused. */
async function botContract(res: Response, { mustReject, sent }: CheckOptions): Promise<Verdict> {
  const text = await res.text();
  const fail = (why: string): Verdict => ({ failure: `${res.status} ${why}: ${text.slice(0, 200)}` });
  if (res.status >= 500) return fail('server error');
  if (res.headers.get('x-content-type-options') !== 'nosniff') return fail('no security headers');
  let body: { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown; parameters?: { retry_after?: unknown } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return fail('body is not JSON');
  }
  if (body.ok === true) {
    if (res.status !== 200 || !('result' in body)) return fail('ok without a result');
    return mustReject ? fail(`accepted input that must be refused (${whyRefused(sent)})`) : {};
  }
  if (body.ok !== false || typeof body.description !== 'string' || body.description === '') return fail('not the Bot API shape');
  if (body.error_code !== res.status || res.status < 400) return fail('error_code is not the status');
  if (res.status === 429 && res.headers.get('retry-after') !== String(body.parameters?.retry_after)) return fail('429 without Retry-After');
  if (res.status === 401 && readings.get(sent)?.liveToken) return fail('the live token was refused');
  return {};
}

// ---- the endpoints ----

const methodNames = Object.keys(botParams) as BotMethodName[];

const methodEndpoints: Endpoint[] = methodNames.map((method) => ({
  name: `/bot<token>/${method}`,
  inputs: () => botRequest(method),
  rejects: certainlyRefused(method),
  check: botContract,
  // Methods without required parameters take most inputs; the rest need aimed ids to get anywhere.
  minAccepted: 0.005,
}));

/** Methods that do not exist, paths with no method or extra segments, under live and bad tokens. */
const unknownPaths: Endpoint = {
  name: '/bot<token>/<unknown method or path>',
  inputs: () =>
    fc
      .tuple(
        fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: badToken }),
        fc.oneof(
          fc.stringMatching(/^[A-Za-z_]{1,40}$/).filter((m) => !methodNames.some((k) => k.toLowerCase() === m.toLowerCase()) && !['getchatmemberscount', 'kickchatmember'].includes(m.toLowerCase())),
          // (`../getMe` is not here: the URL parser resolves it to `/getMe`, which is not the Bot API.)
          fc.constantFrom('', 'sendMessage/extra', 'getMe/', 'getMe%00', 'send%4Dessage', 'constructor', '__proto__', 'toString', 'hasOwnProperty'),
        ),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      )
      .map(([token, rest, method]) => {
        const sent: Sent = { path: `/bot${token ?? theBot.token}${rest === '' ? '' : `/${rest}`}`, method, headers: {} };
        // `send%4Dessage` decodes to a real method; judged as not certainly refused.
        const known = /%4D/i.test(rest);
        readings.set(sent, { params: {}, withFile: false, liveToken: token === null, knownMethod: !known });
        return sent;
      }),
  rejects: (sent) => {
    const r = readings.get(sent)!;
    return !r.liveToken || r.knownMethod;
  },
  check: botContract,
};

/** getFile's download path: the bot's own file, a file it cannot see, garbage paths, with ranges. */
const fileDownloads: Endpoint = {
  name: 'GET /file/bot<token>/<file_path>',
  inputs: () =>
    fc
      .tuple(
        fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: badToken }),
        fc.oneof(
          fc.constant(null).map(() => `files/${botFile.file_id}`),
          fc.constant(null).map(() => `files/${alicePhoto.id}`),
          idSegment().map((s) => `files/${s}`),
          idSegment(),
          fc.constantFrom('files/', 'files', '../files/x', 'files/%2e%2e', `FILES/${'a'.repeat(32)}`),
        ),
        fc.oneof(fc.constant(undefined), fc.constantFrom('bytes=0-10', 'bytes=-5', 'bytes=5000-', 'bytes=0-0', 'bytes=x'), headerText),
      )
      .map(([token, filePath, range]) => {
        const sent: Sent = { path: `/file/bot${token ?? theBot.token}/${filePath}`, method: 'GET', headers: range === undefined ? {} : { range } };
        readings.set(sent, { params: {}, withFile: false, liveToken: token === null, knownMethod: true });
        return sent;
      }),
  rejects: () => false, // a download changes nothing but the file's last use; only the answer is checked
  check: downloadContract,
  minAccepted: 0.1,
};

/** A download is bytes (200/206), or an error in the Bot API's shape (or, for a range past the end, the API's typed 416). */
async function downloadContract(res: Response, options: CheckOptions): Promise<Verdict> {
  if (res.status === 200 || res.status === 206) {
    await res.arrayBuffer();
    return res.headers.get('x-content-type-options') === 'nosniff' ? {} : { failure: `${res.status} without security headers` };
  }
  if (res.status === 416) {
    const body = (await res.json()) as { error?: { code?: string } };
    return body.error?.code === 'RANGE_NOT_SATISFIABLE' ? {} : { failure: `416 ${JSON.stringify(body)}` };
  }
  return botContract(res, options);
}

describe('Bot API fuzzing through workerd', () => {
  it.each([...methodEndpoints, unknownPaths, fileDownloads].map((e, i) => [e.name, e, i] as const))(
    `%s: ${RUNS} generated and mutated requests, no 5xx, Telegram's error shape, refused input changes nothing`,
    slow,
    async (_name, endpoint, index) => {
      await fuzzEndpoint(endpoint, 3_000 + index, storedState);
      await expectNoReset(watcher);
    },
  );
});
