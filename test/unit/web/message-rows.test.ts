import { describe, expect, it } from 'vitest';
import { Message } from '../../../protocol/messages.js';
import { deliveryOf } from '../../../web/src/lib/delivery.js';
import { buildDays } from '../../../web/src/ui/chat/message-rows.js';

const day = Date.UTC(2026, 10, 20, 12);
function message(id: number, sender: number, date: number): Message {
  // Parsed, so fields with defaults get them as they do on the wire.
  return Message.parse({ chat_id: 1, id, sender_id: sender, date, text: `m${id}`, entities: [], reply_to_message_id: null, fwd_from: null, edit_date: null });
}

describe('buildDays: days, sender runs and the unread line', () => {
  it('starts a new day at midnight and a new run when the sender changes or five minutes pass', () => {
    const days = buildDays(
      [message(1, 7, day), message(2, 7, day + 60_000), message(3, 8, day + 120_000), message(4, 8, day + 20 * 60_000), message(5, 8, day + 86_400_000)],
      [],
      7,
      null,
    );
    expect(days.map((d) => d.rows.map((r) => r.key))).toEqual([['m1', 'm2', 'm3', 'm4'], ['m5']]);
    expect(days[0]!.rows.map((r) => [r.first, r.last])).toEqual([
      [true, false],
      [false, true],
      [true, true],
      [true, true],
    ]);
  });

  it('puts the unread line above the first message from someone else after the read pointer', () => {
    const days = buildDays([message(1, 8, day), message(2, 7, day + 1), message(3, 8, day + 2)], [], 7, 1);
    expect(days[0]!.rows.find((r) => r.unreadAbove)?.key).toBe('m3');
  });

  it('shows an album as one row keyed by its first message, holding every item in order', () => {
    const photo = (id: number, grouped: number | null) => {
      const m = message(id, 7, day + id);
      const file = { id: 'a'.repeat(32), size: 10, mime_type: 'image/jpeg', file_name: null };
      return { ...m, media: { kind: 'photo' as const, file, thumb: null, width: 10, height: 10, duration: null, grouped_id: grouped } };
    };
    const rows = buildDays([photo(1, null), photo(2, 2), photo(3, 2), photo(4, 2), photo(5, 5), photo(6, 5)], [], 7, null)[0]!.rows;
    expect(rows.map((r) => [r.key, r.album?.map((m) => m.id) ?? null])).toEqual([
      ['m1', null],
      ['m2', [2, 3, 4]],
      ['m5', [5, 6]],
    ]);
  });

  it('puts pending sends after the stored messages', () => {
    const pending = { random_id: 'r1', key: 'chat:1' as const, peer: { chat_id: 1 }, text: 'p', entities: [], reply_to_message_id: null, topic_id: null, date: day + 10, state: 'pending' as const };
    expect(buildDays([message(1, 7, day)], [pending], 7, null)[0]!.rows.map((r) => r.key)).toEqual(['m1', 'rr1']);
  });
});

describe('deliveryOf: read ticks from the read-outbox pointer', () => {
  it('is read up to the pointer and delivered after it', () => {
    expect(deliveryOf({ id: 4 }, 4)).toBe('read');
    expect(deliveryOf({ id: 5 }, 4)).toBe('delivered');
  });
});
