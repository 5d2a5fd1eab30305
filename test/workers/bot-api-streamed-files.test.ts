/**
 * Bot API files larger than one R2 part, streamed from the form to R2 as
 * they arrive (workers/media/streamed-uploads.ts): the exact bytes stored,
 * the same content key as any upload of them, and nothing left behind by a
 * body that breaks off or a limit met at the end. The workers tests run with
 * 5 MiB parts (vitest.config.ts), so 2.5 parts is 12.5 MiB.
 */
import { env, SELF } from 'cloudflare:test';
import { describe, expect, test, vi } from 'vitest';
import type { BotApiMessage } from '../../protocol/bot-api/types.js';
import { UPLOAD_LIMITS } from '../../workers/media/limits.js';
import { BASE, signup } from './helpers.js';
import { botOk, newBot, takeMessages, userWrites } from './bot-api-helpers.js';
import { bytes, objectCount, PART, sha256, upload } from './media-helpers.js';

// Tens of megabytes through R2 on a busy 2-core machine.
vi.setConfig({ testTimeout: 120_000 });

const BOUNDARY = 'edgegram-streamed-form';
const enc = new TextEncoder();
const field = (name: string, value: string) => enc.encode(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
const fileHead = (name: string, filename: string) =>
  enc.encode(`--${BOUNDARY}\r\ncontent-disposition:form-data;name="${name}";filename=${filename}\r\ncontent-type:application/octet-stream\r\n\r\n`);
const closing = enc.encode(`\r\n--${BOUNDARY}--\r\n`);

/** A body sent as a stream of 64 KiB chunks with no Content-Length (unless told), as a client streaming from disk does. */
function streamOf(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  const chunks = pieces.flatMap((piece) => Array.from({ length: Math.ceil(piece.length / 65536) }, (_, i) => piece.slice(i * 65536, (i + 1) * 65536)));
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]!);
      else controller.close();
    },
  });
}

async function sendForm(token: string, method: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  const res = await SELF.fetch(`${BASE}/bot${token}/${method}`, {
    method: 'POST',
    body,
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; result: BotApiMessage; description?: string } };
}

async function started() {
  const b = await newBot();
  const user = await signup();
  await userWrites(user, b.id, '/start');
  await takeMessages(b.token);
  return { b, user };
}

type UploadRow = { id: string; state: string; mode: string; size: number; part_count: number; r2_key: string; r2_upload_id: string | null };

function uploadsOf(accountId: number): Promise<UploadRow[]> {
  return env.DB.prepare('SELECT * FROM uploads WHERE account_id = ? ORDER BY created_at').bind(accountId).all<UploadRow>().then((r) => r.results);
}

/** What an abandoned upload leaves: its row not open, its R2 multipart upload gone, no object at its key. */
async function expectFreed(row: UploadRow) {
  expect(row.state).toBe('aborted');
  expect(await env.MEDIA.head(row.r2_key)).toBeNull();
  if (row.r2_upload_id) await expect(env.MEDIA.resumeMultipartUpload(row.r2_key, row.r2_upload_id).uploadPart(1, 'x')).rejects.toThrow();
}

describe('Bot API files larger than one part', () => {
  test('2.5 parts are stored byte for byte, whichever side of the fields the file is; sent again they dedup, and they are the account API upload of the same bytes', async () => {
    const { b, user } = await started();
    const data = bytes(2 * PART + PART / 2, 31);
    const before = await objectCount();

    const first = await sendForm(b.token, 'sendDocument', streamOf([fileHead('document', 'big.bin'), data, enc.encode('\r\n'), field('chat_id', String(user.user.id)), enc.encode(`--${BOUNDARY}--`)]));
    expect(first.status, first.body.description).toBe(200);
    const doc = first.body.result.document as { file_id: string; file_size: number; file_name: string };
    expect(doc).toMatchObject({ file_size: data.length, file_name: 'big.bin' });
    const [row] = await uploadsOf(b.id);
    expect(row).toMatchObject({ state: 'done', mode: 'multipart', size: data.length, part_count: 3 });
    expect(await objectCount()).toBe(before + 1);

    const file = await botOk<{ file_path: string; file_size: number }>(b.token, 'getFile', { file_id: doc.file_id });
    expect(file.file_size).toBe(data.length);
    const res = await SELF.fetch(`${BASE}/file/bot${b.token}/${file.file_path}`);
    expect(res.status).toBe(200);
    expect(await sha256(await res.arrayBuffer())).toBe(await sha256(data));

    const again = await sendForm(b.token, 'sendDocument', streamOf([field('chat_id', String(user.user.id)), fileHead('document', 'again.bin'), data, closing]));
    expect(again.status, again.body.description).toBe(200);
    expect((again.body.result.document as { file_id: string }).file_id).toBe(doc.file_id);
    expect(await objectCount()).toBe(before + 1);

    const viaAccountApi = await upload(user, data);
    expect(viaAccountApi.id).toBe(doc.file_id);
    expect(await objectCount()).toBe(before + 1);
  });

  test('a body that ends mid-file is a 400 and leaves no object and no open upload behind', async () => {
    const { b, user } = await started();
    const before = await objectCount();
    const cut = await sendForm(b.token, 'sendDocument', streamOf([field('chat_id', String(user.user.id)), fileHead('document', 'cut.bin'), bytes(2 * PART + 1000, 32)]));
    expect(cut).toMatchObject({ status: 400, body: { ok: false, description: "Bad Request: can't parse multipart/form-data request" } });
    const rows = await uploadsOf(b.id);
    expect(rows).toHaveLength(1);
    await expectFreed(rows[0]!);
    expect(await objectCount()).toBe(before);
  });

  test('a connection lost mid-file leaves no object and no open upload behind', async () => {
    const { b, user } = await started();
    const before = await objectCount();
    // The connection drops after 1.5 parts of a declared 3: the Worker's reading of the body fails.
    const pieces = [field('chat_id', String(user.user.id)), fileHead('document', 'lost.bin'), bytes(PART + PART / 2, 33)];
    const declared = pieces.reduce((n, p) => n + p.length, 0) + (3 * PART) / 2 + closing.length;
    await sendForm(b.token, 'sendDocument', streamOf(pieces), { 'content-length': String(declared) }).catch(() => undefined);
    // The client may see the failure before the Worker has cleaned up.
    await vi.waitFor(async () => expect((await uploadsOf(b.id)).map((r) => r.state)).toEqual(['aborted']), { timeout: 10_000 });
    await expectFreed((await uploadsOf(b.id))[0]!);
    expect(await objectCount()).toBe(before);
  });

  test('bytes are counted against the daily limit once their size is known; over it, the upload is refused and freed', async () => {
    const { b, user } = await started();
    const before = await objectCount();
    const limit = UPLOAD_LIMITS.bytesPerAccount.limit;
    await env.DB.prepare('INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, ?)')
      .bind(`upload-bytes:acct:${b.id}`, Date.now(), limit - 2 * PART)
      .run();
    const over = await sendForm(b.token, 'sendDocument', streamOf([field('chat_id', String(user.user.id)), fileHead('document', 'over.bin'), bytes(2 * PART + PART / 2, 34), closing]));
    expect(over.status).toBe(429);
    expect(over.body.description).toMatch(/^Too Many Requests: retry after \d+$/);
    const rows = await uploadsOf(b.id);
    expect(rows).toHaveLength(1);
    await expectFreed(rows[0]!);
    expect(await objectCount()).toBe(before);
  });
});
