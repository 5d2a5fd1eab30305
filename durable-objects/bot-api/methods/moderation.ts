import { database } from '../../../d1/db.js';
import { findAccountById } from '../../../d1/queries/accounts.js';
import { chatRoom } from '../../stubs.js';
import { resolveChat, type Target } from '../chats.js';
import type { BotCallContext } from '../context.js';
import type { BotHandlers } from '../dispatch.js';
import { botError, unwrapBot } from '../errors.js';
import { botVisibleMessage } from './shared.js';

/**
 * Bans, restrictions, pins and reactions, as Telegram has them for basic
 * groups (Edgegram's only kind of group): banning removes the member and
 * keeps them out; restricting is a supergroup feature, so it is refused as
 * Telegram refuses it in basic groups; Edgegram has no reactions yet, so any
 * reaction is invalid (clearing reactions succeeds).
 */

const NO_BAN_RIGHTS = 'not enough rights to restrict/ban chat member';
const NO_PIN_RIGHTS = 'not enough rights to manage pinned messages in the chat';
/** Telegram treats bans shorter than 30 s or longer than 366 days as permanent. */
const MIN_BAN_S = 30;
const MAX_BAN_S = 366 * 24 * 3600;

export const moderationMethods: BotHandlers<
  | 'banChatMember'
  | 'unbanChatMember'
  | 'restrictChatMember'
  | 'pinChatMessage'
  | 'unpinChatMessage'
  | 'unpinAllChatMessages'
  | 'setMessageReaction'
> = {
  async banChatMember(ctx, p) {
    const target = await moderatedGroup(ctx, p.chat_id, p.user_id);
    const now = Math.floor(ctx.now() / 1000);
    const until = p.until_date && p.until_date - now >= MIN_BAN_S && p.until_date - now <= MAX_BAN_S ? p.until_date * 1000 : null;
    unwrapBot(await chatRoom(ctx.env, target.chatId).ban(ctx.bot.id, p.user_id, until), { FORBIDDEN: `Bad Request: ${NO_BAN_RIGHTS}` });
    return true;
  },

  async unbanChatMember(ctx, p) {
    const target = await moderatedGroup(ctx, p.chat_id, p.user_id);
    unwrapBot(await chatRoom(ctx.env, target.chatId).unban(ctx.bot.id, p.user_id, p.only_if_banned ?? false), {
      FORBIDDEN: `Bad Request: ${NO_BAN_RIGHTS}`,
    });
    return true;
  },

  async restrictChatMember(ctx, p) {
    await resolveChat(ctx, p.chat_id, 'read');
    throw botError.badRequest('method is available only for supergroups');
  },

  async pinChatMessage(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    await botVisibleMessage(ctx, target, p.message_id, 'message to pin not found');
    unwrapBot(await chatRoom(ctx.env, target.chatId).pin(ctx.bot.id, p.message_id), {
      FORBIDDEN: `Bad Request: ${NO_PIN_RIGHTS}`,
      NOT_FOUND: 'Bad Request: message to pin not found',
    });
    return true;
  },

  async unpinChatMessage(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    unwrapBot(await chatRoom(ctx.env, target.chatId).unpin(ctx.bot.id, p.message_id), { FORBIDDEN: `Bad Request: ${NO_PIN_RIGHTS}` });
    return true;
  },

  /** Edgegram keeps one pinned message, so unpinning all is unpinning it. */
  async unpinAllChatMessages(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    unwrapBot(await chatRoom(ctx.env, target.chatId).unpin(ctx.bot.id, undefined), { FORBIDDEN: `Bad Request: ${NO_PIN_RIGHTS}` });
    return true;
  },

  async setMessageReaction(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    await botVisibleMessage(ctx, target, p.message_id, 'message to react not found');
    if ((p.reaction ?? []).length > 0) throw botError.badRequest('REACTION_INVALID');
    return true;
  },
};

/**
 * A group the bot moderates and a user it may act on, checked against the
 * member list the way Telegram words its refusals; the ChatRoom checks again.
 */
async function moderatedGroup(ctx: BotCallContext, chatId: number | string, userId: number): Promise<Target> {
  const target = await resolveChat(ctx, chatId, 'read');
  if (target.kind !== 'group') throw botError.badRequest("chat member status can't be changed in private chats");
  if (!(await findAccountById(database(ctx.env.DB), userId))) throw botError.badRequest('PARTICIPANT_ID_INVALID');
  const role = (id: number) => target.members.find((m) => m.user_id === id)?.role;
  const mine = role(ctx.bot.id);
  if (userId === ctx.bot.id) throw botError.badRequest("can't remove self; use leaveChat");
  if (mine !== 'creator' && mine !== 'admin') throw botError.badRequest(NO_BAN_RIGHTS);
  if (role(userId) === 'creator') throw botError.badRequest("can't remove chat owner");
  if (role(userId) === 'admin' && mine !== 'creator') throw botError.badRequest('user is an administrator of the chat');
  return target;
}
