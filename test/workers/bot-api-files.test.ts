import { SELF } from 'cloudflare:test';
import { describe, expect, test } from 'vitest';
import type { BotApiMessage, BotApiUpdate } from '../../protocol/bot-api/types.js';
import type { Message } from '../../protocol/messages.js';
import { BASE, signup } from './helpers.js';
import { botFails, botOk, call, delivered, newBot, takeMessages, updates, userWrites } from './bot-api-helpers.js';
import { html, jpeg, upload } from './media-helpers.js';

/** A multipart Bot API call with files, as frameworks send uploads. */
async function botUpload<T>(token: string, method: string, fields: Record<string, unknown>, files: Record<string, [Uint8Array, string]>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  for (const [k, [data, name]] of Object.entries(files)) form.set(k, new File([data], name));
  const res = await SELF.fetch(`${BASE}/bot${token}/${method}`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as { ok: boolean; result: T; description?: string } };
}

async function started() {
  const b = await newBot();
  const user = await signup();
  const hello = await userWrites(user, b.id, '/start');
  await takeMessages(b.token);
  return { b, user, chatId: hello.chat_id };
}

describe('file methods', () => {
  test('sendPhoto uploads multipart; the user gets a photo; getFile and /file/bot… give the bytes back', async () => {
    const { b, user, chatId } = await started();
    const data = jpeg(3000);
    const sent = await botUpload<BotApiMessage>(b.token, 'sendPhoto', { chat_id: user.user.id, caption: '<b>look</b>', parse_mode: 'HTML' }, { photo: [data, 'cat.jpg'] });
    expect(sent.body.ok).toBe(true);
    const msg = sent.body.result;
    expect(msg).toMatchObject({ caption: 'look', caption_entities: [{ type: 'bold', offset: 0, length: 4 }] });
    const photo = (msg.photo as { file_id: string; file_size: number }[]).at(-1)!;
    expect(photo.file_size).toBe(3000);

    await delivered(chatId);
    const { messages } = await call(user, 'getHistory', { chat_id: chatId });
    const seen = messages.at(-1)!;
    expect(seen).toMatchObject({ text: 'look', media: { kind: 'photo', file: { id: photo.file_id, mime_type: 'image/jpeg' } } });

    const file = await botOk<{ file_id: string; file_size: number; file_path: string }>(b.token, 'getFile', { file_id: photo.file_id });
    expect(file).toMatchObject({ file_id: photo.file_id, file_size: 3000, file_path: `files/${photo.file_id}` });
    const res = await SELF.fetch(`${BASE}/file/bot${b.token}/${file.file_path}`);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(data);
    expect((await SELF.fetch(`${BASE}/file/bot${b.token.slice(0, -2)}xx/${file.file_path}`)).status).toBe(401);
  });

  test('a file_id is reused without uploading again; a file the bot cannot see is Telegram’s error', async () => {
    const { b, user } = await started();
    const first = await botUpload<BotApiMessage>(b.token, 'sendDocument', { chat_id: user.user.id }, { document: [jpeg(500, 3), 'a.jpg'] });
    const doc = first.body.result.document as { file_id: string; file_name: string };
    expect(doc.file_name).toBe('a.jpg');
    const again = await botOk<BotApiMessage>(b.token, 'sendPhoto', { chat_id: user.user.id, photo: doc.file_id });
    expect((again.photo as { file_id: string }[]).at(-1)!.file_id).toBe(doc.file_id);

    const stranger = await signup();
    const theirs = await upload(stranger, jpeg(600, 9));
    expect(await botFails(b.token, 'sendPhoto', { chat_id: user.user.id, photo: theirs.id })).toMatchObject({
      description: 'Bad Request: wrong file identifier/HTTP URL specified',
    });
    expect(await botFails(b.token, 'sendPhoto', { chat_id: user.user.id, photo: 'https://example.com/cat.jpg' })).toMatchObject({
      description: 'Bad Request: wrong file identifier/HTTP URL specified',
    });
    expect(await botFails(b.token, 'getFile', { file_id: theirs.id })).toMatchObject({ description: 'Bad Request: invalid file_id' });
  });

  test('a photo that is not an image is refused', async () => {
    const { b, user } = await started();
    const res = await botUpload(b.token, 'sendPhoto', { chat_id: user.user.id }, { photo: [html(), 'x.jpg'] });
    expect(res).toMatchObject({ status: 400, body: { ok: false, description: 'Bad Request: IMAGE_PROCESS_FAILED' } });
  });

  test('a JSON parameter nested thousands deep around an attach:// is refused with a 400, not a 500 (found by the soak fuzzer)', async () => {
    const { b, user } = await started();
    const deep = `${'['.repeat(20_000)}"attach://photo"${']'.repeat(20_000)}`;
    const res = await botUpload(b.token, 'sendAudio', { chat_id: user.user.id, audio: deep }, { photo: [jpeg(300, 3), 'p.jpg'] });
    expect(res.status).toBe(400);
    expect(res.body.ok).toBe(false);
  });

  test('sendMediaGroup with attach:// uploads sends an album', async () => {
    const { b, user, chatId } = await started();
    const res = await botUpload<BotApiMessage[]>(
      b.token,
      'sendMediaGroup',
      {
        chat_id: user.user.id,
        media: [
          { type: 'photo', media: 'attach://one', caption: 'first' },
          { type: 'photo', media: 'attach://two' },
        ],
      },
      { one: [jpeg(400, 1), 'one.jpg'], two: [jpeg(410, 2), 'two.jpg'] },
    );
    expect(res.body.ok).toBe(true);
    expect(res.body.result).toHaveLength(2);
    const [a, c] = res.body.result as (BotApiMessage & { media_group_id?: string })[];
    expect(a!.caption).toBe('first');
    expect(a!.media_group_id).toBeDefined();
    expect(c!.media_group_id).toBe(a!.media_group_id);
    await delivered(chatId);
    const { messages } = await call(user, 'getHistory', { chat_id: chatId });
    expect(messages.slice(-2).map((m: Message) => m.media?.kind)).toEqual(['photo', 'photo']);
  });

  test('a photo a user sends reaches the bot with a file_id it can download', async () => {
    const { b, user, chatId } = await started();
    const data = jpeg(2048, 5);
    const file = await upload(user, data);
    await call(user, 'sendMedia', { peer: { chat_id: chatId }, random_id: 'pic1', media: { kind: 'photo', file_id: file.id, width: 10, height: 20 }, caption: 'mine' });
    await delivered(chatId);
    const [update] = (await updates(b.token)) as BotApiUpdate[];
    const m = update!.message!;
    expect(m.caption).toBe('mine');
    const size = (m.photo as { file_id: string; width: number; height: number }[]).at(-1)!;
    expect(size).toMatchObject({ file_id: file.id, width: 10, height: 20 });
    const path = (await botOk<{ file_path: string }>(b.token, 'getFile', { file_id: size.file_id })).file_path;
    const res = await SELF.fetch(`${BASE}/file/bot${b.token}/${path}`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(data);
  });
});
