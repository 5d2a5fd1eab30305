import { INVITE_TOKEN_PATTERN, InviteLinkName, MAX_INVITE_MEMBER_LIMIT, type ChatInviteLink } from '../../../protocol/invites.js';
import type { BotApiChatInviteLink } from '../../../protocol/bot-api/types.js';
import { chatRoom } from '../../../durable-objects/stubs.js';
import { hashInviteToken, newInviteToken } from '../../account-api/invites.js';
import { resolveChat, type Target } from '../chats.js';
import { publicOrigin, type BotCallContext } from '../context.js';
import type { BotHandlers } from '../dispatch.js';
import { botError, unwrapBot } from '../errors.js';
import { toBotUser, unknownUser } from '../translate/users.js';
import { database } from '../../../d1/db.js';
import { findAccountById, toUser } from '../../../d1/queries/accounts.js';

/**
 * A bot's invite links, as Telegram's methods name them: links are the
 * ChatRoom's (chat-room/invites.ts); here they become URLs
 * (`<origin>/+<token>`, the web client's) and Telegram's ChatInviteLink.
 * A bot edits and revokes only the links it made. Join requests (a link
 * that creates_join_request, a public chat with join_by_request) reach
 * admin bots with the invite right as chat_join_request updates and are
 * answered with approveChatJoinRequest / declineChatJoinRequest.
 */

const NO_INVITE_RIGHTS = 'Bad Request: not enough rights to manage chat invite link';
/** Telegram's answers for join requests: no right, and no such request. */
const NO_JOIN_REQUEST_RIGHTS = 'Bad Request: CHAT_ADMIN_REQUIRED';
const NO_JOIN_REQUEST = 'Bad Request: HIDE_REQUESTER_MISSING';
/** Telegram refuses a usage limit on a link that needs approval. */
const LIMIT_WITH_REQUESTS = "Bad Request: member limit can't be specified for links requiring administrator approval";

export const inviteMethods: BotHandlers<
  'exportChatInviteLink' | 'createChatInviteLink' | 'editChatInviteLink' | 'revokeChatInviteLink' | 'approveChatJoinRequest' | 'declineChatJoinRequest'
> = {
  /** A new primary link for the bot; its primary link before stops working. Answers the URL alone. */
  async exportChatInviteLink(ctx, p) {
    const target = await groupOf(ctx, p.chat_id);
    const link = await create(ctx, target, { primary: true });
    return linkUrl(ctx, link.token);
  },

  async createChatInviteLink(ctx, p) {
    const target = await groupOf(ctx, p.chat_id);
    if (p.creates_join_request && p.member_limit) throw botError.badRequest(LIMIT_WITH_REQUESTS.replace('Bad Request: ', ''));
    const link = await create(ctx, target, {
      ...(p.name !== undefined ? { name: checkedName(p.name) } : {}),
      ...(p.expire_date ? { expireDate: expiry(ctx, p.expire_date) } : {}),
      ...(p.member_limit ? { memberLimit: checkedLimit(p.member_limit) } : {}),
      ...(p.creates_join_request ? { createsJoinRequest: true } : {}),
    });
    return toBotLink(ctx, link);
  },

  async editChatInviteLink(ctx, p) {
    const target = await groupOf(ctx, p.chat_id);
    const hash = await hashOfUrl(p.invite_link);
    const link = unwrapBot(
      await chatRoom(ctx.env, target.chatId).editInvite(ctx.bot.id, hash, {
        ...(p.name !== undefined ? { name: p.name === '' ? null : checkedName(p.name) } : {}),
        ...(p.expire_date !== undefined ? { expireDate: p.expire_date === 0 ? null : expiry(ctx, p.expire_date) } : {}),
        ...(p.member_limit !== undefined ? { memberLimit: p.member_limit === 0 ? null : checkedLimit(p.member_limit) } : {}),
        ...(p.creates_join_request !== undefined ? { createsJoinRequest: p.creates_join_request } : {}),
      }),
      {
        FORBIDDEN: NO_INVITE_RIGHTS,
        NOT_FOUND: 'Bad Request: INVITE_HASH_INVALID',
        BAD_REQUEST: (e) => (e.message.includes('join requests') ? LIMIT_WITH_REQUESTS : 'Bad Request: INVITE_HASH_EXPIRED'),
      },
    );
    return toBotLink(ctx, link);
  },

  async revokeChatInviteLink(ctx, p) {
    const target = await groupOf(ctx, p.chat_id);
    const hash = await hashOfUrl(p.invite_link);
    const link = unwrapBot(await chatRoom(ctx.env, target.chatId).revokeInviteByHash(ctx.bot.id, hash), {
      FORBIDDEN: NO_INVITE_RIGHTS,
      NOT_FOUND: 'Bad Request: INVITE_HASH_INVALID',
    });
    return toBotLink(ctx, link);
  },

  async approveChatJoinRequest(ctx, p) {
    const target = await groupOf(ctx, p.chat_id);
    unwrapBot(await chatRoom(ctx.env, target.chatId).approveJoinRequest(ctx.bot.id, p.user_id), {
      FORBIDDEN: (e) => (e.message.includes('banned') ? 'Bad Request: USER_BANNED_IN_CHANNEL' : NO_JOIN_REQUEST_RIGHTS),
      NOT_FOUND: NO_JOIN_REQUEST,
      CHAT_FULL: 'Bad Request: USERS_TOO_MUCH',
    });
    return true;
  },

  async declineChatJoinRequest(ctx, p) {
    const target = await groupOf(ctx, p.chat_id);
    unwrapBot(await chatRoom(ctx.env, target.chatId).declineJoinRequest(ctx.bot.id, p.user_id), {
      FORBIDDEN: NO_JOIN_REQUEST_RIGHTS,
      NOT_FOUND: NO_JOIN_REQUEST,
    });
    return true;
  },
};

