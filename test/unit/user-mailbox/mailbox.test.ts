import { describe, expect, test } from 'vitest';
import type { ChatEvent } from '../../../durable-objects/user-mailbox/delivery.js';
import { Mailbox, TOO_LONG_THRESHOLD } from '../../../durable-objects/user-mailbox/mailbox.js';
import { mailboxMigrations } from '../../../durable-objects/user-mailbox/migrations.js';
import { migrate } from '../../../durable-objects/sql/migrate.js';
import type { Chat, Message } from '../../../protocol/messages.js';
import { MemorySqlStore } from '../../support/memory-sql.js';

const ME = 1;
const PEER = 2;

function chat(id: number, memberIds = [ME, PEER]): Chat {
  return { id, kind: 'private', title: null, member_ids: memberIds, creator_id: null, created_at: 1000 };
}

function message(chatId: number, id: number, senderId: number, text = `m${id}`): Message {
  return {
    chat_id: chatId,
    id,
    sender_id: senderId,
    date: 1000 + id,
    text,
    entities: [],
    reply_to_message_id: null,
    fwd_from: null,
    media: null,
    edit_date: null,
  };
}

/** A chat's event stream as a ChatRoom would produce it for this mailbox. */
class ChatStream {
  private seq = 0;
  constructor(readonly chatId: number) {}
  next(update: ChatEvent['update'], dialog?: ChatEvent['dialog']): ChatEvent {
    this.seq++;
    return { chat_id: this.chatId, event_seq: this.seq, date: 1000 + this.seq, update, ...(dialog ? { dialog } : {}) };
  }
  created(): ChatEvent {
    return this.next({ type: 'chat', chat: chat(this.chatId) });
  }
  msg(id: number, sender: number): ChatEvent {
    return this.next({ type: 'new_message', message: message(this.chatId, id, sender) });
  }
}

function newMailbox() {
  return new Mailbox(new MemorySqlStore(), ME);
}

describe('Mailbox update log', () => {
  test('every delivered event gets the next pts', () => {
    const box = newMailbox();
    const s = new ChatStream(10);
    const out = box.deliver([s.created(), s.msg(1, PEER), s.msg(2, ME)]);
    expect(out.map((e) => [e.pts, e.pts_count])).toEqual([[1, 1], [2, 1], [3, 1]]);
    expect(box.state().pts).toBe(3);
  });

  test('a redelivered event is dropped: (chat_id, event_seq) applies once', () => {
    const box = newMailbox();
    const s = new ChatStream(10);
    const batch = [s.created(), s.msg(1, PEER)];
    box.deliver(batch);
    expect(box.deliver(batch)).toEqual([]);
    expect(box.deliver([batch[1]!, s.msg(2, PEER)]).map((e) => e.pts)).toEqual([3]);
    expect(box.state().pts).toBe(3);
  });

  test('the cursor kept on the dialog row since its migration still drops what chat_cursors had seen', () => {
    const store = new MemorySqlStore();
    const before = mailboxMigrations.findIndex((m) => m.name === 'chat cursors on the dialogs');
    migrate(store, mailboxMigrations.slice(0, before));
    // A mailbox from before: chat 10's dialog and its cursor at event 2; chat 11 has a cursor but no dialog.
    store.exec(
      `INSERT INTO dialogs (chat_id, chat, last_activity, is_member) VALUES (10, ?, 1000, 1)`,
      JSON.stringify(chat(10)),
    );
    store.exec('INSERT INTO chat_cursors (chat_id, event_seq) VALUES (10, 2), (11, 1)');
    const box = new Mailbox(store, ME);
    const s = new ChatStream(10);
    const [created, first] = [s.created(), s.msg(1, PEER)];
    expect(box.deliver([created, first])).toEqual([]);
    expect(box.deliver([s.msg(2, PEER)]).map((e) => e.update.type)).toEqual(['new_message']);
    // Chat 11 announces itself with event 1, already seen: dropped; its next event makes the dialog.
    const other = new ChatStream(11);
    expect(box.deliver([other.created()])).toEqual([]);
    expect(box.deliver([other.created()]).map((e) => e.update.type)).toEqual(['chat']);
    expect(box.getDialogs().map((d) => d.chat.id).sort()).toEqual([10, 11]);
  });

  test('an event for a chat with no dialog is logged once (chat_cursors), and a repeat of a dialog event is dropped', () => {
    const box = newMailbox();
    const s = new ChatStream(12);
    const stray = s.msg(1, PEER); // before the chat announced itself: a bug upstream, still applied once
    expect(box.deliver([stray]).length).toBe(1);
    expect(box.deliver([stray])).toEqual([]);
    const created = s.created();
    expect(box.deliver([created, created]).length).toBe(1);
    const read = s.next({ type: 'read_history_outbox', chat_id: 12, max_id: 1 });
    expect(box.deliver([read]).length).toBe(1);
    expect(box.deliver([read])).toEqual([]);
    expect(box.getDialog(12)?.read_outbox_max_id).toBe(1);
  });

  test('events of different chats are ordered by arrival, each chat deduplicated on its own', () => {
    const box = newMailbox();
    const a = new ChatStream(10);
    const b = new ChatStream(11);
    box.deliver([a.created(), b.created()]);
    const out = box.deliver([a.msg(1, PEER), b.msg(1, PEER), a.msg(2, PEER)]);
    expect(out.map((e) => [e.pts, (e.update as { message: Message }).message.chat_id])).toEqual([
      [3, 10],
      [4, 11],
      [5, 10],
    ]);
  });

  test('deleting n messages advances pts by n', () => {
    const box = newMailbox();
    const s = new ChatStream(10);
    box.deliver([s.created(), s.msg(1, PEER), s.msg(2, PEER)]);
    const [del] = box.deliver([
      s.next({ type: 'delete_messages', chat_id: 10, ids: [1, 2], for_everyone: true }, { top_message: null, unread_count: 0 }),
    ]);
    expect(del).toMatchObject({ pts: 5, pts_count: 2 });
  });
});

