import { fail } from '../../protocol/errors.js';
import type { ChatMember, Message } from '../../protocol/messages.js';
import { HISTORY_PAGE_LIMIT } from '../../protocol/methods.js';
import type { SqlStore } from '../sql/store.js';
import type { ChatSnapshot, HistoryQuery } from './api.js';
import type { RoomContext } from './context.js';
import { withReactions } from './reactions.js';
import { chatMemberOf } from './restrictions.js';
import { chatSnapshot, historyPage, isLarge, memberRow, memberRows, requireMember, shownMembers, toMessage, visibleMessages } from './state.js';
import { withReplies } from './threads.js';
import { topicHistoryPage } from './topic-reads.js';
import { withComments } from './discussion-posts.js';

/** The verbs that read the chat as one member sees it; they write nothing. */

/**
 * Ascending ids either way. `before`: the page just below offset_id (or the
 * newest page without one); `after`: the page just above it. A member who
 * left or was removed reads nothing more (NOT_FOUND), like any non-member.
 */
export function getHistory(ctx: RoomContext, userId: number, query: HistoryQuery): Message[] {
  const { chat } = requireMember(ctx.store, userId);
  const limit = pageLimit(query.limit);
  if (query.message_thread_id !== undefined) {
    if (query.thread_id !== undefined) throw fail.badRequest('Read a reply thread or a topic, not both at once');
    const ids = topicHistoryPage(ctx, chat, userId, query.message_thread_id, query.offset_id, query.direction, limit);
    return decorated(ctx.store, userId, visibleMessages(ctx.store, userId, ids).map((r) => toMessage(chat.id, r, userId)));
  }
  const page = historyPage(ctx.store, userId, query.offset_id, query.direction, limit, query.thread_id);
  return decorated(ctx.store, userId, page.map((r) => toMessage(chat.id, r, userId)));
}

/** The visible ones among `ids`, ascending; unknown, deleted and hidden ids are left out. */
export function getMessages(ctx: RoomContext, userId: number, ids: number[]): Message[] {
  const { chat } = requireMember(ctx.store, userId);
  return decorated(ctx.store, userId, visibleMessages(ctx.store, userId, ids).map((r) => toMessage(chat.id, r, userId)));
}

export function getChat(ctx: RoomContext, userId: number): ChatSnapshot {
  const { store } = ctx;
  const { chat, member } = requireMember(store, userId);
  const now = ctx.now();
  const snapshot = chatSnapshot(store, userId, chat);
  // A channel's subscribers see its managers and themselves only (see shownMembers); its managers see
  // everyone. A supergroup's list is paged (getChatMembers): here its managers and the reader.
  const everyone = member.role !== 'member' && !isLarge(chat.kind);
  const shown = everyone ? memberRows(store) : shownMembers(store, chat, userId);
  return { chat: snapshot, members: shown.map((m) => chatMemberOf(store, m, now)) };
}

/**
 * One member as `viewerId` may see them (null: not a member), found by
 * primary key, so it costs the same in a supergroup of 200,000: what the
 * Bot API's getChatMember needs where getChat lists only the managers. A
 * channel's subscribers see its managers and themselves only, as in getChat.
 */
export function getMember(ctx: RoomContext, viewerId: number, userId: number): ChatMember | null {
  const { store } = ctx;
  const { chat, member: viewer } = requireMember(store, viewerId);
  const row = memberRow(store, userId);
  if (!row) return null;
  const hidden = chat.kind === 'channel' && viewer.role === 'member' && row.role === 'member' && userId !== viewerId;
  return hidden ? null : chatMemberOf(store, row, ctx.now());
}

/**
 * Whether the caller may page the member list (getChatMembers reads names
 * from the D1 index; the right is checked here, in the chat): any member of
 * a group or supergroup, a channel's creator and admins only (subscribers do
 * not see each other). Answers the kept count.
 */
export function memberListAccess(ctx: RoomContext, userId: number): { member_count: number; large: boolean } {
  const { chat, member } = requireMember(ctx.store, userId);
  if (chat.kind === 'channel' && member.role === 'member') throw fail.forbidden("Only a channel's creator and admins see its subscribers");
  return { member_count: chat.member_count, large: isLarge(chat.kind) };
}

/** A page size the caller asked for, within 1..HISTORY_PAGE_LIMIT. */
export function pageLimit(asked: number): number {
  return Math.max(1, Math.min(HISTORY_PAGE_LIMIT, Math.floor(asked) || 1));
}

/** What history reads add to stored messages: reactions as the reader sees them, thread roots' replies, channel posts' comments. */
export function decorated(store: SqlStore, userId: number, messages: Message[]): Message[] {
  return withComments(store, withReplies(store, userId, withReactions(store, userId, messages)));
}

/**
 * A message the member sees, and who answers its inline buttons: its
 * sender, which only a bot can be for a message with a keyboard (see
 * ./bots.ts checkedMarkup). Read here because a channel post's view names
 * no sender, while its bot must still get the press.
 */
export function getKeyboardMessage(ctx: RoomContext, userId: number, id: number): { message: Message; owner_id: number } | null {
  const { chat } = requireMember(ctx.store, userId);
  const [row] = visibleMessages(ctx.store, userId, [id]);
  if (!row) return null;
  return { message: decorated(ctx.store, userId, [toMessage(chat.id, row, userId)])[0]!, owner_id: row.sender_id };
}

export const readVerbs = { getHistory, getMessages, getChat, getMember, memberListAccess, getKeyboardMessage };
