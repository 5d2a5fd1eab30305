import { env } from 'cloudflare:test';
import { describe, expect, test, vi } from 'vitest';
import type { UploadInfo, UploadStatus } from '../../protocol/http/uploads.js';
import type { FileInfo } from '../../protocol/media.js';
import { api, errorCode, signup } from './helpers.js';
import {
  bytes,
  complete,
  createUpload,
  fileRow,
  html,
  jpeg,
  MiB,
  PART,
  partOf,
  putPart,
  rawRequest,
  receivedParts,
  sendPart,
  sha256,
  upload,
  uploadStatus,
} from './media-helpers.js';

// Multi-megabyte bodies through R2: slower than the default 5 s on a busy 2-core machine.
vi.setConfig({ testTimeout: 60_000 });

async function storedBytes(fileId: string): Promise<Uint8Array> {
  const row = await fileRow(fileId);
  const object = await env.MEDIA.get(row!.r2_key);
  return new Uint8Array(await object!.arrayBuffer());
}

describe('single uploads', () => {
  test('a small file goes in one PUT and comes back as a file with its sniffed type', async () => {
    const alice = await signup();
    const data = jpeg(200_000);
    const info = await createUpload(alice, data.length, { file_name: 'cat.jpg' });
    expect(info).toMatchObject({ mode: 'single', part_count: 1, part_size: PART, size: data.length });
    expect(await sendPart(alice, info, data, 1)).toEqual({ part_number: 1, size: data.length });
    expect(await receivedParts(alice, info.upload_id)).toEqual([1]);
    const res = await complete(alice, info.upload_id);
    expect(res.status).toBe(200);
    const file = (await res.json()) as FileInfo;
    expect(file).toMatchObject({ size: data.length, mime_type: 'image/jpeg', file_name: 'cat.jpg' });
    expect(await sha256(await storedBytes(file.id))).toBe(await sha256(data));
  });

  test('the stored type is sniffed from the bytes, whatever the client declared', async () => {
    const alice = await signup();
    const spoofed = await upload(alice, html(), { file_name: 'photo.jpg', declared_mime: 'image/jpeg' });
    expect(spoofed.mime_type).toBe('application/octet-stream');
    const real = await upload(alice, jpeg(1000), { declared_mime: 'text/html' });
    expect(real.mime_type).toBe('image/jpeg');
  });

  test('complete is idempotent: a retry returns the same file', async () => {
    const alice = await signup();
    const info = await createUpload(alice, 1234);
    await sendPart(alice, info, bytes(1234, 3), 1);
    const first = await (await complete(alice, info.upload_id)).json();
    const again = await complete(alice, info.upload_id);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
  });
});

describe('multipart uploads', () => {
  test('parts sent in any order and in parallel make a byte-identical file', async () => {
    const alice = await signup();
    const data = bytes(2 * PART + 12_345, 11);
    const info = await createUpload(alice, data.length);
    expect(info).toMatchObject({ mode: 'multipart', part_count: 3, part_size: PART });
    await Promise.all([3, 1, 2].map((n) => sendPart(alice, info, data, n)));
    expect(await receivedParts(alice, info.upload_id)).toEqual([1, 2, 3]);
    const file = (await (await complete(alice, info.upload_id)).json()) as FileInfo;
    expect(file.size).toBe(data.length);
    expect(await sha256(await storedBytes(file.id))).toBe(await sha256(data));
  });

  test('after a dropped connection the client asks what is stored and sends only the rest', async () => {
    const alice = await signup();
    const data = bytes(3 * PART + 1, 12);
    const info = await createUpload(alice, data.length);
    await sendPart(alice, info, data, 1);
    await sendPart(alice, info, data, 3);
    // Part 2 "drops": the connection breaks after 1 MiB of the declared 5, so nothing of it is stored.
    const cut = await putPart(alice, info, 2, streamOf(partOf(data, info, 2).subarray(0, MiB)), {
      'content-length': String(PART),
    }).catch(() => undefined);
    if (cut) expect(await errorCode(cut)).toBe('UPLOAD_PART_INVALID');
    const status = (await (await uploadStatus(alice, info.upload_id)).json()) as UploadStatus;
    expect(status.received).toEqual([1, 3]);
    const missing = Array.from({ length: status.part_count }, (_, i) => i + 1).filter((n) => !status.received.includes(n));
    expect(missing).toEqual([2, 4]);
    for (const n of missing) await sendPart(alice, info, data, n);
    const file = (await (await complete(alice, info.upload_id)).json()) as FileInfo;
    expect(await sha256(await storedBytes(file.id))).toBe(await sha256(data));
  });

  test('a resent part replaces the stored one', async () => {
    const alice = await signup();
    const data = bytes(PART + 100, 13);
    const info = await createUpload(alice, data.length);
    const wrong = bytes(PART, 99);
    expect((await putPart(alice, info, 1, wrong)).status).toBe(200);
    await sendPart(alice, info, data, 1); // the resend with the right bytes wins
    await sendPart(alice, info, data, 2);
    const file = (await (await complete(alice, info.upload_id)).json()) as FileInfo;
    expect(await sha256(await storedBytes(file.id))).toBe(await sha256(data));
  });
});

