import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { ForwardOrigin, RandomId, type Entity, type Message } from '../../protocol/messages.js';
import { one } from '../sql/store.js';
import type { ChatEvent } from '../user-mailbox/delivery.js';
import type { SendInput } from './api.js';
import {
  lastVisible,
  memberRow,
  memberRows,
  requireMember,
  toMessage,
  unreadCount,
  visibleMessage,
  visibleMessages,
  type MessageRow,
} from './state.js';
import { validateText } from './text.js';
import { commit, same, type RoomContext } from './writer.js';

/** The verbs that write messages and read pointers: check → do → notify each. */

const notModifiable = (why: string) => new EdgegramError(ErrorCode.MESSAGE_NOT_MODIFIABLE, why);

/** `checkRate` runs after the idempotency look-up, so a retry never costs a token. */
export function sendMessage(ctx: RoomContext, senderId: number, input: SendInput, checkRate: () => void): Message {
  const { store } = ctx;
  const { chat } = requireMember(store, senderId);
  if (!RandomId.safeParse(input.random_id).success) throw fail.badRequest('random_id must be 1-64 URL-safe characters');
  const original = one<MessageRow>(
    store,
    'SELECT * FROM messages WHERE sender_id = ? AND random_id = ?',
    senderId,
    input.random_id,
  );
  if (original) {
    // A retry: the first attempt committed. Its content is gone if it was
    // deleted for everyone meanwhile, so that answer is NOT_FOUND.
    if (original.deleted) throw fail.notFound('Message');
    return toMessage(chat.id, original, senderId);
  }
  checkRate();
  const entities = validateText(input.text, input.entities);
  if (input.reply_to_message_id !== undefined) {
    const target = one(store, 'SELECT 1 FROM messages WHERE id = ? AND deleted = 0', input.reply_to_message_id);
    if (!target) throw fail.badRequest('reply_to_message_id does not name a message of this chat');
  }
  let fwdFrom: ForwardOrigin | null = null;
  if (input.fwd_from !== undefined) {
    const parsed = ForwardOrigin.safeParse(input.fwd_from);
    if (!parsed.success) throw fail.badRequest('Invalid fwd_from');
    fwdFrom = parsed.data;
  }
  return commit(ctx, (emit) => {
    const row: MessageRow = {
      id: chat.next_message_id,
      sender_id: senderId,
      date: ctx.now(),
      text: input.text,
      entities: JSON.stringify(entities),
      reply_to_message_id: input.reply_to_message_id ?? null,
      fwd_from: fwdFrom && JSON.stringify(fwdFrom),
      edit_date: null,
      random_id: input.random_id,
      deleted: 0,
    };
    store.exec(
      `INSERT INTO messages (id, sender_id, date, text, entities, reply_to_message_id, fwd_from, random_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      row.id,
      row.sender_id,
      row.date,
      row.text,
      row.entities,
      row.reply_to_message_id,
      row.fwd_from,
      row.random_id,
    );
    store.exec('UPDATE chat SET next_message_id = ?', row.id + 1);
    emit.event(memberIds(ctx), (uid) => ({ update: { type: 'new_message', message: toMessage(chat.id, row, uid) } }));
    return toMessage(chat.id, row, senderId);
  });
}

export function editMessage(
  ctx: RoomContext,
  userId: number,
  id: number,
  text: string,
  entities: Entity[] | undefined,
): Message {
  const { store } = ctx;
  const { chat } = requireMember(store, userId);
  const row = visibleMessage(store, userId, id);
  if (!row) throw fail.notFound('Message');
  if (row.sender_id !== userId) throw notModifiable('Only the sender may edit a message');
  // As in Telegram: a forward shows someone else's words, so it stays as sent.
  if (row.fwd_from !== null) throw notModifiable('A forwarded message cannot be edited');
  const checked = validateText(text, entities);
  return commit(ctx, (emit) => {
    const edited: MessageRow = { ...row, text, entities: JSON.stringify(checked), edit_date: ctx.now() };
    store.exec(
      'UPDATE messages SET text = ?, entities = ?, edit_date = ? WHERE id = ?',
      edited.text,
      edited.entities,
      edited.edit_date,
      id,
    );
    emit.event(memberIds(ctx), (uid) => ({ update: { type: 'edit_message', message: toMessage(chat.id, edited, uid) } }));
    return toMessage(chat.id, edited, userId);
  });
}

/**
 * Ids that are unknown, already deleted (or, for "me", already hidden) are
 * skipped so a retried delete is harmless; if none is left it is NOT_FOUND.
 * For everyone: all-or-nothing, one id the caller may not delete fails all.
 */
export function deleteMessages(ctx: RoomContext, userId: number, ids: number[], forEveryone: boolean): void {
  const { store } = ctx;
  const { chat, member } = requireMember(store, userId);
  const rows = forEveryone
    ? store.exec<MessageRow>(
        'SELECT * FROM messages WHERE deleted = 0 AND id IN (SELECT value FROM json_each(?)) ORDER BY id',
        JSON.stringify(ids),
      )
    : visibleMessages(store, userId, ids);
  if (rows.length === 0) throw fail.notFound('Message');
  // Private chats: each side deletes only its own messages for everyone.
  const mayDeleteOthers = chat.kind === 'group' && member.role !== 'member';
  if (forEveryone && !mayDeleteOthers && rows.some((r) => r.sender_id !== userId)) {
    throw notModifiable('Only the sender, or a group admin, may delete a message for everyone');
  }
  const valid = rows.map((r) => r.id);
  const validJson = JSON.stringify(valid);
  commit(ctx, (emit) => {
    if (forEveryone) {
      // Content is wiped, the row stays: ids stay gapless, random_id stays known.
      store.exec(
        `UPDATE messages SET deleted = 1, text = '', entities = '[]', fwd_from = NULL
         WHERE id IN (SELECT value FROM json_each(?))`,
        validJson,
      );
      store.exec('DELETE FROM hidden_messages WHERE message_id IN (SELECT value FROM json_each(?))', validJson);
    } else {
      store.exec(
        'INSERT OR IGNORE INTO hidden_messages (user_id, message_id) SELECT ?, value FROM json_each(?)',
        userId,
        validJson,
      );
    }
    const recipients = forEveryone ? memberIds(ctx) : [userId];
    emit.event(recipients, (uid) => ({
      update: { type: 'delete_messages', chat_id: chat.id, ids: valid, for_everyone: forEveryone },
      dialog: dialogAfterDelete(ctx, chat.id, uid),
    }));
  });
}

/**
 * Moves the reader's pointer forward (clamped to the last message; never
 * back). The reader's mailbox gets read_history_inbox. read_history_outbox
 * goes only to the members whose messages were just read: nobody else's
 * outbox pointer can change, and it keeps a group read O(senders).
 */
export function readHistory(ctx: RoomContext, userId: number, maxId: number): { still_unread_count: number } {
  const { store } = ctx;
  const { chat, member } = requireMember(store, userId);
  if (!Number.isSafeInteger(maxId) || maxId < 0) throw fail.badRequest('max_id must be a non-negative integer');
  const from = member.read_inbox_max_id;
  const to = Math.min(maxId, chat.next_message_id - 1);
  if (to <= from) return { still_unread_count: unreadCount(store, userId, from) };
  return commit(ctx, (emit) => {
    store.exec('UPDATE members SET read_inbox_max_id = ? WHERE user_id = ?', to, userId);
    const still = unreadCount(store, userId, to);
    emit.event(
      [userId],
      same({ type: 'read_history_inbox', chat_id: chat.id, max_id: to, still_unread_count: still }),
    );
    const senders = store.exec<{ sender_id: number }>(
      `SELECT DISTINCT m.sender_id FROM messages m JOIN members ON members.user_id = m.sender_id
       WHERE m.id > ? AND m.id <= ? AND m.sender_id <> ? AND m.deleted = 0`,
      from,
      to,
      userId,
    );
    if (senders.length > 0) {
      emit.event(
        senders.map((s) => s.sender_id),
        same({ type: 'read_history_outbox', chat_id: chat.id, max_id: to }),
      );
    }
    return { still_unread_count: still };
  });
}

function memberIds(ctx: RoomContext): number[] {
  return memberRows(ctx.store).map((m) => m.user_id);
}

/** After a deletion the mailbox cannot know what became the top message or what is still unread: the chat tells it. */
function dialogAfterDelete(ctx: RoomContext, chatId: number, userId: number): ChatEvent['dialog'] {
  const top = lastVisible(ctx.store, userId);
  const readMax = memberRow(ctx.store, userId)?.read_inbox_max_id ?? 0;
  return {
    top_message: top ? toMessage(chatId, top, userId) : null,
    unread_count: unreadCount(ctx.store, userId, readMax),
  };
}
