import { describe, expect, it } from 'vitest';
import { migrate } from '../../../durable-objects/sql/migrate.js';
import { chatRoomMigrations } from '../../../durable-objects/chat-room/migrations.js';
import { MemorySqlStore } from '../../support/memory-sql.js';
import { groupSpec, rid, setup } from './harness.js';

const A = 1;
const B = 2;
const C = 3;

function chat() {
  const t = setup();
  t.room.init(groupSpec(A, [A, B, C]));
  return t;
}

describe('threads', () => {
  it('a reply starts a thread at the message it answers; replies to replies join the same thread', () => {
    const { room } = chat();
    const root = room.sendMessage(A, { random_id: rid(), text: 'Where shall we eat?' });
    const first = room.sendMessage(B, { random_id: rid(), text: 'Pizza', reply_to_message_id: root.id });
    const second = room.sendMessage(C, { random_id: rid(), text: 'Pizza again?', reply_to_message_id: first.id });
    const aside = room.sendMessage(B, { random_id: rid(), text: 'unrelated' });
    expect(root.thread_id).toBeUndefined();
    expect([first.thread_id, second.thread_id]).toEqual([root.id, root.id]);
    expect(aside.thread_id).toBeUndefined();

    const thread = room.getHistory(C, { direction: 'before', limit: 50, thread_id: root.id });
    expect(thread.map((m) => m.text)).toEqual(['Pizza', 'Pizza again?']);
    // The root carries its replies in history reads; the replies are ordinary messages of the chat too.
    const history = room.getHistory(C, { direction: 'before', limit: 50 });
    expect(history.find((m) => m.id === root.id)?.replies).toEqual({ count: 2, max_id: second.id });
    expect(history.find((m) => m.id === first.id)?.replies).toBeUndefined();
    expect(history.map((m) => m.id)).toEqual([root.id, first.id, second.id, aside.id]);
    expect(room.getMessages(B, [root.id])[0]?.replies).toEqual({ count: 2, max_id: second.id });
  });

  it('pages through a thread both ways', () => {
    const { room } = chat();
    const root = room.sendMessage(A, { random_id: rid(), text: 'root' });
    const replies = Array.from({ length: 5 }, (_, i) => {
      room.sendMessage(B, { random_id: rid(), text: `noise ${i}` });
      return room.sendMessage(B, { random_id: rid(), text: `reply ${i}`, reply_to_message_id: root.id }).id;
    });
    const newest = room.getHistory(A, { direction: 'before', limit: 2, thread_id: root.id });
    expect(newest.map((m) => m.id)).toEqual(replies.slice(3));
    expect(room.getHistory(A, { direction: 'before', limit: 2, thread_id: root.id, offset_id: replies[3]! }).map((m) => m.id)).toEqual(replies.slice(1, 3));
    expect(room.getHistory(A, { direction: 'after', limit: 10, thread_id: root.id, offset_id: replies[1]! }).map((m) => m.id)).toEqual(replies.slice(2));
  });

  it('counts only the replies the reader can see', () => {
    const { room } = chat();
    const root = room.sendMessage(A, { random_id: rid(), text: 'root' });
    const kept = room.sendMessage(B, { random_id: rid(), text: 'kept', reply_to_message_id: root.id });
    const gone = room.sendMessage(B, { random_id: rid(), text: 'gone', reply_to_message_id: root.id });
    const hidden = room.sendMessage(C, { random_id: rid(), text: 'hidden by A', reply_to_message_id: kept.id });
    room.deleteMessages(B, [gone.id], true);
    room.deleteMessages(A, [hidden.id], false);
    expect(room.getMessages(A, [root.id])[0]?.replies).toEqual({ count: 1, max_id: kept.id });
    expect(room.getMessages(C, [root.id])[0]?.replies).toEqual({ count: 2, max_id: hidden.id });
    room.deleteMessages(B, [kept.id], true);
    expect(room.getMessages(A, [root.id])[0]?.replies).toBeUndefined();
    // The thread outlives its messages: a reply to a reply that is gone still files under the root.
    expect(room.getHistory(C, { direction: 'before', limit: 10, thread_id: root.id }).map((m) => m.text)).toEqual(['hidden by A']);
  });

  it('files the replies stored before threads existed when the chat migrates', () => {
    const store = new MemorySqlStore();
    const before = chatRoomMigrations.findIndex((m) => m.name === 'threads');
    migrate(store, chatRoomMigrations.slice(0, before));
    const insert = (id: number, replyTo: number | null) =>
      store.exec(
        `INSERT INTO messages (id, sender_id, date, text, entities, reply_to_message_id, fwd_from, random_id)
         VALUES (?, 1, 0, 'x', '[]', ?, NULL, ?)`,
        id,
        replyTo,
        `r${id}`,
      );
    insert(1, null);
    insert(2, 1);
    insert(3, 2);
    insert(4, null);
    insert(5, 3);
    insert(6, 4);
    insert(7, 99); // a reply to a message this chat never had
    migrate(store, chatRoomMigrations);
    const rows = store.exec<{ id: number; thread_id: number | null }>('SELECT id, thread_id FROM messages ORDER BY id');
    expect(rows.map((r) => r.thread_id)).toEqual([null, 1, 1, null, 1, 4, null]);
  });
});
