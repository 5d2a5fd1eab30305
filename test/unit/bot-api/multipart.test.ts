/**
 * The Bot API's streaming multipart parser (workers/bot-api/multipart-stream.ts)
 * against the whole-body parser it replaced (whole-body-multipart.ts): the
 * same parts for every body, however the body is cut into chunks, and the
 * same refusals. Property runs start from the run's seed (test/support/seed.ts,
 * set for fast-check in test/unit/setup.ts and printed with any counterexample).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cutIntoParts } from '../../../r2/cut-parts.js';
import { boundaryOf } from '../../../workers/bot-api/multipart.js';
import { MalformedMultipart, MULTIPART_LIMITS, readMultipart, type FormHandlers } from '../../../workers/bot-api/multipart-stream.js';
import { sized, suiteSize } from '../../support/suite-size.js';
import { parseMultipart, type FormValue } from './whole-body-multipart.js';

const enc = new TextEncoder();
const RUNS = sized(suiteSize(process.env), { quick: 500, soak: 5_000, long: 50_000 }, process.env.EDGEGRAM_FUZZ_RUNS);

/** The body as chunks, each a fresh copy (as a network hands them over), cut at `cuts` (empty chunks included). */
async function* chunked(body: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    yield body.slice(at, cut);
    at = cut;
  }
  yield body.slice(at);
}

/** What the streaming parser reads, in the whole-body parser's shape (files as Files). */
async function streamed(body: Uint8Array, boundary: string, cuts: readonly number[] = []): Promise<[string, FormValue][]> {
  const out: [string, FormValue][] = [];
  await readMultipart(chunked(body, cuts), boundary, {
    text: (name, value) => out.push([name, value]),
    file: async (part, bytes) => {
      const pieces: Uint8Array[] = [];
      for await (const piece of bytes) pieces.push(piece.slice());
      out.push([part.name, new File(pieces, part.filename, { type: part.type })]);
    },
  });
  return out;
}

/** Parts as comparable data: text as is, files as name, type and hex bytes. */
async function comparable(parts: [string, FormValue][]) {
  return Promise.all(
    parts.map(async ([name, value]) =>
      typeof value === 'string' ? { name, text: value } : { name, file: value.name, type: value.type, hex: Buffer.from(await value.arrayBuffer()).toString('hex') },
    ),
  );
}

type Outcome = { ok: true; parts: Awaited<ReturnType<typeof comparable>> } | { ok: false };

async function wholeBody(body: Uint8Array, boundary: string): Promise<Outcome> {
  try {
    return { ok: true, parts: await comparable(parseMultipart(body, boundary)) };
  } catch {
    return { ok: false };
  }
}

async function streaming(body: Uint8Array, boundary: string, cuts: readonly number[]): Promise<Outcome> {
  try {
    return { ok: true, parts: await comparable(await streamed(body, boundary, cuts)) };
  } catch (err) {
    // Only a refusal: a TypeError or a RangeError would be a bug.
    if (!(err instanceof MalformedMultipart)) throw err;
    return { ok: false };
  }
}

