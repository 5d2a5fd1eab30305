import { env, runDurableObjectAlarm, runInDurableObject, SELF } from 'cloudflare:test';
import { describe, expect, test, vi } from 'vitest';
import type { FileReaper } from '../../durable-objects/file-reaper/index.js';
import { fileReaper } from '../../durable-objects/stubs.js';
import type { BotApiChatFullInfo, BotApiMessage } from '../../protocol/bot-api/types.js';
import type { FileInfo } from '../../protocol/media.js';
import { botFails, botOk, delivered, newBot, takeMessages } from './bot-api-helpers.js';
import { BASE, signup, type Account } from './helpers.js';
import { call, callError, downloadAll, drained, fileRow, jpeg, mp4, pastInFlight, refCount, upload } from './media-helpers.js';

vi.setConfig({ testTimeout: 60_000 });

/** A group of an owner, an admin and a member; an outsider besides. */
async function group() {
  const [owner, admin, member, outsider] = [await signup(), await signup(), await signup(), await signup()];
  const { chat } = await call(owner, 'createGroup', { title: 'Photos', user_ids: [admin.user.id, member.user.id] });
  await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: admin.user.id, is_admin: true });
  return { owner, admin, member, outsider, chatId: chat.id };
}

async function photoOf(who: Account, chatId: number) {
  return (await call(who, 'getChat', { chat_id: chatId })).chat.photo;
}

/** The uploader's hold on a file, ms (0 once a send or a chat photo took it). */
async function heldUntil(fileId: string, accountId: number): Promise<number | null> {
  return env.DB.prepare('SELECT held_until FROM file_owners WHERE file_id = ? AND account_id = ?').bind(fileId, accountId).first<number>('held_until');
}

const reaperAlarm = (fileId: string) =>
  runInDurableObject(fileReaper(env, fileId), (_i: FileReaper, state) => state.storage.getAlarm());

