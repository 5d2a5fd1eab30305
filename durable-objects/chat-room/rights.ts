import { fail } from '../../protocol/errors.js';
import {
  ADMIN_RIGHTS,
  CHAT_PERMISSIONS,
  DEFAULT_CHAT_PERMISSIONS,
  type AdminRight,
  type AdminRights,
  type ChatPermissions,
} from '../../protocol/messages.js';
import { MEMBER_PERMISSION_OF, mayManageAdmin, memberMay, type RightAction } from '../../protocol/rights.js';
import type { SqlStore } from '../sql/store.js';
import { one } from '../sql/store.js';
import type { ChatRow, MemberRow } from './state.js';

/**
 * Who may do what in a chat, for this room: the rule itself is the
 * protocol's (protocol/rights.ts memberMay, which clients share), fed with
 * what the room stores. Every verb asks here on every call, so a change of
 * rights holds at once.
 *
 * Rights and permissions are stored as bits, in the order of ADMIN_RIGHTS
 * and CHAT_PERMISSIONS (the 'admin rights, member permissions, slow mode'
 * migration relies on it: 511 is every admin right but the last two).
 */

/** What a verb needs: an admin right (some of which members can be given: protocol/rights.ts). */
export type Action = RightAction;

export const ALL_RIGHTS_BITS = (1 << ADMIN_RIGHTS.length) - 1;
export const ALL_PERMISSIONS_BITS = (1 << CHAT_PERMISSIONS.length) - 1;

export function rightsToBits(rights: AdminRights): number {
  return ADMIN_RIGHTS.reduce((bits, right, i) => (rights[right] ? bits | (1 << i) : bits), 0);
}

export function rightsFromBits(bits: number): AdminRights {
  return Object.fromEntries(ADMIN_RIGHTS.map((right, i) => [right, (bits & (1 << i)) !== 0])) as AdminRights;
}

export function permissionsToBits(p: ChatPermissions): number {
  return CHAT_PERMISSIONS.reduce((bits, name, i) => (p[name] ? bits | (1 << i) : bits), 0);
}

export function permissionsFromBits(bits: number): ChatPermissions {
  return Object.fromEntries(CHAT_PERMISSIONS.map((name, i) => [name, (bits & (1 << i)) !== 0])) as ChatPermissions;
}

/** An admin's or the creator's rights; undefined for a plain member. */
export function rightsOf(member: MemberRow): AdminRights | undefined {
  // The creator holds every right; whether it stays anonymous is its own choice, kept in its bits.
  if (member.role === 'creator') return rightsFromBits((ALL_RIGHTS_BITS & ~bitOf('is_anonymous')) | ((member.rights ?? 0) & bitOf('is_anonymous')));
  if (member.role === 'admin') return rightsFromBits(member.rights ?? 0);
  return undefined;
}

export function bitOf(right: AdminRight): number {
  return 1 << ADMIN_RIGHTS.indexOf(right);
}

/** A chat's permissions before it set any (DEFAULT_CHAT_PERMISSIONS; the migration's column default, 15). */
export const DEFAULT_PERMISSION_BITS = permissionsToBits(DEFAULT_CHAT_PERMISSIONS);

/** The chat's permissions for every plain member, as bits. */
export function chatPermissionBits(chat: ChatRow): number {
  return chat.permissions ?? DEFAULT_PERMISSION_BITS;
}

/** A member's row of `restrictions`, as stored. */
export type RestrictionRow = { user_id: number; can_send_messages: number; can_send_media: number; permissions: number | null; until_ms: number | null };

export function restrictionRow(store: SqlStore, userId: number): RestrictionRow | undefined {
  return one<RestrictionRow>(store, 'SELECT * FROM restrictions WHERE user_id = ?', userId);
}

/** The permissions a restriction leaves (all, when there is none or it has ended). */
export function restrictionBitsOf(row: RestrictionRow | undefined, now: number): number {
  if (!row || (row.until_ms !== null && row.until_ms <= now)) return ALL_PERMISSIONS_BITS;
  if (row.permissions !== null) return row.permissions;
  // A restriction from before it had every permission: its two columns, the rest allowed.
  return (ALL_PERMISSIONS_BITS & ~0b11) | (row.can_send_messages ? 1 : 0) | (row.can_send_media ? 2 : 0);
}

/** What a plain member may do now: the chat's permissions, narrowed by its restriction. */
export function memberPermissions(store: SqlStore, chat: ChatRow, userId: number, now: number): ChatPermissions {
  return permissionsFromBits(chatPermissionBits(chat) & restrictionBitsOf(restrictionRow(store, userId), now));
}

/** Whether `member` may take `action` in `chat` now: the protocol's rule over what this room stores. */
export function may(store: SqlStore, chat: ChatRow, member: MemberRow, action: Action, now: number): boolean {
  // A plain member's permissions are read only when the rule would look at them.
  const asMember = member.role === 'member' && MEMBER_PERMISSION_OF[action] !== undefined && chat.kind !== 'private';
  return memberMay(chat.kind, {
    role: member.role,
    rights: rightsOf(member),
    permissions: asMember ? memberPermissions(store, chat, member.user_id, now) : undefined,
  }, action);
}

/** Telegram's wording of a missing right, which the Bot API passes on. */
const MISSING: Record<Action, string> = {
  can_change_info: 'Not enough rights to change chat info',
  can_post_messages: 'Not enough rights to post in this channel',
  can_edit_messages: "Not enough rights to edit others' messages",
  can_delete_messages: "Not enough rights to delete others' messages",
  can_restrict_members: 'Not enough rights to restrict/ban chat members',
  can_invite_users: 'Not enough rights to invite users',
  can_pin_messages: 'Not enough rights to pin messages',
  can_manage_topics: 'Not enough rights to manage topics',
  can_manage_video_chats: 'Not enough rights to manage video chats',
  can_promote_members: 'Not enough rights to promote members',
};

/** Throws FORBIDDEN (Telegram's words) unless `member` may take `action`. */
export function requireRight(store: SqlStore, chat: ChatRow, member: MemberRow, action: Action, now: number): void {
  if (!may(store, chat, member, action, now)) throw fail.forbidden(MISSING[action]);
}

/** Whether `actor` may appoint, edit or dismiss `target`: the protocol's rule (mayManageAdmin there). */
export function mayManage(actor: MemberRow, target: MemberRow): boolean {
  return mayManageAdmin({ user_id: actor.user_id, role: actor.role, rights: rightsOf(actor) }, target);
}

/** The rights in `wanted` that `actor` does not hold (so may not grant). */
export function rightsBeyond(actor: MemberRow, wanted: AdminRights): AdminRight[] {
  if (actor.role === 'creator') return [];
  const held = rightsOf(actor);
  return ADMIN_RIGHTS.filter((right) => wanted[right] && !held?.[right]);
}
