import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { chatRoomMigrations } from '../../../durable-objects/chat-room/migrations.js';
import { ChatRoomLogic } from '../../../durable-objects/chat-room/room.js';
import { migrate } from '../../../durable-objects/sql/migrate.js';
import { readStored, type StoredShape } from '../../../durable-objects/sql/stored-json.js';
import { Mailbox } from '../../../durable-objects/user-mailbox/mailbox.js';
import { mailboxMigrations } from '../../../durable-objects/user-mailbox/migrations.js';
import type { Chat, Message } from '../../../protocol/messages.js';
import type { Update } from '../../../protocol/updates.js';
import { MemorySqlStore } from '../../support/memory-sql.js';
import { FakeWorld, T0 } from '../chat-room/harness.js';

const USER = 7;
const PEER = 8;
const CHAT_ID = 42;

/** The last migrations of each list are this change's; everything before is the storage main writes today. */
const MAILBOX_BEFORE = mailboxMigrations.slice(0, -1);
/** The room's tables as main had them: before the outbox kept one row per event. */
const CHAT_ROOM_BEFORE = chatRoomMigrations.slice(0, chatRoomMigrations.findIndex((m) => m.name === 'outbox: one row per event'));

const chat: Chat = { id: CHAT_ID, kind: 'private', title: null, member_ids: [USER, PEER], member_count: 2, creator_id: null, created_at: T0 };
const message: Message = {
  chat_id: CHAT_ID,
  id: 1,
  sender_id: PEER,
  date: T0 + 1,
  text: 'hello world',
  entities: [
    { type: 'bold', offset: 0, length: 5 },
    { type: 'text_link', offset: 6, length: 5, url: 'https://example.com/' },
  ],
  media: null,
  reply_to_message_id: null,
  fwd_from: { sender_id: 9, chat_id: 10, message_id: 3, date: T0 - 1 },
  edit_date: null,
  reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'y' }]] },
};
const logged: Update[] = [
  { type: 'chat', chat },
  { type: 'new_message', message },
];

/** A mailbox store as main leaves it: old schema, rows inserted exactly as its statements do. */
function mailboxStoreFromMain(): MemorySqlStore {
  const store = new MemorySqlStore();
  migrate(store, MAILBOX_BEFORE);
  logged.forEach((update, i) =>
    store.exec('INSERT INTO updates (pts, pts_count, date, body) VALUES (?, ?, ?, ?)', i + 1, 1, T0 + i, JSON.stringify(update)),
  );
  store.exec(
    'INSERT INTO dialogs (chat_id, chat, top_message, unread_count, last_activity, is_member) VALUES (?, ?, ?, 1, ?, 1)',
    CHAT_ID,
    JSON.stringify(chat),
    JSON.stringify(message),
    T0 + 1,
  );
  store.exec('INSERT INTO chat_cursors (chat_id, event_seq) VALUES (?, 2)', CHAT_ID);
  return store;
}

describe('stored JSON written by the previous version', () => {
  beforeEach(() => void vi.spyOn(console, 'error').mockImplementation(() => {}));

  it('the mailbox reads its log and dialogs as main wrote them, value for value', () => {
    const box = new Mailbox(mailboxStoreFromMain(), USER);
    const diff = box.getDifference(0, 1000);
    expect(diff.kind).toBe('difference');
    expect(diff.kind === 'difference' && diff.updates.map((u) => u.update)).toEqual(logged);
    expect(box.getDialogs()).toEqual([
      { chat, top_message: message, unread_count: 1, read_inbox_max_id: 0, read_outbox_max_id: 0, last_activity: T0 + 1, is_member: true, unread_mentions_count: 0, is_request: false },
    ]);
  });

  it("the chat room reads main's message rows and delivers main's outbox rows unchanged", async () => {
    const store = new MemorySqlStore();
    migrate(store, CHAT_ROOM_BEFORE);
    store.exec(
      'INSERT INTO chat (id, kind, title, creator_id, created_at, next_message_id, next_event_seq) VALUES (?, ?, NULL, NULL, ?, 2, 3)',
      CHAT_ID,
      'private',
      T0,
    );
    for (const u of [USER, PEER]) store.exec('INSERT INTO members (user_id, role, joined_at) VALUES (?, ?, ?)', u, 'member', T0);
    store.exec(
      `INSERT INTO messages (id, sender_id, date, text, entities, reply_to_message_id, fwd_from, random_id, media, reply_markup)
       VALUES (1, ?, ?, ?, ?, NULL, ?, 'r1', NULL, ?)`,
      PEER,
      message.date,
      message.text,
      JSON.stringify(message.entities),
      JSON.stringify(message.fwd_from),
      JSON.stringify(message.reply_markup),
    );
    const events = logged.map((update, i) => ({ chat_id: CHAT_ID, event_seq: i + 1, date: T0 + i, update }));
    for (const e of events) store.exec('INSERT INTO outbox (user_id, event_seq, body) VALUES (?, ?, ?)', USER, e.event_seq, JSON.stringify(e));

    const world = new FakeWorld(() => T0);
    const room = new ChatRoomLogic(store, { now: () => T0, transport: world, scheduler: { setAlarm: () => {} } });
    expect(room.getHistory(USER, { direction: 'before', limit: 10 })).toEqual([message]);
    await room.alarm();
    await room.idle();
    expect(world.eventsSentTo(USER)).toEqual(events);
    expect(world.updates(USER)).toEqual(logged);
  });
});

