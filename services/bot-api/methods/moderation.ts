import { database } from '../../../d1/db.js';
import { findAccountById } from '../../../d1/queries/accounts.js';
import { chatRoom } from '../../../durable-objects/stubs.js';
import { resolveChat, type Target } from '../chats.js';
import type { BotCallContext } from '../context.js';
import type { BotHandlers } from '../dispatch.js';
import { botError, unwrapBot } from '../errors.js';
import { z } from 'zod';
import type { BotParams } from '../../../protocol/bot-api/params.js';
import { MAX_REACTIONS_PER_BOT, Reaction } from '../../../protocol/reactions.js';
import type { Permissions } from '../../../durable-objects/chat-room/restrictions.js';
import { botVisibleMessage } from './shared.js';
import { AdminTitle, ChatTitle, type AdminRights } from '../../../protocol/messages.js';
import { ChatDescription } from '../../../protocol/common.js';
import { safeParseUntrusted } from '../../../protocol/safe-parse.js';

/**
 * Bans, restrictions, pins and reactions. Banning removes the member and
 * keeps them out. Restricting is a supergroup feature in Telegram; Edgegram's
 * groups are its only groups, so they have it (see
 * ../../chat-room/restrictions.ts for what Edgegram can express). Reactions
 * are Edgegram's own (a bot sets at most one).
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
  | 'setChatPermissions'
  | 'promoteChatMember'
  | 'setChatAdministratorCustomTitle'
  | 'setChatTitle'
  | 'setChatDescription'
  | 'pinChatMessage'
  | 'unpinChatMessage'
  | 'unpinAllChatMessages'
  | 'setMessageReaction'
> = {
  async banChatMember(ctx, p) {
    const target = await moderatedGroup(ctx, p.chat_id, p.user_id);
    const until = banEnd(ctx, p.until_date);
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
    const target = await moderatedGroup(ctx, p.chat_id, p.user_id);
    const until = banEnd(ctx, p.until_date);
    unwrapBot(await chatRoom(ctx.env, target.chatId).restrict(ctx.bot.id, p.user_id, edgegramPermissions(p), until), {
      FORBIDDEN: `Bad Request: ${NO_BAN_RIGHTS}`,
      NOT_FOUND: 'Bad Request: USER_NOT_PARTICIPANT',
    });
    return true;
  },

  async setChatPermissions(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    if (target.kind !== 'group' || target.chat.kind === 'channel') throw botError.badRequest('method is available only for groups and supergroups');
    unwrapBot(await chatRoom(ctx.env, target.chatId).setPermissions(ctx.bot.id, edgegramPermissions(p)), {
      FORBIDDEN: 'Bad Request: not enough rights to change chat permissions',
    });
    return true;
  },

  async promoteChatMember(ctx, p) {
    const target = await promotedIn(ctx, p.chat_id, p.user_id);
    const rights = promotes(p) ? edgegramRights(p) : null;
    unwrapBot(await chatRoom(ctx.env, target.chatId).editAdmin(ctx.bot.id, p.user_id, rights, undefined), {
      FORBIDDEN: 'Bad Request: not enough rights',
      NOT_FOUND: 'Bad Request: USER_NOT_PARTICIPANT',
      BAD_REQUEST: 'Bad Request: USER_NOT_MUTUAL_CONTACT',
    });
    return true;
  },

  async setChatTitle(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    if (target.kind !== 'group') throw botError.badRequest("chat title can't be changed in private chats");
    if (!ChatTitle.safeParse(p.title).success) throw botError.badRequest('chat title is empty');
    unwrapBot(await chatRoom(ctx.env, target.chatId).editTitle(ctx.bot.id, p.title), {
      FORBIDDEN: 'Bad Request: not enough rights to change chat title',
    });
    return true;
  },

  async setChatDescription(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    if (target.kind !== 'group') throw botError.badRequest("chat description can't be changed in private chats");
    const description = p.description ?? '';
    if (!ChatDescription.safeParse(description).success) throw botError.badRequest('chat description is too long');
    // Telegram answers a description that is already the chat's with this error, not with true.
    if ((target.chat.description ?? '') === description.trim()) throw botError.badRequest('chat description is not modified');
    unwrapBot(await chatRoom(ctx.env, target.chatId).editDescription(ctx.bot.id, description), {
      FORBIDDEN: 'Bad Request: not enough rights to change chat description',
    });
    return true;
  },

  async setChatAdministratorCustomTitle(ctx, p) {
    const target = await promotedIn(ctx, p.chat_id, p.user_id);
    if (!AdminTitle.safeParse(p.custom_title).success) throw botError.badRequest('ADMIN_RANK_EMOJI_NOT_ALLOWED');
    unwrapBot(await chatRoom(ctx.env, target.chatId).setAdminTitle(ctx.bot.id, p.user_id, p.custom_title), {
      FORBIDDEN: 'Bad Request: not enough rights to change custom title of the user',
      NOT_FOUND: 'Bad Request: USER_NOT_PARTICIPANT',
      BAD_REQUEST: 'Bad Request: user is not an administrator',
    });
    return true;
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

  async unpinAllChatMessages(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    unwrapBot(await chatRoom(ctx.env, target.chatId).unpinAll(ctx.bot.id), { FORBIDDEN: `Bad Request: ${NO_PIN_RIGHTS}` });
    return true;
  },

  async setMessageReaction(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    const emoji = (p.reaction ?? []).map((r) => {
      const parsed = safeParseUntrusted(EmojiReaction, r);
      // Custom emoji and paid reactions are Telegram's; Edgegram has only its standard emoji.
      if (!parsed.success) throw botError.badRequest('REACTION_INVALID');
      return parsed.data.emoji;
    });
    if (new Set(emoji).size > MAX_REACTIONS_PER_BOT) throw botError.badRequest('REACTIONS_TOO_MANY');
    unwrapBot(await chatRoom(ctx.env, target.chatId).setReactions(ctx.bot.id, p.message_id, emoji), {
      NOT_FOUND: 'Bad Request: message to react not found',
    });
    return true;
  },
};

const EmojiReaction = z.object({ type: z.literal('emoji'), emoji: Reaction });

/** Telegram treats an until_date less than 30 s or more than 366 days away as "for good" (null). */
function banEnd(ctx: BotCallContext, untilDate: number | undefined): number | null {
  const now = Math.floor(ctx.now() / 1000);
  return untilDate && untilDate - now >= MIN_BAN_S && untilDate - now <= MAX_BAN_S ? untilDate * 1000 : null;
}

