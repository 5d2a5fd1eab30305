import { fail } from '../../protocol/errors.js';
import type { ChatPhoto, MessageMedia } from '../../protocol/media.js';
import { MAX_PINNED_SHOWN, type Chat, type ChatKind, type ChatMember, type MemberRole, type Message } from '../../protocol/messages.js';
import { GENERAL_TOPIC_ID } from '../../protocol/topics.js';
import { one, type SqlStore } from '../sql/store.js';
import { readStoredOr } from '../sql/stored-json.js';
import { chatPermissionBits, permissionsFromBits, rightsOf } from './rights.js';
import { CHAT_PHOTO, MESSAGE_ENTITIES, MESSAGE_FWD_FROM, MESSAGE_MEDIA, MESSAGE_REPLY_MARKUP } from './stored.js';

/**
 * Reads of the chat's tables and their mapping to protocol shapes. Every
 * function here is a pure query; writes live with the verbs in room.ts and
 * membership.ts.
 */

export type ChatRow = {
  id: number;
  kind: ChatKind;
  title: string | null;
  creator_id: number | null;
  created_at: number;
  next_message_id: number;
  next_event_seq: number;
  /** Null, or absent before the moderation migration ran. */
  pinned_message_id?: number | null;
  /** Kept by triggers on `members` (large-chats migration), so no verb counts rows. */
  member_count: number;
  /** Supergroups: the newest entry of the chat's own update log (chat_log); 0 elsewhere. */
  pts: number;
  migrated_to: number | null;
  migrated_from: number | null;
  /** Channels: 1 when posts are signed (Chat.signatures); absent before the signatures migration. */
  signatures?: number;
  /** Groups: the members' default permissions as bits (rights.ts); absent before the admin rights migration. */
  permissions?: number;
  /** Groups: seconds between one member's messages, 0 when off. */
  slow_mode_seconds?: number;
  /** What the chat is about; null when none (absent before the description migration). */
  description?: string | null;
  /** Supergroups and channels: the public username; null when private (absent before the public chats migration). */
  username?: string | null;
  /** 1 when joining by the username makes a request an admin approves. */
  join_by_request?: number;
  /** The chat's picture as JSON (ChatPhoto); null when none (absent before the chat photo migration). */
  photo?: string | null;
  /** Supergroups: 1 while its messages are split into topics (topics.ts); absent before the forum topics migration. */
  is_forum?: number;
  /** The first message id sent once the chat first had topics (older ones are General's); null if it never had. */
  forum_since?: number | null;
  /** A channel's discussion group, or the channel a supergroup discusses (discussion.ts); null when unlinked. */
  linked_chat_id?: number | null;
};

export type MemberRow = {
  user_id: number;
  role: MemberRole;
  joined_at: number;
  read_inbox_max_id: number;
  /** Admins: their rights as bits (rights.ts); the creator: only whether it is anonymous. Absent before the admin rights migration. */
  rights?: number;
  title?: string | null;
  promoted_by?: number | null;
};

export type MessageRow = {
  id: number;
  sender_id: number;
  date: number;
  text: string;
  entities: string;
  reply_to_message_id: number | null;
  fwd_from: string | null;
  edit_date: number | null;
  random_id: string;
  deleted: number;
  /** MessageMedia as JSON, or null. */
  media: string | null;
  /** A bot's ReplyMarkup as JSON, or null. */
  reply_markup: string | null;
  /** Channel posts: distinct viewers so far; null in other chats (absent before the channels migration). */
  views?: number | null;
  /** Replies: the root of their reply chain (threads.ts); null otherwise (absent before the threads migration). */
  thread_id?: number | null;
  /** Signed channel posts: the author's name when posted; null otherwise (absent before the signatures migration). */
  post_author?: string | null;
  /** 1: an anonymous admin's message, shown as the chat's (absent before the anonymous admins migration). */
  anonymous?: number;
  /** Forums: the topic (topics.ts; 1 is General); null in other chats and before the chat first had topics. */
  topic_id?: number | null;
};

