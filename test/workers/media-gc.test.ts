import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, test, vi } from 'vitest';
import { chatRoom } from '../../durable-objects/stubs.js';
import { FILE_GRACE_MS, UPLOAD_TTL_MS } from '../../workers/media/limits.js';
import { signup } from './helpers.js';
import {
  bytes,
  call,
  callError,
  complete,
  createUpload,
  download,
  drained,
  fileRow,
  jpeg,
  PART,
  refCount,
  runScheduled,
  sendPart,
  upload,
} from './media-helpers.js';

vi.setConfig({ testTimeout: 60_000 });

async function objectCount(prefix = 'media/'): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await env.MEDIA.list({ prefix, ...(cursor ? { cursor } : {}) });
    n += page.objects.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return n;
}

/** A moment after every grace period, as the cron would see it. */
const later = () => Date.now() + Math.max(FILE_GRACE_MS, UPLOAD_TTL_MS) + 60_000;

describe('deduplication', () => {
  test('the same bytes uploaded twice, single or multipart, by two accounts, are stored once', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const small = jpeg(10_000, 41);
    const before = await objectCount();
    const a = await upload(alice, small);
    const b = await upload(bob, small);
    expect(b.id).toBe(a.id);
    expect(await objectCount()).toBe(before + 1);

    const big = bytes(PART + 5, 42);
    const c = await upload(alice, big);
    const d = await upload(bob, big);
    expect(d.id).toBe(c.id);
    expect(await objectCount()).toBe(before + 2);
    // Both uploaders own it: either may send it.
    for (const who of [alice, bob]) {
      const sent = await call(who, 'sendMedia', { peer: { user_id: who.user.id }, random_id: 'own', media: { kind: 'document', file_id: d.id } });
      expect(sent.message.media?.file.id).toBe(d.id);
    }
  });
});

describe('reference counting and freeing storage', () => {
  test('a file is freed once, after its last message is deleted, even when the alarm and the GC run twice', async () => {
    const [alice, bob, carol] = [await signup(), await signup(), await signup()];
    const photo = await upload(alice, jpeg(20_000, 51));
    const row = (await fileRow(photo.id))!;
    const first = await call(alice, 'sendMedia', { peer: { user_id: bob.user.id }, random_id: 'a', media: { kind: 'photo', file_id: photo.id } });
    const second = await call(alice, 'sendMedia', { peer: { user_id: carol.user.id }, random_id: 'b', media: { kind: 'photo', file_id: photo.id } });
    await drained(first.message.chat_id);
    await drained(second.message.chat_id);
    expect(await refCount(photo.id)).toBe(2);

    // One of two refs gone: the file stays, however often maintenance runs.
    await call(alice, 'deleteMessages', { chat_id: first.message.chat_id, ids: [first.message.id], for_everyone: true });
    await drained(first.message.chat_id);
    await runDurableObjectAlarm(chatRoom(env, first.message.chat_id));
    await runDurableObjectAlarm(chatRoom(env, first.message.chat_id));
    expect(await refCount(photo.id)).toBe(1);
    await runScheduled(later());
    expect(await fileRow(photo.id)).not.toBeNull();
    expect(await env.MEDIA.head(row.r2_key)).not.toBeNull();
    const link = await call(carol, 'getFileUrl', { chat_id: second.message.chat_id, message_id: second.message.id });
    expect((await download(link.url)).status).toBe(200);

    // The last ref gone: within the grace period nothing happens, after it the storage is freed.
    await call(alice, 'deleteMessages', { chat_id: second.message.chat_id, ids: [second.message.id], for_everyone: true });
    await drained(second.message.chat_id);
    await runDurableObjectAlarm(chatRoom(env, second.message.chat_id));
    await runDurableObjectAlarm(chatRoom(env, second.message.chat_id));
    expect(await refCount(photo.id)).toBe(0);
    await runScheduled(Date.now());
    expect(await env.MEDIA.head(row.r2_key)).not.toBeNull();
    await runScheduled(later());
    await runScheduled(later());
    expect(await fileRow(photo.id)).toBeNull();
    expect(await env.MEDIA.head(row.r2_key)).toBeNull();
    expect(await env.DB.prepare('SELECT count(*) AS n FROM file_owners WHERE file_id = ?').bind(photo.id).first('n')).toBe(0);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM file_trash').first('n')).toBe(0);
    // Its id is now unusable and no new link can be had. (A link issued before stays a
    // capability until it expires, at most an hour, possibly served from the edge cache.)
    expect(await callError(alice, 'sendMedia', { peer: { user_id: bob.user.id }, random_id: 'c', media: { kind: 'photo', file_id: photo.id } })).toBe(
      'FILE_NOT_FOUND',
    );
    expect(await callError(carol, 'getFileUrl', { chat_id: second.message.chat_id, message_id: second.message.id })).toBe('NOT_FOUND');
    // The same bytes uploaded again are stored anew.
    const again = await upload(alice, jpeg(20_000, 51));
    expect(again.id).not.toBe(photo.id);
  });

  test('an uploaded file that is never sent is freed after the grace period; a sent one is not', async () => {
    const alice = await signup();
    const unsent = await upload(alice, jpeg(3000, 61));
    const sent = await upload(alice, jpeg(3000, 62));
    const { message } = await call(alice, 'sendMedia', { peer: { user_id: alice.user.id }, random_id: 's', media: { kind: 'photo', file_id: sent.id } });
    await drained(message.chat_id);
    await runScheduled(later());
    expect(await fileRow(unsent.id)).toBeNull();
    expect(await fileRow(sent.id)).not.toBeNull();
  });

  test('"delete for me" keeps the file for the other side', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const photo = await upload(alice, jpeg(3000, 71));
    const { message } = await call(alice, 'sendMedia', { peer: { user_id: bob.user.id }, random_id: 'm', media: { kind: 'photo', file_id: photo.id } });
    await call(alice, 'deleteMessages', { chat_id: message.chat_id, ids: [message.id], for_everyone: false });
    await drained(message.chat_id);
    expect(await refCount(photo.id)).toBe(1);
    await runScheduled(later());
    const link = await call(bob, 'getFileUrl', { chat_id: message.chat_id, message_id: message.id });
    expect((await download(link.url)).status).toBe(200);
  });
});

