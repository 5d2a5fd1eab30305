import { describe, expect, it } from 'vitest';
import type { MessageMedia } from '../../../protocol/media.js';
import { CHAT_ID, dump, groupSpec, rid, setup } from './harness.js';

const A = 1;
const B = 2;

const photo = (id: string, thumb?: string): MessageMedia => ({
  kind: 'photo',
  file: { id: id.repeat(32).slice(0, 32), size: 10, mime_type: 'image/jpeg', file_name: null },
  thumb: thumb ? { id: thumb.repeat(32).slice(0, 32), size: 5, mime_type: 'image/jpeg', file_name: null } : null,
  width: 10,
  height: 10,
  duration: null,
  grouped_id: null,
});

function group() {
  const t = setup();
  t.room.init(groupSpec(A, [A, B]));
  return t;
}

describe('media messages in the chat', () => {
  it('a media message may have an empty caption and records a ref per file, through the outbox', async () => {
    const { room, world, settle } = group();
    const m = room.sendMessage(A, { random_id: rid(), text: '', media: photo('a', 'b') });
    expect(m.media?.file.id).toBe('a'.repeat(32));
    await settle();
    expect([...world.fileRefs].sort()).toEqual([`${'a'.repeat(32)}:${CHAT_ID}:1`, `${'b'.repeat(32)}:${CHAT_ID}:1`]);
  });

  it('delete for everyone releases the refs and wipes the media; delete for me keeps them', async () => {
    const { room, world, settle } = group();
    const m1 = room.sendMessage(A, { random_id: rid(), text: 'one', media: photo('a') });
    const m2 = room.sendMessage(A, { random_id: rid(), text: 'two', media: photo('c') });
    room.deleteMessages(B, [m1.id], false);
    room.deleteMessages(A, [m2.id], true);
    await settle();
    expect([...world.fileRefs]).toEqual([`${'a'.repeat(32)}:${CHAT_ID}:1`]);
    expect(room.getMessages(A, [m2.id])).toEqual([]);
  });

  it('an album is all-or-nothing with one grouped_id, and a retry returns it', () => {
    const { room, store } = group();
    const items = [
      { random_id: 'x1', text: 'first', media: photo('a') },
      { random_id: 'x2', text: '', media: photo('b') },
    ];
    const album = room.sendAlbum(A, items);
    expect(album.map((m) => [m.id, m.media?.grouped_id])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    const before = dump(store);
    expect(room.sendAlbum(A, items)).toEqual(album);
    expect(dump(store)).toEqual(before);
    // A bad item fails the whole album: nothing is written.
    expect(() =>
      room.sendAlbum(A, [
        { random_id: 'y1', text: '', media: photo('a') },
        { random_id: 'y2', text: 'x'.repeat(1025), media: photo('b') },
      ]),
    ).toThrow(expect.objectContaining({ code: 'MESSAGE_TOO_LONG' }));
    expect(() => room.sendAlbum(A, [{ random_id: 'z1', text: 'no media' }, { random_id: 'z2', text: '', media: photo('a') }])).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
    expect(() => room.sendAlbum(A, [items[0]!, { random_id: 'new', text: '', media: photo('b') }])).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
    expect(dump(store)).toEqual(before);
  });

  it('malformed media is refused by the chat itself', () => {
    const { room } = group();
    const bad = { ...photo('a'), kind: 'sticker' } as unknown as MessageMedia;
    expect(() => room.sendMessage(A, { random_id: rid(), text: '', media: bad })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});
