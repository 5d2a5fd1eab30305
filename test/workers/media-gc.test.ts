import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, test, vi } from 'vitest';
import { database } from '../../d1/db.js';
import type { FileReaper } from '../../durable-objects/file-reaper/index.js';
import { freeFile, IN_FLIGHT_MS } from '../../services/media/freeing.js';
import { fileReaper } from '../../durable-objects/stubs.js';
import { UPLOAD_HOLD_MS, UPLOAD_TTL_MS } from '../../workers/media/limits.js';
import { signup } from './helpers.js';
import {
  bytes,
  call,
  callError,
  complete,
  createUpload,
  download,
  downloadAll,
  drained,
  fileRow,
  jpeg,
  objectCount,
  PART,
  pastInFlight,
  refCount,
  runScheduled,
  sendPart,
  sha256,
  upload,
} from './media-helpers.js';

vi.setConfig({ testTimeout: 60_000 });

/** A moment after every hold and expiry, as the cron would see it. */
const later = () => Date.now() + Math.max(UPLOAD_HOLD_MS, UPLOAD_TTL_MS) + 60_000;

const reaper = (fileId: string) => fileReaper(env, fileId);

/** When the file's reaper will run next (null: not armed). */
function reaperAlarm(fileId: string): Promise<number | null> {
  return runInDurableObject(reaper(fileId), (_instance: FileReaper, state) => state.storage.getAlarm());
}

async function trashCount(): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM file_trash').first<number>('n'))!;
}

async function ownerCount(fileId: string): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM file_owners WHERE file_id = ?').bind(fileId).first<number>('n'))!;
}

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

