import { env } from 'cloudflare:test';
import { describe, expect, test, vi } from 'vitest';
import type { FileInfo } from '../../protocol/media.js';
import { api, signup, type Account } from './helpers.js';
import {
  bytes,
  call,
  callError,
  download,
  downloadAll,
  drained,
  fileRow,
  html,
  jpeg,
  mp4,
  refCount,
  sha256,
  upload,
} from './media-helpers.js';

vi.setConfig({ testTimeout: 60_000 });

async function pair() {
  const [alice, bob] = [await signup(), await signup()];
  return { alice, bob };
}

async function sendPhoto(from: Account, to: Account, photo: FileInfo, extra: Record<string, unknown> = {}) {
  return call(from, 'sendMedia', {
    peer: { user_id: to.user.id },
    random_id: crypto.randomUUID(),
    media: { kind: 'photo', file_id: photo.id, width: 640, height: 480 },
    ...extra,
  });
}

describe('media messages', () => {
  test('a photo with a thumbnail and a caption reaches the peer, who downloads the same bytes', async () => {
    const { alice, bob } = await pair();
    const data = jpeg(300_000);
    const photo = await upload(alice, data, { file_name: 'beach.jpg' });
    const thumb = await upload(alice, jpeg(5_000, 2));
    const { message } = await call(alice, 'sendMedia', {
      peer: { user_id: bob.user.id },
      random_id: 'p1',
      media: { kind: 'photo', file_id: photo.id, thumb_file_id: thumb.id, width: 640, height: 480, file_name: 'beach.jpg' },
      caption: 'the beach',
    });
    expect(message).toMatchObject({
      text: 'the beach',
      media: {
        kind: 'photo',
        file: { id: photo.id, size: data.length, mime_type: 'image/jpeg', file_name: 'beach.jpg' },
        thumb: { id: thumb.id, mime_type: 'image/jpeg' },
        width: 640,
        height: 480,
        duration: null,
        grouped_id: null,
      },
    });
    await drained(message.chat_id);
    expect(await refCount(photo.id)).toBe(1);
    expect(await refCount(thumb.id)).toBe(1);

    const diff = await call(bob, 'getDifference', { pts: 0 });
    if (diff.kind !== 'difference') throw new Error(diff.kind);
    const received = diff.updates.find((u) => u.update.type === 'new_message')!.update;
    expect(received.type === 'new_message' && received.message.media?.file.id).toBe(photo.id);

    const link = await call(bob, 'getFileUrl', { chat_id: message.chat_id, message_id: message.id });
    expect(link.expires_at).toBeGreaterThan(Date.now());
    const res = await download(link.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-disposition')).toContain('inline');
    expect(res.headers.get('content-disposition')).toContain('beach.jpg');
    expect(await sha256(await res.arrayBuffer())).toBe(await sha256(data));

    const thumbLink = await call(bob, 'getFileUrl', { chat_id: message.chat_id, message_id: message.id, thumb: true });
    expect((await (await download(thumbLink.url)).arrayBuffer()).byteLength).toBe(5_000);
  });

  test('a retried sendMedia returns the original message', async () => {
    const { alice, bob } = await pair();
    const photo = await upload(alice, jpeg(1000));
    const params = { peer: { user_id: bob.user.id }, random_id: 'again', media: { kind: 'photo' as const, file_id: photo.id } };
    const first = await call(alice, 'sendMedia', params);
    const second = await call(alice, 'sendMedia', params);
    expect(second.message).toEqual(first.message);
  });

  test('an album is stored at once with one grouped_id; a retry returns it', async () => {
    const { alice, bob } = await pair();
    const [a, b, c] = [await upload(alice, jpeg(2000, 1)), await upload(alice, mp4(3000, 2)), await upload(alice, jpeg(2500, 3))];
    const params = {
      peer: { user_id: bob.user.id },
      items: [
        { random_id: 'al1', media: { kind: 'photo' as const, file_id: a.id }, caption: 'first' },
        { random_id: 'al2', media: { kind: 'video' as const, file_id: b.id, duration: 3, width: 320, height: 240 } },
        { random_id: 'al3', media: { kind: 'photo' as const, file_id: c.id } },
      ],
    };
    const { messages } = await call(alice, 'sendAlbum', params);
    expect(messages.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(messages.map((m) => m.media?.grouped_id)).toEqual([1, 1, 1]);
    expect(messages.map((m) => m.text)).toEqual(['first', '', '']);
    expect((await call(alice, 'sendAlbum', params)).messages).toEqual(messages);
    const history = await call(bob, 'getHistory', { chat_id: messages[0]!.chat_id });
    expect(history.messages).toHaveLength(3);
  });

  test('media that does not fit its file is MEDIA_INVALID, and nothing is sent', async () => {
    const { alice, bob } = await pair();
    const page = await upload(alice, html(), { file_name: 'x.html', declared_mime: 'image/png' });
    const video = await upload(alice, mp4(4000));
    const peer = { user_id: bob.user.id };
    expect(await callError(alice, 'sendMedia', { peer, random_id: 'm1', media: { kind: 'photo', file_id: page.id } })).toBe('MEDIA_INVALID');
    expect(await callError(alice, 'sendMedia', { peer, random_id: 'm2', media: { kind: 'voice', file_id: video.id } })).toBe('MEDIA_INVALID');
    expect(
      await callError(alice, 'sendMedia', { peer, random_id: 'm3', media: { kind: 'video', file_id: video.id, thumb_file_id: video.id } }),
    ).toBe('MEDIA_INVALID');
    expect(await callError(alice, 'sendMedia', { peer, random_id: 'm4', media: { kind: 'document', file_id: page.id, duration: 5 } })).toBe(
      'MEDIA_INVALID',
    );
    const mixed = {
      peer,
      items: [
        { random_id: 'x1', media: { kind: 'photo', file_id: (await upload(alice, jpeg(100))).id } },
        { random_id: 'x2', media: { kind: 'document', file_id: page.id } },
      ],
    };
    expect(await callError(alice, 'sendAlbum', mixed)).toBe('MEDIA_INVALID');
    // A document may be anything.
    const { message } = await call(alice, 'sendMedia', { peer, random_id: 'ok', media: { kind: 'document', file_id: page.id } });
    expect(message.media).toMatchObject({ kind: 'document', file: { mime_type: 'application/octet-stream' } });
  });

  test('captions: empty is fine with media, over 1,024 characters is MESSAGE_TOO_LONG', async () => {
    const { alice, bob } = await pair();
    const photo = await upload(alice, jpeg(1000));
    const peer = { user_id: bob.user.id };
    const media = { kind: 'photo', file_id: photo.id };
    expect(await callError(alice, 'sendMedia', { peer, random_id: 'long', media, caption: 'x'.repeat(1025) })).toBe('MESSAGE_TOO_LONG');
    const { message } = await call(alice, 'sendMedia', { peer, random_id: 'empty', media: { kind: 'photo', file_id: photo.id } });
    expect(message.text).toBe('');
    const edited = await call(alice, 'editMessage', { chat_id: message.chat_id, id: message.id, text: 'now with a caption' });
    expect(edited.message).toMatchObject({ text: 'now with a caption', media: { file: { id: photo.id } } });
  });

  test('bad media params are BAD_REQUEST, never a 500', async () => {
    const { alice, bob } = await pair();
    const peer = { user_id: bob.user.id };
    for (const media of [
      {},
      { kind: 'photo' },
      { kind: 'hologram', file_id: 'a'.repeat(32) },
      { kind: 'photo', file_id: 'not-a-file' },
      { kind: 'photo', file_id: 'a'.repeat(32), width: -1 },
      { kind: 'document', file_id: 'a'.repeat(32), file_name: 'a/b' },
    ]) {
      expect(await callError(alice, 'sendMedia', { peer, random_id: 'b', media })).toBe('BAD_REQUEST');
    }
    expect(await callError(alice, 'sendAlbum', { peer, items: [] })).toBe('BAD_REQUEST');
    expect(await callError(alice, 'getFileUrl', { chat_id: 'x', message_id: 1 })).toBe('BAD_REQUEST');
  });
});

describe('who may use and read a file', () => {
  test('a file id someone else uploaded cannot be sent by a stranger', async () => {
    const { alice, bob } = await pair();
    const photo = await upload(alice, jpeg(1000));
    const mallory = await signup();
    const code = await callError(mallory, 'sendMedia', {
      peer: { user_id: bob.user.id },
      random_id: 'steal',
      media: { kind: 'photo', file_id: photo.id },
    });
    expect(code).toBe('FILE_NOT_FOUND');
    // Exactly what an unknown id gets.
    expect(
      await callError(mallory, 'sendMedia', { peer: { user_id: bob.user.id }, random_id: 's2', media: { kind: 'photo', file_id: '0'.repeat(32) } }),
    ).toBe('FILE_NOT_FOUND');
  });

  test('a member who saw the file in a chat may send and forward it; the media is kept', async () => {
    const { alice, bob } = await pair();
    const carol = await signup();
    const photo = await upload(alice, jpeg(1500));
    const { message } = await sendPhoto(alice, bob, photo);
    await drained(message.chat_id);
    const resent = await call(bob, 'sendMedia', { peer: { user_id: carol.user.id }, random_id: 'fw1', media: { kind: 'photo', file_id: photo.id } });
    expect(resent.message.media?.file.id).toBe(photo.id);
    const forwarded = await call(bob, 'forwardMessages', {
      from_chat_id: message.chat_id,
      ids: [message.id],
      to: { user_id: carol.user.id },
      random_ids: ['fw2'],
    });
    expect(forwarded.messages[0]).toMatchObject({ media: { file: { id: photo.id } }, fwd_from: { sender_id: alice.user.id } });
    await drained(forwarded.messages[0]!.chat_id);
    expect(await refCount(photo.id)).toBe(3);
    const link = await call(carol, 'getFileUrl', { chat_id: forwarded.messages[0]!.chat_id, message_id: forwarded.messages[0]!.id });
    expect((await downloadAll(link.url)).status).toBe(200);
  });

  test('non-members get NOT_FOUND for a link; a message without media has no file', async () => {
    const { alice, bob } = await pair();
    const photo = await upload(alice, jpeg(1000));
    const { message } = await sendPhoto(alice, bob, photo);
    const mallory = await signup();
    expect(await callError(mallory, 'getFileUrl', { chat_id: message.chat_id, message_id: message.id })).toBe('NOT_FOUND');
    expect(await callError(bob, 'getFileUrl', { chat_id: message.chat_id, message_id: message.id, thumb: true })).toBe('FILE_NOT_FOUND');
    const text = await call(alice, 'sendMessage', { peer: { user_id: bob.user.id }, random_id: 't', text: 'hi' });
    expect(await callError(bob, 'getFileUrl', { chat_id: message.chat_id, message_id: text.message.id })).toBe('FILE_NOT_FOUND');
    // Deleted for everyone: the file is no longer reachable through the message.
    await call(alice, 'deleteMessages', { chat_id: message.chat_id, ids: [message.id], for_everyone: true });
    expect(await callError(bob, 'getFileUrl', { chat_id: message.chat_id, message_id: message.id })).toBe('NOT_FOUND');
  });

  test('the hash-claim attack: knowing a file\'s hash, id or storage key gets nobody the file', async () => {
    const { alice, bob } = await pair();
    const secret = bytes(4096, 1234);
    secret.set([0x25, 0x50, 0x44, 0x46], 0); // a "PDF"
    const file = await upload(alice, secret, { file_name: 'secret.pdf' });
    const { message } = await call(alice, 'sendMedia', {
      peer: { user_id: bob.user.id },
      random_id: 'doc',
      media: { kind: 'document', file_id: file.id },
    });
    const row = await fileRow(file.id);
    const plainHash = await sha256(secret);
    const mallory = await signup();
    const peer = { user_id: alice.user.id };

    // 1. No endpoint takes a hash instead of bytes: claiming one at upload changes nothing,
    //    the upload still waits for its bytes and complete refuses without them.
    const claim = await api('/v1/uploads', { body: { size: secret.length, sha256: plainHash, content_key: row!.content_key }, token: mallory.token });
    expect(claim.status).toBe(201);
    const claimed = (await claim.json()) as { upload_id: string };
    const completed = await api(`/v1/uploads/${claimed.upload_id}/complete`, { method: 'POST', token: mallory.token });
    expect(completed.status).toBe(409);

    // 2. Hashes, keys and the real file id are not usable file ids for a stranger.
    for (const fileId of [plainHash, row!.content_key, row!.r2_key, file.id]) {
      const code = await callError(mallory, 'sendMedia', { peer, random_id: `h${fileId.length}`, media: { kind: 'document', file_id: fileId } });
      expect(['BAD_REQUEST', 'FILE_NOT_FOUND']).toContain(code);
    }
    // 3. Links: unsigned, signed for another file, or aimed at the hash or the key.
    const own = await upload(mallory, jpeg(100));
    const ownMsg = await call(mallory, 'sendMedia', { peer, random_id: 'own', media: { kind: 'photo', file_id: own.id } });
    const ownLink = await call(mallory, 'getFileUrl', { chat_id: ownMsg.message.chat_id, message_id: ownMsg.message.id });
    const query = new URL(ownLink.url, 'https://x').search;
    for (const path of [
      `/v1/files/${file.id}`,
      `/v1/files/${file.id}${query}`,
      `/v1/files/${row!.content_key}${query}`,
      `/v1/files/${plainHash}`,
      `/${row!.r2_key}`,
      `/v1/${row!.r2_key}`,
    ]) {
      const res = await download(path);
      if (path.startsWith('/v1/')) {
        expect(res.status, path).toBeGreaterThanOrEqual(400);
        expect(res.status, path).toBeLessThan(500);
      }
      expect(new Uint8Array(await res.arrayBuffer())).not.toEqual(secret);
    }
    // 4. The chat decides who gets a link.
    expect(await callError(mallory, 'getFileUrl', { chat_id: message.chat_id, message_id: message.id })).toBe('NOT_FOUND');
    // 5. Only having the bytes gets the file: uploading them yourself is, of course, allowed.
    const same = await upload(mallory, secret);
    expect(same.id).toBe(file.id);
    expect(await env.MEDIA.head(row!.r2_key)).not.toBeNull();
  });
});
