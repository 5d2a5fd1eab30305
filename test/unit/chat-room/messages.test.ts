import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocol/errors.js';
import { MAX_MESSAGE_LENGTH } from '../../../protocol/messages.js';
import { CHAT_ID, dump, groupSpec, newMessageIds, privateSpec, rid, setup } from './harness.js';

const A = 1;
const B = 2;
const C = 3;

function privateChat() {
  const t = setup();
  t.room.init(privateSpec(A, B));
  return t;
}

describe('sending', () => {
  it('message ids are gapless and increasing from 1', () => {
    const { room } = privateChat();
    const ids = [A, B, A, A, B].map((u) => room.sendMessage(u, { random_id: rid(), text: 'hi' }).id);
    expect(ids).toEqual([1, 2, 3, 4, 5]);
  });

  it('a retried send returns the original message and writes nothing new, even if the text differs', () => {
    const { room, store } = privateChat();
    const first = room.sendMessage(A, { random_id: 'same', text: 'first' });
    const before = dump(store);
    const retry = room.sendMessage(A, { random_id: 'same', text: 'changed' });
    expect(retry).toEqual(first);
    expect(dump(store)).toEqual(before);
  });

  it('the same random_id from another sender is a different message', () => {
    const { room } = privateChat();
    const a = room.sendMessage(A, { random_id: 'x', text: 'a' });
    const b = room.sendMessage(B, { random_id: 'x', text: 'b' });
    expect(b.id).toBe(a.id + 1);
  });

  it("every member receives new_message; only the sender's copy carries random_id", async () => {
    const { room, world, settle } = privateChat();
    room.sendMessage(A, { random_id: 'mine', text: 'hello' });
    await settle();
    const [forA] = world.updates(A).filter((u) => u.type === 'new_message');
    const [forB] = world.updates(B).filter((u) => u.type === 'new_message');
    expect(forA).toMatchObject({ message: { id: 1, text: 'hello', random_id: 'mine' } });
    expect(forB).toMatchObject({ message: { id: 1, text: 'hello' } });
    expect(forB?.type === 'new_message' && 'random_id' in forB.message).toBe(false);
  });

  it('a too-long text gets MESSAGE_TOO_LONG; exactly 4096 UTF-16 units is fine', () => {
    const { room } = privateChat();
    expect(() => room.sendMessage(A, { random_id: rid(), text: 'x'.repeat(MAX_MESSAGE_LENGTH + 1) })).toThrow(
      expect.objectContaining({ code: ErrorCode.MESSAGE_TOO_LONG }),
    );
    // 2048 astral characters are 4096 UTF-16 units.
    expect(room.sendMessage(A, { random_id: rid(), text: '😀'.repeat(2048) }).id).toBe(1);
  });

  it('an empty or blank text is refused with MESSAGE_EMPTY', () => {
    const { room } = privateChat();
    expect(() => room.sendMessage(A, { random_id: rid(), text: '  \n ' })).toThrow(
      expect.objectContaining({ code: ErrorCode.MESSAGE_EMPTY }),
    );
  });

  it('an entity reaching past the text gets BAD_REQUEST', () => {
    const { room } = privateChat();
    const send = (offset: number, length: number) =>
      room.sendMessage(A, { random_id: rid(), text: 'hello', entities: [{ type: 'bold', offset, length }] });
    expect(() => send(3, 3)).toThrow(expect.objectContaining({ code: ErrorCode.BAD_REQUEST }));
    expect(send(0, 5).entities).toEqual([{ type: 'bold', offset: 0, length: 5 }]);
  });

  it('a reply must name an existing, not deleted message of this chat (else BAD_REQUEST)', () => {
    const { room } = privateChat();
    room.sendMessage(A, { random_id: rid(), text: 'one' });
    expect(room.sendMessage(B, { random_id: rid(), text: 're', reply_to_message_id: 1 }).reply_to_message_id).toBe(1);
    expect(() => room.sendMessage(B, { random_id: rid(), text: 're', reply_to_message_id: 9 })).toThrow(
      expect.objectContaining({ code: ErrorCode.BAD_REQUEST }),
    );
    room.deleteMessages(A, [1], true);
    expect(() => room.sendMessage(B, { random_id: rid(), text: 're', reply_to_message_id: 1 })).toThrow(
      expect.objectContaining({ code: ErrorCode.BAD_REQUEST }),
    );
  });

  it('a sender over the rate limit gets RATE_LIMITED with retry_after, and tokens refill with time', () => {
    const t = setup({ limits: { sendsPerSecond: 1, sendBurst: 2 } });
    t.room.init(privateSpec(A, B));
    t.room.sendMessage(A, { random_id: rid(), text: '1' });
    t.room.sendMessage(A, { random_id: rid(), text: '2' });
    expect(() => t.room.sendMessage(A, { random_id: rid(), text: '3' })).toThrow(
      expect.objectContaining({ code: ErrorCode.RATE_LIMITED, extra: { retry_after: 1 } }),
    );
    // Another sender has its own bucket; a retry costs nothing.
    t.room.sendMessage(B, { random_id: rid(), text: 'b' });
    t.tick(1_000);
    expect(t.room.sendMessage(A, { random_id: rid(), text: '3' }).id).toBe(4);
  });
});

