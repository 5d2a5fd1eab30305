import { env, runDurableObjectAlarm, runInDurableObject, SELF } from 'cloudflare:test';
import { describe, expect, test, vi } from 'vitest';
import type { FileReaper } from '../../durable-objects/file-reaper/index.js';
import { fileReaper } from '../../durable-objects/stubs.js';
import { botFails, botOk, newBot } from './bot-api-helpers.js';
import { BASE, connect, signup } from './helpers.js';
import { call, callError, downloadAll, drained, fileRow, jpeg, mp4, pastInFlight, refCount, upload } from './media-helpers.js';

vi.setConfig({ testTimeout: 60_000 });

const reaperAlarm = (fileId: string) =>
  runInDurableObject(fileReaper(env, fileId), (_i: FileReaper, state) => state.storage.getAlarm());

describe('profile photos', () => {
  test('a photo with its preview becomes current; people see it on the user and download both sizes', async () => {
    const [owner, peer] = [await signup(), await signup()];
    const [big, small] = [await upload(owner, jpeg(30_000, 71)), await upload(owner, jpeg(2_000, 72))];
    const { photo } = await call(owner, 'setProfilePhoto', { file_id: big.id, thumb_file_id: small.id, width: 512, height: 512 });
    expect(photo).toMatchObject({ big: { id: big.id, mime_type: 'image/jpeg' }, small: { id: small.id }, width: 512, height: 512 });
    const { users } = await call(peer, 'getUsers', { ids: [owner.user.id] });
    expect(users[0]!.photo).toEqual({ id: photo.id, date: photo.date });
    const bigUrl = await call(peer, 'getUserPhotoUrl', { user_id: owner.user.id, big: true });
    expect((await downloadAll(bigUrl.url)).status).toBe(200);
    const smallUrl = await call(peer, 'getUserPhotoUrl', { user_id: owner.user.id });
    expect(new Uint8Array(await (await downloadAll(smallUrl.url)).arrayBuffer()).length).toBe(2_000);
    // The upload holds ended: the photo's ref alone keeps the files.
    expect(await refCount(big.id)).toBe(1);
  });

  test('a new photo keeps the old one in the history; deleting the current brings the previous back', async () => {
    const [owner, peer] = [await signup(), await signup()];
    const first = (await call(owner, 'setProfilePhoto', { file_id: (await upload(owner, jpeg(10_000, 73))).id })).photo;
    const second = (await call(owner, 'setProfilePhoto', { file_id: (await upload(owner, jpeg(11_000, 74))).id })).photo;
    const history = await call(peer, 'getUserPhotos', { user_id: owner.user.id });
    expect(history.count).toBe(2);
    expect(history.photos.map((p) => p.id)).toEqual([second.id, first.id]);
    expect((await call(owner, 'deleteProfilePhotos', { ids: [second.id, 999_999] })).deleted).toEqual([second.id]);
    expect((await call(peer, 'getUsers', { ids: [owner.user.id] })).users[0]!.photo?.id).toBe(first.id);
    // Someone else's photo ids delete nothing.
    expect((await call(peer, 'deleteProfilePhotos', { ids: [first.id] })).deleted).toEqual([]);
    await call(owner, 'deleteProfilePhotos', { ids: [first.id] });
    expect((await call(peer, 'getUsers', { ids: [owner.user.id] })).users[0]!.photo).toBeUndefined();
    expect(await callError(peer, 'getUserPhotoUrl', { user_id: owner.user.id })).toBe('FILE_NOT_FOUND');
  });

  test('a deleted photo releases its files to the reaper, which frees them; a file also sent in a chat stays', async () => {
    const [owner, peer] = [await signup(), await signup()];
    const alone = await upload(owner, jpeg(12_000, 75));
    const shared = await upload(owner, jpeg(13_000, 76));
    const { message } = await call(owner, 'sendMedia', { peer: { user_id: peer.user.id }, random_id: 'pp_shared', media: { kind: 'photo', file_id: shared.id } });
    await drained(message.chat_id);
    const a = (await call(owner, 'setProfilePhoto', { file_id: alone.id })).photo;
    const b = (await call(owner, 'setProfilePhoto', { file_id: shared.id })).photo;
    await call(owner, 'deleteProfilePhotos', { ids: [a.id, b.id] });
    expect(await refCount(alone.id)).toBe(0);
    expect(await reaperAlarm(alone.id)).not.toBeNull();
    await pastInFlight(alone.id, shared.id);
    expect(await runDurableObjectAlarm(fileReaper(env, alone.id))).toBe(true);
    await runDurableObjectAlarm(fileReaper(env, shared.id)); // armed or not, the message's ref keeps it
    expect(await fileRow(alone.id)).toBeNull();
    expect(await fileRow(shared.id)).not.toBeNull();
  });

  test('bad input: not an image, someone else\'s upload, an unknown file — each refused, no photo set', async () => {
    const [owner, other] = [await signup(), await signup()];
    expect(await callError(owner, 'setProfilePhoto', { file_id: (await upload(owner, mp4(5_000))).id })).toBe('MEDIA_INVALID');
    expect(await callError(owner, 'setProfilePhoto', { file_id: (await upload(other, jpeg(5_000, 77))).id })).toBe('FILE_NOT_FOUND');
    expect(await callError(owner, 'setProfilePhoto', { file_id: '0'.repeat(32) })).toBe('FILE_NOT_FOUND');
    expect(await callError(owner, 'setProfilePhoto', { file_id: 'nope' })).toBe('BAD_REQUEST');
    expect((await call(owner, 'getUserPhotos', { user_id: owner.user.id })).count).toBe(0);
  });

  test('chat peers online get a `user` event with the new photo', async () => {
    const [owner, peer] = [await signup(), await signup()];
    await call(peer, 'sendMessage', { peer: { user_id: owner.user.id }, random_id: 'pp_hello', text: 'hi' });
    const socket = await connect(peer.token);
    try {
      const { photo } = await call(owner, 'setProfilePhoto', { file_id: (await upload(owner, jpeg(8_000, 78))).id });
      for (;;) {
        const frame = (await socket.next(5_000)) as { event?: { type?: string; user?: { id: number; photo?: { id: number } } } };
        if (frame.event?.type === 'user' && frame.event.user?.id === owner.user.id) {
          expect(frame.event.user.photo?.id).toBe(photo.id);
          break;
        }
      }
    } finally {
      socket.ws.close();
    }
  });
});

