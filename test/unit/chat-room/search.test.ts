import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocol/errors.js';
import { toFtsQuery } from '../../../durable-objects/chat-room/search.js';
import { groupSpec, rid, setup } from './harness.js';

const A = 1;
const B = 2;
const OUTSIDER = 9;

function chat() {
  const t = setup();
  t.room.init(groupSpec(A, [A, B]));
  return t;
}
const texts = (messages: { text: string }[]) => messages.map((m) => m.text);

describe('message search in the ChatRoom', () => {
  it('finds messages with every word typed, as word prefixes, newest first, ignoring case and accents', () => {
    const { room } = chat();
    for (const text of ['Lunch at the café?', 'The CAFE on Main street', 'Dinner instead', 'lunch tomorrow, then']) {
      room.sendMessage(A, { random_id: rid(), text });
    }
    expect(texts(room.search(B, 'cafe', undefined, 10))).toEqual(['The CAFE on Main street', 'Lunch at the café?']);
    expect(texts(room.search(B, 'lun', undefined, 10))).toEqual(['lunch tomorrow, then', 'Lunch at the café?']);
    expect(texts(room.search(B, 'lunch café', undefined, 10))).toEqual(['Lunch at the café?']);
    expect(room.search(B, 'breakfast', undefined, 10)).toEqual([]);
  });

  it('pages with offset_id and a limit', () => {
    const { room } = chat();
    const ids = Array.from({ length: 5 }, (_, i) => room.sendMessage(A, { random_id: rid(), text: `report ${i}` }).id);
    const first = room.search(A, 'report', undefined, 2);
    expect(first.map((m) => m.id)).toEqual([ids[4], ids[3]]);
    expect(room.search(A, 'report', first.at(-1)!.id, 2).map((m) => m.id)).toEqual([ids[2], ids[1]]);
  });

  it('follows edits and deletions, and leaves out what the reader hid', () => {
    const { room } = chat();
    const typo = room.sendMessage(A, { random_id: rid(), text: 'meeting at noone' });
    const gone = room.sendMessage(A, { random_id: rid(), text: 'secret meeting' });
    const hidden = room.sendMessage(A, { random_id: rid(), text: 'meeting notes' });
    room.editMessage(A, typo.id, 'meeting at noon', undefined);
    room.deleteMessages(A, [gone.id], true);
    room.deleteMessages(B, [hidden.id], false);
    expect(room.search(B, 'noone', undefined, 10)).toEqual([]);
    expect(texts(room.search(B, 'meeting', undefined, 10))).toEqual(['meeting at noon']);
    expect(texts(room.search(A, 'meeting', undefined, 10))).toEqual(['meeting notes', 'meeting at noon']);
  });

  it('indexes after the send, in one pass: a search still finds every message sent before it, as it reads now', () => {
    const { room, store } = chat();
    const indexedTo = () => store.exec<{ n: number }>('SELECT search_indexed_to AS n FROM chat')[0]!.n;
    const kept = room.sendMessage(A, { random_id: rid(), text: 'budget draft' });
    const edited = room.sendMessage(A, { random_id: rid(), text: 'budget typo' });
    const gone = room.sendMessage(B, { random_id: rid(), text: 'budget secret' });
    // Changed before the index held them: indexed as they read when the index catches up.
    room.editMessage(A, edited.id, 'budget final', undefined);
    room.deleteMessages(B, [gone.id], true);
    expect(indexedTo()).toBe(0);
    expect(room.search(B, 'budget', undefined, 10).map((m) => m.id)).toEqual([edited.id, kept.id]);
    expect(indexedTo()).toBe(gone.id);
    expect(room.search(B, 'typo', undefined, 10)).toEqual([]);
    expect(room.search(B, 'secret', undefined, 10)).toEqual([]);
    // Indexed messages follow their edits through the trigger, as before.
    room.editMessage(A, kept.id, 'plan draft', undefined);
    expect(texts(room.search(B, 'plan', undefined, 10))).toEqual(['plan draft']);
    expect(room.search(B, 'budget', undefined, 10).map((m) => m.id)).toEqual([edited.id]);
  });

  it('searches media captions, and typed FTS syntax is just text', () => {
    const { room } = chat();
    room.sendMessage(A, { random_id: rid(), text: 'NEAR the "quoted" OR * thing' });
    expect(texts(room.search(B, '"quoted" OR', undefined, 10))).toEqual(['NEAR the "quoted" OR * thing']);
    expect(room.search(B, '*** ( ) "', undefined, 10)).toEqual([]);
    expect(toFtsQuery('a"b')).toBe('"a""b"*');
  });

  it('treats control characters as spaces, so a NUL cannot end an FTS5 string early', () => {
    const { room } = chat();
    room.sendMessage(A, { random_id: rid(), text: 'alpha beta' });
    expect(toFtsQuery('a\u0000b')).toBe('"a"* "b"*');
    expect(texts(room.search(B, 'alpha\u0000be', undefined, 10))).toEqual(['alpha beta']);
    expect(room.search(B, '\u0000\u0007\u001b', undefined, 10)).toEqual([]);
  });

  it('answers any query of allowed length without an error', () => {
    const { room } = chat();
    room.sendMessage(A, { random_id: rid(), text: 'some words to look through' });
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 256 }), (typed) => {
        expect(Array.isArray(room.search(B, typed, undefined, 5))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('answers a non-member NOT_FOUND and refuses an over-long query', () => {
    const { room } = chat();
    expect(() => room.search(OUTSIDER, 'x', undefined, 10)).toThrow(expect.objectContaining({ code: ErrorCode.NOT_FOUND }));
    expect(() => room.search(A, 'x'.repeat(300), undefined, 10)).toThrow(expect.objectContaining({ code: ErrorCode.BAD_REQUEST }));
  });
});