/**
 * A channel's post: it is sent as the channel, so its view names no sender
 * (Message.sender_id null). Only channel posts count views, so the column
 * that is set for every channel post and nothing else tells them apart.
 */
export function isChannelPost(row: Pick<MessageRow, 'views'>): boolean {
  return row.views != null;
}

/**
 * The sender of a discussion group's automatic forwards of channel posts
 * (discussion.ts): nobody, as the post is the channel's. No account has id
 * 0, so such a row is never anyone's own message, and its random_id (one
 * per channel post) makes the forward idempotent.
 */
export const AUTOMATIC_FORWARD_SENDER = 0;

export function chatRow(store: SqlStore): ChatRow | undefined {
  return one<ChatRow>(store, 'SELECT * FROM chat LIMIT 1');
}

/** Members in join order. */
export function memberRows(store: SqlStore): MemberRow[] {
  return store.exec<MemberRow>('SELECT * FROM members ORDER BY joined_at, user_id');
}

export function memberRow(store: SqlStore, userId: number): MemberRow | undefined {
  return one<MemberRow>(store, 'SELECT * FROM members WHERE user_id = ?', userId);
}

/**
 * The authorization every verb starts with. A non-member and a chat that was
 * never created get the same answer, so ids reveal nothing.
 */
export function requireMember(store: SqlStore, userId: number): { chat: ChatRow; member: MemberRow } {
  const chat = chatRow(store);
  const member = chat && memberRow(store, userId);
  if (!chat || !member) throw fail.notFound('Chat');
  return { chat, member };
}

/**
 * Supergroups and channels: updates logged once in the chat and pulled by
 * members (DESIGN rule 5), not delivered to each mailbox (Telegram's
 * channel pts: its supergroups are channels too).
 */
export function isLarge(kind: ChatKind): boolean {
  return kind === 'supergroup' || kind === 'channel';
}

/** Members that are bots: in a large chat, the only ones that get copies of their own. */
export function botMemberRows(store: SqlStore): MemberRow[] {
  // CROSS JOIN keeps bot_members (a handful) as the outer loop: a plain JOIN let SQLite scan every
  // member of the chat and probe the bots, on every message (found by the bench at 200,000 members).
  return store.exec<MemberRow>(
    'SELECT m.* FROM bot_members b CROSS JOIN members m ON m.user_id = b.user_id ORDER BY m.joined_at, m.user_id',
  );
}

/** Creator and admins, in join order: found through the `members_managers` index, never a scan of everyone. */
export function managerRows(store: SqlStore): MemberRow[] {
  return store.exec<MemberRow>("SELECT * FROM members WHERE role <> 'member' ORDER BY joined_at, user_id");
}

/**
 * Who a snapshot lists. Private chats and basic groups: everyone (they are
 * small). A channel: its creator, its admins and the viewer (subscribers do
 * not see each other, as in Telegram; each mailbox still finds itself in the
 * list). A supergroup the same way (the rest are paged with getChatMembers;
 * a snapshot logged for everyone is taken as viewer 0, nobody, so it lists
 * the managers only). Never reads every member of a large chat.
 */
export function shownMembers(store: SqlStore, chat: ChatRow, viewerId: number): MemberRow[] {
  if (chat.kind !== 'channel' && chat.kind !== 'supergroup') return memberRows(store);
  const managers = managerRows(store);
  const viewer = memberRow(store, viewerId);
  if (!viewer || viewer.role !== 'member') return managers;
  return [...managers, viewer].sort((a, b) => a.joined_at - b.joined_at || a.user_id - b.user_id);
}

/** The chat as `viewerId` sees it (see shownMembers); `member_count` from the kept count. */
export function chatSnapshot(store: SqlStore, viewerId: number, chat: ChatRow = chatRow(store)!): Chat {
  return toChat(chat, shownMembers(store, chat, viewerId), chat.pinned_message_id ? pinnedIds(store) : []);
}