describe('bad input is refused with its code and loses nothing', () => {
  async function multipart() {
    const alice = await signup();
    const data = bytes(2 * PART + 10, 21);
    const info = await createUpload(alice, data.length);
    return { alice, data, info };
  }

  test('part numbers out of range', async () => {
    const { alice, info } = await multipart();
    for (const n of [0, 4, 99999]) {
      const res = await rawRequest(alice, 'PUT', `/v1/uploads/${info.upload_id}/parts/${n}`, new Uint8Array(10));
      expect(res.status, `part ${n}`).toBe(400);
      expect(await errorCode(res)).toBe('UPLOAD_PART_INVALID');
    }
    const junk = await rawRequest(alice, 'PUT', `/v1/uploads/${info.upload_id}/parts/-1`, new Uint8Array(10));
    expect(junk.status).toBe(400);
  });

  test('a part of the wrong size, declared or streamed, and a resend of another size keep the stored part', async () => {
    const { alice, data, info } = await multipart();
    await sendPart(alice, info, data, 1);
    // Declared too short: refused before reading.
    const short = await putPart(alice, info, 1, new Uint8Array(PART - 1));
    expect(short.status).toBe(400);
    expect(await errorCode(short)).toBe('UPLOAD_PART_INVALID');
    // Streamed without a declared length: refused before reading (a declared length also bounds the body).
    const unsized = await putPart(alice, info, 1, streamOf(bytes(PART, 5)));
    expect(unsized.status).toBe(400);
    expect(await errorCode(unsized)).toBe('UPLOAD_PART_INVALID');
    // Declared right, but the body breaks off early.
    const broken = await putPart(alice, info, 1, streamOf(bytes(1000, 5)), { 'content-length': String(PART) }).catch(() => undefined);
    if (broken) expect(await errorCode(broken)).toBe('UPLOAD_PART_INVALID');
    // The last part must be exactly the rest.
    const last = await putPart(alice, info, 3, new Uint8Array(11));
    expect(await errorCode(last)).toBe('UPLOAD_PART_INVALID');
    await sendPart(alice, info, data, 2);
    await sendPart(alice, info, data, 3);
    const done = await complete(alice, info.upload_id);
    expect(done.status, await done.clone().text()).toBe(200);
    const file = (await done.json()) as FileInfo;
    expect(await sha256(await storedBytes(file.id))).toBe(await sha256(data));
  });

  test('complete before every part is stored is UPLOAD_INCOMPLETE, and no file appears', async () => {
    const { alice, data, info } = await multipart();
    await sendPart(alice, info, data, 2);
    const res = await complete(alice, info.upload_id);
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('UPLOAD_INCOMPLETE');
    expect(body.error.message).toContain('1, 3');
    expect(await env.DB.prepare('SELECT count(*) AS n FROM uploads WHERE id = ? AND state = ?').bind(info.upload_id, 'open').first('n')).toBe(1);
  });

  test('a single body to a multipart upload and parts to a single upload are refused', async () => {
    const { alice, info } = await multipart();
    const whole = await rawRequest(alice, 'PUT', `/v1/uploads/${info.upload_id}`, new Uint8Array(10));
    expect(await errorCode(whole)).toBe('UPLOAD_PART_INVALID');
    const single = await createUpload(alice, 10);
    const part = await rawRequest(alice, 'PUT', `/v1/uploads/${single.upload_id}/parts/1`, new Uint8Array(10));
    expect(await errorCode(part)).toBe('UPLOAD_PART_INVALID');
  });

  test('a file over 2 GiB is FILE_TOO_LARGE; bad sizes are BAD_REQUEST', async () => {
    const alice = await signup();
    const big = await api('/v1/uploads', { body: { size: 2 * 1024 ** 3 + 1 }, token: alice.token });
    expect(big.status).toBe(413);
    expect(await errorCode(big)).toBe('FILE_TOO_LARGE');
    expect((await api('/v1/uploads', { body: { size: 2 * 1024 ** 3 }, token: alice.token })).status).toBe(201);
    for (const size of [0, -1, 1.5, '10', null]) {
      const res = await api('/v1/uploads', { body: { size }, token: alice.token });
      expect(res.status, `size ${size}`).toBe(400);
      expect(await errorCode(res)).toBe('BAD_REQUEST');
    }
    const name = await api('/v1/uploads', { body: { size: 1, file_name: '../../etc/passwd' }, token: alice.token });
    expect(await errorCode(name)).toBe('BAD_REQUEST');
  });

  test('another account cannot see, feed, complete or abort an upload', async () => {
    const { info } = await multipart();
    const mallory = await signup();
    for (const res of [
      await uploadStatus(mallory, info.upload_id),
      await putPart(mallory, info, 1, new Uint8Array(PART)),
      await complete(mallory, info.upload_id),
      await rawRequest(mallory, 'DELETE', `/v1/uploads/${info.upload_id}`),
    ]) {
      expect(res.status).toBe(404);
      expect(await errorCode(res)).toBe('UPLOAD_NOT_FOUND');
    }
    const anonymous = await api(`/v1/uploads/${info.upload_id}`);
    expect(anonymous.status).toBe(401);
  });

  test('an aborted upload is gone, with what it stored', async () => {
    const { alice, data, info } = await multipart();
    await sendPart(alice, info, data, 1);
    expect((await rawRequest(alice, 'DELETE', `/v1/uploads/${info.upload_id}`)).status).toBe(200);
    expect(await errorCode(await uploadStatus(alice, info.upload_id))).toBe('UPLOAD_NOT_FOUND');
    expect(await errorCode(await putPart(alice, info, 2, partOf(data, info, 2)))).toBe('UPLOAD_NOT_FOUND');
    expect(await errorCode(await complete(alice, info.upload_id))).toBe('UPLOAD_NOT_FOUND');
    const row = await env.DB.prepare('SELECT r2_key, r2_upload_id FROM uploads WHERE id = ?').bind(info.upload_id).first<{ r2_key: string; r2_upload_id: string }>();
    await expect(env.MEDIA.resumeMultipartUpload(row!.r2_key, row!.r2_upload_id).uploadPart(1, 'x')).rejects.toThrow();
  });

  test('uploads over the rate limits get RATE_LIMITED with retry_after', async () => {
    const alice = await signup();
    const infos: UploadInfo[] = [];
    // At most 50 open at once…
    for (let i = 0; i < 50; i++) infos.push(await createUpload(alice, 1));
    const tooMany = await api('/v1/uploads', { body: { size: 1 }, token: alice.token });
    expect(tooMany.status).toBe(429);
    const body = (await tooMany.json()) as { error: { code: string; retry_after: number } };
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.retry_after).toBeGreaterThan(0);
    expect(tooMany.headers.get('retry-after')).toBe(String(body.error.retry_after));
    // …and at most 100 created per 10 minutes, aborted or not.
    for (const info of infos) await rawRequest(alice, 'DELETE', `/v1/uploads/${info.upload_id}`);
    for (let i = 0; i < 49; i++) await createUpload(alice, 1);
    const overCount = await api('/v1/uploads', { body: { size: 1 }, token: alice.token });
    expect(await errorCode(overCount)).toBe('RATE_LIMITED');
    // Another account is not affected.
    const bob = await signup();
    expect((await createUpload(bob, 1)).mode).toBe('single');
  });
});

/** A body with no declared length (sent chunked). */
function streamOf(data: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < data.length; i += 64 * 1024) controller.enqueue(data.slice(i, i + 64 * 1024));
      controller.close();
    },
  });
}
