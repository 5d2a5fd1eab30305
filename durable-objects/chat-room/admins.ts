import { AdminTitle, type AdminRights, type Chat, type ChatMember, type MemberRole } from '../../protocol/messages.js';
import { fail } from '../../protocol/errors.js';
import { noteAdminAction } from './admin-log.js';
import { isBotMember } from './bots.js';
import { checkMayDemote, migrated } from './channels.js';
import type { RoomContext } from './context.js';
import { announce, DEFAULT_ADMIN_BITS, requireGroup, upsert } from './membership.js';
import { ALL_RIGHTS_BITS, bitOf, may, mayManage, rightsBeyond, rightsFromBits, rightsToBits } from './rights.js';
import { chatSnapshot, memberRow, requireMember, toChatMember } from './state.js';
import { commit } from './writer.js';

/**
 * Who manages the chat: appointing and dismissing admins with their rights
 * and titles, and handing the chat to a new owner. Every change is a
 * `chat_member` update (membership.ts announces it) and a recent action.
 */

/** Appoints an admin with the rights admins have by default, or dismisses one (Telegram's basic-group toggle). */
export function setAdmin(ctx: RoomContext, actorId: number, userId: number, isAdmin: boolean): Chat {
  editAdmin(ctx, actorId, userId, isAdmin ? rightsFromBits(DEFAULT_ADMIN_BITS) : null);
  return chatSnapshot(ctx.store, actorId);
}

/**
 * Appoints `userId` an admin with `rights` (possibly none: an admin still
 * sees what admins see), changes an admin's rights or title, or (rights
 * null) dismisses them: the creator, or
 * an admin with can_promote_members, who may grant only rights it holds
 * and edit only the admins it appointed. Everyone who sees the member
 * hears of it (`chat_member` with the rights), and it holds from the next
 * call on, since every verb checks rights as it runs.
 */
export function editAdmin(
  ctx: RoomContext,
  actorId: number,
  userId: number,
  rights: AdminRights | null,
  title?: string | null,
): ChatMember {
  const { store } = ctx;
  const { chat, member: actor } = requireMember(store, actorId);
  requireGroup(chat.kind);
  if (chat.migrated_to) throw migrated(chat);
  if (!may(store, chat, actor, 'can_promote_members', ctx.now())) throw fail.forbidden('Not enough rights to promote members');
  if (userId === actorId && actor.role !== 'creator') throw fail.badRequest('You cannot change your own admin rights');
  const target = memberRow(store, userId);
  if (!target) throw fail.notFound('Member');
  if (target.role === 'creator') {
    throw fail.badRequest("The creator's rights cannot change; its title can, with setChatAdminTitle");
  }
  if (!mayManage(actor, target)) throw fail.forbidden('Only the creator, or the admin who appointed them, may change an admin');
  const bits = rights ? rightsToBits(rights) : 0;
  const beyond = rights ? rightsBeyond(actor, rights) : [];
  if (beyond.length > 0) throw fail.forbidden(`You cannot grant rights you do not hold: ${beyond.join(', ')}`);
  if (title !== undefined && title !== null && !AdminTitle.safeParse(title).success) {
    throw fail.badRequest('A custom title is at most 16 characters, without emoji');
  }
  // An admin may hold no right at all (Telegram's can_manage_chat alone: sees what admins see); null dismisses.
  const role: MemberRole = rights === null ? 'member' : 'admin';
  if (role === 'member') checkMayDemote(chat, isBotMember(store, userId));
  const newTitle = role === 'member' ? null : title === undefined ? (target.title ?? null) : title || null;
  if (target.role === role && (target.rights ?? 0) === bits && (target.title ?? null) === newTitle) return toChatMember(target);
  return commit(ctx, (emit) => {
    store.exec(
      'UPDATE members SET role = ?, rights = ?, title = ?, promoted_by = ? WHERE user_id = ?',
      role,
      bits,
      newTitle,
      role === 'admin' ? (target.role === 'admin' ? (target.promoted_by ?? actorId) : actorId) : null,
      userId,
    );
    // As in Telegram, promoting lifts a restriction (a later demotion does not bring it back).
    if (role === 'admin') store.exec('DELETE FROM restrictions WHERE user_id = ?', userId);
    const changed = memberRow(store, userId)!;
    if (changed.role !== target.role) emit.index([upsert(chat.id, changed)]);
    noteAdminAction(ctx, actorId, 'admin_rights_changed', { rights: role === 'admin' ? rights : null, ...(newTitle ? { title: newTitle } : {}) }, userId);
    announce(ctx, emit, actorId, [{ member: changed, left: false, oldRole: target.role }]);
    return toChatMember(changed);
  });
}

