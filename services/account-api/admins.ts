import { database } from '../../d1/db.js';
import { findAccountById } from '../../d1/queries/accounts.js';
import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import { ADMIN_RIGHTS, type AdminRights } from '../../protocol/messages.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import { checkCurrentPassword } from '../auth/second-factor.js';
import type { Handlers } from './dispatch.js';

/**
 * Running a community: admins and their rights, bans, the members'
 * permissions, slow mode and handing the chat over. The ChatRoom decides
 * who may do each (durable-objects/chat-room/rights.ts); these handlers
 * only translate.
 */

export const adminHandlers: Handlers<
  | 'editChatAdmin'
  | 'setChatAdminTitle'
  | 'transferChatOwnership'
  | 'banChatMember'
  | 'unbanChatMember'
  | 'setChatPermissions'
  | 'setChatSlowMode'
  | 'getAdminLog'
> = {
  async editChatAdmin(ctx, p) {
    const rights = p.rights === null ? null : fullRights(p.rights);
    return { member: unwrap(await chatRoom(ctx.env, p.chat_id).editAdmin(ctx.caller.userId, p.user_id, rights, p.title)) };
  },
  async setChatAdminTitle(ctx, p) {
    return { member: unwrap(await chatRoom(ctx.env, p.chat_id).setAdminTitle(ctx.caller.userId, p.user_id, p.title)) };
  },
  async transferChatOwnership(ctx, p) {
    const db = database(ctx.env.DB);
    const userId = ctx.caller.userId;
    const account = await findAccountById(db, userId);
    // One budget with every other signed-in password confirmation (services/auth/second-factor.ts).
    if (!(await checkCurrentPassword(db, userId, account?.passwordHash ?? null, p.password, ctx.now()))) {
      throw new EdgegramError(ErrorCode.INVALID_CREDENTIALS, 'Wrong password');
    }
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).transferOwnership(userId, p.user_id)) };
  },
  async banChatMember(ctx, p) {
    unwrap(await chatRoom(ctx.env, p.chat_id).ban(ctx.caller.userId, p.user_id, p.until ?? null));
    return { ok: true as const };
  },
  async unbanChatMember(ctx, p) {
    unwrap(await chatRoom(ctx.env, p.chat_id).unban(ctx.caller.userId, p.user_id, true));
    return { ok: true as const };
  },
  async setChatPermissions(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).setPermissions(ctx.caller.userId, p.permissions)) };
  },
  async setChatSlowMode(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).setSlowMode(ctx.caller.userId, p.seconds)) };
  },
  async getAdminLog(ctx, p) {
    const query = {
      ...(p.user_ids ? { actorIds: p.user_ids } : {}),
      ...(p.actions ? { actions: p.actions } : {}),
      ...(p.offset_id !== undefined ? { beforeId: p.offset_id } : {}),
      ...(p.limit !== undefined ? { limit: p.limit } : {}),
    };
    return { entries: unwrap(await chatRoom(ctx.env, p.chat_id).getAdminLog(ctx.caller.userId, query)) };
  },
};

/** Rights as asked: an omitted right is not granted. */
function fullRights(given: Partial<AdminRights>): AdminRights {
  return Object.fromEntries(ADMIN_RIGHTS.map((right) => [right, given[right] === true])) as AdminRights;
}
