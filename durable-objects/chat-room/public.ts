import { fail } from '../../protocol/errors.js';
import type { Chat } from '../../protocol/messages.js';
import type { PublicChat } from '../../protocol/public-chats.js';
import { noteAdminAction } from './admin-log.js';
import type { BotMember } from './bots.js';
import { migrated } from './channels.js';
import type { RoomContext } from './context.js';
import type { JoinOutcome } from './invites.js';
import { requestToJoin } from './join-requests.js';
import { admit, announceChatChange, requireAble } from './membership.js';
import { chatRow, chatSnapshot, memberRow, requireMember, type ChatRow } from './state.js';
import { commit } from './writer.js';

/**
 * Public chats: a supergroup or channel with a username, which anyone may
 * look at and join. The name is claimed in D1 first (the method layer does
 * that, so two chats never hold one name); the room keeps it to show it
 * and to know it is public. A chat that is not public answers NOT_FOUND to
 * outsiders, the same as a chat that does not exist.
 */

/** Only its creator makes a chat public or private (as in Telegram). */
export function checkMaySetUsername(ctx: RoomContext, actorId: number): void {
  const { chat, member } = requireMember(ctx.store, actorId);
  if (member.role !== 'creator') throw fail.forbidden('Only the creator may change the public link');
  requirePublicKind(chat);
  if (chat.migrated_to) throw migrated(chat);
}

/** Takes the name D1 let the chat claim ('' or null: private again); everyone hears a `chat` update. */
export function setUsername(ctx: RoomContext, actorId: number, username: string | null): Chat {
  const { store } = ctx;
  checkMaySetUsername(ctx, actorId);
  const chat = chatRow(store)!;
  const next = username || null;
  if (next === (chat.username ?? null)) return chatSnapshot(store, actorId, chat);
  return commit(ctx, (emit) => {
    store.exec('UPDATE chat SET username = ?', next);
    noteAdminAction(ctx, actorId, 'username_changed', { username: next ?? '' });
    return announceChatChange(ctx, emit, actorId);
  });
}

/** Whether joining by the username needs an admin's approval: those who may invite decide. */
export function setJoinByRequest(ctx: RoomContext, actorId: number, enabled: boolean): Chat {
  const { store } = ctx;
  const { chat } = requireAble(ctx, actorId, 'can_invite_users');
  requirePublicKind(chat);
  if (Boolean(chat.join_by_request) === enabled) return chatSnapshot(store, actorId, chat);
  return commit(ctx, (emit) => {
    store.exec('UPDATE chat SET join_by_request = ?', enabled ? 1 : 0);
    noteAdminAction(ctx, actorId, 'join_by_request_toggled', { enabled });
    return announceChatChange(ctx, emit, actorId);
  });
}

/** What anyone may see of a public chat; `username` is the name it was found by (a stale D1 entry finds nothing). */
export function publicPreview(ctx: RoomContext, viewerId: number, username: string): PublicChat {
  const chat = publicChat(ctx, username);
  return {
    id: chat.id,
    kind: chat.kind as PublicChat['kind'],
    title: chat.title ?? '',
    username: chat.username!,
    member_count: chat.member_count,
    ...(chat.description ? { description: chat.description } : {}),
    ...(chat.join_by_request ? { join_by_request: true } : {}),
    is_member: memberRow(ctx.store, viewerId) !== undefined,
  };
}

/**
 * Joins a public chat: the usual admission (ban, size), or the request
 * where its admins approve new members. A member joining again gets the
 * chat unchanged.
 */
export function joinPublic(ctx: RoomContext, userId: number, bot?: BotMember): JoinOutcome {
  const { store } = ctx;
  const chat = publicChat(ctx);
  if (memberRow(store, userId)) return { chat: chatSnapshot(store, userId, chat) };
  if (chat.join_by_request && !bot) return { join_request: requestToJoin(ctx, userId) };
  return { chat: admit(ctx, userId, userId, bot) };
}

/** The chat, if it is public (and, given a name, holds that one): otherwise NOT_FOUND, as for no chat at all. */
function publicChat(ctx: RoomContext, username?: string): ChatRow {
  const chat = chatRow(ctx.store);
  const holds = chat?.username && (username === undefined || chat.username.toLowerCase() === username.toLowerCase());
  if (!chat || !holds) throw fail.notFound('Chat');
  if (chat.migrated_to) throw migrated(chat);
  return chat;
}

function requirePublicKind(chat: ChatRow): void {
  if (chat.kind !== 'supergroup' && chat.kind !== 'channel') {
    throw fail.badRequest('Only supergroups and channels can be public; convert the group to a supergroup first');
  }
}

export const publicChatVerbs = { checkMaySetUsername, setUsername, setJoinByRequest, publicPreview, joinPublic };