/** An admin's (or the creator's own) custom title: the creator, or whoever appointed that admin. */
export function setAdminTitle(ctx: RoomContext, actorId: number, userId: number, title: string): ChatMember {
  const { store } = ctx;
  const { chat, member: actor } = requireMember(store, actorId);
  requireGroup(chat.kind);
  const target = memberRow(store, userId);
  if (!target) throw fail.notFound('Member');
  if (target.role === 'member') throw fail.badRequest('Only admins have custom titles');
  if (target.role === 'admin') return editAdmin(ctx, actorId, userId, rightsFromBits(target.rights ?? 0), title);
  if (actor.role !== 'creator') throw fail.forbidden("Only the creator sets its own title");
  if (!AdminTitle.safeParse(title).success) throw fail.badRequest('A custom title is at most 16 characters, without emoji');
  if ((target.title ?? '') === title) return toChatMember(target);
  return commit(ctx, (emit) => {
    store.exec('UPDATE members SET title = ? WHERE user_id = ?', title || null, userId);
    noteAdminAction(ctx, actorId, 'admin_title_changed', { title }, userId);
    const changed = memberRow(store, userId)!;
    announce(ctx, emit, actorId, [{ member: changed, left: false, oldRole: target.role }]);
    return toChatMember(changed);
  });
}

/**
 * The creator hands the chat to another member, who becomes its creator;
 * the old creator stays an admin with every right. The caller has checked
 * the creator's password (services/account-api). Bots cannot own chats.
 */
export function transferOwnership(ctx: RoomContext, actorId: number, userId: number): Chat {
  const { store } = ctx;
  const { chat, member: actor } = requireMember(store, actorId);
  requireGroup(chat.kind);
  if (chat.migrated_to) throw migrated(chat);
  if (actor.role !== 'creator') throw fail.forbidden('Only the creator may transfer ownership');
  if (userId === actorId) throw fail.badRequest('You already own this chat');
  const target = memberRow(store, userId);
  if (!target) throw fail.notFound('Member');
  if (isBotMember(store, userId)) throw fail.badRequest('A bot cannot own a chat');
  return commit(ctx, (emit) => {
    store.exec("UPDATE members SET role = 'creator', rights = 0, promoted_by = NULL WHERE user_id = ?", userId);
    store.exec(
      "UPDATE members SET role = 'admin', rights = ?, promoted_by = ? WHERE user_id = ?",
      ALL_RIGHTS_BITS & ~bitOf('is_anonymous'),
      userId,
      actorId,
    );
    store.exec('DELETE FROM restrictions WHERE user_id = ?', userId);
    store.exec('UPDATE chat SET creator_id = ?', userId);
    noteAdminAction(ctx, actorId, 'ownership_transferred', {}, userId);
    const heir = memberRow(store, userId)!;
    const former = memberRow(store, actorId)!;
    emit.index([upsert(chat.id, heir), upsert(chat.id, former)]);
    return announce(ctx, emit, actorId, [
      { member: heir, left: false, oldRole: target.role },
      { member: former, left: false, oldRole: 'creator' },
    ]);
  });
}

export const adminVerbs = { setAdmin, editAdmin, setAdminTitle, transferOwnership };