describe('chat photos (the account API)', () => {
  test('an admin sets a photo with its preview; every member sees it in the chat and downloads both sizes; an outsider cannot', async () => {
    const { admin, member, outsider, chatId } = await group();
    const big = jpeg(40_000, 61);
    const small = jpeg(3_000, 62);
    const [bigFile, smallFile] = [await upload(admin, big), await upload(admin, small)];
    const { chat } = await call(admin, 'setChatPhoto', { chat_id: chatId, file_id: bigFile.id, thumb_file_id: smallFile.id, width: 640, height: 640 });
    expect(chat.photo).toMatchObject({ big: { id: bigFile.id, mime_type: 'image/jpeg' }, small: { id: smallFile.id }, width: 640, height: 640 });
    expect(await photoOf(member, chatId)).toEqual(chat.photo);
    await drained(chatId);
    // The member's own update stream carries the change.
    const diff = await call(member, 'getDifference', { pts: 0 });
    const updates = diff.kind === 'difference' ? diff.updates.map((u) => u.update) : [];
    expect(updates.at(-1)).toMatchObject({ type: 'chat', chat: { photo: { big: { id: bigFile.id } } } });

    const smallLink = await call(member, 'getChatPhotoUrl', { chat_id: chatId });
    expect(new Uint8Array(await (await downloadAll(smallLink.url)).arrayBuffer())).toEqual(small);
    const bigLink = await call(member, 'getChatPhotoUrl', { chat_id: chatId, big: true });
    expect(new Uint8Array(await (await downloadAll(bigLink.url)).arrayBuffer())).toEqual(big);
    expect(await callError(outsider, 'getChatPhotoUrl', { chat_id: chatId })).toBe('NOT_FOUND');
    // The photo now keeps its files: one ref each, and the uploader's hold is over.
    expect(await refCount(bigFile.id)).toBe(1);
    expect(await refCount(smallFile.id)).toBe(1);
    expect(await heldUntil(bigFile.id, admin.user.id)).toBe(0);
  });

  test('replacing the photo releases the old file to its reaper, which frees it; the new one stays', async () => {
    const { owner, chatId } = await group();
    const first = await upload(owner, jpeg(20_000, 63));
    const second = await upload(owner, jpeg(21_000, 64));
    await call(owner, 'setChatPhoto', { chat_id: chatId, file_id: first.id });
    await drained(chatId);
    const { chat } = await call(owner, 'setChatPhoto', { chat_id: chatId, file_id: second.id });
    expect(chat.photo).toMatchObject({ big: { id: second.id }, small: { id: second.id } });
    await drained(chatId);
    expect(await refCount(first.id)).toBe(0);
    expect(await refCount(second.id)).toBe(1);
    expect(await reaperAlarm(first.id)).not.toBeNull();
    await pastInFlight(first.id, second.id);
    expect(await runDurableObjectAlarm(fileReaper(env, first.id))).toBe(true);
    expect(await fileRow(first.id)).toBeNull();
    expect(await fileRow(second.id)).not.toBeNull();
  });

  test('deleting the photo clears it for everyone and releases its file; deleting none answers the chat as it is', async () => {
    const { owner, admin, member, chatId } = await group();
    const file = await upload(owner, jpeg(9_000, 65));
    await call(owner, 'setChatPhoto', { chat_id: chatId, file_id: file.id });
    const { chat } = await call(admin, 'deleteChatPhoto', { chat_id: chatId });
    expect(chat.photo).toBeUndefined();
    expect(await photoOf(member, chatId)).toBeUndefined();
    await drained(chatId);
    expect(await refCount(file.id)).toBe(0);
    expect(await callError(member, 'getChatPhotoUrl', { chat_id: chatId })).toBe('FILE_NOT_FOUND');
    expect((await call(admin, 'deleteChatPhoto', { chat_id: chatId })).chat.photo).toBeUndefined();
    const log = await call(owner, 'getAdminLog', { chat_id: chatId });
    expect(log.entries.map((e) => e.action).slice(0, 2)).toEqual(['photo_deleted', 'photo_changed']);
  });

  test('each refusal says why and changes nothing: no right, not a photo, another user’s file, a private chat', async () => {
    const { owner, member, outsider, chatId } = await group();
    const current = await upload(owner, jpeg(8_000, 66));
    await call(owner, 'setChatPhoto', { chat_id: chatId, file_id: current.id });
    const before = await photoOf(owner, chatId);

    const mine = await upload(member, jpeg(7_000, 67));
    expect(await callError(member, 'setChatPhoto', { chat_id: chatId, file_id: mine.id })).toBe('FORBIDDEN');
    expect(await callError(member, 'deleteChatPhoto', { chat_id: chatId })).toBe('FORBIDDEN');
    // The refused setter's upload is as it was: still held, referenced by nothing.
    expect(await heldUntil(mine.id, member.user.id)).toBeGreaterThan(Date.now());

    const video = await upload(owner, mp4(5_000));
    expect(await callError(owner, 'setChatPhoto', { chat_id: chatId, file_id: video.id })).toBe('MEDIA_INVALID');
    expect(await callError(owner, 'setChatPhoto', { chat_id: chatId, file_id: current.id, thumb_file_id: video.id })).toBe('MEDIA_INVALID');

    const theirs: FileInfo = await upload(outsider, jpeg(6_000, 68));
    expect(await callError(owner, 'setChatPhoto', { chat_id: chatId, file_id: theirs.id })).toBe('FILE_NOT_FOUND');
    expect(await callError(owner, 'setChatPhoto', { chat_id: chatId, file_id: 'f'.repeat(32) })).toBe('FILE_NOT_FOUND');

    const { message } = await call(owner, 'sendMessage', { peer: { user_id: member.user.id }, random_id: 'dm', text: 'hi' });
    expect(await callError(owner, 'setChatPhoto', { chat_id: message.chat_id, file_id: current.id })).toBe('BAD_REQUEST');
    expect(await callError(outsider, 'setChatPhoto', { chat_id: chatId, file_id: theirs.id })).toBe('NOT_FOUND');

    await drained(chatId);
    expect(await photoOf(owner, chatId)).toEqual(before);
    for (const id of [mine.id, video.id, theirs.id]) expect(await refCount(id)).toBe(0);
    expect((await call(owner, 'getAdminLog', { chat_id: chatId })).entries.filter((e) => e.action.startsWith('photo_'))).toHaveLength(1);
  });

  test('members may change the photo when the group’s permissions let them change info', async () => {
    const { owner, member, chatId } = await group();
    const { chat } = await call(owner, 'getChat', { chat_id: chatId });
    await call(owner, 'setChatPermissions', { chat_id: chatId, permissions: { ...chat.permissions!, can_change_info: true } });
    const mine = await upload(member, jpeg(7_500, 69));
    expect((await call(member, 'setChatPhoto', { chat_id: chatId, file_id: mine.id })).chat.photo?.big.id).toBe(mine.id);
  });

  test('a group converted into a supergroup keeps its photo, downloadable there by its members', async () => {
    const { owner, member, chatId } = await group();
    const file = await upload(owner, jpeg(11_000, 77));
    await call(owner, 'setChatPhoto', { chat_id: chatId, file_id: file.id });
    const { chat: supergroup } = await call(owner, 'migrateChat', { chat_id: chatId });
    expect(supergroup.photo?.big.id).toBe(file.id);
    await drained(supergroup.id);
    expect(await refCount(file.id)).toBe(2);
    const link = await call(member, 'getChatPhotoUrl', { chat_id: supergroup.id });
    expect((await downloadAll(link.url)).status).toBe(200);
  });

  test('in a channel, subscribers see the photo and download it', async () => {
    const owner = await signup();
    const reader = await signup();
    const { chat } = await call(owner, 'createChannel', { title: 'News', user_ids: [reader.user.id] });
    const file = await upload(owner, jpeg(12_000, 70));
    await call(owner, 'setChatPhoto', { chat_id: chat.id, file_id: file.id });
    expect((await photoOf(reader, chat.id))?.big.id).toBe(file.id);
    const link = await call(reader, 'getChatPhotoUrl', { chat_id: chat.id, big: true });
    expect((await downloadAll(link.url)).status).toBe(200);
    expect(await callError(reader, 'deleteChatPhoto', { chat_id: chat.id })).toBe('FORBIDDEN');
  });
});

