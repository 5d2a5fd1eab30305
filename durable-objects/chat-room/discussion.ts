import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import type { Chat, Message } from '../../protocol/messages.js';
import type { SqlStore } from '../sql/store.js';
import { one } from '../sql/store.js';
import type { HistoryQuery } from './api.js';
import { migrated } from './channels.js';
import type { RoomContext } from './context.js';
import { logChatChange } from './large.js';
import { admit } from './membership.js';
import { announceToReaders, insertMessage } from './messages.js';
import { decorated, pageLimit } from './reads.js';
import { requireRight } from './rights.js';
import { parseNotices, type RoomNotice } from './room-notices.js';
import {
  AUTOMATIC_FORWARD_SENDER,
  chatRow,
  chatSnapshot,
  historyPage,
  memberRow,
  requireMember,
  toMessage,
  visibleMessage,
  type ChatRow,
  type MessageRow,
} from './state.js';
import { commit, type Emit } from './writer.js';

/**
 * Channel comments (Telegram's discussion groups). A channel links one
 * supergroup; each new post is forwarded into it automatically (one notice
 * from the channel's room to the group's, through the durable notices queue,
 * ./room-notices.ts), and the replies to that forward are the post's
 * comments. The group tells the channel each post's comment count (a
 * notice per change, coalesced while unsent); the channel keeps it on the
 * post (`post_discussions`), and readers fetch it with the post, like
 * views: no subscriber is told of a comment, so a comment costs the same
 * for any audience.
 *
 * Who may read and write: any subscriber of the channel reads a post's
 * comments without being in the group (the method layer checks the
 * subscription in the channel's room first, then reads the thread here);
 * to write one, a subscriber joins the group (joinDiscussion), which the
 * link opens to the channel's subscribers.
 */

/** Telegram's MEGAGROUP_REQUIRED: only a supergroup can be a discussion group. */
const MEGAGROUP_REQUIRED = 'MEGAGROUP_REQUIRED: only a supergroup can be a discussion group (convert the group first)';

/** The channel side: a member with can_change_info in a channel. Answers the group linked now. */
export function checkMayLinkDiscussion(ctx: RoomContext, actorId: number): { linked_chat_id: number | null } {
  const { chat } = requireChannelManager(ctx, actorId);
  return { linked_chat_id: chat.linked_chat_id ?? null };
}

/**
 * The group side of a link: a supergroup whose admin (can_change_info and
 * can_pin_messages, as Telegram asks) links it to `channelId`. Linking it
 * again to the same channel changes nothing; to another: CONFLICT.
 */
export function linkToChannel(ctx: RoomContext, actorId: number, channelId: number): Chat {
  const { store } = ctx;
  const { chat, member } = requireMember(store, actorId);
  if (chat.kind !== 'supergroup') throw fail.badRequest(MEGAGROUP_REQUIRED);
  if (chat.migrated_to) throw migrated(chat);
  requireRight(store, chat, member, 'can_change_info', ctx.now());
  requireRight(store, chat, member, 'can_pin_messages', ctx.now());
  if (chat.linked_chat_id === channelId) return chatSnapshot(store, actorId, chat);
  if (chat.linked_chat_id) throw new EdgegramError(ErrorCode.CONFLICT, 'This group is already the discussion group of another channel');
  return setLink(ctx, actorId, channelId);
}

/**
 * The channel side: shows the new link (or none) and stops forwarding to
 * the old group, which a queued notice unlinks. The new group hears too:
 * if an unlink meant for an earlier link of it is still on its way, this
 * notice (the same key, so sent after it) links it again.
 */
export function setLinkedGroup(ctx: RoomContext, actorId: number, groupId: number | null): Chat {
  const { store } = ctx;
  const { chat } = requireChannelManager(ctx, actorId);
  const old = chat.linked_chat_id ?? null;
  if (old === groupId) return chatSnapshot(store, actorId, chat);
  return commit(ctx, (emit) => {
    store.exec('UPDATE chat SET linked_chat_id = ?', groupId);
    if (old !== null) ctx.notices.enqueue(old, 'link', { kind: 'link', linked: false });
    if (groupId !== null) ctx.notices.enqueue(groupId, 'link', { kind: 'link', linked: true });
    return announce(ctx, emit, actorId);
  });
}

