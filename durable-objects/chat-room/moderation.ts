import { takeToken } from './send-checks.js';
import { fail } from '../../protocol/errors.js';
import type { Chat } from '../../protocol/messages.js';
import { one, type SqlStore } from '../sql/store.js';
import { removeMember } from './membership.js';
import { chatRow, chatSnapshot, isLarge, memberRow, memberRows, requireMember, visibleMessage } from './state.js';
import { chatUpdateFor, isManaged } from './channels.js';
import { logChatChange } from './large.js';
import { tellBots } from './service.js';
import { requireRight } from './rights.js';
import { noteAdminAction } from './admin-log.js';
import { commit } from './writer.js';
import type { RoomContext } from './context.js';

/**
 * Bans and the pinned message, as basic groups have them in Telegram
 * (admins with can_restrict_members ban, with can_pin_messages pin; members
 * pin where the chat's permissions let them). A ban
 * removes the member (the usual removal, with its events) and keeps them
 * from being added back until it ends; the pinned message is part of the
 * chat's snapshot, announced with a `chat` update.
 */

export function isBanned(store: SqlStore, userId: number, now: number): boolean {
  const row = one<{ until_ms: number | null }>(store, 'SELECT until_ms FROM bans WHERE user_id = ?', userId);
  return row !== undefined && (row.until_ms === null || row.until_ms > now);
}

/** Bans `userId` (removing them if they are a member). Only the creator and admins may; `untilMs` null is for good. */
export function ban(ctx: RoomContext, actorId: number, userId: number, untilMs: number | null): void {
  requireModerator(ctx, actorId);
  if (untilMs !== null && untilMs <= ctx.now()) throw fail.badRequest('until must be in the future');
  if (userId === actorId) throw fail.badRequest('To leave a group, use leave');
  // Removal first: it applies the rules about the creator and admins, and its events go out.
  if (memberRow(ctx.store, userId)) removeMember(ctx, actorId, userId);
  ctx.store.transaction(() => {
    ctx.store.exec(
      'INSERT INTO bans (user_id, until_ms) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET until_ms = excluded.until_ms',
      userId,
      untilMs,
    );
    noteAdminAction(ctx, actorId, 'member_banned', { until: untilMs }, userId);
  });
}

/** Lifts a ban. As Telegram's unbanChatMember, a current member is removed unless `onlyIfBanned`. */
export function unban(ctx: RoomContext, actorId: number, userId: number, onlyIfBanned: boolean): void {
  requireModerator(ctx, actorId);
  const wasBanned = ctx.store.exec('SELECT 1 FROM bans WHERE user_id = ?', userId).length > 0;
  ctx.store.transaction(() => {
    ctx.store.exec('DELETE FROM bans WHERE user_id = ?', userId);
    if (wasBanned) noteAdminAction(ctx, actorId, 'member_unbanned', {}, userId);
  });
  if (!wasBanned && !onlyIfBanned && userId !== actorId && memberRow(ctx.store, userId)) removeMember(ctx, actorId, userId);
}

/**
 * Pins a message for everyone (several may be pinned; the newest is
 * Chat.pinned_message_id and every one is in pinned_message_ids): either
 * side of a private chat, admins with can_pin_messages, members where the
 * chat's permissions let them. Pinning the pinned again changes nothing.
 */
export function pin(ctx: RoomContext, actorId: number, messageId: number): Chat {
  const { store } = ctx;
  const { chat, member } = requireMember(store, actorId);
  requireRight(store, chat, member, 'can_pin_messages', ctx.now());
  if (!visibleMessage(store, actorId, messageId)) throw fail.notFound('Message');
  if (one(store, 'SELECT 1 FROM pinned_messages WHERE message_id = ?', messageId)) return chatSnapshot(store, actorId, chat);
  takeToken(ctx, actorId, 'pin');
  return changePins(ctx, actorId, messageId, () => {
    store.exec('INSERT INTO pinned_messages (message_id, pinned_at) VALUES (?, ?)', messageId, ctx.now());
    if (chat.kind !== 'private') noteAdminAction(ctx, actorId, 'message_pinned', { message_id: messageId });
  });
}

