import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BACKSTOP_MS } from '../../../durable-objects/chat-room/outbox.js';
import { chatRoomMigrations } from '../../../durable-objects/chat-room/migrations.js';
import { migrate } from '../../../durable-objects/sql/migrate.js';
import { MemorySqlStore } from '../../support/memory-sql.js';
import { CHAT_ID, T0, dump, groupSpec, newMessageIds, outboxSize, privateSpec, rid, setup } from './harness.js';

const A = 1;
const B = 2;
const C = 3;

describe('delivery through the outbox', () => {
  // Failures are the point here; their log lines are noise.
  beforeEach(() => void vi.spyOn(console, 'warn').mockImplementation(() => {}));

  it('fan-out starts right after the commit, without waiting for the alarm', async () => {
    const { room, world, settle, store } = setup();
    room.init(privateSpec(A, B));
    room.sendMessage(A, { random_id: rid(), text: 'hi' });
    await settle();
    expect(newMessageIds(world.updates(B))).toEqual([1]);
    expect(outboxSize(store)).toBe(0);
  });

  it('every write arms a backstop alarm in the same step, and a later write does not postpone it', () => {
    const { room, alarms, tick } = setup();
    room.init(privateSpec(A, B));
    expect(alarms).toEqual([T0 + BACKSTOP_MS]);
    tick(1_000);
    room.sendMessage(A, { random_id: rid(), text: 'hi' });
    expect(alarms).toEqual([T0 + BACKSTOP_MS]);
  });

  it('each member receives events in event_seq order and a failed delivery is retried by the alarm', async () => {
    const { room, world, settle, store, alarms } = setup();
    room.init(groupSpec(A, [A, B, C]));
    await settle();
    world.failBefore.set(B, 1);
    room.sendMessage(A, { random_id: rid(), text: 'one' });
    await settle();
    // B's delivery failed: rows stay, and a retry alarm is armed (backoff).
    expect(newMessageIds(world.updates(B))).toEqual([]);
    expect(outboxSize(store)).toBe(1);
    expect(alarms.at(-1)).toBeLessThan(T0 + BACKSTOP_MS);
    // Later events queue behind the undelivered one and go out together, in order.
    room.sendMessage(C, { random_id: rid(), text: 'two' });
    room.editMessage(A, 1, 'one!', undefined);
    await settle();
    expect(newMessageIds(world.updates(A))).toEqual([1, 2]);
    expect(newMessageIds(world.updates(C))).toEqual([1, 2]);

    await room.alarm();
    expect(outboxSize(store)).toBe(0);
    for (const u of [A, B, C]) {
      expect(world.updates(u).map((x) => x.type)).toEqual(['chat', 'new_message', 'new_message', 'edit_message']);
      const seqs = world.eventsSentTo(u).map((e) => e.event_seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
  });

  it('a delivery whose acknowledgement is lost is re-sent and applied once', async () => {
    const { room, world, settle, store } = setup();
    room.init(privateSpec(A, B));
    await settle();
    world.failAfter.set(B, 1);
    room.sendMessage(A, { random_id: rid(), text: 'hi' });
    await settle();
    expect(outboxSize(store)).toBe(1);
    await room.alarm();
    expect(outboxSize(store)).toBe(0);
    expect(newMessageIds(world.updates(B))).toEqual([1]);
    expect(world.mailbox(B).getDialog(CHAT_ID)?.unread_count).toBe(1);
  });

  it('running the alarm twice delivers nothing extra', async () => {
    const { room, world, settle, store } = setup();
    room.init(privateSpec(A, B));
    world.failBefore.set(B, 5);
    room.sendMessage(A, { random_id: rid(), text: 'one' });
    room.sendMessage(A, { random_id: rid(), text: 'two' });
    await settle();
    world.failBefore.set(B, 0);
    await Promise.all([room.alarm(), room.alarm()]);
    const afterFirst = world.mailbox(B).state();
    await room.alarm();
    await room.alarm();
    expect(world.mailbox(B).state()).toEqual(afterFirst);
    expect(newMessageIds(world.updates(B))).toEqual([1, 2]);
    expect(outboxSize(store)).toBe(0);
  });

  it('while a recipient keeps failing, the alarm re-arms itself with growing backoff', async () => {
    const { room, world, settle, alarms, clock } = setup();
    room.init(privateSpec(A, B));
    world.failBefore.set(B, 100);
    await settle();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      clock.t = alarms.at(-1)!;
      await room.alarm();
      delays.push(alarms.at(-1)! - clock.t);
    }
    expect(delays).toEqual([...delays].sort((x, y) => x - y));
    expect(delays[3]).toBeGreaterThan(delays[0]!);
  });

  it('one drain per recipient at a time: a burst of writes never overlaps deliveries to one mailbox', async () => {
    const { room, world, settle } = setup();
    room.init(privateSpec(A, B));
    let active = 0;
    let maxActive = 0;
    const deliver = world.deliver.bind(world);
    world.deliver = async (userId, events) => {
      if (userId === B) maxActive = Math.max(maxActive, ++active);
      try {
        await deliver(userId, events);
      } finally {
        if (userId === B) active--;
      }
    };
    for (let i = 0; i < 20; i++) room.sendMessage(A, { random_id: rid(), text: `m${i}` });
    await settle();
    expect(maxActive).toBe(1);
    expect(newMessageIds(world.updates(B))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('a storage failure between write and fan-out loses nothing and duplicates nothing', async () => {
    const { room, world, settle, store } = setup();
    room.init(privateSpec(A, B));
    await settle();
    const before = dump(store);
    store.failNextCommit = true;
    expect(() => room.sendMessage(A, { random_id: 'r-1', text: 'hello' })).toThrow('injected storage failure');
    await settle();
    expect(dump(store)).toEqual(before); // no message, no outbox row, no sequence advanced
    expect(newMessageIds(world.updates(B))).toEqual([]);

    const sent = room.sendMessage(A, { random_id: 'r-1', text: 'hello' });
    const again = room.sendMessage(A, { random_id: 'r-1', text: 'hello' });
    await settle();
    await room.alarm();
    expect(sent.id).toBe(1);
    expect(again).toEqual(sent);
    expect(newMessageIds(world.updates(A))).toEqual([1]);
    expect(newMessageIds(world.updates(B))).toEqual([1]);
  });

  it('a crash after the mailboxes acknowledged, before the rows were deleted, re-sends them and each applies once', async () => {
    // The acknowledged rows wait for the next commit or a short timer (Outbox.acked); the crash comes first.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { room, reopen, world, store } = setup();
      room.init(privateSpec(A, B));
      for (const text of ['one', 'two', 'three']) room.sendMessage(A, { random_id: rid(), text });
      for (let i = 0; i < 50 && newMessageIds(world.updates(B)).length < 3; i++) await Promise.resolve();
      expect(newMessageIds(world.updates(B))).toEqual([1, 2, 3]);
      expect(outboxSize(store)).toBeGreaterThan(0); // acknowledged, still stored

      const restarted = reopen(); // the object after a crash: what it kept in memory is gone
      await restarted.alarm();
      await restarted.idle();
      expect(outboxSize(store)).toBe(0);
      // Re-sent, and dropped by the mailboxes: every message exactly once, in order, on both sides.
      expect(world.eventsSentTo(B).filter((e) => e.update.type === 'new_message').length).toBeGreaterThan(3);
      expect(newMessageIds(world.updates(A))).toEqual([1, 2, 3]);
      expect(newMessageIds(world.updates(B))).toEqual([1, 2, 3]);
      // And the chat goes on: the next message is 4 for everyone.
      restarted.sendMessage(B, { random_id: rid(), text: 'four' });
      await restarted.idle();
      expect(newMessageIds(world.updates(A))).toEqual([1, 2, 3, 4]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('events waiting in the per-recipient outbox of before are sent after the upgrade, each recipient its own copy', async () => {
    // A room as it was before 'outbox: one row per event': a private chat whose events 1 (the chat)
    // and 2 (a message) wait for B, and event 2 for A too, A's copy carrying A's random_id.
    const store = new MemorySqlStore();
    migrate(store, chatRoomMigrations.slice(0, chatRoomMigrations.findIndex((m) => m.name === 'outbox: one row per event')));
    store.exec(
      `INSERT INTO chat (id, kind, title, creator_id, created_at, next_message_id, next_event_seq) VALUES (?, 'private', NULL, NULL, ?, 2, 3)`,
      CHAT_ID,
      T0,
    );
    for (const userId of [A, B]) store.exec("INSERT INTO members (user_id, role, joined_at) VALUES (?, 'member', ?)", userId, T0);
    store.exec(
      `INSERT INTO messages (id, sender_id, date, text, entities, reply_to_message_id, fwd_from, random_id, media, reply_markup)
       VALUES (1, ?, ?, 'hi', '[]', NULL, NULL, 'before-upgrade', NULL, NULL)`,
      A,
      T0,
    );
    const chat = { id: CHAT_ID, kind: 'private', title: null, member_ids: [A, B], member_count: 2, creator_id: null, created_at: T0 };
    const message = (own: boolean) => ({
      chat_id: CHAT_ID, id: 1, sender_id: A, date: T0, text: 'hi', entities: [], media: null,
      reply_to_message_id: null, fwd_from: null, edit_date: null, ...(own ? { random_id: 'before-upgrade' } : {}),
    });
    const event = (seq: number, update: object) => JSON.stringify({ chat_id: CHAT_ID, event_seq: seq, date: T0, update });
    const legacy = [
      [B, 1, event(1, { type: 'chat', chat })],
      [B, 2, event(2, { type: 'new_message', message: message(false) })],
      [A, 2, event(2, { type: 'new_message', message: message(true) })],
    ] as const;
    for (const [userId, seq, body] of legacy) store.exec('INSERT INTO outbox (user_id, event_seq, body) VALUES (?, ?, ?)', userId, seq, body);

    const { room, world } = setup({ store }); // runs the migration
    await room.alarm();
    await room.idle();
    expect(outboxSize(store)).toBe(0);
    expect(world.updates(B).map((u) => u.type)).toEqual(['chat', 'new_message']);
    const lastTo = (userId: number) => world.eventsSentTo(userId).findLast((e) => e.update.type === 'new_message')!.update;
    expect(lastTo(A)).toMatchObject({ message: { random_id: 'before-upgrade' } });
    expect(lastTo(B)).not.toHaveProperty('message.random_id');
    expect(world.eventsSentTo(A).map((e) => e.event_seq)).toEqual([2]);
  });

  it("a newcomer's dialog shows the chat's latest message at once, without unread, and later messages move it on", async () => {
    const { room, world, settle } = setup();
    room.init(groupSpec(A, [A, B]));
    room.sendMessage(A, { random_id: rid(), text: 'before C came' });
    room.addMember(A, C);
    await settle();
    const dialog = world.mailbox(C).getDialog(CHAT_ID)!;
    expect(dialog.top_message).toMatchObject({ id: 1, text: 'before C came' });
    expect(dialog.unread_count).toBe(0);
    // The others' dialogs keep their own top message (no dialog fields in their copy).
    expect(world.mailbox(B).getDialog(CHAT_ID)!.top_message).toMatchObject({ id: 1 });
    room.sendMessage(B, { random_id: rid(), text: 'welcome' });
    await settle();
    expect(world.mailbox(C).getDialog(CHAT_ID)).toMatchObject({ top_message: { id: 2, text: 'welcome' }, unread_count: 1 });
  });

  it('the D1 index is written after commit and retried by the alarm when D1 fails', async () => {
    const { room, world, settle } = setup();
    world.failIndexWrites = 1;
    room.init(groupSpec(A, [A, B]));
    await settle();
    expect(world.index.size).toBe(0);
    await room.alarm();
    expect([...world.index.keys()]).toEqual([`${CHAT_ID}:${A}`, `${CHAT_ID}:${B}`]);
    room.addMember(A, C);
    room.removeMember(A, B);
    await settle();
    expect([...world.index]).toEqual([
      [`${CHAT_ID}:${A}`, 'creator'],
      [`${CHAT_ID}:${C}`, 'member'],
    ]);
  });
});