describe('abandoned uploads', () => {
  test('the scheduled handler aborts expired uploads and frees their parts, once, and leaves live ones', async () => {
    const alice = await signup();
    const data = bytes(PART + 1, 81);
    const stale = await createUpload(alice, data.length);
    await sendPart(alice, stale, data, 1);
    const single = await createUpload(alice, 100);
    await sendPart(alice, single, bytes(100, 82), 1);
    const row = await env.DB.prepare('SELECT r2_key, r2_upload_id FROM uploads WHERE id = ?').bind(stale.upload_id).first<{ r2_key: string; r2_upload_id: string }>();
    const singleKey = (await env.DB.prepare('SELECT r2_key FROM uploads WHERE id = ?').bind(single.upload_id).first<string>('r2_key'))!;
    expect(await env.MEDIA.head(singleKey)).not.toBeNull();

    await runScheduled(Date.now()); // not expired yet
    expect((await callStatus(alice, stale.upload_id)).status).toBe(200);

    const at = Date.now() + UPLOAD_TTL_MS + 1000;
    await runScheduled(at);
    await runScheduled(at);
    expect((await callStatus(alice, stale.upload_id)).status).toBe(404);
    expect(await env.MEDIA.head(singleKey)).toBeNull();
    await expect(env.MEDIA.resumeMultipartUpload(row!.r2_key, row!.r2_upload_id).uploadPart(2, 'x')).rejects.toThrow();
    expect((await complete(alice, single.upload_id)).status).toBe(404);
    // Rows are forgotten later still, without errors.
    await runScheduled(at + 2 * 3600_000);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM uploads WHERE id IN (?, ?)').bind(stale.upload_id, single.upload_id).first('n')).toBe(0);
  });
});

function callStatus(who: { token: string }, uploadId: string) {
  return download(`/v1/uploads/${uploadId}`, { authorization: `Bearer ${who.token}` });
}
