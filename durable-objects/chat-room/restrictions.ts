import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { SLOW_MODE_STEPS, type Chat, type ChatMember, type ChatPermissions, type MemberRestriction } from '../../protocol/messages.js';
import { one, type SqlStore } from '../sql/store.js';
import { chatMemberRecipients } from './bots.js';
import { migrated } from './channels.js';
import { noteAdminAction } from './admin-log.js';
import { announceChatChange } from './membership.js';
import {
  ALL_PERMISSIONS_BITS,
  chatPermissionBits,
  permissionsFromBits,
  permissionsToBits,
  requireRight,
  restrictionBitsOf,
  restrictionRow,
} from './rights.js';
import {
  botMemberRows,
  chatSnapshot,
  isLarge,
  memberRow,
  memberRows,
  requireMember,
  toChatMember,
  type ChatRow,
  type MemberRow,
} from './state.js';
import { commit, same } from './writer.js';
import type { RoomContext } from './context.js';

/**
 * What plain members of a group may do: the chat's permissions for all of
 * them, a restriction for one (for good or until a time), and slow mode.
 * Set by admins with can_restrict_members; enforced by the chat on every
 * send (messages, media, albums, forwards) and action (rights.ts), and
 * shown on the chat (`Chat.permissions`, `slow_mode_seconds`) and the
 * member (`ChatMember.restriction`).
 */

/** A member's permissions as a restriction sets them (every one named: see each API for what an omitted one means). */
export type Permissions = ChatPermissions;

/** The restriction in force for `userId` now, if any: only plain members can be restricted, and an expired one is none. */
export function restrictionOf(store: SqlStore, member: MemberRow, now: number): MemberRestriction | undefined {
  if (member.role !== 'member') return undefined;
  const row = restrictionRow(store, member.user_id);
  if (!row || (row.until_ms !== null && row.until_ms <= now)) return undefined;
  return { ...permissionsFromBits(restrictionBitsOf(row, now)), until: row.until_ms };
}

/** The member as the wire shows it, with a restriction in force. */
export function chatMemberOf(store: SqlStore, member: MemberRow, now: number): ChatMember {
  const restriction = restrictionOf(store, member, now);
  return restriction ? { ...toChatMember(member), restriction } : toChatMember(member);
}

/** What a message is, for the permissions it needs (`links` is asked only where links are not allowed). */
export type SendKind = { media: boolean; links: () => boolean };

/**
 * Refuses a send that the chat's permissions or the sender's restriction
 * forbid (the creator and admins are held to neither). On every send, so
 * the common case, a chat that allows everything and a member without a
 * restriction, costs one look-up in a (nearly always empty) table.
 */
export function checkMaySend(store: SqlStore, chat: ChatRow, member: MemberRow, kind: SendKind, now: number): void {
  if (member.role !== 'member' || chat.kind === 'private' || chat.kind === 'channel') return;
  const bits = chatPermissionBits(chat) & restrictionBitsOf(restrictionRow(store, member.user_id), now);
  if ((bits & SEND_EVERYTHING) === SEND_EVERYTHING) return;
  const allowed = permissionsFromBits(bits);
  // Telegram's wording, which the Bot API passes on as it is.
  if (!allowed.can_send_messages) throw fail.forbidden('Not enough rights to send text messages to the chat');
  if (kind.media && !allowed.can_send_media) throw fail.forbidden('Not enough rights to send media to the chat');
  if (!allowed.can_send_links && kind.links()) throw fail.forbidden('Not enough rights to send links to the chat');
}

/** The sending permissions' bits (messages, media, links, polls). */
const SEND_EVERYTHING = 0b1111;

/** Whether a message carries a link: a link entity, or an address in its text. */
export function hasLinks(text: string, entities: readonly { type: string }[] | undefined): boolean {
  if (entities?.some((e) => e.type === 'url' || e.type === 'text_link')) return true;
  return /(?:https?:\/\/|www\.)\S|\b[a-z0-9-]+\.(?:com|org|net|me|io|ru|de|uk|app|dev)\/?\b/i.test(text);
}

/**
 * Sets (or, granting everything the chat allows, lifts) a plain member's
 * restriction; admins with can_restrict_members. Members hear of it as a
 * `chat_member` update carrying the member with its restriction.
 */