describe('profile photos in the Bot API', () => {
  test("getUserProfilePhotos lists a person's photos as sizes; getFile and the file route give the bytes; a 'nobody' rule shows the bot nothing", async () => {
    const person = await signup();
    const bot = await newBot();
    const big = jpeg(9_000, 79);
    const small = jpeg(1_500, 80);
    const [bigFile, smallFile] = [await upload(person, big), await upload(person, small)];
    await call(person, 'setProfilePhoto', { file_id: bigFile.id, thumb_file_id: smallFile.id, width: 300, height: 300 });
    const listed = await botOk<{ total_count: number; photos: { file_id: string; width: number }[][] }>(bot.token, 'getUserProfilePhotos', { user_id: person.user.id });
    expect(listed.total_count).toBe(1);
    expect(listed.photos[0]!.map((s) => s.file_id)).toEqual([smallFile.id, bigFile.id]);
    const file = await botOk<{ file_path: string }>(bot.token, 'getFile', { file_id: bigFile.id });
    const bytes = new Uint8Array(await (await SELF.fetch(`${BASE}/file/bot${bot.token}/${file.file_path}`)).arrayBuffer());
    expect(bytes).toEqual(big);

    await call(person, 'setPrivacy', { key: 'profile_photo', rule: { value: 'nobody', allow_user_ids: [], disallow_user_ids: [] } });
    expect(await botOk(bot.token, 'getUserProfilePhotos', { user_id: person.user.id })).toEqual({ total_count: 0, photos: [] });
    expect((await botFails(bot.token, 'getFile', { file_id: bigFile.id })).description).toContain('invalid file_id');
    expect((await SELF.fetch(`${BASE}/file/bot${bot.token}/${file.file_path}`)).status).toBe(404);
  });
});