/** Unpins `messageId`, or (undefined) the most recently pinned one, as Telegram's unpinChatMessage. */
export function unpin(ctx: RoomContext, actorId: number, messageId: number | undefined): Chat {
  const { store } = ctx;
  const { chat, member } = requireMember(store, actorId);
  requireRight(store, chat, member, 'can_pin_messages', ctx.now());
  const target = messageId ?? chat.pinned_message_id ?? null;
  if (target === null || !one(store, 'SELECT 1 FROM pinned_messages WHERE message_id = ?', target)) return chatSnapshot(store, actorId, chat);
  takeToken(ctx, actorId, 'pin');
  return changePins(ctx, actorId, null, () => {
    store.exec('DELETE FROM pinned_messages WHERE message_id = ?', target);
    if (chat.kind !== 'private') noteAdminAction(ctx, actorId, 'message_unpinned', { message_id: target });
  });
}

/** Unpins every pinned message at once (Telegram's unpinAllMessages). */
export function unpinAll(ctx: RoomContext, actorId: number): Chat {
  const { store } = ctx;
  const { chat, member } = requireMember(store, actorId);
  requireRight(store, chat, member, 'can_pin_messages', ctx.now());
  if (chat.pinned_message_id == null) return chatSnapshot(store, actorId, chat);
  takeToken(ctx, actorId, 'pin');
  return changePins(ctx, actorId, null, () => {
    store.exec('DELETE FROM pinned_messages');
    if (chat.kind !== 'private') noteAdminAction(ctx, actorId, 'all_unpinned');
  });
}

/**
 * Unpins some of the pinned messages at once (`ids`, already known to be
 * pinned; topics.ts unpinAllInTopic picks one topic's): who may pin may unpin.
 */
export function unpinSome(ctx: RoomContext, actorId: number, ids: readonly number[]): Chat {
  const { store } = ctx;
  const { chat, member } = requireMember(store, actorId);
  requireRight(store, chat, member, 'can_pin_messages', ctx.now());
  if (ids.length === 0) return chatSnapshot(store, actorId, chat);
  takeToken(ctx, actorId, 'pin');
  return changePins(ctx, actorId, null, () => {
    store.exec('DELETE FROM pinned_messages WHERE message_id IN (SELECT value FROM json_each(?))', JSON.stringify(ids));
    // Recent actions name each message: these are not all of the chat's pins.
    for (const id of ids) noteAdminAction(ctx, actorId, 'message_unpinned', { message_id: id });
  });
}

/** A deleted message is unpinned with it, inside the deletion's transaction (no event of its own: the deletion's `chat` update carries it). */
export function unpinDeleted(ctx: RoomContext, ids: readonly number[]): boolean {
  const removed = ctx.store.exec('DELETE FROM pinned_messages WHERE message_id IN (SELECT value FROM json_each(?)) RETURNING message_id', JSON.stringify(ids));
  if (removed.length === 0) return false;
  syncNewestPin(ctx);
  return true;
}

/** Keeps chat.pinned_message_id on the newest pin (what clients before several pins show). */
function syncNewestPin(ctx: RoomContext): void {
  const newest = one<{ message_id: number }>(ctx.store, 'SELECT message_id FROM pinned_messages ORDER BY pinned_at DESC, message_id DESC LIMIT 1');
  ctx.store.exec('UPDATE chat SET pinned_message_id = ?', newest?.message_id ?? null);
}

function changePins(ctx: RoomContext, actorId: number, pinned: number | null, write: () => void): Chat {
  return commit(ctx, (emit) => {
    write();
    syncNewestPin(ctx);
    const row = chatRow(ctx.store)!;
    if (isLarge(row.kind)) {
      logChatChange(ctx, emit, row);
    } else {
      emit.event(
        memberRows(ctx.store).map((m) => m.user_id),
        chatUpdateFor(ctx.store),
      );
    }
    const chat = chatSnapshot(ctx.store, actorId, row);
    // Telegram has a service message for a pin, none for an unpin.
    if (pinned !== null) tellBots(ctx.store, emit, actorId, { kind: 'message_pinned', message_id: pinned });
    return chat;
  });
}

function requireModerator(ctx: RoomContext, actorId: number): void {
  const { chat, member } = requireMember(ctx.store, actorId);
  if (!isManaged(chat.kind)) throw fail.badRequest('Private chats have fixed members; this works in groups and channels only');
  requireRight(ctx.store, chat, member, 'can_restrict_members', ctx.now());
}

export const moderationVerbs = { ban, unban, pin, unpin, unpinAll };
