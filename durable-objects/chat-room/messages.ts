import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import type { ReplyMarkup } from '../../protocol/keyboards.js';
import type { MessageMedia } from '../../protocol/media.js';
import { ForwardOrigin, RandomId, type ChatKind, type Entity, type Message } from '../../protocol/messages.js';
import type { Update } from '../../protocol/updates.js';
import { one } from '../sql/store.js';
import type { ChatEvent } from '../user-mailbox/delivery.js';
import type { SendInput } from './api.js';
import { checkedMarkup, readersOf, type Addressing } from './bots.js';
import { chatUpdateFor, isManaged, mayEdit, type Signature } from './channels.js';
import { logChatChange } from './large.js';
import { checkMedia, checkText, fileRefChanges } from './media.js';
import {
  botMemberRows,
  chatRow,
  isLarge,
  lastVisible,
  mediaOf,
  memberRow,
  memberRows,
  requireMember,
  toMessage,
  unreadCount,
  visibleMessage,
  visibleMessages,
  type ChatRow,
  type MessageRow,
} from './state.js';
import { commit, same, type Emit } from './writer.js';
import type { RoomContext } from './context.js';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';
import { threadOf } from './threads.js';
import { noteTopicMessage, topicForSend } from './topics.js';
import { checkSend, takeToken } from './send-checks.js';
import { hasLinks, noteSlowModeSend, type SendKind } from './restrictions.js';
import { may } from './rights.js';
import { unpinDeleted } from './moderation.js';
import { noteAdminAction } from './admin-log.js';
import { noteCommentsDeleted, noteDiscussion, noteEdited } from './discussion-posts.js';

/** The verbs that write messages and read pointers: check → do → notify each. */

const notModifiable = (why: string) => new EdgegramError(ErrorCode.MESSAGE_NOT_MODIFIABLE, why);

/** The send checks run after the idempotency look-up, so a retry never costs a token. */
export function sendMessage(ctx: RoomContext, senderId: number, input: SendInput): Message {
  const { store } = ctx;
  const found = requireMember(store, senderId);
  const { chat } = found;
  checkRandomId(input.random_id);
  const original = findSent(ctx, senderId, input.random_id);
  if (original) return retried(chat.id, original, senderId);
  // Before checkSend takes a token: a send refused for its topic costs nothing.
  const topicId = topicForSend(ctx, found, input.message_thread_id, input.reply_to_message_id);
  const signature = checkSend(ctx, senderId, sendKindOf(input), input.author_name, found);
  const prepared = { ...prepareSend(ctx, input, signature, topicId), reply_markup: checkedMarkup(store, senderId, input.reply_markup) };
  return commit(ctx, (emit) => {
    noteSlowModeSend(store, chat, found.member, ctx.now());
    return toMessage(chat.id, insertMessage(ctx, emit, senderId, prepared), senderId);
  });
}

/** What permissions a message needs: media, and links (in its text or entities; a forward's text counts too). */
export function sendKindOf(input: Pick<SendInput, 'media' | 'text' | 'entities'>): SendKind {
  return { media: input.media !== undefined, links: () => hasLinks(input.text, input.entities) };
}

/** A message as checked before its transaction: the row fields that do not depend on its id. */
export type PreparedSend = Pick<
  MessageRow,
  'text' | 'entities' | 'reply_to_message_id' | 'thread_id' | 'fwd_from' | 'random_id' | 'reply_markup' | 'post_author' | 'anonymous' | 'topic_id'
> & {
  media: MessageMedia | null;
  /** Who the text names, as the send path found them (checked against the members when used). */
  mentioned?: number[];
};

/** Every check of one send, before anything is written. */
export function prepareSend(ctx: RoomContext, input: SendInput, signature: Signature, topicId: number | null): PreparedSend {
  const media = input.media === undefined ? null : checkMedia(input.media);
  const entities = checkText(input.text, input.entities, media !== null);
  if (input.reply_to_message_id !== undefined) {
    const target = one(ctx.store, 'SELECT 1 FROM messages WHERE id = ? AND deleted = 0', input.reply_to_message_id);
    if (!target) throw fail.badRequest('reply_to_message_id does not name a message of this chat');
  }
  let fwdFrom: ForwardOrigin | null = null;
  if (input.fwd_from !== undefined) {
    const parsed = safeParseUntrusted(ForwardOrigin, input.fwd_from);
    if (!parsed.success) throw fail.badRequest('Invalid fwd_from');
    fwdFrom = parsed.data;
  }
  return {
    text: input.text,
    entities: JSON.stringify(entities),
    reply_to_message_id: input.reply_to_message_id ?? null,
    thread_id: threadOf(ctx.store, input.reply_to_message_id ?? null),
    fwd_from: fwdFrom && JSON.stringify(fwdFrom),
    random_id: input.random_id,
    media,
    reply_markup: null,
    post_author: signature.post_author,
    anonymous: signature.anonymous,
    topic_id: topicId,
    ...(input.mentioned_user_ids ? { mentioned: input.mentioned_user_ids.filter((id) => Number.isSafeInteger(id)).slice(0, 10) } : {}),
  };
}