/** The group side, undoing a link the channel then refused (the method layer's rollback). */
export function unlinkFromChannel(ctx: RoomContext, channelId: number): void {
  const chat = chatRow(ctx.store);
  if (!chat) throw fail.notFound('Chat');
  if (chat.linked_chat_id !== channelId) return;
  commit(ctx, (emit) => {
    ctx.store.exec('UPDATE chat SET linked_chat_id = NULL');
    logChatChange(ctx, emit, chatRow(ctx.store)!);
  });
}

/**
 * Notices from another chat's room, applied in one commit; each is
 * idempotent (see ./room-notices.ts), and one that no longer applies (the
 * link changed meanwhile) is dropped.
 */
export function receiveNotices(ctx: RoomContext, fromChatId: number, notices: unknown): { applied: number } {
  const batch = parseNotices(notices);
  const chat = chatRow(ctx.store);
  if (!chat) return { applied: 0 };
  let applied = 0;
  commit(ctx, (emit) => {
    for (const notice of batch) if (apply(ctx, emit, chat, fromChatId, notice)) applied++;
  });
  return { applied };
}

function apply(ctx: RoomContext, emit: Emit, chat: ChatRow, fromChatId: number, notice: RoomNotice): boolean {
  const { store } = ctx;
  switch (notice.kind) {
    case 'channel_post': {
      if (chat.kind !== 'supergroup' || chat.migrated_to || chat.linked_chat_id !== fromChatId) return false;
      if (one(store, 'SELECT 1 FROM discussion_posts WHERE channel_id = ? AND post_id = ?', fromChatId, notice.post_id)) return false;
      const row = insertMessage(ctx, emit, AUTOMATIC_FORWARD_SENDER, {
        text: notice.text,
        entities: JSON.stringify(notice.entities),
        reply_to_message_id: null,
        thread_id: null,
        fwd_from: JSON.stringify({
          sender_id: null,
          chat_id: fromChatId,
          message_id: notice.post_id,
          date: notice.date,
          chat_title: notice.chat_title,
          ...(notice.post_author ? { post_author: notice.post_author } : {}),
        }),
        random_id: `fwd_${fromChatId}_${notice.post_id}`,
        media: notice.media,
        reply_markup: null,
        post_author: null,
      });
      store.exec('INSERT INTO discussion_posts (message_id, channel_id, post_id) VALUES (?, ?, ?)', row.id, fromChatId, notice.post_id);
      return true;
    }
    case 'comments': {
      // From the group the post went to, linked or not since: its comments stay its comments.
      const changed = store.exec(
        'UPDATE post_discussions SET count = ?, max_id = ? WHERE post_id = ? AND group_id = ? RETURNING post_id',
        notice.count,
        notice.max_id,
        notice.post_id,
        fromChatId,
      );
      return changed.length > 0;
    }
    case 'post_edited': {
      const root = rootOf(store, fromChatId, notice.post_id);
      const row = root === undefined ? undefined : one<MessageRow>(store, 'SELECT * FROM messages WHERE id = ? AND deleted = 0', root);
      if (!row || (row.edit_date ?? 0) >= notice.edit_date) return false;
      const edited: MessageRow = { ...row, text: notice.text, entities: JSON.stringify(notice.entities), edit_date: notice.edit_date };
      store.exec('UPDATE messages SET text = ?, entities = ?, edit_date = ? WHERE id = ?', edited.text, edited.entities, edited.edit_date, row.id);
      announceToReaders(ctx, emit, chat.kind, edited, (uid) => ({ type: 'edit_message', message: toMessage(chat.id, edited, uid) }));
      return true;
    }
    case 'link': {
      const current = chatRow(store)!.linked_chat_id ?? null;
      // Unlinks only from this channel; links only a supergroup free of any other (as linkToChannel checked).
      const next = notice.linked
        ? current === null && chat.kind === 'supergroup' && !chat.migrated_to
          ? fromChatId
          : current
        : current === fromChatId
          ? null
          : current;
      if (next === current) return false;
      store.exec('UPDATE chat SET linked_chat_id = ?', next);
      logChatChange(ctx, emit, chatRow(store)!);
      return true;
    }
  }
}

/**
 * The channel side of reading comments: the caller is a member who sees
 * the post, and the post was forwarded. Answers where to.
 */
export function discussionOf(ctx: RoomContext, userId: number, postId: number): { group_id: number } {
  const { chat } = requireMember(ctx.store, userId);
  if (chat.kind !== 'channel') throw fail.badRequest('Only channel posts have comments');
  if (!visibleMessage(ctx.store, userId, postId)) throw fail.notFound('Message');
  const row = one<{ group_id: number }>(ctx.store, 'SELECT group_id FROM post_discussions WHERE post_id = ?', postId);
  if (!row) throw fail.notFound('Discussion');
  return { group_id: row.group_id };
}

