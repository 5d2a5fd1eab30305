import { createHash } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { downloadFile } from '../../client/download.js';
import { HttpApi } from '../../client/http.js';
import { partReader } from '../../client/upload-source.js';
import { uploadFile } from '../../client/upload.js';
import { DEFAULT_PART_SIZE } from '../../r2/plan.js';
import { measureAcross, type Contender } from '../generator/measure.js';
import { PeakRss } from '../lib/memory.js';
import { generatedBytes, hashStream } from '../lib/generated-bytes.js';
import { ScenarioId, TargetName, type Phase, type Rep } from '../lib/types.js';
import { EdgegramTarget } from '../targets/edgegram.js';
import { RoomsTarget } from '../targets/rooms.js';
import type { ScenarioContext } from './context.js';

const MiB = 1024 * 1024;
/** Parts in flight: the SDK's default. */
const UPLOAD_CONCURRENCY = 4;

/** How each lane moves the file: Edgegram, or plain R2 through peer (a) in parts or in one request. */
type Mode = 'edgegram' | 'multipart' | 'single';

/**
 * Media: one large file up and then down, through Edgegram and through
 * plain R2, measured in the same run, repetitions interleaved.
 * - Edgegram: the SDK's uploadFile (POST /v1/uploads, then 8 MiB parts, four
 *   in flight, each streamed by the Worker into an R2 multipart upload
 *   while it hashes them, then complete: dedup check, sniffing, D1 records),
 *   sendMedia and getFileUrl (not timed), then the SDK's downloadFile of the
 *   signed link (the Worker streams the file from R2 in ranged reads).
 * - (a), plain R2: a minimal Worker with an R2 binding on the same local R2
 *   (bench/peers/minimal-do/worker.ts) doing only the R2 calls. Twice: the
 *   same multipart shape (8 MiB parts cut by the SDK's part reader, four in
 *   flight), which is what the ratios are taken against, and one streamed
 *   PUT (which production's 100 MB request limit forbids for large files,
 *   shown for reference). Each is read back with one GET.
 * Edgegram and (a) each run in a fresh server of their own (the
 * orchestrator starts them), so a transfer's peak RSS is the workerd
 * process's own; the kernel's high-water mark is reset before each. The
 * bytes are made on the fly (xorshift32, a new seed per repetition, so
 * deduplication never short-cuts one) and never held whole; every
 * download is checked against the upload with SHA-256.
 */
export async function media(ctx: ScenarioContext): Promise<void> {
  const { sizes } = ctx;
  const lanes: Contender<Mode>[] = ctx.contenders.flatMap((c): Contender<Mode>[] =>
    c.target.name === TargetName.edgegram
      ? [{ ...c, setup: 'edgegram' }]
      : [
          { ...c, setup: 'multipart' },
          { ...c, setup: 'single' },
        ],
  );
  const transfers = new Map(lanes.map((lane) => [lane.setup, transferFor(lane)]));
  const transfer = (lane: Contender<Mode>) => transfers.get(lane.setup)!;
  // Every code path once, small, before anything is measured: a fresh
  // workerd grows on its first transfers (see the media e2e test).
  const warm = Math.min(64 * MiB, sizes.mediaBytes);
  for (const lane of lanes) await transfer(lane).download(await transfer(lane).upload(warm, 0));

  const size = sizes.mediaBytes;
  const uploaded = new Map<Mode, Stored[]>(lanes.map((lane) => [lane.setup, []]));
  const specOf = (direction: 'up' | 'down') => (lane: Contender<Mode>) => ({
    scenario: ScenarioId.media,
    label: `media ${formatSize(size)} ${direction}${lane.setup === 'single' ? ', one request' : ''}`,
    unit: 'MB/s',
    reps: sizes.mediaReps,
    warmup: false,
    steady: false,
    throughput: (rep: Rep) => rep.extra.mbPerSec ?? Number.NaN,
    run: async () => {
      const done = uploaded.get(lane.setup)!;
      const memory = new PeakRss(lane.serverPid);
      const started = performance.now();
      let verified = true;
      if (direction === 'up') {
        done.push(await transfer(lane).upload(size, done.length + 1));
      } else {
        const stored = done.shift();
        if (!stored) throw new Error('nothing uploaded to download');
        const got = await transfer(lane).download(stored);
        verified = got.sha256 === stored.sha256 && got.bytes === stored.bytes;
        if (!verified) ctx.tracker.window.error('CORRUPT');
      }
      const seconds = (performance.now() - started) / 1000;
      const { peakBytes, startBytes, exact } = memory.stop();
      return {
        bytes: size,
        seconds,
        mbPerSec: size / 1e6 / seconds,
        peakRssMiB: peakBytes / MiB,
        startRssMiB: startBytes / MiB,
        growthMiB: (peakBytes - startBytes) / MiB,
        peakExact: exact ? 1 : 0,
        verified: verified ? 1 : 0,
      };
    },
  });
  const report = (phases: Phase[]) => phases.forEach((p) => ctx.report(p));
  report(await measureAcross(ctx, lanes, specOf('up')));
  report(await measureAcross(ctx, lanes, specOf('down')));
}