describe('getDifference', () => {
  function filled(n: number) {
    const box = newMailbox();
    const s = new ChatStream(10);
    box.deliver([s.created()]);
    for (let i = 1; i < n; i++) box.deliver([s.msg(i, PEER)]);
    return box;
  }

  test('a device at the current pts has nothing to fetch', () => {
    const box = filled(3);
    expect(box.getDifference(3)).toEqual({ kind: 'empty', state: box.state() });
  });

  test('returns exactly the updates after the given pts, in order', () => {
    const box = filled(5);
    const diff = box.getDifference(2);
    expect(diff.kind).toBe('difference');
    if (diff.kind !== 'difference') return;
    expect(diff.updates.map((u) => u.pts)).toEqual([3, 4, 5]);
    expect(diff.more).toBe(false);
    expect(diff.state.pts).toBe(5);
  });

  test('pages a long gap and says where to continue', () => {
    const box = filled(25);
    const first = box.getDifference(0, 10);
    if (first.kind !== 'difference') throw new Error(first.kind);
    expect(first.more).toBe(true);
    expect(first.state.pts).toBe(10);
    const second = box.getDifference(first.state.pts, 10);
    if (second.kind !== 'difference') throw new Error(second.kind);
    expect(second.updates[0]!.pts).toBe(11);
  });

  test('a pts from the future is refused with PTS_INVALID', () => {
    const box = filled(3);
    expect(() => box.getDifference(4)).toThrowError(expect.objectContaining({ code: 'PTS_INVALID' }));
  });

  test('too many missed updates is "too long": reload instead of replay', () => {
    const box = new Mailbox(new MemorySqlStore(), ME, { tooLongThreshold: 20 });
    const s = new ChatStream(10);
    const events = [s.created()];
    for (let i = 1; i <= 21; i++) events.push(s.msg(i, PEER));
    box.deliver(events);
    expect(box.getDifference(0).kind).toBe('too_long');
    expect(box.getDifference(2).kind).toBe('difference');
  });

  test('a device older than the retained log is "too long" too', () => {
    const box = new Mailbox(new MemorySqlStore(), ME, { retention: 10 });
    const s = new ChatStream(10);
    const events = [s.created()];
    for (let i = 1; i <= 30; i++) events.push(s.msg(i, PEER));
    for (const e of events) box.deliver([e]);
    expect(box.getDifference(1).kind).toBe('too_long');
    expect(box.getDifference(25).kind).toBe('difference');
  });

  test(`the default "too long" threshold is ${TOO_LONG_THRESHOLD}, above a 10,000-update catch-up`, () => {
    expect(TOO_LONG_THRESHOLD).toBeGreaterThan(10_000);
  });
});