/** The channel side of joining to comment: a subscriber of a channel with a discussion group. */
export function discussionGroupOf(ctx: RoomContext, userId: number): { group_id: number } {
  const { chat } = requireMember(ctx.store, userId);
  if (chat.kind !== 'channel') throw fail.badRequest('Only a channel has a discussion group');
  if (!chat.linked_chat_id) throw fail.badRequest('This channel has no discussion group');
  return { group_id: chat.linked_chat_id };
}

/**
 * The group side of reading comments, for a subscriber of `channelId` (the
 * method layer checked that in the channel's room): the post's forward,
 * with its replies as the viewer sees them, member of the group or not.
 */
export function discussionRoot(
  ctx: RoomContext,
  viewerId: number,
  channelId: number,
  postId: number,
): { chat_id: number; chat: Chat; message: Message; is_member: boolean } {
  const { store } = ctx;
  const chat = chatRow(store);
  const root = chat && rootOf(store, channelId, postId);
  if (!chat || !root) throw fail.notFound('Discussion');
  const row = visibleMessage(store, viewerId, root);
  if (!row) throw fail.notFound('Discussion');
  const [message] = decorated(store, viewerId, [toMessage(chat.id, row, viewerId)]);
  return { chat_id: chat.id, chat: chatSnapshot(store, viewerId, chat), message: message!, is_member: memberRow(store, viewerId) !== undefined };
}

/** A page of a post's comments for a subscriber of `channelId` (see discussionRoot). */
export function discussionReplies(
  ctx: RoomContext,
  viewerId: number,
  channelId: number,
  postId: number,
  query: Omit<HistoryQuery, 'thread_id'>,
): { chat_id: number; messages: Message[] } {
  const { store } = ctx;
  const chat = chatRow(store);
  const root = chat && rootOf(store, channelId, postId);
  if (!chat || !root) throw fail.notFound('Discussion');
  const page = historyPage(store, viewerId, query.offset_id, query.direction, pageLimit(query.limit), root);
  return { chat_id: chat.id, messages: decorated(store, viewerId, page.map((r) => toMessage(chat.id, r, viewerId))) };
}

/**
 * A subscriber of `channelId` (checked in the channel's room) joins its
 * discussion group to comment: the link opens the group to them, through
 * the usual admission (bans, size). A member gets the group unchanged.
 */
export function joinDiscussion(ctx: RoomContext, userId: number, channelId: number): Chat {
  const { store } = ctx;
  const chat = chatRow(store);
  if (!chat || chat.linked_chat_id !== channelId) throw fail.notFound('Discussion group');
  if (memberRow(store, userId)) return chatSnapshot(store, userId, chat);
  return admit(ctx, userId, userId, undefined);
}

function rootOf(store: SqlStore, channelId: number, postId: number): number | undefined {
  return one<{ message_id: number }>(store, 'SELECT message_id FROM discussion_posts WHERE channel_id = ? AND post_id = ?', channelId, postId)
    ?.message_id;
}

function requireChannelManager(ctx: RoomContext, actorId: number) {
  const found = requireMember(ctx.store, actorId);
  if (found.chat.kind !== 'channel') throw fail.badRequest('Only a channel has a discussion group');
  requireRight(ctx.store, found.chat, found.member, 'can_change_info', ctx.now());
  return found;
}

function setLink(ctx: RoomContext, actorId: number, channelId: number): Chat {
  return commit(ctx, (emit) => {
    ctx.store.exec('UPDATE chat SET linked_chat_id = ?', channelId);
    return announce(ctx, emit, actorId);
  });
}

/** Everyone in the chat sees the link (logged once in these large chats). */
function announce(ctx: RoomContext, emit: Emit, actorId: number): Chat {
  const row = chatRow(ctx.store)!;
  logChatChange(ctx, emit, row);
  return chatSnapshot(ctx.store, actorId, row);
}

export const discussionVerbs = {
  checkMayLinkDiscussion,
  linkToChannel,
  setLinkedGroup,
  unlinkFromChannel,
  receiveNotices,
  discussionOf,
  discussionGroupOf,
  discussionRoot,
  discussionReplies,
  joinDiscussion,
};
