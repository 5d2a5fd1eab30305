import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generatedBytes, hashStream } from '../../bench/lib/generated-bytes.js';
import { groupMemory, sampleMemory } from './support/memory.js';
import { signUpDevice, type Device } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

/**
 * Media end to end on the real local server: a file of a few hundred MB goes
 * up through the SDK in parallel parts and comes back byte-identical, while
 * the server's memory stays flat (bodies are streamed, never buffered whole).
 * EDGEGRAM_MEDIA_E2E_MB sets the size (default 300).
 */
const MiB = 1024 * 1024;
const SIZE = Number(process.env.EDGEGRAM_MEDIA_E2E_MB || 300) * MiB;
/** The workerd process may grow by less than this while moving the file both ways. */
const MAX_GROWTH = 150 * MiB;

let server: TestServer;
let alice: Device;
let bob: Device;

beforeAll(async () => {
  server = await startServer();
  alice = await signUpDevice(server.baseUrl, 'alice');
  bob = await signUpDevice(server.baseUrl, 'bob');
});

afterAll(async () => {
  for (const d of [alice, bob]) d?.client.disconnect();
  await server?.stop();
});

describe('large media through the SDK', () => {
  test(`a ${SIZE / MiB} MB file goes up in parts and comes back byte-identical, with the server's memory flat`, async () => {
    const pgid = server.processGroup();
    expect(groupMemory(pgid).some((p) => p.name === 'workerd'), 'a workerd process in the server group').toBe(true);

    // Warm up every code path (upload in parts, send, link, download) so the baseline includes
    // what workerd allocates once and keeps: a fresh process grows by ~150 MB on its first transfers.
    const warmSize = 64 * MiB;
    const warm = await alice.client.uploadFile(generatedBytes(warmSize, 1, createHash('sha256')), { size: warmSize, fileName: 'warm.bin' });
    const warmMsg = await alice.client.sendMedia({ user_id: bob.userId }, { kind: 'document', file: warm });
    const warmLink = await bob.client.getFileUrl(warmMsg.chat_id, warmMsg.id);
    expect((await hashStream((await bob.client.downloadFile(warmLink.url)).body)).bytes).toBe(warmSize);

    const sampler = sampleMemory(pgid, 'workerd');
    const baseline = sampler.now();
    const started = Date.now();

    const sourceHash = createHash('sha256');
    const progress: number[] = [];
    const file = await alice.client.uploadFile(generatedBytes(SIZE, 2, sourceHash), {
      size: SIZE,
      fileName: 'big.bin',
      onProgress: (p) => progress.push(p.sent),
    });
    const uploadedMs = Date.now() - started;
    const uploadPeak = sampler.peak();
    const expected = sourceHash.digest('hex');
    expect(file).toMatchObject({ size: SIZE, file_name: 'big.bin', mime_type: 'application/octet-stream' });
    expect(progress.at(-1)).toBe(SIZE);
    expect(progress.length).toBeGreaterThan(SIZE / (8 * MiB));

    const message = await alice.client.sendMedia({ user_id: bob.userId }, { kind: 'document', file }, { caption: 'the big one' });
    const link = await bob.client.getFileUrl(message.chat_id, message.id);
    const download = await bob.client.downloadFile(link.url);
    expect(download).toMatchObject({ status: 200, size: SIZE, length: SIZE });
    const got = await hashStream(download.body);
    const { peak } = sampler.stop();
    const totalMs = Date.now() - started;

    expect(got.bytes).toBe(SIZE);
    expect(got.sha256).toBe(expected);

    // A range from the middle, as a video player seeking would ask.
    const middle = await bob.client.downloadFile(link.url, { range: { start: SIZE / 2, end: SIZE / 2 + MiB - 1 } });
    expect(middle).toMatchObject({ status: 206, offset: SIZE / 2, length: MiB, size: SIZE });
    expect((await middle.bytes()).length).toBe(MiB);

    const growth = peak - baseline;
    console.info(
      `media e2e: ${SIZE / MiB} MB up in ${(uploadedMs / 1000).toFixed(1)} s, up+down in ${(totalMs / 1000).toFixed(1)} s; ` +
        `workerd RSS ${(baseline / MiB).toFixed(0)} MB → peak ${(peak / MiB).toFixed(0)} MB (+${(growth / MiB).toFixed(0)} MB; ` +
        `+${((uploadPeak - baseline) / MiB).toFixed(0)} MB during the upload)`,
    );
    expect(growth, `workerd grew by ${(growth / MiB).toFixed(0)} MB moving ${SIZE / MiB} MB`).toBeLessThan(MAX_GROWTH);
  }, 20 * 60_000);
});
