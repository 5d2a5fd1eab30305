import type { Message } from '../../../../protocol/messages.js';
import type { OutgoingMessage } from '../../model/outbox.js';
import { startOfDay } from '../../lib/time.js';

/** A stored message or a local echo still on its way. */
export type ListItem = { kind: 'message'; message: Message } | { kind: 'outgoing'; item: OutgoingMessage };

export interface Row {
  key: string;
  item: ListItem;
  senderId: number;
  date: number;
  /** First and last of a run from one sender (within GROUP_GAP_MS, same day). */
  first: boolean;
  last: boolean;
  /** The "Unread messages" line goes above this row. */
  unreadAbove: boolean;
  /** An album shown as one bubble: all its messages (the row's item is the first). */
  album: Message[] | null;
}

export interface Day {
  key: string;
  date: number;
  rows: Row[];
}

const GROUP_GAP_MS = 5 * 60_000;

/** The sender of a channel's posts, which are sent as the channel and name no author (Message.sender_id null). */
export const CHANNEL_SENDER = 0;

/**
 * A stable key per message. This device's own messages are keyed by their
 * random_id, which the local echo and the stored copy share: when the ack
 * arrives the same element stays (no flicker, focus and scroll kept).
 */
export function keyOf(item: ListItem): string {
  if (item.kind === 'outgoing') return `r${item.item.random_id}`;
  return item.message.random_id ? `r${item.message.random_id}` : `m${item.message.id}`;
}

/**
 * Messages grouped into days and sender runs, with pending sends after the
 * stored ones and the unread line above the first message after `unreadAfter`.
 */
export function buildDays(
  messages: readonly Message[],
  outgoing: readonly OutgoingMessage[],
  me: number,
  unreadAfter: number | null,
  /** A channel: every post, this device's pending ones too, is the channel's (one run, on the incoming side). */
  channel = false,
): Day[] {
  const items: ListItem[] = [
    ...messages.map((message) => ({ kind: 'message' as const, message })),
    ...outgoing.map((item) => ({ kind: 'outgoing' as const, item })),
  ];
  const rows: Row[] = [];
  for (const item of items) {
    const message = item.kind === 'message' ? item.message : null;
    // An album's messages are consecutive (one sendAlbum): they join the row of the first.
    const grouped = message?.media?.grouped_id ?? null;
    const previous = rows.at(-1);
    if (message && grouped !== null && previous?.album && previous.album[0]!.media?.grouped_id === grouped) {
      previous.album.push(message);
      continue;
    }
    rows.push({
      key: keyOf(item),
      item,
      // Sent as the chat (an anonymous admin): the sender's own copy carries its random_id, and is its own.
      senderId: channel ? CHANNEL_SENDER : message ? (message.sender_id ?? (message.random_id !== undefined ? me : CHANNEL_SENDER)) : me,
      date: message ? message.date : item.kind === 'outgoing' ? item.item.date : 0,
      first: true,
      last: true,
      unreadAbove: false,
      album: grouped !== null ? [message!] : null,
    });
  }
  if (unreadAfter !== null) {
    const firstUnread = rows.find(
      (r) => r.item.kind === 'message' && r.item.message.id > unreadAfter && r.senderId !== me,
    );
    if (firstUnread) firstUnread.unreadAbove = true;
  }
  const days: Day[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const prev = rows[i - 1];
    const day = startOfDay(row.date);
    if (!prev || startOfDay(prev.date) !== day) days.push({ key: `d${day}`, date: row.date, rows: [] });
    const joined =
      prev !== undefined &&
      prev.senderId === row.senderId &&
      startOfDay(prev.date) === day &&
      row.date - prev.date < GROUP_GAP_MS &&
      !row.unreadAbove;
    if (joined) {
      prev.last = false;
      row.first = false;
    }
    days.at(-1)!.rows.push(row);
  }
  return days;
}