describe('deleting the last message frees the storage, by an idempotent alarm', () => {
  test('the file and its thumbnail are freed once, even when the alarm runs twice', async () => {
    const [alice, bob, carol] = [await signup(), await signup(), await signup()];
    const photo = await upload(alice, jpeg(20_000, 51));
    const thumb = await upload(alice, jpeg(2_000, 52));
    const keys = [(await fileRow(photo.id))!.r2_key, (await fileRow(thumb.id))!.r2_key];
    const media = { kind: 'photo' as const, file_id: photo.id, thumb_file_id: thumb.id };
    const first = await call(alice, 'sendMedia', { peer: { user_id: bob.user.id }, random_id: 'a', media });
    const second = await call(alice, 'sendMedia', { peer: { user_id: carol.user.id }, random_id: 'b', media });
    await drained(first.message.chat_id);
    await drained(second.message.chat_id);
    expect(await refCount(photo.id)).toBe(2);

    // One of two messages gone: no alarm is armed, and the file stays however often anything runs.
    await call(alice, 'deleteMessages', { chat_id: first.message.chat_id, ids: [first.message.id], for_everyone: true });
    await drained(first.message.chat_id);
    expect(await refCount(photo.id)).toBe(1);
    expect(await reaperAlarm(photo.id)).toBeNull();
    await pastInFlight(photo.id, thumb.id);
    await runScheduled(later());
    expect(await fileRow(photo.id)).not.toBeNull();
    const link = await call(carol, 'getFileUrl', { chat_id: second.message.chat_id, message_id: second.message.id });
    expect((await downloadAll(link.url)).status).toBe(200);

    // The last one gone: each file's reaper is armed for the end of the in-flight window.
    const objects = await objectCount();
    const deletedAt = Date.now();
    await call(alice, 'deleteMessages', { chat_id: second.message.chat_id, ids: [second.message.id], for_everyone: true });
    await drained(second.message.chat_id);
    expect(await refCount(photo.id)).toBe(0);
    for (const id of [photo.id, thumb.id]) {
      const at = await reaperAlarm(id);
      expect(at).toBeGreaterThanOrEqual(deletedAt + IN_FLIGHT_MS);
      expect(at).toBeLessThan(Date.now() + IN_FLIGHT_MS + 1000);
    }
    // Run early (a forward of the message may still be on its way): nothing is freed, the alarm is re-armed.
    expect(await runDurableObjectAlarm(reaper(photo.id))).toBe(true);
    expect(await fileRow(photo.id)).not.toBeNull();
    expect(await reaperAlarm(photo.id)).toBeGreaterThan(Date.now());

    // After the window: freed, rows and objects, nothing left in the trash.
    await pastInFlight(photo.id, thumb.id);
    for (const id of [photo.id, thumb.id]) expect(await runDurableObjectAlarm(reaper(id))).toBe(true);
    for (const id of [photo.id, thumb.id]) {
      expect(await fileRow(id)).toBeNull();
      expect(await ownerCount(id)).toBe(0);
      expect(await reaperAlarm(id)).toBeNull();
    }
    for (const key of keys) expect(await env.MEDIA.head(key)).toBeNull();
    expect(await objectCount()).toBe(objects - 2);
    expect(await trashCount()).toBe(0);

    // The alarm again (alarms are at-least-once): a duplicate delivery of the handler, and a
    // repeated release. Nothing more is freed, nothing fails, the reaper forgets the file.
    expect(await runDurableObjectAlarm(reaper(photo.id))).toBe(false);
    await runInDurableObject(reaper(photo.id), (instance: FileReaper) => instance.alarm());
    await reaper(photo.id).release(photo.id, Date.now() + 60_000);
    expect(await runDurableObjectAlarm(reaper(photo.id))).toBe(true);
    expect(await runInDurableObject(reaper(photo.id), (_i: FileReaper, state) => state.storage.list())).toEqual(new Map());
    expect(await freeFile(database(env.DB), env.MEDIA, photo.id, Date.now())).toEqual({ kind: 'gone' });
    expect(await objectCount()).toBe(objects - 2);

    // Its id is now unusable. (A link issued before stays a capability until it expires,
    // at most an hour, possibly served from the edge cache.)
    expect(await callError(alice, 'sendMedia', { peer: { user_id: bob.user.id }, random_id: 'c', media })).toBe('FILE_NOT_FOUND');
    expect(await callError(carol, 'getFileUrl', { chat_id: second.message.chat_id, message_id: second.message.id })).toBe('NOT_FOUND');
  });

  test('a file another message still shows (the same bytes, uploaded by someone else) is not freed', async () => {
    const [alice, bob, carol, dave] = [await signup(), await signup(), await signup(), await signup()];
    const data = jpeg(15_000, 53);
    const mine = await upload(alice, data);
    const sent = await call(alice, 'sendMedia', { peer: { user_id: bob.user.id }, random_id: 'm', media: { kind: 'photo', file_id: mine.id } });
    const theirs = await upload(carol, data);
    expect(theirs.id).toBe(mine.id);
    const kept = await call(carol, 'sendMedia', { peer: { user_id: dave.user.id }, random_id: 't', media: { kind: 'photo', file_id: theirs.id } });
    await drained(sent.message.chat_id);
    await drained(kept.message.chat_id);

    await call(alice, 'deleteMessages', { chat_id: sent.message.chat_id, ids: [sent.message.id], for_everyone: true });
    await drained(sent.message.chat_id);
    expect(await refCount(mine.id)).toBe(1);
    // Armed by hand, late, twice: the alarm re-checks and finds a message showing the file.
    await pastInFlight(mine.id);
    for (let i = 0; i < 2; i++) {
      await reaper(mine.id).release(mine.id, Date.now() + 60_000);
      expect(await runDurableObjectAlarm(reaper(mine.id))).toBe(true);
    }
    expect(await freeFile(database(env.DB), env.MEDIA, mine.id, Date.now())).toEqual({ kind: 'referenced' });
    const link = await call(dave, 'getFileUrl', { chat_id: kept.message.chat_id, message_id: kept.message.id });
    const res = await download(link.url);
    expect(await sha256(await res.arrayBuffer())).toBe(await sha256(data));

    // Then the other message goes too: now it is freed.
    await call(carol, 'deleteMessages', { chat_id: kept.message.chat_id, ids: [kept.message.id], for_everyone: true });
    await drained(kept.message.chat_id);
    await pastInFlight(mine.id);
    expect(await runDurableObjectAlarm(reaper(mine.id))).toBe(true);
    expect(await fileRow(mine.id)).toBeNull();
  });

  test('the same bytes uploaded while the file waits for its alarm are kept for the new uploader', async () => {
    const [alice, bob, carol] = [await signup(), await signup(), await signup()];
    const data = jpeg(12_000, 54);
    const file = await upload(alice, data);
    const sent = await call(alice, 'sendMedia', { peer: { user_id: bob.user.id }, random_id: 's', media: { kind: 'photo', file_id: file.id } });
    await call(alice, 'deleteMessages', { chat_id: sent.message.chat_id, ids: [sent.message.id], for_everyone: true });
    await drained(sent.message.chat_id);
    expect(await reaperAlarm(file.id)).not.toBeNull();

    // Bob's upload deduplicates onto the released file; the alarm then finds it held for him.
    const again = await upload(bob, data);
    expect(again.id).toBe(file.id);
    await pastInFlight(file.id);
    expect(await runDurableObjectAlarm(reaper(file.id))).toBe(true);
    expect(await fileRow(file.id)).not.toBeNull();
    expect(await reaperAlarm(file.id)).toBeGreaterThan(Date.now() + UPLOAD_HOLD_MS - 60_000);

    // He sends it a day later as far as the file is concerned: it is all there.
    const his = await call(bob, 'sendMedia', { peer: { user_id: carol.user.id }, random_id: 'h', media: { kind: 'photo', file_id: again.id } });
    const link = await call(carol, 'getFileUrl', { chat_id: his.message.chat_id, message_id: his.message.id });
    expect(await sha256(await (await download(link.url)).arrayBuffer())).toBe(await sha256(data));
    // His send ended his hold: once his message is deleted too, the file is freed.
    await call(bob, 'deleteMessages', { chat_id: his.message.chat_id, ids: [his.message.id], for_everyone: true });
    await drained(his.message.chat_id);
    await pastInFlight(file.id);
    expect(await runDurableObjectAlarm(reaper(file.id))).toBe(true);
    expect(await fileRow(file.id)).toBeNull();
  });

  test('an upload racing the alarm ends with a file whose bytes are stored, whichever wins', async () => {
    const [alice, bob, carol] = [await signup(), await signup(), await signup()];
    for (const seed of [55, 56, 57]) {
      const data = bytes(PART + 1000, seed);
      const file = await upload(alice, data);
      const sent = await call(alice, 'sendMedia', { peer: { user_id: bob.user.id }, random_id: `r${seed}`, media: { kind: 'document', file_id: file.id } });
      await call(alice, 'deleteMessages', { chat_id: sent.message.chat_id, ids: [sent.message.id], for_everyone: true });
      await drained(sent.message.chat_id);
      await pastInFlight(file.id);
      const [again] = await Promise.all([upload(carol, data), runDurableObjectAlarm(reaper(file.id))]);
      const row = await fileRow(again.id);
      expect(row, 'the upload names a stored file').not.toBeNull();
      expect(await env.MEDIA.head(row!.r2_key)).not.toBeNull();
      const sentAgain = await call(carol, 'sendMedia', { peer: { user_id: bob.user.id }, random_id: `g${seed}`, media: { kind: 'document', file_id: again.id } });
      const link = await call(bob, 'getFileUrl', { chat_id: sentAgain.message.chat_id, message_id: sentAgain.message.id });
      expect(await sha256(await (await download(link.url)).arrayBuffer())).toBe(await sha256(data));
    }
  });

  test('after the storage is freed, the same bytes uploaded again are stored anew, byte for byte', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const data = bytes(PART + 77, 58);
    const file = await upload(alice, data);
    const sent = await call(alice, 'sendMedia', { peer: { user_id: bob.user.id }, random_id: 'x', media: { kind: 'document', file_id: file.id } });
    await call(alice, 'deleteMessages', { chat_id: sent.message.chat_id, ids: [sent.message.id], for_everyone: true });
    await drained(sent.message.chat_id);
    await pastInFlight(file.id);
    expect(await runDurableObjectAlarm(reaper(file.id))).toBe(true);
    expect(await fileRow(file.id)).toBeNull();

    const again = await upload(alice, data);
    expect(again.id).not.toBe(file.id);
    expect(again.size).toBe(data.length);
    const row = (await fileRow(again.id))!;
    expect((await env.MEDIA.head(row.r2_key))?.size).toBe(data.length);
    const resent = await call(alice, 'sendMedia', { peer: { user_id: bob.user.id }, random_id: 'y', media: { kind: 'document', file_id: again.id } });
    const link = await call(bob, 'getFileUrl', { chat_id: resent.message.chat_id, message_id: resent.message.id });
    expect(await sha256(await (await download(link.url)).arrayBuffer())).toBe(await sha256(data));
  });
});

