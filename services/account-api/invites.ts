import { database } from '../../d1/db.js';
import { findInviteChat } from '../../d1/queries/invites.js';
import { hit, peek, type LimitRule } from '../../d1/queries/rate-limits.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { unwrap, type Outcome } from '../../durable-objects/outcome.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import type { CallContext } from './context.js';
import type { Handlers } from './dispatch.js';

/**
 * Invite links. The ChatRoom owns a link (rights, limits, usage; see
 * chat-room/invites.ts); this layer makes the token, and finds a token's
 * group through D1, which knows only the token's SHA-256.
 */

/**
 * Failed look-ups (an unknown, revoked, expired or used-up token) an account
 * may make before it must wait: someone following links is never slowed,
 * someone guessing tokens is (on top of 128 random bits).
 */
export const INVITE_FAILURES_PER_ACCOUNT: LimitRule = { limit: 20, windowMs: 10 * 60_000 };

export const inviteHandlers: Handlers<
  'createChatInviteLink' | 'getChatInviteLinks' | 'revokeChatInviteLink' | 'checkChatInviteLink' | 'joinChatByInviteLink'
> = {
  async createChatInviteLink(ctx, p) {
    const token = newInviteToken();
    const input = {
      token,
      tokenHash: await hashInviteToken(token),
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(p.expire_date !== undefined ? { expireDate: p.expire_date } : {}),
      ...(p.member_limit !== undefined ? { memberLimit: p.member_limit } : {}),
      ...(p.creates_join_request ? { createsJoinRequest: true } : {}),
    };
    return { link: unwrap(await chatRoom(ctx.env, p.chat_id).createInvite(ctx.caller.userId, input)) };
  },
  async getChatInviteLinks(ctx, p) {
    return { links: unwrap(await chatRoom(ctx.env, p.chat_id).listInvites(ctx.caller.userId)) };
  },
  async revokeChatInviteLink(ctx, p) {
    return { link: unwrap(await chatRoom(ctx.env, p.chat_id).revokeInvite(ctx.caller.userId, p.link_id)) };
  },
  async checkChatInviteLink(ctx, p) {
    return throughLink(ctx, p.token, (room, hash) => room.previewInvite(ctx.caller.userId, hash));
  },
  async joinChatByInviteLink(ctx, p) {
    // Callers of the account API are people (bots have none), so the joiner is no bot member.
    return throughLink(ctx, p.token, (room, hash) => room.joinByInvite(ctx.caller.userId, hash));
  },
};

/** 128 random bits, base64url: 22 characters. */
export function newInviteToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function hashInviteToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

type Room = ReturnType<typeof chatRoom>;

/**
 * Finds the token's group and runs `use` in its ChatRoom. Every way a link
 * can fail is the one INVITE_INVALID, and counts against the caller's
 * failure budget; over it, RATE_LIMITED before any look-up.
 */
async function throughLink<T>(ctx: CallContext, token: string, use: (room: Room, hash: string) => Promise<Outcome<T>>): Promise<T> {
  const db = database(ctx.env.DB);
  const key = `invite-fail:acct:${ctx.caller.userId}`;
  const budget = await peek(db, key, INVITE_FAILURES_PER_ACCOUNT, ctx.now());
  if (budget.count >= INVITE_FAILURES_PER_ACCOUNT.limit) throw fail.rateLimited(budget.retryAfterSec);
  const hash = await hashInviteToken(token);
  const chatId = await findInviteChat(db, hash);
  try {
    if (chatId === undefined) throw fail.inviteInvalid();
    return unwrap(await use(chatRoom(ctx.env, chatId), hash));
  } catch (err) {
    if (err instanceof EdgegramError && err.code === ErrorCode.INVITE_INVALID) await hit(db, key, INVITE_FAILURES_PER_ACCOUNT, ctx.now());
    throw err;
  }
}