/** The pinned messages, newest pin first (as many as a snapshot lists). */
export function pinnedIds(store: SqlStore): number[] {
  return store
    .exec<{ message_id: number }>('SELECT message_id FROM pinned_messages ORDER BY pinned_at DESC, message_id DESC LIMIT ?', MAX_PINNED_SHOWN)
    .map((r) => r.message_id);
}

export function toChat(chat: ChatRow, shown: readonly MemberRow[], pinned: readonly number[] = []): Chat {
  const photo = chatPhotoOf(chat);
  return {
    id: chat.id,
    kind: chat.kind,
    title: chat.title,
    member_ids: shown.map((m) => m.user_id),
    member_count: chat.member_count,
    creator_id: chat.creator_id,
    created_at: chat.created_at,
    ...(chat.pinned_message_id ? { pinned_message_id: chat.pinned_message_id } : {}),
    ...(pinned.length > 0 ? { pinned_message_ids: [...pinned] } : {}),
    ...(isLarge(chat.kind) ? { pts: chat.pts } : {}),
    ...(chat.migrated_to ? { migrated_to: chat.migrated_to } : {}),
    ...(chat.migrated_from ? { migrated_from: chat.migrated_from } : {}),
    ...(chat.kind === 'channel' ? { signatures: Boolean(chat.signatures) } : {}),
    ...(chat.description ? { description: chat.description } : {}),
    ...(chat.username ? { username: chat.username } : {}),
    ...(chat.join_by_request ? { join_by_request: true } : {}),
    ...(photo ? { photo } : {}),
    ...(chat.is_forum ? { is_forum: true } : {}),
    ...(chat.linked_chat_id ? { linked_chat_id: chat.linked_chat_id } : {}),
    ...(chat.kind === 'group' || chat.kind === 'supergroup'
      ? { permissions: permissionsFromBits(chatPermissionBits(chat)), slow_mode_seconds: chat.slow_mode_seconds ?? 0 }
      : {}),
  };
}

/** The chat's picture, if it has one; an unreadable one shows as none (and is logged), as a message's media does. */
export function chatPhotoOf(chat: ChatRow): ChatPhoto | null {
  return chat.photo ? readStoredOr(CHAT_PHOTO, chat.photo, null, { chat_id: chat.id, column: 'chat.photo' }) : null;
}

export function toChatMember(m: MemberRow): ChatMember {
  const rights = rightsOf(m);
  return {
    user_id: m.user_id,
    role: m.role,
    joined_at: m.joined_at,
    ...(rights ? { rights } : {}),
    ...(m.title ? { title: m.title } : {}),
    ...(m.role === 'admin' && m.promoted_by !== undefined ? { promoted_by: m.promoted_by } : {}),
  };
}

/**
 * The wire message as `viewerId` sees it: the idempotency key only on the
 * sender's own copy (a channel post's author gets it too, though the post
 * names no sender). A JSON column that cannot be read shows as empty (and
 * is logged, the row itself untouched): one damaged message must not fail a
 * whole history page.
 */
export function toMessage(chatId: number, row: MessageRow, viewerId: number): Message {
  const where = { chat_id: chatId, message_id: row.id };
  const replyMarkup = row.reply_markup ? readStoredOr(MESSAGE_REPLY_MARKUP, row.reply_markup, undefined, where) : undefined;
  return {
    chat_id: chatId,
    id: row.id,
    // A channel's post, an anonymous admin's message and a channel post's automatic forward are a chat's: no sender shown, to anyone.
    sender_id: isChannelPost(row) || row.anonymous || row.sender_id === AUTOMATIC_FORWARD_SENDER ? null : row.sender_id,
    ...(row.anonymous ? { sender_chat_id: chatId } : {}),
    ...(row.post_author ? { post_author: row.post_author } : {}),
    date: row.date,
    text: row.text,
    entities: readStoredOr(MESSAGE_ENTITIES, row.entities, [], where),
    media: mediaOf(row, chatId),
    reply_to_message_id: row.reply_to_message_id,
    fwd_from: row.fwd_from === null ? null : readStoredOr(MESSAGE_FWD_FROM, row.fwd_from, null, where),
    edit_date: row.edit_date,
    ...(row.sender_id === viewerId ? { random_id: row.random_id } : {}),
    ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
    ...(row.views != null ? { views: row.views } : {}),
    ...(row.thread_id != null ? { thread_id: row.thread_id } : {}),
    ...(row.topic_id != null ? { message_thread_id: row.topic_id } : {}),
    ...(row.topic_id != null && row.topic_id !== GENERAL_TOPIC_ID ? { is_topic_message: true as const } : {}),
    ...(row.sender_id === AUTOMATIC_FORWARD_SENDER ? { is_automatic_forward: true as const } : {}),
  };
}