/** A stored file: where to fetch it, and what its bytes were. */
type Stored = { url: string; bytes: number; sha256: string };

type Transfer = {
  upload(size: number, seed: number): Promise<Stored>;
  download(stored: Stored): Promise<{ bytes: number; sha256: string }>;
};

function transferFor({ target, setup }: Contender<Mode>): Transfer {
  if (setup === 'edgegram' && target instanceof EdgegramTarget) return edgegramTransfer(target);
  if (setup !== 'edgegram' && target instanceof RoomsTarget && target.name === TargetName.minimal) {
    return setup === 'multipart' ? plainMultipart(target.url) : plainSingle(target.url);
  }
  throw new Error(`the media scenario runs on Edgegram and (a), not ${target.name}`);
}

/** Through Edgegram, the way an app does it: the SDK up, a message, a signed link, the SDK down. */
function edgegramTransfer(edgegram: EdgegramTarget): Transfer {
  const [account] = edgegram.take(1);
  if (!account) throw new Error('media needs an account');
  const token = account.tokens[0]!;
  const api = new HttpApi(edgegram.http.base, fetch, () => token);
  return {
    async upload(size, seed) {
      const hash = createHash('sha256');
      const file = await uploadFile(api, generatedBytes(size, seed, hash), { size, fileName: `bench-${seed}.bin` });
      const sha256 = hash.digest('hex');
      const { message } = await api.call('sendMedia', {
        peer: { user_id: account.userId },
        random_id: `media-${Date.now()}-${seed}`,
        media: { kind: 'document', file_id: file.id },
      });
      const link = await api.call('getFileUrl', { chat_id: message.chat_id, message_id: message.id });
      return { url: api.url(link.url), bytes: file.size, sha256 };
    },
    async download(stored) {
      return hashStream((await downloadFile(fetch, stored.url)).body);
    },
  };
}

/** Plain R2 multipart through peer (a): parts as the SDK cuts and sends them, then one GET. */
function plainMultipart(base: string): Transfer {
  return {
    async upload(size, seed) {
      const hash = createHash('sha256');
      const url = `${base}/r2/bench-mp-${seed}-${Date.now()}`;
      const { uploadId } = await ok<{ uploadId: string }>(fetch(`${url}?uploads`, { method: 'POST' }));
      const reader = partReader(generatedBytes(size, seed, hash), size);
      const count = Math.max(1, Math.ceil(size / DEFAULT_PART_SIZE));
      const parts: R2Part[] = [];
      let next = 1;
      const worker = async () => {
        while (next <= count) {
          const n = next++;
          // Asked for in this same tick, so the stream is cut in part order (as the SDK does).
          const body = await reader.read(n, DEFAULT_PART_SIZE);
          const partUrl = `${url}?uploadId=${encodeURIComponent(uploadId)}&part=${n}`;
          parts[n - 1] = await ok<R2Part>(fetch(partUrl, { method: 'PUT', body: body as Uint8Array }));
        }
      };
      await Promise.all(Array.from({ length: Math.min(UPLOAD_CONCURRENCY, count) }, worker));
      await ok(fetch(`${url}?uploadId=${encodeURIComponent(uploadId)}`, { method: 'POST', body: JSON.stringify(parts) }));
      return { url, bytes: size, sha256: hash.digest('hex') };
    },
    download: getObject,
  };
}

/** Plain R2 through peer (a): one streamed PUT, one GET. */
function plainSingle(base: string): Transfer {
  return {
    async upload(size, seed) {
      const hash = createHash('sha256');
      const url = `${base}/r2/bench-one-${seed}-${Date.now()}`;
      const request = http.request(url, {
        method: 'PUT',
        headers: { 'content-length': String(size), 'content-type': 'application/octet-stream' },
      });
      const response = new Promise<http.IncomingMessage>((resolve, reject) => {
        request.once('response', resolve);
        request.once('error', reject);
      });
      await pipeline(Readable.from(generatedBytes(size, seed, hash)), request);
      const res = await response;
      let text = '';
      for await (const chunk of res) text += String(chunk);
      if (res.statusCode !== 200) throw new Error(`plain R2 PUT: ${res.statusCode} ${text}`);
      return { url, bytes: size, sha256: hash.digest('hex') };
    },
    download: getObject,
  };
}

type R2Part = { partNumber: number; etag: string };

async function ok<T>(pending: Promise<Response>): Promise<T> {
  const res = await pending;
  if (!res.ok) throw new Error(`plain R2: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function getObject(stored: Stored): Promise<{ bytes: number; sha256: string }> {
  const res = await fetch(stored.url);
  if (res.status !== 200 || !res.body) throw new Error(`plain R2 GET: ${res.status}`);
  return hashStream(res.body);
}

function formatSize(bytes: number): string {
  return bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0 ? `${bytes / 1024 ** 3} GiB` : `${Math.round(bytes / MiB)} MiB`;
}
