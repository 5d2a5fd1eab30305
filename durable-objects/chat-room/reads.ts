import type { Message } from '../../protocol/messages.js';
import { HISTORY_PAGE_LIMIT } from '../../protocol/methods.js';
import type { SqlStore } from '../sql/store.js';
import type { ChatSnapshot, HistoryQuery } from './api.js';
import type { RoomContext } from './context.js';
import { withReactions } from './reactions.js';
import { chatMemberOf } from './restrictions.js';
import { historyPage, memberRows, requireMember, toChat, toMessage, visibleMessages } from './state.js';
import { withReplies } from './threads.js';

/** The verbs that read the chat as one member sees it; they write nothing. */

/**
 * Ascending ids either way. `before`: the page just below offset_id (or the
 * newest page without one); `after`: the page just above it. A member who
 * left or was removed reads nothing more (NOT_FOUND), like any non-member.
 */
export function getHistory(ctx: RoomContext, userId: number, query: HistoryQuery): Message[] {
  const { chat } = requireMember(ctx.store, userId);
  const limit = pageLimit(query.limit);
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
  const { chat } = requireMember(store, userId);
  const members = memberRows(store);
  const now = ctx.now();
  const snapshot = toChat(chat, members, userId);
  // A channel's subscribers see its managers and themselves only (see toChat); its managers see everyone.
  const isManager = members.some((m) => m.user_id === userId && m.role !== 'member');
  const shown = isManager ? members : members.filter((m) => snapshot.member_ids.includes(m.user_id));
  return { chat: snapshot, members: shown.map((m) => chatMemberOf(store, m, now)) };
}

/** A page size the caller asked for, within 1..HISTORY_PAGE_LIMIT. */
export function pageLimit(asked: number): number {
  return Math.max(1, Math.min(HISTORY_PAGE_LIMIT, Math.floor(asked) || 1));
}

/** What history reads add to stored messages: reactions as the reader sees them, and thread roots' replies. */
export function decorated(store: SqlStore, userId: number, messages: Message[]): Message[] {
  return withReplies(store, userId, withReactions(store, userId, messages));
}

export const readVerbs = { getHistory, getMessages, getChat };