describe('multipart parsing, as lenient as Telegram', () => {
  test('grammY-style parts: no spaces, unquoted filename, binary content kept byte for byte', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0x80]);
    const body = new Uint8Array([
      ...enc.encode('--b0\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n42\r\n--b0\r\n'),
      ...enc.encode('content-disposition:form-data;name="photo";filename=a b.jpg\r\ncontent-type:application/octet-stream\r\n\r\n'),
      ...bytes,
      ...enc.encode('\r\n--b0--\r\n'),
    ]);
    const parts = await streamed(body, boundaryOf('multipart/form-data; boundary=b0')!);
    expect(parts[0]).toEqual(['chat_id', '42']);
    const [name, file] = parts[1]!;
    expect(name).toBe('photo');
    expect(file).toBeInstanceOf(File);
    expect((file as File).name).toBe('a b.jpg');
    expect(new Uint8Array(await (file as File).arrayBuffer())).toEqual(bytes);
  });

  test('standard parts with quoted values and a quoted boundary', async () => {
    const body = enc.encode(`--x\r\nContent-Disposition: form-data; name="text"\r\n\r\nhé "there"\r\n--x--`);
    expect(await streamed(body, boundaryOf('multipart/form-data; boundary="x"')!)).toEqual([['text', 'hé "there"']]);
  });

  test('the same parts as the whole-body parser, for any body cut into any chunks (property)', async () => {
    let parsed = 0;
    let withFiles = 0;
    await fc.assert(
      fc.asyncProperty(formBody, chunking, async ({ body, boundary }, cutsFor) => {
        const cuts = cutsFor(body, boundary);
        const expected = await wholeBody(body, boundary);
        const actual = await streaming(body, boundary, cuts);
        expect(actual).toEqual(expected);
        if (expected.ok) parsed++;
        if (expected.ok && expected.parts.some((p) => 'file' in p)) withFiles++;
      }),
      { numRuns: RUNS },
    );
    // The generator must mostly make forms that parse, or the property would only compare refusals.
    expect(parsed).toBeGreaterThan(RUNS * 0.4);
    expect(withFiles).toBeGreaterThan(RUNS * 0.2);
  });

  test.each([
    ['an empty body', ''],
    ['no boundary in the body', 'content-disposition: form-data; name="a"\r\n\r\n1\r\n'],
    ['a body that ends after a delimiter', '--b'],
    ['a body that ends inside the headers', '--b\r\ncontent-disposition: form-data; name="a"\r\n'],
    ['a part with no closing boundary', '--b\r\ncontent-disposition: form-data; name="a"\r\n\r\n1234'],
    ['a file part cut off mid-file', '--b\r\ncontent-disposition: form-data; name="f"; filename="x"\r\n\r\n\x00\x01\x02\r\n--'],
  ])('refuses %s, as the whole-body parser did', async (_, text) => {
    const body = enc.encode(text);
    expect(() => parseMultipart(body, 'b')).toThrow();
    await expect(streamed(body, 'b')).rejects.toThrow(MalformedMultipart);
    await expect(streamed(body, 'b', Array.from({ length: body.length }, (_, i) => i))).rejects.toThrow(MalformedMultipart);
  });

  test('refuses more text, parts or header than any framework sends', async () => {
    const field = (name: string, value: string) => `--b\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const long = enc.encode(field('a', 'x'.repeat(MULTIPART_LIMITS.textBytes / 2)) + field('b', 'y'.repeat(MULTIPART_LIMITS.textBytes / 2 + 1)) + '--b--');
    await expect(streamed(long, 'b')).rejects.toThrow(/text fields are at most/);
    const many = enc.encode(Array.from({ length: MULTIPART_LIMITS.parts + 1 }, (_, i) => field(`f${i}`, '1')).join('') + '--b--');
    await expect(streamed(many, 'b')).rejects.toThrow(/at most 1000 parts/);
    expect(await streamed(enc.encode(Array.from({ length: MULTIPART_LIMITS.parts }, (_, i) => field(`f${i}`, '1')).join('') + '--b--'), 'b')).toHaveLength(1000);
    const header = enc.encode(`--b\r\ncontent-disposition: form-data; name="a"\r\nx-pad: ${'p'.repeat(MULTIPART_LIMITS.headerBytes)}\r\n\r\n1\r\n--b--`);
    await expect(streamed(header, 'b')).rejects.toThrow(/headers are at most/);
  });
});

describe('file parts are handed on as they arrive', () => {
  const form = enc.encode(
    '--b\r\ncontent-disposition: form-data; name="f"; filename="x.bin"\r\n\r\n0123456789\r\n' +
      '--b\r\ncontent-disposition: form-data; name="chat_id"\r\n\r\n42\r\n--b--\r\n',
  );

  test('what a consumer leaves unread is drained, and the fields after the file are read', async () => {
    const texts: [string, string][] = [];
    let first: Uint8Array | undefined;
    await readMultipart(chunked(form, [60, 63, 66]), 'b', {
      text: (name, value) => texts.push([name, value]),
      file: async (_, bytes) => {
        for await (const piece of bytes) {
          first = piece.slice();
          break;
        }
      },
    });
    expect(new TextDecoder().decode(first)).toMatch(/^0/);
    expect(texts).toEqual([['chat_id', '42']]);
  });

  test("a consumer's failure ends the reading and cancels the body; a swallowed refusal is raised all the same", async () => {
    let cancelled = false;
    const source: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => {
        const inner = chunked(form, [70]);
        return { next: () => inner.next(), return: async () => ((cancelled = true), { done: true, value: undefined }) };
      },
    };
    const failing: FormHandlers = { text: () => {}, file: async () => Promise.reject(new Error('storage down')) };
    await expect(readMultipart(source, 'b', failing)).rejects.toThrow('storage down');
    expect(cancelled).toBe(true);

    const cut = form.slice(0, 75);
    const swallowing: FormHandlers = {
      text: () => {},
      file: async (_, bytes) => {
        try {
          for await (const _piece of bytes);
        } catch {
          // A careless consumer: the parser must not read on from a broken place.
        }
      },
    };
    await expect(readMultipart(chunked(cut, []), 'b', swallowing)).rejects.toThrow(MalformedMultipart);
  });

  test('a 50 MB file streamed in 64 KiB chunks holds about one part, never the body (bounded memory)', async () => {
    const partSize = 8 * 1024 * 1024;
    const fileSize = 50 * 1024 * 1024;
    const boundary = 'edgegram-bounded-memory';
    const prefix = enc.encode(`--${boundary}\r\ncontent-disposition: form-data; name="chat_id"\r\n\r\n42\r\n--${boundary}\r\ncontent-disposition:form-data;name="document";filename=big.bin\r\n\r\n`);
    const suffix = enc.encode(`\r\n--${boundary}--\r\n`);
    const sent = createHash('sha256');
    let parserHeld = 0;
    let storerHeld = 0;
    let mostHeld = 0;
    const note = () => (mostHeld = Math.max(mostHeld, parserHeld + storerHeld));
    const stored = createHash('sha256');
    const partSizes: number[] = [];
    let texts = 0;
    await readMultipart(
      lazyBody(prefix, fileSize, suffix, 64 * 1024, (bytes) => sent.update(bytes)),
      boundary,
      {
        text: () => texts++,
        file: async (_, bytes) => {
          // The storer's side, R2 left out: parts cut as uploads.ts cuts them, each "written" (hashed) and dropped.
          const write = async (part: { chunks: Uint8Array[]; size: number }) => {
            for (const chunk of part.chunks) stored.update(chunk);
            partSizes.push(part.size);
          };
          const { last } = await cutIntoParts(bytes, partSize, write, (held) => {
            storerHeld = held;
            note();
          });
          await write(last);
          storerHeld = 0;
        },
      },
      {
        watch: (held) => {
          parserHeld = held;
          note();
        },
      },
    );
    expect(texts).toBe(1);
    expect(partSizes).toEqual([...Array(6).fill(partSize), fileSize - 6 * partSize]);
    expect(stored.digest('hex')).toBe(sent.digest('hex'));
    expect(mostHeld).toBeGreaterThan(partSize);
    expect(mostHeld).toBeLessThan(partSize + 256 * 1024);
  }, 60_000);
});

/**
 * A form with a file part of `fileSize` pseudo-random bytes, made chunk by
 * chunk as it is read (never whole), each chunk a fresh buffer. `sent` sees
 * the file's bytes.
 */
async function* lazyBody(prefix: Uint8Array, fileSize: number, suffix: Uint8Array, chunkSize: number, sent: (bytes: Uint8Array) => void) {
  const total = prefix.length + fileSize + suffix.length;
  let x = 0x9e3779b9;
  for (let at = 0; at < total; at += chunkSize) {
    const chunk = new Uint8Array(Math.min(chunkSize, total - at));
    for (let i = 0; i < chunk.length; i++) {
      const p = at + i;
      if (p < prefix.length) chunk[i] = prefix[p]!;
      else if (p >= prefix.length + fileSize) chunk[i] = suffix[p - prefix.length - fileSize]!;
      else {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        chunk[i] = x & 0xff;
      }
    }
    const fileStart = Math.max(0, prefix.length - at);
    const fileEnd = Math.min(chunk.length, prefix.length + fileSize - at);
    if (fileEnd > fileStart) sent(chunk.subarray(fileStart, fileEnd));
    yield chunk;
  }
}

// ---- Generated forms ----

/** Bytes likely to meet a delimiter: CRs, LFs, dashes and pieces of the boundary, among random bytes and text. */
function contentOf(boundary: string) {
  const delimiter = `\r\n--${boundary}`;
  return fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.uint8Array({ maxLength: 24 }) },
        { weight: 2, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }).map((s) => enc.encode(s)) },
        { weight: 3, arbitrary: fc.constantFrom('\r', '\n', '\r\n', '-', '--', '\r\n\r\n', '\r\n-').map((s) => enc.encode(s)) },
        { weight: 3, arbitrary: fc.integer({ min: 1, max: delimiter.length - 1 }).map((n) => enc.encode(delimiter.slice(0, n))) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: delimiter.length }).map((n) => enc.encode(delimiter.slice(n))) },
      ),
      { maxLength: 12 },
    )
    .map(join);
}

const fieldName = fc.oneof(fc.constantFrom('chat_id', 'photo', 'document', 'media', 'caption', 'one', 'x'), fc.string({ maxLength: 8 }));

/** Header blocks in the spellings frameworks use, and some they should not. */
function headersOf(kind: 'text' | 'file' | 'nameless') {
  const quoted = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  const disposition = fc.constantFrom('Content-Disposition: form-data; ', 'content-disposition:form-data;', 'CONTENT-DISPOSITION:  form-data ;  ');
  const value = (s: fc.Arbitrary<string>) => fc.tuple(s, fc.boolean()).map(([v, q]) => (q ? quoted(v) : v));
  const extra = fc.constantFrom('', '\r\nContent-Type: image/jpeg', '\r\ncontent-type:application/octet-stream', '\r\nX-Junk: 1', '\r\nno colon here', '\r\nContent-Type: Text/Plain; charset=utf-8');
  if (kind === 'nameless') return fc.constantFrom('', 'Content-Disposition: form-data', 'Content-Type: text/plain', 'content-disposition: attachment; filename="a.txt"');
  const name = value(fieldName).map((v) => `name=${v}`);
  const filename = kind === 'file' ? value(fc.oneof(fc.constantFrom('a.jpg', 'a b.jpg', '', 'ф.png', 'x;y'), fc.string({ maxLength: 10 }))).map((v) => `;filename=${v}`) : fc.constant('');
  return fc.tuple(disposition, name, filename, extra).map(([d, n, f, e]) => `${d}${n}${f}${e}`);
}

/** What follows a delimiter before the headers: a CRLF, usually; nothing or padding in hand-rolled bodies. */
const afterDelimiter = fc.constantFrom('\r\n', '\r\n', '\r\n', '', ' \r\n', '\n');

const boundaryArb = fc.oneof(
  fc.constantFrom('b', '-', '--', 'b-', 'x-y', '----WebKitFormBoundary7MA4YWxkTrZu0gW', 'grammy0123456789', 'a b'),
  fc.string({ minLength: 1, maxLength: 16, unit: fc.constantFrom(...'abcXYZ0189-_.=+/:?'.split('')) }),
);

const formBody = boundaryArb.chain((boundary) =>
  fc
    .record({
      preamble: fc.oneof(fc.constant(new Uint8Array()), contentOf(boundary)),
      parts: fc.array(
        fc.constantFrom('text', 'text', 'file', 'file', 'nameless').chain((kind) =>
          fc.record({ after: afterDelimiter, headers: headersOf(kind as 'text' | 'file' | 'nameless'), content: contentOf(boundary) }),
        ),
        { maxLength: 6 },
      ),
      ending: fc.constantFrom('--', '--', '--\r\n', '--\r\nepilogue\r\n--b--', '', '\r\n', '-'),
      // Mutations: a byte changed, or the body cut short.
      flip: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })) }),
      truncate: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }),
    })
    .map(({ preamble, parts, ending, flip, truncate }) => {
      const delimiter = `--${boundary}`;
      let body = join([
        preamble,
        ...parts.flatMap(({ after, headers, content }, i) => [
          enc.encode(`${i === 0 && preamble.length > 0 ? '\r\n' : ''}${delimiter}${after}${headers}\r\n\r\n`),
          content,
          enc.encode('\r\n'),
        ]),
        enc.encode(`${delimiter}${ending}`),
      ]);
      if (flip && body.length > 0) {
        body = body.slice();
        body[flip[0] % body.length] = flip[1];
      }
      if (truncate !== null) body = body.slice(0, truncate % (body.length + 1));
      return { body, boundary };
    }),
);

/** Where to cut a body: at every byte, at random, or inside each delimiter and CRLF. */
const chunking: fc.Arbitrary<(body: Uint8Array, boundary: string) => number[]> = fc.oneof(
  fc.constant((body: Uint8Array) => Array.from({ length: body.length }, (_, i) => i)),
  fc.array(fc.nat(), { maxLength: 24 }).map((cuts) => (body: Uint8Array) => cuts.map((c) => c % (body.length + 1))),
  fc.array(fc.nat(), { minLength: 1, maxLength: 8 }).map((offsets) => (body: Uint8Array, boundary: string) => {
    const cuts: number[] = [];
    const needles = [`\r\n--${boundary}`, '\r\n'].map((s) => enc.encode(s));
    for (const needle of needles) {
      for (let i = 0, k = 0; i + needle.length <= body.length; i++) {
        if (needle.every((b, j) => body[i + j] === b)) cuts.push(i + (offsets[k++ % offsets.length]! % (needle.length + 1)));
      }
    }
    return cuts;
  }),
);

function join(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