async function groupOf(ctx: BotCallContext, chatId: number | string): Promise<Target> {
  const target = await resolveChat(ctx, chatId, 'read');
  if (target.kind !== 'group') throw botError.badRequest("can't invite members to a private chat");
  return target;
}

async function create(
  ctx: BotCallContext,
  target: Target,
  options: { name?: string; expireDate?: number; memberLimit?: number; primary?: boolean },
): Promise<ChatInviteLink> {
  const token = newInviteToken();
  const input = { token, tokenHash: await hashInviteToken(token), ...options };
  return unwrapBot(await chatRoom(ctx.env, target.chatId).createInvite(ctx.bot.id, input), { FORBIDDEN: NO_INVITE_RIGHTS });
}

function checkedName(name: string): string {
  if (!InviteLinkName.safeParse(name).success) throw botError.badRequest('invite link name is too long');
  return name;
}

function checkedLimit(limit: number): number {
  if (limit < 1 || limit > MAX_INVITE_MEMBER_LIMIT) throw botError.badRequest('USAGE_LIMIT_INVALID');
  return limit;
}

/** Telegram's expire_date is unix seconds; a past one is refused as Telegram does. */
function expiry(ctx: BotCallContext, seconds: number): number {
  const ms = seconds * 1000;
  if (ms <= ctx.now()) throw botError.badRequest('EXPIRE_DATE_INVALID');
  return ms;
}

function linkUrl(ctx: BotCallContext, token: string): string {
  return `${publicOrigin(ctx)}/+${token}`;
}

/** The token of a link URL (`…/+<token>`, or Telegram's `…/joinchat/<token>`), hashed as the room knows it. */
async function hashOfUrl(url: string): Promise<string> {
  const token = /(?:\/\+|\/joinchat\/|^\+?)([A-Za-z0-9_-]+)\/?$/.exec(url.trim())?.[1];
  if (!token || !INVITE_TOKEN_PATTERN.test(token)) throw botError.badRequest('INVITE_HASH_INVALID');
  return hashInviteToken(token);
}

async function toBotLink(ctx: BotCallContext, link: ChatInviteLink): Promise<BotApiChatInviteLink> {
  // Nearly always the bot's own link (it changes only those, unless it owns the chat).
  const account = link.creator_id === ctx.bot.id ? undefined : await findAccountById(database(ctx.env.DB), link.creator_id);
  const creator = link.creator_id === ctx.bot.id ? toBotUser(ctx.bot.user) : account ? toBotUser(toUser(account)) : unknownUser(link.creator_id);
  return {
    invite_link: linkUrl(ctx, link.token),
    creator,
    creates_join_request: link.creates_join_request === true,
    ...(link.creates_join_request ? { pending_join_request_count: link.pending_join_request_count ?? 0 } : {}),
    is_primary: link.is_primary === true,
    is_revoked: link.is_revoked,
    ...(link.name !== undefined ? { name: link.name } : {}),
    ...(link.expire_date !== undefined ? { expire_date: Math.floor(link.expire_date / 1000) } : {}),
    ...(link.member_limit !== undefined ? { member_limit: link.member_limit } : {}),
  };
}