describe('editing', () => {
  it('the sender may edit: edit_date is set and every member gets edit_message', async () => {
    const { room, world, settle, tick } = privateChat();
    room.sendMessage(A, { random_id: rid(), text: 'typo' });
    tick(5_000);
    const edited = room.editMessage(A, 1, 'fixed', [{ type: 'italic', offset: 0, length: 5 }]);
    expect(edited).toMatchObject({ id: 1, text: 'fixed', edit_date: expect.any(Number) });
    await settle();
    for (const u of [A, B]) {
      expect(world.updates(u).at(-1)).toMatchObject({ type: 'edit_message', message: { id: 1, text: 'fixed' } });
    }
  });

  it("editing someone else's message gets MESSAGE_NOT_MODIFIABLE", () => {
    const { room } = privateChat();
    room.sendMessage(A, { random_id: rid(), text: 'mine' });
    expect(() => room.editMessage(B, 1, 'yours now', undefined)).toThrow(
      expect.objectContaining({ code: ErrorCode.MESSAGE_NOT_MODIFIABLE }),
    );
  });

  it('editing a deleted or unknown message gets NOT_FOUND', () => {
    const { room } = privateChat();
    room.sendMessage(A, { random_id: rid(), text: 'gone soon' });
    room.deleteMessages(A, [1], true);
    for (const id of [1, 7]) {
      expect(() => room.editMessage(A, id, 'x', undefined)).toThrow(expect.objectContaining({ code: ErrorCode.NOT_FOUND }));
    }
  });
});