/** Inside a transaction: writes the next message, announces it, and queues the refs of its files. */
export function insertMessage(ctx: RoomContext, emit: Emit, senderId: number, prepared: PreparedSend): MessageRow {
  const { store } = ctx;
  // The id is taken in memory; the chat row is written once, when the transaction ends (writer.ts).
  const next = emit.nextMessage();
  const chat = { id: next.chatId, kind: next.kind, message_id: next.id };
  const { mentioned, ...fields } = prepared;
  const row: MessageRow = {
    ...fields,
    id: chat.message_id,
    sender_id: senderId,
    date: ctx.now(),
    edit_date: null,
    deleted: 0,
    media: prepared.media && JSON.stringify(prepared.media),
    views: chat.kind === 'channel' ? 0 : null,
  };
  store.exec(
    `INSERT INTO messages (id, sender_id, date, text, entities, reply_to_message_id, thread_id, fwd_from, random_id, media, reply_markup, views, post_author, anonymous, topic_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    row.id,
    row.sender_id,
    row.date,
    row.text,
    row.entities,
    row.reply_to_message_id,
    row.thread_id ?? null,
    row.fwd_from,
    row.random_id,
    row.media,
    row.reply_markup,
    row.views ?? null,
    row.post_author ?? null,
    row.anonymous ?? 0,
    row.topic_id ?? null,
  );
  noteTopicMessage(store, row.topic_id ?? null, row.id);
  announceToReaders(ctx, emit, chat.kind, row, (uid) => ({ type: 'new_message', message: toMessage(chat.id, row, uid) }));
  if (isLarge(chat.kind)) {
    const told = mentionedMembers(ctx, senderId, row, mentioned ?? []);
    if (told.length > 0) emit.event(told, same({ type: 'mention', chat_id: chat.id, message_id: row.id }));
  }
  emit.index(fileRefChanges('ref', chat.id, row.id, prepared.media));
  noteDiscussion(ctx, chat, row);
  return row;
}

export function checkRandomId(randomId: string): void {
  if (!safeParseUntrusted(RandomId, randomId).success) throw fail.badRequest('random_id must be 1-64 URL-safe characters');
}

export function findSent(ctx: RoomContext, senderId: number, randomId: string): MessageRow | undefined {
  return one<MessageRow>(ctx.store, 'SELECT * FROM messages WHERE sender_id = ? AND random_id = ?', senderId, randomId);
}

/**
 * A retry: the first attempt committed. Its content is gone if it was
 * deleted for everyone meanwhile, so that answer is NOT_FOUND.
 */
export function retried(chatId: number, original: MessageRow, senderId: number): Message {
  if (original.deleted) throw fail.notFound('Message');
  return toMessage(chatId, original, senderId);
}

export function editMessage(
  ctx: RoomContext,
  userId: number,
  id: number,
  text: string,
  entities: Entity[] | undefined,
  markup?: ReplyMarkup | null,
): Message {
  const { store } = ctx;
  const { chat, member } = requireMember(store, userId);
  const row = visibleMessage(store, userId, id);
  if (!row) throw fail.notFound('Message');
  if (!mayEdit(store, chat, member, row.sender_id, ctx.now())) throw notModifiable('Only the sender (in a channel, its creator and admins) may edit a message');
  // As in Telegram: a forward shows someone else's words, so it stays as sent.
  if (row.fwd_from !== null) throw notModifiable('A forwarded message cannot be edited');
  const checked = checkText(text, entities, row.media !== null);
  const replyMarkup = markup === undefined ? row.reply_markup : checkedMarkup(store, userId, markup);
  takeToken(ctx, userId, 'edit');
  return commit(ctx, (emit) => {
    const edited: MessageRow = {
      ...row,
      text,
      entities: JSON.stringify(checked),
      edit_date: ctx.now(),
      reply_markup: replyMarkup,
    };
    store.exec(
      'UPDATE messages SET text = ?, entities = ?, edit_date = ?, reply_markup = ? WHERE id = ?',
      edited.text,
      edited.entities,
      edited.edit_date,
      edited.reply_markup,
      id,
    );
    announceToReaders(ctx, emit, chat.kind, edited, (uid) => ({ type: 'edit_message', message: toMessage(chat.id, edited, uid) }));
    noteEdited(ctx, chat, edited);
    return toMessage(chat.id, edited, userId);
  });
}

/** A bot replaces or removes its message's keyboard; the text and edit date stay (Telegram shows no "edited"). */
export function editReplyMarkup(ctx: RoomContext, userId: number, id: number, markup: ReplyMarkup | null): Message {
  const { store } = ctx;
  const { chat } = requireMember(store, userId);
  const row = visibleMessage(store, userId, id);
  if (!row) throw fail.notFound('Message');
  if (row.sender_id !== userId) throw notModifiable('Only the sender may edit a message');
  const replyMarkup = checkedMarkup(store, userId, markup);
  takeToken(ctx, userId, 'edit');
  return commit(ctx, (emit) => {
    const edited: MessageRow = { ...row, reply_markup: replyMarkup };
    store.exec('UPDATE messages SET reply_markup = ? WHERE id = ?', replyMarkup, id);
    announceToReaders(ctx, emit, chat.kind, edited, (uid) => ({ type: 'edit_message', message: toMessage(chat.id, edited, uid) }));
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
  const mayDeleteOthers = isManaged(chat.kind) && may(store, chat, member, 'can_delete_messages', ctx.now());
  if (forEveryone && !mayDeleteOthers && rows.some((r) => r.sender_id !== userId)) {
    throw notModifiable('Only the sender, or an admin, may delete a message for everyone');
  }
  const valid = rows.map((r) => r.id);
  const validJson = JSON.stringify(valid);
  commit(ctx, (emit) => {
    if (forEveryone) {
      // Content is wiped, the row stays: ids stay gapless, random_id stays known.
      store.exec(
        `UPDATE messages SET deleted = 1, text = '', entities = '[]', fwd_from = NULL, media = NULL, reply_markup = NULL
         WHERE id IN (SELECT value FROM json_each(?))`,
        validJson,
      );
      noteCommentsDeleted(ctx, rows);
      // Others' messages deleted by a manager are a managing act; one's own are not.
      const others = rows.filter((r) => r.sender_id !== userId).map((r) => r.id);
      if (others.length > 0 && isManaged(chat.kind)) noteAdminAction(ctx, userId, 'message_deleted', { message_ids: others });
      // The files they showed lose a ref each; the last one gone frees the storage (scheduled GC).
      emit.index(rows.flatMap((r) => fileRefChanges('unref', chat.id, r.id, mediaOf(r, chat.id))));
      store.exec('DELETE FROM hidden_messages WHERE message_id IN (SELECT value FROM json_each(?))', validJson);
      // A deleted message is no longer pinned: everyone's chat says so (before the deletion, so a client never shows a pin of nothing).
      if (chat.pinned_message_id != null && unpinDeleted(ctx, valid)) {
        const row = chatRow(store)!;
        if (isLarge(row.kind)) logChatChange(ctx, emit, row);
        else emit.event(memberIds(ctx), chatUpdateFor(store));
      }
    } else {
      store.exec(
        'INSERT OR IGNORE INTO hidden_messages (user_id, message_id) SELECT ?, value FROM json_each(?)',
        userId,
        validJson,
      );
    }
    const update: Update = { type: 'delete_messages', chat_id: chat.id, ids: valid, for_everyone: forEveryone };
    if (forEveryone && isLarge(chat.kind)) {
      // Logged once; each member's client recomputes its top message and unread count from history.
      emit.log(update);
      emit.event(botMemberRows(store).map((m) => m.user_id), same(update));
      return;
    }
    const recipients = forEveryone ? memberIds(ctx) : [userId];
    emit.event(recipients, (uid) => ({ update, dialog: dialogAfterDelete(ctx, chat.id, uid) }));
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
    // Not in a channel: its posts count views instead, and a subscriber's reading is nobody else's business.
    if (senders.length > 0 && chat.kind !== 'channel') {
      emit.event(
        senders.map((s) => s.sender_id),
        same({ type: 'read_history_outbox', chat_id: chat.id, max_id: to }),
      );
    }
    return { still_unread_count: still };
  });
}

/**
 * Who a large chat's message is a mention for: the members the text names
 * and the author of the message it replies to, never the sender, never a
 * bot (bots get the message itself). A few point look-ups, whatever the size.
 */
function mentionedMembers(ctx: RoomContext, senderId: number, row: MessageRow, named: readonly number[]): number[] {
  const { store } = ctx;
  const candidates = new Set(named);
  if (row.reply_to_message_id !== null) {
    const replied = one<{ sender_id: number }>(store, 'SELECT sender_id FROM messages WHERE id = ?', row.reply_to_message_id);
    if (replied) candidates.add(replied.sender_id);
  }
  candidates.delete(senderId);
  return [...candidates].filter(
    (id) => memberRow(store, id) !== undefined && one(store, 'SELECT 1 FROM bot_members WHERE user_id = ?', id) === undefined,
  );
}

/**
 * A message event to everyone who may read the message. A large chat logs
 * it once (viewer 0, nobody: no sender's random_id in the shared copy) and
 * only its bots get copies of their own, picked by privacy mode; a small
 * chat gives each reader its own copy.
 */
export function announceToReaders(ctx: RoomContext, emit: Emit, kind: ChatKind, row: Addressing, update: (viewerId: number) => Update): void {
  const { store } = ctx;
  if (isLarge(kind)) {
    emit.log(update(0));
    emit.event(readersOf(store, kind, botMemberRows(store), row), (uid) => ({ update: update(uid) }));
    return;
  }
  emit.event(readersOf(store, kind, memberRows(store), row), (uid) => ({ update: update(uid) }));
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

export const messageVerbs = { sendMessage, editMessage, editReplyMarkup, deleteMessages, readHistory };
