import type { AdminRight, AdminRights, ChatKind, ChatPermission, ChatPermissions, MemberRole } from './messages.js';

/**
 * Who may do what in a chat, as a pure rule over wire shapes: the ChatRoom
 * decides with it (durable-objects/chat-room/rights.ts feeds it what it
 * stored), and clients ask it to offer only the actions the server allows.
 *
 * The creator may do everything; an admin what its rights say; a plain
 * member of a group what its permissions (the chat's, narrowed by its own
 * restriction) allow of the few actions members can be given; in a private
 * chat either side may pin and nothing else is managed; a channel's
 * subscribers manage nothing.
 */

/** An action that needs a right: every admin right but anonymity, which is a way of posting, not an action. */
export type RightAction = Exclude<AdminRight, 'is_anonymous'>;

/** The actions a plain member may be allowed, and the permission that allows each. */
export const MEMBER_PERMISSION_OF: Partial<Record<RightAction, ChatPermission>> = {
  can_invite_users: 'can_invite_users',
  can_pin_messages: 'can_pin_messages',
  can_change_info: 'can_change_info',
  can_manage_topics: 'can_manage_topics',
};

/** What the rule needs to know of a member: its role, its rights (admins), and what it may do as a plain member. */
export type Actor = { role: MemberRole; rights?: AdminRights | undefined; permissions?: ChatPermissions | undefined };

export function memberMay(kind: ChatKind, actor: Actor, action: RightAction): boolean {
  if (kind === 'private') return action === 'can_pin_messages';
  if (actor.role === 'creator') return true;
  if (actor.role === 'admin') return actor.rights?.[action] ?? false;
  const permission = MEMBER_PERMISSION_OF[action];
  if (!permission || kind === 'channel') return false;
  return actor.permissions?.[permission] ?? false;
}

/**
 * Whether `actor` may appoint, edit or dismiss `target` as an admin: the
 * creator may any; an admin with can_promote_members plain members and the
 * admins it appointed itself (Telegram's rule), no one else.
 */
export function mayManageAdmin(
  actor: { user_id: number; role: MemberRole; rights?: AdminRights | undefined },
  target: { role: MemberRole; promoted_by?: number | null | undefined },
): boolean {
  if (actor.role === 'creator') return true;
  if (actor.role !== 'admin' || !actor.rights?.can_promote_members) return false;
  return target.role === 'member' || (target.role === 'admin' && target.promoted_by === actor.user_id);
}

/** A member's own permissions: the chat's, narrowed by a restriction in force. */
export function effectivePermissions(chat: ChatPermissions, restriction: Partial<ChatPermissions> | undefined): ChatPermissions {
  if (!restriction) return chat;
  return Object.fromEntries(Object.entries(chat).map(([name, allowed]) => [name, allowed && restriction[name as ChatPermission] !== false])) as ChatPermissions;
}