export function restrict(
  ctx: RoomContext,
  actorId: number,
  userId: number,
  permissions: Permissions,
  untilMs: number | null,
): ChatMember {
  const { store } = ctx;
  const { chat, member: actor } = requireMember(store, actorId);
  if (chat.kind !== 'group' && chat.kind !== 'supergroup') throw fail.badRequest('Members can be restricted in groups only');
  requireRight(store, chat, actor, 'can_restrict_members', ctx.now());
  if (userId === actorId) throw fail.badRequest('You cannot restrict yourself');
  const target = memberRow(store, userId);
  if (!target) throw fail.notFound('Member');
  if (target.role !== 'member') throw fail.forbidden('The creator and admins cannot be restricted');
  if (untilMs !== null && untilMs <= ctx.now()) throw fail.badRequest('until must be in the future');
  // Without messages nothing else can be sent; kept consistent so reads need no rule.
  const bits = consistent(permissionsToBits(permissions));
  // As in Telegram: a restriction that takes away nothing the chat allows is none (the member is plain again).
  const lift = (chatPermissionBits(chat) & ~bits) === 0;
  // Nothing changes (lifting no restriction, or setting the one in force): nothing to write or announce.
  const current = restrictionOf(store, target, ctx.now());
  const unchanged = current ? !lift && permissionsToBits(current) === bits && current.until === untilMs : lift;
  if (unchanged) return chatMemberOf(store, target, ctx.now());
  return commit(ctx, (emit) => {
    if (lift) store.exec('DELETE FROM restrictions WHERE user_id = ?', userId);
    else {
      const { can_send_messages, can_send_media } = permissionsFromBits(bits);
      store.exec(
        `INSERT INTO restrictions (user_id, can_send_messages, can_send_media, permissions, until_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET can_send_messages = excluded.can_send_messages,
           can_send_media = excluded.can_send_media, permissions = excluded.permissions, until_ms = excluded.until_ms`,
        userId,
        can_send_messages ? 1 : 0,
        can_send_media ? 1 : 0,
        bits,
        untilMs,
      );
    }
    noteAdminAction(ctx, actorId, 'member_restricted', { permissions: permissionsFromBits(lift ? ALL_PERMISSIONS_BITS : bits), until: lift ? null : untilMs }, userId);
    const member = chatMemberOf(store, target, ctx.now());
    // A large chat: the member and the bots (chatMemberRecipients keeps the admin ones), never everyone.
    const members = isLarge(chat.kind) ? [...botMemberRows(store), target] : memberRows(store);
    emit.event(
      chatMemberRecipients(store, members, members.map((m) => m.user_id), userId),
      same({ type: 'chat_member', chat_id: chat.id, actor_id: actorId, member, left: false, old_role: target.role }),
    );
    return member;
  });
}

/** No other sending without text messages (Telegram's rule too). */
function consistent(bits: number): number {
  return bits & 1 ? bits : bits & ~SEND_EVERYTHING;
}

/**
 * The chat's default permissions for every plain member (a member's own
 * restriction narrows them further); admins with can_restrict_members.
 * Everyone hears of it with the chat.
 */
export function setPermissions(ctx: RoomContext, actorId: number, permissions: ChatPermissions): Chat {
  const { store } = ctx;
  const { chat, member } = requireMember(store, actorId);
  if (chat.kind !== 'group' && chat.kind !== 'supergroup') throw fail.badRequest('Permissions are a setting of groups');
  if (chat.migrated_to) throw migrated(chat);
  requireRight(store, chat, member, 'can_restrict_members', ctx.now());
  const bits = consistent(permissionsToBits(permissions));
  if (bits === chatPermissionBits(chat)) return chatSnapshot(store, actorId, chat);
  return commit(ctx, (emit) => {
    store.exec('UPDATE chat SET permissions = ?', bits);
    noteAdminAction(ctx, actorId, 'permissions_changed', { permissions: permissionsFromBits(bits) });
    return announceChatChange(ctx, emit, actorId);
  });
}

/**
 * Slow mode: how long a plain member waits between messages (one of
 * SLOW_MODE_STEPS; 0 turns it off); admins with can_restrict_members.
 */
export function setSlowMode(ctx: RoomContext, actorId: number, seconds: number): Chat {
  const { store } = ctx;
  const { chat, member } = requireMember(store, actorId);
  if (chat.kind !== 'group' && chat.kind !== 'supergroup') throw fail.badRequest('Slow mode is a setting of groups');
  if (chat.migrated_to) throw migrated(chat);
  requireRight(store, chat, member, 'can_restrict_members', ctx.now());
  if (!(SLOW_MODE_STEPS as readonly number[]).includes(seconds)) {
    throw fail.badRequest(`Slow mode is one of ${SLOW_MODE_STEPS.join(', ')} seconds`);
  }
  if (seconds === (chat.slow_mode_seconds ?? 0)) return chatSnapshot(store, actorId, chat);
  return commit(ctx, (emit) => {
    store.exec('UPDATE chat SET slow_mode_seconds = ?', seconds);
    noteAdminAction(ctx, actorId, 'slow_mode_changed', { seconds });
    if (seconds === 0) store.exec('DELETE FROM slow_mode_sends');
    return announceChatChange(ctx, emit, actorId);
  });
}

/**
 * Refuses a plain member's message sent sooner than slow mode allows
 * (SLOW_MODE_WAIT with the seconds left). The last send is stored, so an
 * evicted or restarted chat keeps counting.
 */
export function checkSlowMode(store: SqlStore, chat: ChatRow, member: MemberRow, now: number): void {
  const seconds = chat.slow_mode_seconds ?? 0;
  if (seconds === 0 || member.role !== 'member') return;
  const last = one<{ sent_at: number }>(store, 'SELECT sent_at FROM slow_mode_sends WHERE user_id = ?', member.user_id);
  if (!last) return;
  const waitMs = last.sent_at + seconds * 1000 - now;
  if (waitMs <= 0) return;
  const retryAfter = Math.ceil(waitMs / 1000);
  throw new EdgegramError(ErrorCode.SLOW_MODE_WAIT, `Slow mode is on: you can send your next message in ${retryAfter} s`, {
    retry_after: retryAfter,
  });
}

/** Inside a send's transaction: the member's message counts for slow mode. */
export function noteSlowModeSend(store: SqlStore, chat: ChatRow, member: MemberRow, now: number): void {
  if ((chat.slow_mode_seconds ?? 0) === 0 || member.role !== 'member') return;
  store.exec(
    'INSERT INTO slow_mode_sends (user_id, sent_at) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET sent_at = excluded.sent_at',
    member.user_id,
    now,
  );
}

export const restrictionVerbs = { restrict, setPermissions, setSlowMode };
