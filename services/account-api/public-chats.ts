import { database } from '../../d1/db.js';
import { claimChatUsername, usernameOfChat } from '../../d1/queries/chat-usernames.js';
import { hit, type LimitRule } from '../../d1/queries/rate-limits.js';
import { EdgegramError, fail } from '../../protocol/errors.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import { checkPersonUsername, usernameTaken } from './profile.js';
import type { Handlers } from './dispatch.js';

/**
 * Public chats and join requests (see protocol/public-chats.ts). A chat's
 * username is claimed in D1 before its ChatRoom takes it: D1 decides who
 * holds a name (one namespace with people and bots), the room shows it.
 */

/** Public chats an account may join (or ask to) in an hour: enough for anyone browsing, not for a joining bot farm. */
export const PUBLIC_JOINS: LimitRule = { limit: 60, windowMs: 60 * 60_000 };

/** Name changes a chat may make in an hour, so a name cannot be bounced between chats to confuse people. */
export const CHAT_USERNAME_CHANGES: LimitRule = { limit: 10, windowMs: 60 * 60_000 };

export const publicChatHandlers: Handlers<
  'setChatUsername' | 'setChatJoinByRequest' | 'joinChat' | 'getChatJoinRequests' | 'approveChatJoinRequest' | 'declineChatJoinRequest'
> = {
  /**
   * Authorize → claim in D1 → take in the room. If the room refuses after
   * the claim (the caller stopped being the creator in between), D1 gets
   * back the name the room still shows, so the two do not drift apart.
   */
  async setChatUsername(ctx, p) {
    const db = database(ctx.env.DB);
    const room = chatRoom(ctx.env, p.chat_id);
    const wanted = p.username.trim() || null;
    if (wanted !== null) checkPersonUsername(wanted);
    unwrap(await room.checkMaySetUsername(ctx.caller.userId));
    const limit = await hit(db, `chat-username:${p.chat_id}`, CHAT_USERNAME_CHANGES, ctx.now());
    if (limit.count > CHAT_USERNAME_CHANGES.limit) throw fail.rateLimited(limit.retryAfterSec);
    const before = await usernameOfChat(db, p.chat_id);
    if (!(await claimChatUsername(db, p.chat_id, wanted, ctx.now()))) throw usernameTaken();
    try {
      return { chat: unwrap(await room.setUsername(ctx.caller.userId, wanted)) };
    } catch (err) {
      if (err instanceof EdgegramError) await claimChatUsername(db, p.chat_id, before ?? null, ctx.now());
      throw err;
    }
  },
  async setChatJoinByRequest(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).setJoinByRequest(ctx.caller.userId, p.enabled)) };
  },
  async joinChat(ctx, p) {
    const limit = await hit(database(ctx.env.DB), `public-join:${ctx.caller.userId}`, PUBLIC_JOINS, ctx.now());
    if (limit.count > PUBLIC_JOINS.limit) throw fail.rateLimited(limit.retryAfterSec);
    return unwrap(await chatRoom(ctx.env, p.chat_id).joinPublic(ctx.caller.userId));
  },
  async getChatJoinRequests(ctx, p) {
    return unwrap(await chatRoom(ctx.env, p.chat_id).listJoinRequests(ctx.caller.userId, p.limit, p.offset_user_id));
  },
  async approveChatJoinRequest(ctx, p) {
    unwrap(await chatRoom(ctx.env, p.chat_id).approveJoinRequest(ctx.caller.userId, p.user_id));
    return { ok: true as const };
  },
  async declineChatJoinRequest(ctx, p) {
    unwrap(await chatRoom(ctx.env, p.chat_id).declineJoinRequest(ctx.caller.userId, p.user_id));
    return { ok: true as const };
  },
};