describe('deleting', () => {
  it('delete for everyone recomputes top message and unread count for each recipient', async () => {
    const { room, world, settle } = privateChat();
    room.sendMessage(A, { random_id: rid(), text: 'one' });
    room.sendMessage(A, { random_id: rid(), text: 'two' });
    room.sendMessage(A, { random_id: rid(), text: 'three' });
    await settle();
    expect(world.mailbox(B).getDialog(CHAT_ID)?.unread_count).toBe(3);

    room.deleteMessages(A, [3, 2], true);
    await settle();
    for (const u of [A, B]) {
      expect(world.updates(u).at(-1)).toEqual({ type: 'delete_messages', chat_id: CHAT_ID, ids: [2, 3], for_everyone: true });
      expect(world.mailbox(u).getDialog(CHAT_ID)?.top_message).toMatchObject({ id: 1, text: 'one' });
    }
    expect(world.mailbox(B).getDialog(CHAT_ID)?.unread_count).toBe(1);
    expect(world.mailbox(A).getDialog(CHAT_ID)?.unread_count).toBe(0);
    expect(room.getHistory(B, { direction: 'before', limit: 10 }).map((m) => m.id)).toEqual([1]);
  });

  it('delete for everyone of the only message leaves no top message', async () => {
    const { room, world, settle } = privateChat();
    room.sendMessage(A, { random_id: rid(), text: 'only' });
    room.deleteMessages(A, [1], true);
    await settle();
    expect(world.mailbox(B).getDialog(CHAT_ID)).toMatchObject({ top_message: null, unread_count: 0 });
  });

  it("in a private chat nobody deletes the peer's message for everyone", () => {
    const { room } = privateChat();
    room.sendMessage(A, { random_id: rid(), text: 'mine' });
    expect(() => room.deleteMessages(B, [1], true)).toThrow(
      expect.objectContaining({ code: ErrorCode.MESSAGE_NOT_MODIFIABLE }),
    );
  });

  it("in a group the creator and admins may delete anyone's message for everyone; members may not", () => {
    const { room } = setup();
    room.init(groupSpec(A, [A, B, C]));
    room.setAdmin(A, B, true);
    [C, C, A].forEach((u) => room.sendMessage(u, { random_id: rid(), text: 'x' }));
    expect(() => room.deleteMessages(C, [3], true)).toThrow(
      expect.objectContaining({ code: ErrorCode.MESSAGE_NOT_MODIFIABLE }),
    );
    room.deleteMessages(B, [1], true);
    room.deleteMessages(A, [2], true);
    expect(room.getMessages(C, [1, 2, 3]).map((m) => m.id)).toEqual([3]);
  });

  it('delete for me hides only for the caller, who alone gets the event', async () => {
    const { room, world, settle } = privateChat();
    room.sendMessage(B, { random_id: rid(), text: 'one' });
    room.sendMessage(B, { random_id: rid(), text: 'two' });
    await settle();
    room.deleteMessages(A, [2], false);
    await settle();
    expect(world.updates(A).at(-1)).toEqual({ type: 'delete_messages', chat_id: CHAT_ID, ids: [2], for_everyone: false });
    expect(world.mailbox(A).getDialog(CHAT_ID)).toMatchObject({ top_message: { id: 1 }, unread_count: 1 });
    expect(world.updates(B).some((u) => u.type === 'delete_messages')).toBe(false);
    expect(room.getHistory(A, { direction: 'before', limit: 10 }).map((m) => m.id)).toEqual([1]);
    expect(room.getHistory(B, { direction: 'before', limit: 10 }).map((m) => m.id)).toEqual([1, 2]);
  });

  it('unknown and already-deleted ids are ignored; if none is valid the answer is NOT_FOUND', async () => {
    const { room, world, settle } = privateChat();
    room.sendMessage(A, { random_id: rid(), text: 'one' });
    room.sendMessage(A, { random_id: rid(), text: 'two' });
    room.deleteMessages(A, [1], true);
    room.deleteMessages(A, [1, 2, 99], true);
    await settle();
    expect(world.updates(B).filter((u) => u.type === 'delete_messages').map((u) => u.type === 'delete_messages' && u.ids)).toEqual([[1], [2]]);
    expect(() => room.deleteMessages(A, [1, 2, 99], true)).toThrow(expect.objectContaining({ code: ErrorCode.NOT_FOUND }));
    expect(() => room.deleteMessages(A, [1], false)).toThrow(expect.objectContaining({ code: ErrorCode.NOT_FOUND }));
  });
});