describe('dialogs', () => {
  test('a chat update creates the dialog; messages from others count as unread', () => {
    const box = newMailbox();
    const s = new ChatStream(10);
    box.deliver([s.created(), s.msg(1, PEER), s.msg(2, PEER), s.msg(3, ME)]);
    const [d] = box.getDialogs();
    expect(d).toMatchObject({ unread_count: 2, read_inbox_max_id: 0, is_member: true });
    expect(d!.top_message!.id).toBe(3);
  });

  test('read receipts move the pointers; the chat says how many stay unread', () => {
    const box = newMailbox();
    const s = new ChatStream(10);
    box.deliver([s.created(), s.msg(1, PEER), s.msg(2, PEER)]);
    box.deliver([
      s.next({ type: 'read_history_inbox', chat_id: 10, max_id: 1, still_unread_count: 1 }),
      s.next({ type: 'read_history_outbox', chat_id: 10, max_id: 7 }),
    ]);
    expect(box.getDialog(10)).toMatchObject({ unread_count: 1, read_inbox_max_id: 1, read_outbox_max_id: 7 });
  });

  test('an edit of the last message shows in the chat list', () => {
    const box = newMailbox();
    const s = new ChatStream(10);
    box.deliver([s.created(), s.msg(1, PEER)]);
    box.deliver([s.next({ type: 'edit_message', message: { ...message(10, 1, PEER, 'fixed'), edit_date: 5000 } })]);
    expect(box.getDialog(10)!.top_message).toMatchObject({ text: 'fixed', edit_date: 5000 });
  });

  test('deletions apply the top message and unread count the chat computed', () => {
    const box = newMailbox();
    const s = new ChatStream(10);
    box.deliver([s.created(), s.msg(1, PEER), s.msg(2, PEER)]);
    box.deliver([
      s.next(
        { type: 'delete_messages', chat_id: 10, ids: [2], for_everyone: true },
        { top_message: message(10, 1, PEER), unread_count: 1 },
      ),
    ]);
    expect(box.getDialog(10)).toMatchObject({ unread_count: 1, top_message: { id: 1 } });
  });

  test('dialogs are ordered by last activity and paged', () => {
    const box = newMailbox();
    const streams = [10, 11, 12].map((id) => new ChatStream(id));
    for (const s of streams) box.deliver([s.created()]);
    // Message dates follow their ids: chat 11 was active at 1005, chat 10 at 1007.
    box.deliver([streams[1]!.msg(5, PEER)]);
    box.deliver([streams[0]!.msg(6, PEER), streams[0]!.msg(7, PEER)]);
    const all = box.getDialogs();
    expect(all.map((d) => d.chat.id)).toEqual([10, 11, 12]);
    const page = box.getDialogs({ limit: 1 });
    const rest = box.getDialogs({ offsetDate: page[0]!.last_activity, offsetChatId: page[0]!.chat.id, limit: 5 });
    expect(rest.map((d) => d.chat.id)).toEqual([11, 12]);
  });

  test('being removed from a group marks the dialog as left but keeps it', () => {
    const box = newMailbox();
    const s = new ChatStream(10);
    box.deliver([s.created()]);
    box.deliver([
      s.next({
        type: 'chat_member',
        chat_id: 10,
        actor_id: PEER,
        member: { user_id: ME, role: 'member', joined_at: 1000 },
        left: true,
      }),
    ]);
    expect(box.getDialog(10)!.is_member).toBe(false);
  });

  test('private chat peers are who sees this account online', () => {
    const box = newMailbox();
    box.deliver([new ChatStream(10).created()]);
    expect(box.privatePeers()).toEqual([PEER]);
    // Someone this account blocked is told nothing of its presence, until unblocked.
    box.setBlocked(PEER, true);
    expect(box.privatePeers()).toEqual([]);
    box.setBlocked(PEER, false);
    expect(box.privatePeers()).toEqual([PEER]);
  });

  test('chat peers (who hears of a profile change) span private chats and groups still joined, recent chats first, capped', () => {
    const box = newMailbox();
    const group = (id: number, members: number[]): ChatEvent => ({
      chat_id: id,
      event_seq: 1,
      date: 1000 + id,
      update: { type: 'chat', chat: { ...chat(id, members), kind: 'group', title: 'G', creator_id: ME } },
    });
    box.deliver([new ChatStream(10).created(), group(20, [ME, 3, 4, PEER]), group(30, [5, 6])]); // 30: left (not a member)
    expect(box.chatPeers(100).sort()).toEqual([PEER, 3, 4]);
    expect(box.chatPeers(2)).toEqual([3, 4]); // the group is the more recent chat
  });
});

describe('atomicity', () => {
  test('a storage failure during delivery applies nothing, and redelivery applies once', () => {
    const store = new MemorySqlStore();
    const box = new Mailbox(store, ME);
    const s = new ChatStream(10);
    const batch = [s.created(), s.msg(1, PEER)];
    store.failNextCommit = true;
    expect(() => box.deliver(batch)).toThrow(/injected/);
    expect(box.state().pts).toBe(0);
    expect(box.deliver(batch)).toHaveLength(2);
    expect(box.deliver(batch)).toHaveLength(0);
  });
});
