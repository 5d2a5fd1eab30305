import { createExecutionContext, createScheduledController, env, runInDurableObject, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { expect } from 'vitest';
import { IN_FLIGHT_MS } from '../../services/media/freeing.js';
import { chatRoomStub } from '../../durable-objects/stubs.js';
import type { UploadInfo, UploadPartResult, UploadStatus } from '../../protocol/http/uploads.js';
import type { FileInfo } from '../../protocol/media.js';
import type { MethodInput, MethodName, MethodResult } from '../../protocol/methods.js';
import worker from '../../workers/index.js';
import { api, BASE, errorCode, type Account } from './helpers.js';

export const MiB = 1024 * 1024;
/** The part size the workers tests run with (vitest.config.ts: R2's minimum). */
export const PART = 5 * MiB;

/** Deterministic bytes (xorshift32), different per seed. */
export function bytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  const words = new Uint32Array(out.buffer, 0, size >>> 2);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = words.length * 4; i < size; i++) out[i] = i & 0xff;
  return out;
}

function withHeader(header: Uint8Array, size: number, seed: number): Uint8Array {
  const out = bytes(size, seed);
  out.set(header, 0);
  return out;
}

const ascii = (s: string) => new TextEncoder().encode(s);
/** A JPEG by its magic number, the rest noise: enough for sniffing. */
export const jpeg = (size: number, seed = 7) => withHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), size, seed);
/** An MP4 by its ftyp box. */
export const mp4 = (size: number, seed = 8) =>
  withHeader(new Uint8Array([0, 0, 0, 0x18, ...ascii('ftypisom'), 0, 0, 2, 0, ...ascii('isomiso2mp41')]), size, seed);
export const html = () => ascii('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
export const svg = () => ascii('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>');

export async function sha256(data: Uint8Array | ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Calls an account method over HTTP and returns its result, failing on an error. */
export async function call<M extends MethodName>(who: Account, method: M, params: MethodInput<M>): Promise<MethodResult<M>> {
  const res = await api(`/v1/call/${method}`, { body: params, token: who.token });
  if (res.status !== 200) throw new Error(`${method}: ${res.status} ${await res.text()}`);
  return (await res.json()) as MethodResult<M>;
}

/** Calls a method expecting a 4xx; returns its code. */
export async function callError(who: Account, method: string, params: unknown): Promise<string> {
  const res = await api(`/v1/call/${method}`, { body: params, token: who.token });
  expect(res.status, `${method} should fail with a 4xx`).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  return errorCode(res);
}

/** A raw-bytes request with the account's token. */
export function rawRequest(who: Account, method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}) {
  return SELF.fetch(`${BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${who.token}`, 'cf-connecting-ip': '10.9.9.9', ...headers },
    ...(body !== undefined ? { body } : {}),
  });
}

export async function createUpload(who: Account, size: number, extra: Record<string, unknown> = {}): Promise<UploadInfo> {
  const res = await api('/v1/uploads', { body: { size, ...extra }, token: who.token });
  if (res.status !== 201) throw new Error(`create upload: ${res.status} ${await res.text()}`);
  return (await res.json()) as UploadInfo;
}

export function partPath(info: UploadInfo, n: number): string {
  return info.mode === 'single' ? `/v1/uploads/${info.upload_id}` : `/v1/uploads/${info.upload_id}/parts/${n}`;
}

export function partOf(data: Uint8Array, info: UploadInfo, n: number): Uint8Array {
  return data.subarray((n - 1) * info.part_size, Math.min(data.length, n * info.part_size));
}

export async function putPart(who: Account, info: UploadInfo, n: number, body: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  return rawRequest(who, 'PUT', partPath(info, n), body, headers);
}

export async function sendPart(who: Account, info: UploadInfo, data: Uint8Array, n: number): Promise<UploadPartResult> {
  const res = await putPart(who, info, n, partOf(data, info, n));
  if (res.status !== 200) throw new Error(`part ${n}: ${res.status} ${await res.text()}`);
  return (await res.json()) as UploadPartResult;
}

export async function uploadStatus(who: Account, uploadId: string): Promise<Response> {
  return rawRequest(who, 'GET', `/v1/uploads/${uploadId}`);
}

export async function receivedParts(who: Account, uploadId: string): Promise<number[]> {
  const res = await uploadStatus(who, uploadId);
  if (res.status !== 200) throw new Error(`status: ${res.status} ${await res.text()}`);
  return ((await res.json()) as UploadStatus).received;
}

export async function complete(who: Account, uploadId: string): Promise<Response> {
  return rawRequest(who, 'POST', `/v1/uploads/${uploadId}/complete`);
}

/** Uploads `data` the way the SDK does (single or every part), then completes. */
export async function upload(who: Account, data: Uint8Array, extra: Record<string, unknown> = {}): Promise<FileInfo> {
  const info = await createUpload(who, data.length, extra);
  await Promise.all(Array.from({ length: info.part_count }, (_, i) => sendPart(who, info, data, i + 1)));
  const res = await complete(who, info.upload_id);
  if (res.status !== 200) throw new Error(`complete: ${res.status} ${await res.text()}`);
  return (await res.json()) as FileInfo;
}

/** Fetches a signed (or forged) file link, as a browser would: no token. */
export function download(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(new URL(url, BASE).toString(), { headers });
}

/**
 * A download read to the end (tests read every body: one left unread keeps
 * the Worker's R2 pipe waiting past its test, and whatever it does then
 * lands in a later one).
 */
export async function downloadAll(url: string, headers: Record<string, string> = {}): Promise<Response> {
  const res = await download(url, headers);
  const body = await res.arrayBuffer();
  return new Response(body, { status: res.status, headers: res.headers });
}

/** Runs the Worker's scheduled handler (media maintenance) at `scheduledTime` and waits for it. */
export async function runScheduled(scheduledTime: number): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron: '*/30 * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** Waits until the chat's outbox (mailbox events and D1 index writes) is empty. */
export async function drained(chatId: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const left = await runInDurableObject(chatRoomStub(env, chatId), (_instance, state) => {
      const sql = state.storage.sql;
      return (
        sql.exec<{ n: number }>('SELECT count(*) AS n FROM outbox_events').one().n +
        sql.exec<{ n: number }>('SELECT count(*) AS n FROM index_outbox').one().n
      );
    });
    if (left === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`outbox of chat ${chatId} did not drain`);
}

export async function fileRow(fileId: string) {
  return env.DB.prepare('SELECT * FROM files WHERE id = ?').bind(fileId).first<{ id: string; content_key: string; r2_key: string; mime: string; size: number }>();
}

export async function refCount(fileId: string): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM file_refs WHERE file_id = ?').bind(fileId).first<{ n: number }>())!.n;
}

/**
 * Time travel for the in-flight window: as if the files' last touch (upload,
 * send, release) were IN_FLIGHT_MS (and a bit) longer ago. Uploaders' holds
 * are left alone.
 */
export async function pastInFlight(...fileIds: string[]): Promise<void> {
  for (const id of fileIds) {
    await env.DB.prepare('UPDATE files SET touched_at = touched_at - ? WHERE id = ?').bind(IN_FLIGHT_MS + 1000, id).run();
  }
}

/** The R2 objects under `prefix`. */
export async function objectCount(prefix = 'media/'): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await env.MEDIA.list({ prefix, ...(cursor ? { cursor } : {}) });
    n += page.objects.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return n;
}