describe('reading', () => {
  function withMessages(n: number) {
    const t = privateChat();
    for (let i = 0; i < n; i++) t.room.sendMessage(i % 2 === 0 ? A : B, { random_id: rid(), text: `m${i + 1}` });
    return t;
  }

  it('history pages: newest first page, then before/after an offset, always ascending', () => {
    const { room } = withMessages(10);
    const ids = (q: Parameters<typeof room.getHistory>[1]) => room.getHistory(A, q).map((m) => m.id);
    expect(ids({ direction: 'before', limit: 3 })).toEqual([8, 9, 10]);
    expect(ids({ direction: 'before', offset_id: 8, limit: 3 })).toEqual([5, 6, 7]);
    expect(ids({ direction: 'before', offset_id: 3, limit: 5 })).toEqual([1, 2]);
    expect(ids({ direction: 'after', offset_id: 8, limit: 5 })).toEqual([9, 10]);
    expect(ids({ direction: 'after', offset_id: 0 + 1, limit: 2 })).toEqual([2, 3]);
  });

  it('history and getMessages leave out deleted and caller-hidden messages', () => {
    const { room } = withMessages(4);
    room.deleteMessages(A, [1], true);
    room.deleteMessages(A, [2], false);
    expect(room.getHistory(A, { direction: 'before', limit: 10 }).map((m) => m.id)).toEqual([3, 4]);
    expect(room.getMessages(A, [1, 2, 3, 77]).map((m) => m.id)).toEqual([3]);
    expect(room.getMessages(B, [1, 2, 3]).map((m) => m.id)).toEqual([2, 3]);
  });

  it("read receipts move the reader's inbox pointer and the sender's outbox pointer", async () => {
    const { room, world, settle } = privateChat();
    room.sendMessage(A, { random_id: rid(), text: 'one' });
    room.sendMessage(A, { random_id: rid(), text: 'two' });
    room.sendMessage(A, { random_id: rid(), text: 'three' });
    expect(room.readHistory(B, 2)).toEqual({ still_unread_count: 1 });
    await settle();
    expect(world.mailbox(B).getDialog(CHAT_ID)).toMatchObject({ read_inbox_max_id: 2, unread_count: 1 });
    expect(world.mailbox(A).getDialog(CHAT_ID)).toMatchObject({ read_outbox_max_id: 2 });
  });

  it('a read pointer only moves forward and is clamped to the last message', async () => {
    const { room, world, settle } = privateChat();
    room.sendMessage(A, { random_id: rid(), text: 'one' });
    room.sendMessage(A, { random_id: rid(), text: 'two' });
    expect(room.readHistory(B, 1000)).toEqual({ still_unread_count: 0 });
    await settle();
    const count = world.updates(B).length;
    expect(room.readHistory(B, 1)).toEqual({ still_unread_count: 0 });
    await settle();
    expect(world.updates(B)).toHaveLength(count);
    expect(world.mailbox(B).getDialog(CHAT_ID)?.read_inbox_max_id).toBe(2);
  });

  it("read_history_outbox goes only to members whose messages were just read", async () => {
    const { room, world, settle } = setup();
    room.init(groupSpec(A, [A, B, C]));
    room.sendMessage(A, { random_id: rid(), text: 'from A' });
    room.readHistory(C, 1);
    await settle();
    expect(world.updates(A).some((u) => u.type === 'read_history_outbox')).toBe(true);
    expect(world.updates(B).some((u) => u.type === 'read_history_outbox')).toBe(false);
  });
});

describe('typing', () => {
  it('typing is pushed to other members, never stored, and rate-limited', () => {
    const { room, world, store, tick } = privateChat();
    const before = dump(store);
    room.setTyping(A, 'typing');
    expect(world.ephemeral).toEqual([
      { userIds: [B], event: { type: 'typing', chat_id: CHAT_ID, user_id: A, action: 'typing' } },
    ]);
    expect(dump(store)).toEqual(before);
    expect(() => room.setTyping(A, 'typing')).toThrow(
      expect.objectContaining({ code: ErrorCode.RATE_LIMITED, extra: { retry_after: 1 } }),
    );
    room.setTyping(A, 'cancel'); // ending a typing notice always passes
    expect(() => room.setTyping(A, 'typing')).toThrow(expect.objectContaining({ code: ErrorCode.RATE_LIMITED }));
    tick(1_000);
    room.setTyping(A, 'typing');
    expect(world.ephemeral).toHaveLength(3);
    expect(newMessageIds(world.updates(B))).toEqual([]);
  });
});
