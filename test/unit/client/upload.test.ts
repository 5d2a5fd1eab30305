import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { HttpApi } from '../../../client/http.js';
import { uploadFile, type UploadProgress } from '../../../client/upload.js';
import type { FetchLike, ResponseLike } from '../../../client/platform.js';

const PART = 1000;

/**
 * The upload endpoints in memory, with switches for a flaky network: a PUT
 * can fail before the server sees it, or after it stored the part (the
 * answer is lost), the way a dropped connection does either.
 */
class FakeUploads {
  readonly parts = new Map<number, Uint8Array>();
  readonly puts: number[] = [];
  statusCalls = 0;
  completed = false;
  deleted = false;
  failBefore = new Set<number>();
  failAfter = new Set<number>();
  size = 0;

  readonly fetch: FetchLike = async (url, init) => {
    const path = new URL(url).pathname;
    const json = (status: number, body: unknown): ResponseLike => ({ status, text: async () => JSON.stringify(body) });
    const info = () => ({
      upload_id: 'a'.repeat(32),
      mode: this.size > PART ? 'multipart' : 'single',
      size: this.size,
      part_size: PART,
      part_count: Math.max(1, Math.ceil(this.size / PART)),
      expires_at: 1,
    });
    if (init.method === 'POST' && path === '/v1/uploads') {
      this.size = JSON.parse(init.body as string).size;
      return json(201, info());
    }
    if (init.method === 'GET') {
      this.statusCalls++;
      return json(200, { ...info(), received: [...this.parts.keys()].sort((a, b) => a - b) });
    }
    if (init.method === 'PUT') {
      const n = Number(/parts\/(\d+)$/.exec(path)?.[1] ?? 1);
      this.puts.push(n);
      // A platform that counts bytes on the wire reports halfway, then all of it.
      const length = (init.body as Uint8Array).byteLength;
      init.onUploadProgress?.(Math.floor(length / 2));
      if (this.failBefore.delete(n)) throw new TypeError('fetch failed: connection reset');
      init.onUploadProgress?.(length);
      this.parts.set(n, new Uint8Array(init.body as Uint8Array));
      if (this.failAfter.delete(n)) throw new TypeError('fetch failed: socket hang up');
      return json(200, { part_number: n, size: (init.body as Uint8Array).byteLength });
    }
    if (init.method === 'POST' && path.endsWith('/complete')) {
      this.completed = true;
      return json(200, { id: 'f'.repeat(32), size: this.size, mime_type: 'application/octet-stream', file_name: null });
    }
    if (init.method === 'DELETE') {
      this.deleted = true;
      return json(200, { ok: true });
    }
    return json(404, { error: { code: 'NOT_FOUND', message: path } });
  };

  assembled(): Uint8Array {
    const out = new Uint8Array(this.size);
    for (const [n, bytes] of this.parts) out.set(bytes, (n - 1) * PART);
    return out;
  }
}

function setup() {
  const server = new FakeUploads();
  const http = new HttpApi('http://edgegram.test', server.fetch, () => 'token_token_token_1');
  return { server, http };
}

const data = (size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 7) % 251);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('uploadFile', () => {
  test('sends every part once and completes; progress ends at the size', async () => {
    const { server, http } = setup();
    const bytes = data(4500);
    const progress: UploadProgress[] = [];
    const file = await uploadFile(http, bytes, { onProgress: (p) => progress.push(p) });
    expect(file.size).toBe(4500);
    expect(server.puts.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(sha(server.assembled())).toBe(sha(bytes));
    expect(progress.at(-1)).toMatchObject({ sent: 4500, total: 4500 });
  });

  test('progress moves within a part where the platform counts sent bytes, never backwards past a failed try', async () => {
    const { server, http } = setup();
    server.failBefore.add(1);
    const progress: number[] = [];
    await uploadFile(http, data(1500), { concurrency: 1, onProgress: (p) => progress.push(p.sent) });
    // Part 1 (1,000 bytes): halfway, then its failed try is taken back, then halfway and whole; part 2 likewise.
    expect(progress).toEqual([0, 500, 0, 500, 1000, 1000, 1250, 1500, 1500]);
  });

  test('a dropped connection: a part whose answer was lost is not sent again, a part that never arrived is', async () => {
    const { server, http } = setup();
    const bytes = data(3500);
    server.failAfter.add(2); // stored, answer lost
    server.failBefore.add(3); // never arrived
    await uploadFile(http, bytes, { concurrency: 2 });
    expect(server.puts.filter((n) => n === 2)).toHaveLength(1);
    expect(server.puts.filter((n) => n === 3)).toHaveLength(2);
    expect(server.statusCalls).toBeGreaterThanOrEqual(2);
    expect(sha(server.assembled())).toBe(sha(bytes));
    expect(server.completed).toBe(true);
  });

  test('a stream source is cut into parts in order without holding the whole file', async () => {
    const { server, http } = setup();
    const bytes = data(3333);
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 77) yield bytes.slice(i, i + 77);
    }
    await uploadFile(http, chunks(), { size: bytes.length, concurrency: 3 });
    expect(sha(server.assembled())).toBe(sha(bytes));
  });

  test('resuming with uploadId sends only the missing parts', async () => {
    const { server, http } = setup();
    const bytes = data(3000);
    server.size = 3000;
    server.parts.set(1, bytes.subarray(0, PART));
    server.parts.set(3, bytes.subarray(2 * PART));
    await uploadFile(http, bytes, { uploadId: 'a'.repeat(32) });
    expect(server.puts).toEqual([2]);
    expect(sha(server.assembled())).toBe(sha(bytes));
  });

  test('aborting stops the upload and abandons it on the server', async () => {
    const { server, http } = setup();
    const controller = new AbortController();
    server.failBefore.add(1);
    const done = uploadFile(http, data(2500), { signal: controller.signal, concurrency: 1 });
    controller.abort();
    await expect(done).rejects.toMatchObject({ code: 'ABORTED' });
    expect(server.deleted).toBe(true);
    expect(server.completed).toBe(false);
  });

  test('a stream shorter than its declared size fails instead of sending a short file', async () => {
    const { http } = setup();
    async function* short() {
      yield data(100);
    }
    await expect(uploadFile(http, short(), { size: 2500 })).rejects.toMatchObject({ code: 'PROTOCOL' });
  });
});
