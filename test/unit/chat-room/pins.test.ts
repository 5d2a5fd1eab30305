import { describe, expect, it } from 'vitest';
import { chatRoomMigrations } from '../../../durable-objects/chat-room/migrations.js';
import { migrate } from '../../../durable-objects/sql/migrate.js';
import { MemorySqlStore } from '../../support/memory-sql.js';
import { CHAT_ID, T0, groupSpec, rid, setup } from './harness.js';

const OWNER = 1;
const MEMBER = 2;

async function group() {
  const t = setup();
  t.room.init(groupSpec(OWNER, [OWNER, MEMBER]));
  const ids = ['one', 'two', 'three'].map((text) => t.room.sendMessage(MEMBER, { random_id: rid(), text }).id);
  await t.settle();
  return { ...t, ids };
}

describe('several pinned messages', () => {
  it('each pin adds to the list, newest first; the newest is Chat.pinned_message_id', async () => {
    const { room, ids, tick } = await group();
    room.pin(OWNER, ids[0]!);
    tick(1_000);
    const chat = room.pin(OWNER, ids[2]!);
    expect(chat.pinned_message_ids).toEqual([ids[2], ids[0]]);
    expect(chat.pinned_message_id).toBe(ids[2]);
    // Pinning a pinned message again changes nothing (not even its place).
    tick(1_000);
    expect(room.pin(OWNER, ids[0]!).pinned_message_ids).toEqual([ids[2], ids[0]]);
  });

  it('unpin takes one (without an id: the newest), unpinAll takes them all; members hear each change', async () => {
    const { room, ids, tick, world, settle } = await group();
    for (const id of ids) {
      room.pin(OWNER, id);
      tick(10_000);
    }
    // Pins are rate-limited per member (a token each): the clock moves between them.
    expect(room.unpin(OWNER, ids[1]!).pinned_message_ids).toEqual([ids[2], ids[0]]);
    tick(10_000);
    expect(room.unpin(OWNER, undefined).pinned_message_ids).toEqual([ids[0]]);
    tick(10_000);
    const none = room.unpinAll(OWNER);
    expect(none.pinned_message_ids).toBeUndefined();
    expect(none.pinned_message_id).toBeUndefined();
    await settle();
    const chats = world.updates(MEMBER).flatMap((u) => (u.type === 'chat' ? [u.chat.pinned_message_ids ?? []] : []));
    expect(chats.slice(-3)).toEqual([[ids[2], ids[0]], [ids[0]], []]);
  });

  it('a message deleted for everyone is unpinned with it', async () => {
    const { room, ids, tick, world, settle } = await group();
    room.pin(OWNER, ids[0]!);
    tick(1_000);
    room.pin(OWNER, ids[1]!);
    room.deleteMessages(OWNER, [ids[1]!], true);
    expect(room.getChat(MEMBER).chat).toMatchObject({ pinned_message_id: ids[0], pinned_message_ids: [ids[0]] });
    await settle();
    const last = world.updates(MEMBER).filter((u) => u.type === 'chat').at(-1);
    expect(last).toMatchObject({ chat: { pinned_message_ids: [ids[0]] } });
  });

  it('a pin made before several pins existed stays pinned after the upgrade', () => {
    const store = new MemorySqlStore();
    migrate(store, chatRoomMigrations.slice(0, chatRoomMigrations.findIndex((m) => m.name === 'several pinned messages')));
    store.exec(
      `INSERT INTO chat (id, kind, title, creator_id, created_at, next_message_id, next_event_seq, pinned_message_id) VALUES (?, 'group', 'Old', ?, ?, 2, 1, 1)`,
      CHAT_ID,
      OWNER,
      T0,
    );
    store.exec("INSERT INTO members (user_id, role, joined_at) VALUES (?, 'creator', ?)", OWNER, T0);
    store.exec(
      `INSERT INTO messages (id, sender_id, date, text, entities, reply_to_message_id, fwd_from, random_id, media, reply_markup)
       VALUES (1, ?, ?, 'pinned long ago', '[]', NULL, NULL, 'old', NULL, NULL)`,
      OWNER,
      T0,
    );
    const { room } = setup({ store });
    expect(room.getChat(OWNER).chat).toMatchObject({ pinned_message_id: 1, pinned_message_ids: [1] });
    expect(room.unpin(OWNER, 1).pinned_message_ids).toBeUndefined();
  });
});