export function mediaOf(row: Pick<MessageRow, 'id' | 'media'>, chatId?: number): MessageMedia | null {
  return row.media === null ? null : readStoredOr(MESSAGE_MEDIA, row.media, null, { chat_id: chatId, message_id: row.id });
}

/** Visible to a member: not deleted for everyone and not hidden by them. */
const VISIBLE = `deleted = 0 AND NOT EXISTS
  (SELECT 1 FROM hidden_messages h WHERE h.user_id = ?1 AND h.message_id = messages.id)`;

export function visibleMessage(store: SqlStore, viewerId: number, id: number): MessageRow | undefined {
  return one<MessageRow>(store, `SELECT * FROM messages WHERE ${VISIBLE} AND id = ?2`, viewerId, id);
}

/** Visible messages among `ids`, ascending. One JSON parameter: a query binds at most 100. */
export function visibleMessages(store: SqlStore, viewerId: number, ids: readonly number[]): MessageRow[] {
  return store.exec<MessageRow>(
    `SELECT * FROM messages WHERE ${VISIBLE} AND id IN (SELECT value FROM json_each(?2)) ORDER BY id`,
    viewerId,
    JSON.stringify(ids),
  );
}

/** A page of visible messages, always returned ascending. */
export function historyPage(
  store: SqlStore,
  viewerId: number,
  offsetId: number | undefined,
  direction: 'before' | 'after',
  limit: number,
  threadId?: number,
): MessageRow[] {
  // ?4 IS NULL: the whole chat; otherwise one thread's replies (the messages_thread index).
  const inThread = '(?4 IS NULL OR thread_id = ?4)';
  if (offsetId !== undefined && direction === 'after') {
    return store.exec<MessageRow>(
      `SELECT * FROM messages WHERE ${VISIBLE} AND ${inThread} AND id > ?2 ORDER BY id LIMIT ?3`,
      viewerId,
      offsetId,
      limit,
      threadId ?? null,
    );
  }
  const rows = store.exec<MessageRow>(
    `SELECT * FROM messages WHERE ${VISIBLE} AND ${inThread} AND id < ?2 ORDER BY id DESC LIMIT ?3`,
    viewerId,
    offsetId ?? Number.MAX_SAFE_INTEGER,
    limit,
    threadId ?? null,
  );
  return rows.reverse();
}

/** The newest message `viewerId` can see: their dialog's top message. */
export function lastVisible(store: SqlStore, viewerId: number): MessageRow | undefined {
  return one<MessageRow>(store, `SELECT * FROM messages WHERE ${VISIBLE} ORDER BY id DESC LIMIT 1`, viewerId);
}

/**
 * Messages from others after the reader's pointer that the reader can still
 * see, less those it read in their forum topic (a point look-up of its
 * topic_reads row; chats that never had topics have none, and a message
 * from before the forum is General's).
 */
export function unreadCount(store: SqlStore, readerId: number, readMaxId: number): number {
  const row = one<{ n: number }>(
    store,
    `SELECT COUNT(*) AS n FROM messages WHERE ${VISIBLE} AND id > ?2 AND sender_id <> ?1
       AND NOT EXISTS (SELECT 1 FROM topic_reads r WHERE r.user_id = ?1 AND r.topic_id = COALESCE(messages.topic_id, ${GENERAL_TOPIC_ID}) AND r.max_id >= messages.id)`,
    readerId,
    readMaxId,
  );
  return row?.n ?? 0;
}