/** A multipart Bot API call with files, as frameworks send uploads. */
async function botUpload(token: string, method: string, fields: Record<string, unknown>, files: Record<string, [Uint8Array, string]>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, String(v));
  for (const [k, [data, name]] of Object.entries(files)) form.set(k, new File([data], name));
  const res = await SELF.fetch(`${BASE}/bot${token}/${method}`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as { ok: boolean; result?: unknown; description?: string } };
}

describe('chat photos (the Bot API)', () => {
  async function botGroup(options: { admin?: boolean } = {}) {
    const b = await newBot();
    const member = await signup();
    const { chat } = await call(b.owner, 'createGroup', { title: 'Bots', user_ids: [member.user.id, b.id] });
    if (options.admin !== false) await call(b.owner, 'setChatAdmin', { chat_id: chat.id, user_id: b.id, is_admin: true });
    await delivered(chat.id);
    await takeMessages(b.token);
    return { b, owner: b.owner, member, chatId: chat.id };
  }

  test('setChatPhoto takes an uploaded photo; getChat shows it, getFile downloads it, the bot hears new_chat_photo', async () => {
    const { b, owner, member, chatId } = await botGroup();
    const data = jpeg(15_000, 71);
    const set = await botUpload(b.token, 'setChatPhoto', { chat_id: -chatId }, { photo: [data, 'logo.jpg'] });
    expect(set.body).toEqual({ ok: true, result: true });
    const photo = await photoOf(member, chatId);
    expect(photo?.big.size).toBe(15_000);

    const info = await botOk<BotApiChatFullInfo>(b.token, 'getChat', { chat_id: -chatId });
    expect(info.photo).toEqual({
      small_file_id: photo!.small.id,
      small_file_unique_id: photo!.small.id.slice(0, 16),
      big_file_id: photo!.big.id,
      big_file_unique_id: photo!.big.id.slice(0, 16),
    });
    await drained(chatId);
    const file = await botOk<{ file_path: string }>(b.token, 'getFile', { file_id: info.photo!.big_file_id });
    const res = await SELF.fetch(`${BASE}/file/bot${b.token}/${file.file_path}`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(data);

    // Someone else's change reaches the bot as Telegram's service messages.
    const other = await upload(owner, jpeg(9_000, 72));
    await call(owner, 'setChatPhoto', { chat_id: chatId, file_id: other.id, width: 320, height: 240 });
    await drained(chatId);
    // The owner's file, usable by the bot through the chat's photo, while it is the chat's photo (Telegram's rule).
    expect(await botOk(b.token, 'getFile', { file_id: other.id })).toMatchObject({ file_size: 9_000 });
    await call(owner, 'deleteChatPhoto', { chat_id: chatId });
    await drained(chatId);
    expect(await botFails(b.token, 'getFile', { file_id: other.id })).toMatchObject({ description: 'Bad Request: invalid file_id' });
    const heard: BotApiMessage[] = await takeMessages(b.token);
    expect(heard.find((m) => m.new_chat_photo)).toMatchObject({
      from: { id: owner.user.id },
      new_chat_photo: [{ file_id: other.id, file_unique_id: other.id.slice(0, 16), file_size: 9_000, width: 320, height: 240 }],
    });
    expect(heard.at(-1)).toMatchObject({ from: { id: owner.user.id }, delete_chat_photo: true });
    expect((await botOk<BotApiChatFullInfo>(b.token, 'getChat', { chat_id: -chatId })).photo).toBeUndefined();
  });

  test('Telegram’s refusals: a file_id, no photo, not an image, no rights, a private chat, nothing to delete', async () => {
    const { b, owner, chatId } = await botGroup();
    const known = await upload(owner, jpeg(4_000, 73));
    expect(await botFails(b.token, 'setChatPhoto', { chat_id: -chatId, photo: known.id })).toMatchObject({
      error_code: 400,
      description: 'Bad Request: there is no photo in the request',
    });
    expect(await botFails(b.token, 'setChatPhoto', { chat_id: -chatId })).toMatchObject({ description: 'Bad Request: there is no photo in the request' });
    const notImage = await botUpload(b.token, 'setChatPhoto', { chat_id: -chatId }, { photo: [mp4(3_000), 'clip.mp4'] });
    expect(notImage).toMatchObject({ status: 400, body: { ok: false, description: 'Bad Request: IMAGE_PROCESS_FAILED' } });
    expect(await botFails(b.token, 'deleteChatPhoto', { chat_id: -chatId })).toMatchObject({ description: 'Bad Request: CHAT_NOT_MODIFIED' });

    const plain = await botGroup({ admin: false });
    const refused = await botUpload(plain.b.token, 'setChatPhoto', { chat_id: -plain.chatId }, { photo: [jpeg(2_000, 74), 'a.jpg'] });
    expect(refused).toMatchObject({ status: 400, body: { description: 'Bad Request: not enough rights to change chat photo' } });
    await call(plain.owner, 'setChatPhoto', { chat_id: plain.chatId, file_id: (await upload(plain.owner, jpeg(2_500, 75))).id });
    expect(await botFails(plain.b.token, 'deleteChatPhoto', { chat_id: -plain.chatId })).toMatchObject({
      description: 'Bad Request: not enough rights to change chat photo',
    });

    const user = await signup();
    await call(user, 'sendMessage', { peer: { user_id: b.id }, random_id: 'hi', text: '/start' });
    const privateTry = await botUpload(b.token, 'setChatPhoto', { chat_id: user.user.id }, { photo: [jpeg(2_000, 76), 'a.jpg'] });
    expect(privateTry.body).toMatchObject({ description: "Bad Request: can't change private chat photo" });
    expect(await botFails(b.token, 'deleteChatPhoto', { chat_id: user.user.id })).toMatchObject({ description: "Bad Request: can't change private chat photo" });
    expect(await photoOf(owner, chatId)).toBeUndefined();
  });
});