describe('the scheduled sweep, a backstop', () => {
  test('an uploaded file that is never sent is freed when its upload hold ends; a sent one is not', async () => {
    const alice = await signup();
    const unsent = await upload(alice, jpeg(3000, 61));
    const sent = await upload(alice, jpeg(3000, 62));
    const { message } = await call(alice, 'sendMedia', { peer: { user_id: alice.user.id }, random_id: 's', media: { kind: 'photo', file_id: sent.id } });
    await drained(message.chat_id);
    await pastInFlight(unsent.id);
    await runScheduled(Date.now());
    expect(await fileRow(unsent.id), 'held for its uploader').not.toBeNull();
    await runScheduled(later());
    expect(await fileRow(unsent.id)).toBeNull();
    expect(await fileRow(sent.id)).not.toBeNull();
  });

  test('a file whose alarm was lost is freed by the sweep, once', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const file = await upload(alice, jpeg(4000, 63));
    const key = (await fileRow(file.id))!.r2_key;
    const { message } = await call(alice, 'sendMedia', { peer: { user_id: bob.user.id }, random_id: 'l', media: { kind: 'photo', file_id: file.id } });
    await call(alice, 'deleteMessages', { chat_id: message.chat_id, ids: [message.id], for_everyone: true });
    await drained(message.chat_id);
    await runInDurableObject(reaper(file.id), (_i: FileReaper, state) => state.storage.deleteAlarm());
    await runScheduled(Date.now());
    expect(await fileRow(file.id), 'not within the in-flight window').not.toBeNull();
    await pastInFlight(file.id);
    await runScheduled(Date.now());
    await runScheduled(Date.now());
    expect(await fileRow(file.id)).toBeNull();
    expect(await env.MEDIA.head(key)).toBeNull();
    expect(await trashCount()).toBe(0);
  });

  test('"delete for me" keeps the file for the other side', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const photo = await upload(alice, jpeg(3000, 71));
    const { message } = await call(alice, 'sendMedia', { peer: { user_id: bob.user.id }, random_id: 'm', media: { kind: 'photo', file_id: photo.id } });
    await call(alice, 'deleteMessages', { chat_id: message.chat_id, ids: [message.id], for_everyone: false });
    await drained(message.chat_id);
    expect(await refCount(photo.id)).toBe(1);
    expect(await reaperAlarm(photo.id)).toBeNull();
    await runScheduled(later());
    const link = await call(bob, 'getFileUrl', { chat_id: message.chat_id, message_id: message.id });
    expect((await downloadAll(link.url)).status).toBe(200);
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