const MEDIA_PERMISSIONS = ['can_send_audios', 'can_send_documents', 'can_send_photos', 'can_send_videos', 'can_send_voice_notes'] as const;

/**
 * Telegram's ChatPermissions in Edgegram's: an omitted permission is false,
 * as in Telegram; media is allowed only if every kind Edgegram has is;
 * links are can_add_web_page_previews; unless
 * use_independent_chat_permissions, any media, poll or preview permission
 * implies can_send_messages (Telegram's rule).
 */
function edgegramPermissions(p: { permissions: Record<string, unknown>; use_independent_chat_permissions?: boolean | undefined }): Permissions {
  const given = (k: string) => p.permissions[k] === true;
  const media = MEDIA_PERMISSIONS.every(given);
  const implying = MEDIA_PERMISSIONS.some(given) || ['can_send_other_messages', 'can_send_polls', 'can_add_web_page_previews'].some(given);
  const messages = given('can_send_messages') || (!p.use_independent_chat_permissions && implying);
  return {
    can_send_messages: messages,
    can_send_media: media,
    can_send_links: given('can_add_web_page_previews'),
    can_send_polls: given('can_send_polls'),
    can_invite_users: given('can_invite_users'),
    can_pin_messages: given('can_pin_messages'),
    can_change_info: given('can_change_info'),
    can_manage_topics: given('can_manage_topics'),
  };
}

/** promoteChatMember's flags as rights: an omitted one is false, so all omitted dismisses (Telegram's rule). */
function edgegramRights(p: BotParams<'promoteChatMember'>): AdminRights {
  return {
    can_change_info: p.can_change_info === true,
    can_post_messages: p.can_post_messages === true,
    can_edit_messages: p.can_edit_messages === true,
    can_delete_messages: p.can_delete_messages === true,
    can_restrict_members: p.can_restrict_members === true,
    can_invite_users: p.can_invite_users === true,
    can_pin_messages: p.can_pin_messages === true,
    can_manage_topics: p.can_manage_topics === true,
    can_manage_video_chats: p.can_manage_video_chats === true,
    can_promote_members: p.can_promote_members === true,
    is_anonymous: p.is_anonymous === true,
  };
}

/** Any flag promotes; can_manage_chat alone makes an admin with no further right (Telegram's rule); none dismisses. */
function promotes(p: BotParams<'promoteChatMember'>): boolean {
  return p.can_manage_chat === true || Object.values(edgegramRights(p)).some(Boolean);
}

/**
 * A group the bot moderates and a user it may act on, checked against the
 * member list the way Telegram words its refusals; the ChatRoom checks again.
 */
/**
 * A group where the bot manages admins, and a user it may act on: Telegram's
 * refusals for the obvious cases; the ChatRoom decides the rest (the bot
 * needs can_promote_members and may only change the admins it appointed).
 */
async function promotedIn(ctx: BotCallContext, chatId: number | string, userId: number): Promise<Target> {
  const target = await resolveChat(ctx, chatId, 'read');
  if (target.kind !== 'group') throw botError.badRequest("chat member status can't be changed in private chats");
  if (!(await findAccountById(database(ctx.env.DB), userId))) throw botError.badRequest('PARTICIPANT_ID_INVALID');
  if (userId === ctx.bot.id) throw botError.badRequest("can't promote self");
  const role = (id: number) => target.members.find((m) => m.user_id === id)?.role;
  const mine = role(ctx.bot.id);
  if (mine !== 'creator' && mine !== 'admin') throw botError.badRequest('not enough rights');
  if (role(userId) === 'creator') throw botError.badRequest('not enough rights to change the chat owner');
  return target;
}

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