describe('unreadable stored JSON', () => {
  beforeEach(() => void vi.spyOn(console, 'error').mockImplementation(() => {}));

  for (const [what, body, v] of [
    ['corrupt JSON', '{"type":"new_mess', 1],
    ['a version newer than the code', JSON.stringify(logged[1]), 2],
    ['a shape the schema refuses', JSON.stringify({ type: 'new_message', message: { id: 'one' } }), 1],
  ] as const) {
    it(`a log row with ${what} makes getDifference answer too_long instead of skipping it`, () => {
      const store = mailboxStoreFromMain();
      const box = new Mailbox(store, USER);
      store.exec('UPDATE updates SET body = ?, v = ? WHERE pts = 2', body, v);
      expect(box.getDifference(0, 1000).kind).toBe('too_long');
      // Past the bad row, sync goes on as usual.
      expect(box.getDifference(2, 1000).kind).toBe('empty');
      expect(console.error).toHaveBeenCalledWith(expect.stringContaining('"event":"stored_json_unreadable"'));
    });
  }

  it('a dialog whose chat cannot be read is left out of the list, logged; the others are listed', () => {
    const store = mailboxStoreFromMain();
    const box = new Mailbox(store, USER);
    store.exec(
      'INSERT INTO dialogs (chat_id, chat, last_activity, is_member) VALUES (?, ?, ?, 1)',
      43,
      JSON.stringify({ ...chat, id: 43, kind: 'secret-future-kind' }),
      T0 + 5,
    );
    expect(box.getDialogs().map((d) => d.chat.id)).toEqual([CHAT_ID]);
    expect(box.getDialog(43)).toBeUndefined();
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining('"shape":"dialogs.chat"'));
  });

  it("a message's damaged entities show as none, the rest of the page is intact", () => {
    const store = new MemorySqlStore();
    const world = new FakeWorld(() => T0);
    const room = new ChatRoomLogic(store, { now: () => T0, transport: world, scheduler: { setAlarm: () => {} } });
    room.init({ chatId: CHAT_ID, kind: 'private', title: null, creatorId: null, memberIds: [USER, PEER], createdAt: T0 });
    room.sendMessage(USER, { random_id: 'a', text: 'first', entities: [{ type: 'bold', offset: 0, length: 5 }] });
    room.sendMessage(USER, { random_id: 'b', text: 'second', entities: [{ type: 'italic', offset: 0, length: 6 }] });
    store.exec(`UPDATE messages SET entities = '[{"type":"bo' WHERE id = 1`);
    const page = room.getHistory(PEER, { direction: 'before', limit: 10 });
    expect(page.map((m) => [m.text, m.entities])).toEqual([
      ['first', []],
      ['second', [{ type: 'italic', offset: 0, length: 6 }]],
    ]);
  });
});

describe('readStored', () => {
  const V2 = z.object({ name: z.object({ first: z.string(), last: z.string() }) });
  const shape: StoredShape<typeof V2> = {
    name: 'test',
    schema: V2,
    current: 2,
    upgrades: {
      1: (v) => {
        const [first = '', last = ''] = String((v as { name: unknown }).name).split(' ');
        return { name: { first, last } };
      },
    },
  };

  it('turns an older version into the current shape through its upgrade steps', () => {
    expect(readStored(shape, '{"name":"Ada Lovelace"}', 1)).toEqual({ ok: true, value: { name: { first: 'Ada', last: 'Lovelace' } } });
    expect(readStored(shape, '{"name":{"first":"Ada","last":"L"}}', 2)).toEqual({ ok: true, value: { name: { first: 'Ada', last: 'L' } } });
  });

  it('refuses a version newer than the code, one with no upgrade step, and text that is not JSON', () => {
    expect(readStored(shape, '{"name":{"first":"A","last":"B"}}', 3).ok).toBe(false);
    expect(readStored({ ...shape, upgrades: {} }, '{"name":"Ada Lovelace"}', 1).ok).toBe(false);
    expect(readStored(shape, '{"name":', 2)).toEqual({ ok: false, reason: 'not JSON' });
  });
});
