import { describe, expect, test } from 'vitest';
import type { Message } from '../../../protocol/messages.js';
import { copyOf, forwardOf, type Original } from '../../../services/sending/outgoing.js';

/** A message as its forwarder read it; the brand only records where it came from. */
function original(fields: Partial<Message>): Original {
  return {
    chat_id: 7,
    id: 42,
    sender_id: 3,
    date: 1_700_000_000,
    text: 'hello',
    entities: [{ type: 'bold', offset: 0, length: 5 }],
    ...fields,
  } as Original;
}

const photo = {
  kind: 'photo' as const,
  file: { id: 'f'.repeat(32), size: 10, mime_type: 'image/jpeg', file_name: null },
  thumb: null,
  width: 10,
  height: 10,
  duration: null,
  grouped_id: 11,
};

describe('forwarding and copying', () => {
  test('a forward carries the text, entities and media, with the original as its origin', () => {
    expect(forwardOf(original({ fwd_from: null }))).toEqual({
      text: 'hello',
      entities: [{ type: 'bold', offset: 0, length: 5 }],
      fwd_from: { sender_id: 3, chat_id: 7, message_id: 42, date: 1_700_000_000 },
    });
  });

  test('a forward of a forward keeps the first origin', () => {
    const first = { sender_id: 1, chat_id: 2, message_id: 9, date: 1_600_000_000 };
    expect(forwardOf(original({ fwd_from: first })).fwd_from).toEqual(first);
  });

  test('a copy has no origin, even a copy of a forward', () => {
    const first = { sender_id: 1, chat_id: 2, message_id: 9, date: 1_600_000_000 };
    const copy = copyOf(original({ fwd_from: first }));
    expect(copy).toEqual({ text: 'hello', entities: [{ type: 'bold', offset: 0, length: 5 }] });
    expect('fwd_from' in copy).toBe(false);
  });

  test('a copy may replace the caption and keeps the media', () => {
    const copy = copyOf(original({ fwd_from: null, media: photo, text: 'old' }), { text: 'new', entities: [] });
    expect(copy).toEqual({ text: 'new', entities: [], media: { ...photo, grouped_id: null } });
  });

  test('re-sent media keeps its files but leaves its album', () => {
    const forwarded = forwardOf(original({ fwd_from: null, media: photo }));
    expect(forwarded.media).toEqual({ ...photo, grouped_id: null });
    expect(photo.grouped_id).toBe(11);
  });
});
