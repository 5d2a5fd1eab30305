import { describe, expect, test } from 'vitest';
import { BotQueue, CALLBACK_ANSWER_WINDOW_MS, WEBHOOK_CONFLICT } from '../../../durable-objects/user-mailbox/bot-queue.js';
import { Mailbox } from '../../../durable-objects/user-mailbox/mailbox.js';
import type { ChatEvent } from '../../../durable-objects/user-mailbox/delivery.js';
import type { Message } from '../../../protocol/messages.js';
import { MemorySqlStore } from '../../support/memory-sql.js';

const BOT = 7;
const USER = 3;
const CHAT = 100;

function message(id: number, senderId: number, text = `m${id}`): Message {
  return { chat_id: CHAT, id, sender_id: senderId, date: 1_000 * id, text, entities: [], media: null, reply_to_message_id: null, fwd_from: null, edit_date: null };
}

/** A bot's mailbox with its private chat announced, and a queue over the same store. */
function setup() {
  const store = new MemorySqlStore();
  const mailbox = new Mailbox(store, BOT);
  const queue = new BotQueue(store, BOT);
  let seq = 0;
  const deliver = (...updates: ChatEvent['update'][]) =>
    mailbox.deliver(updates.map((update) => ({ chat_id: CHAT, event_seq: ++seq, date: seq, update })));
  deliver({
    type: 'chat',
    chat: { id: CHAT, kind: 'private', title: null, member_ids: [USER, BOT], creator_id: null, created_at: 0 },
  });
  return { store, mailbox, queue, deliver };
}

describe('the bot update queue over the mailbox log', () => {
  test('update_id is the pts; own messages, chat snapshots and reads are not updates', () => {
    const { queue, deliver } = setup();
    deliver(
      { type: 'new_message', message: message(1, USER) },
      { type: 'new_message', message: message(2, BOT) },
      { type: 'read_history_outbox', chat_id: CHAT, max_id: 2 },
      { type: 'edit_message', message: message(1, USER, 'edited') },
    );
    const { updates, chats } = queue.pending(100);
    expect(updates.map((u) => [u.update_id, u.kind])).toEqual([
      [2, 'message'],
      [5, 'edited_message'],
    ]);
    expect(chats.map((c) => c.id)).toEqual([CHAT]);
    expect(queue.pendingCount()).toBe(2);
  });

  test('membership changes are my_chat_member for the bot; chat_member only when asked for', () => {
    const { queue, deliver } = setup();
    const member = (userId: number) => ({ user_id: userId, role: 'member' as const, joined_at: 0 });
    deliver(
      { type: 'chat_member', chat_id: CHAT, actor_id: USER, member: member(BOT), left: false, old_role: null },
      { type: 'chat_member', chat_id: CHAT, actor_id: USER, member: member(9), left: false, old_role: null },
    );
    expect(queue.pending(10).updates.map((u) => u.kind)).toEqual(['my_chat_member']);
    queue.setAllowed(['chat_member', 'my_chat_member', 'no_such_kind']);
    expect(queue.pending(10).updates.map((u) => u.kind)).toEqual(['my_chat_member', 'chat_member']);
  });

  test('offsets confirm; a negative offset keeps the last n; confirming never passes the log end', () => {
    const { queue, deliver, mailbox } = setup();
    deliver(...[1, 2, 3, 4].map((id) => ({ type: 'new_message' as const, message: message(id, USER) })));
    const ids = queue.pending(10).updates.map((u) => u.update_id);
    queue.confirm(ids[1]);
    expect(queue.pending(10).updates.map((u) => u.update_id)).toEqual(ids.slice(1));
    queue.confirm(-2);
    expect(queue.pending(10).updates.map((u) => u.update_id)).toEqual(ids.slice(2));
    queue.confirm(1_000_000);
    expect(queue.pending(10).updates).toEqual([]);
    deliver({ type: 'new_message', message: message(5, USER) });
    expect(queue.pending(10).updates.map((u) => u.update_id)).toEqual([mailbox.state().pts]);
  });

  test('with a webhook set, polling is a conflict; failures back off exponentially up to a minute', () => {
    const { queue, deliver } = setup();
    queue.setWebhook({ url: 'https://h.example', secret: null, maxConnections: 40, dropPending: false });
    expect(() => queue.poll({ limit: 10 })).toThrow(WEBHOOK_CONFLICT);
    deliver({ type: 'new_message', message: message(1, USER) });
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map(() => queue.failed(10_000, 'Connection refused') - 10_000);
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(queue.info()).toMatchObject({ pending_update_count: 1, last_error_date: 10, last_error_message: 'Connection refused' });
    queue.delivered(queue.pending(1).updates[0]!.update_id);
    expect(queue.info().pending_update_count).toBe(0);
    expect(queue.nextAttemptAt()).toBeNull();
  });

  test('a callback query is answered once, within its window', () => {
    const { queue } = setup();
    queue.recordCallbackQuery('q1', USER, 0);
    queue.recordCallbackQuery('q2', USER, 0);
    expect(queue.answerCallbackQuery('q1', 10)).toBe(true);
    expect(queue.answerCallbackQuery('q1', 20)).toBe(false);
    expect(queue.answerCallbackQuery('q2', CALLBACK_ANSWER_WINDOW_MS + 1)).toBe(false);
    expect(queue.answerCallbackQuery('nope', 0)).toBe(false);
  });
});
