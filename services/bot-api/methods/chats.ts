import { database } from '../../../d1/db.js';
import { findAccountById, findAccountsByIds, toUser } from '../../../d1/queries/accounts.js';
import type { User } from '../../../protocol/common.js';
import type { BotApiChatFullInfo } from '../../../protocol/bot-api/types.js';
import { MAX_REACTIONS_PER_USER } from '../../../protocol/reactions.js';
import { chatRoom } from '../../../durable-objects/stubs.js';
import { botIdOfChat } from '../chat-ids.js';
import { resolveChat, type Target } from '../chats.js';
import type { BotCallContext } from '../context.js';
import type { BotHandlers } from '../dispatch.js';
import { botError, unwrapBot } from '../errors.js';
import { toBotChatPhoto } from '../translate/chat-photos.js';
import { toBotMessage } from '../translate/messages.js';
import { loadView } from '../translate/updates.js';
import { toBotChat, toBotChatMember, toBotMember, toBotPermissions, toBotUser, unknownUser } from '../translate/users.js';
import { DEFAULT_CHAT_PERMISSIONS } from '../../../protocol/messages.js';

export const chatMethods: BotHandlers<'getChat' | 'getChatAdministrators' | 'getChatMemberCount' | 'getChatMember' | 'leaveChat'> = {
  async getChat(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    const users = await usersOf(ctx, target.chat.member_ids);
    const chat = toBotChat(target.chat, ctx.bot.id, users);
    const pinned = await pinnedMessage(ctx, target);
    return {
      ...chat,
      // Telegram's accent colors 0-6 are picked from the id the same way.
      accent_color_id: Math.abs(chat.id) % 7,
      max_reaction_count: MAX_REACTIONS_PER_USER,
      // Members' permissions are a group's and supergroup's; a channel's subscribers only read.
      ...(target.kind === 'group' && target.chat.kind !== 'channel'
        ? {
            permissions: toBotPermissions(target.chat.permissions ?? DEFAULT_CHAT_PERMISSIONS),
            ...(target.chat.slow_mode_seconds ? { slow_mode_delay: target.chat.slow_mode_seconds } : {}),
          }
        : {}),
      ...(target.kind === 'private' && target.peer.about ? { bio: target.peer.about } : {}),
      ...(target.kind === 'group' && target.chat.description ? { description: target.chat.description } : {}),
      ...(target.kind === 'group' && target.chat.username ? { active_usernames: [target.chat.username] } : {}),
      ...(target.kind === 'group' && target.chat.join_by_request ? { join_by_request: true } : {}),
      ...(target.kind === 'group' && target.chat.photo ? { photo: toBotChatPhoto(target.chat.photo) } : {}),
      // A channel's discussion group is a supergroup and a supergroup's linked chat a channel: both -100<id>.
      ...(target.kind === 'group' && target.chat.linked_chat_id
        ? { linked_chat_id: botIdOfChat(target.chat.kind === 'channel' ? 'supergroup' : 'channel', target.chat.linked_chat_id) }
        : {}),
      ...(pinned ? { pinned_message: pinned } : {}),
    } satisfies BotApiChatFullInfo;
  },

  async getChatAdministrators(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    if (target.kind !== 'group') throw botError.badRequest('there are no administrators in the private chat');
    // The managers: every snapshot lists them, a large chat's too (found by index, not by a scan).
    const admins = target.members.filter((m) => m.role !== 'member');
    const users = await usersOf(ctx, admins.map((m) => m.user_id));
    return admins.map((m) => toBotMember(m, userFrom(users, m.user_id), target.chat.kind, ctx.bot.id));
  },

  /** The chat's kept count: a supergroup's or channel's snapshot lists only its managers and the bot. */
  async getChatMemberCount(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    return target.chat.member_count ?? target.chat.member_ids.length;
  },

  async getChatMember(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    const account = await findAccountById(database(ctx.env.DB), p.user_id);
    if (!account) throw botError.badRequest('user not found');
    const user = toBotUser(toUser(account));
    if (target.kind === 'private') return toBotChatMember(target.chat.member_ids.includes(p.user_id) ? 'member' : null, user);
    // Asked of the room, one member by key: the target's list holds only the managers and the bot in a large chat.
    return toBotMember(unwrapBot(await chatRoom(ctx.env, target.chatId).getMember(ctx.bot.id, p.user_id)), user, target.chat.kind, ctx.bot.id);
  },

  async leaveChat(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    if (target.kind !== 'group') throw botError.badRequest("chat member status can't be changed in private chats");
    unwrapBot(await chatRoom(ctx.env, target.chatId).leave(ctx.bot.id));
    return true;
  },
};

/** The chat's pinned message as the bot sees it (the room's snapshot knows the pin; a private Target is built from D1). */
async function pinnedMessage(ctx: BotCallContext, target: Target) {
  const room = chatRoom(ctx.env, target.chatId);
  const snapshot = target.kind === 'group' ? target.chat : unwrapBot(await room.getChat(ctx.bot.id)).chat;
  if (snapshot.pinned_message_id === undefined) return undefined;
  const [message] = unwrapBot(await room.getMessages(ctx.bot.id, [snapshot.pinned_message_id]));
  if (!message) return undefined;
  const view = await loadView(ctx.env, ctx.bot.id, { messages: [message], chats: [snapshot] });
  return toBotMessage(message, view);
}

async function usersOf(ctx: BotCallContext, ids: readonly number[]): Promise<Map<number, User>> {
  const rows = await findAccountsByIds(database(ctx.env.DB), ids);
  return new Map(rows.map((r) => [r.id, toUser(r)]));
}

function userFrom(users: ReadonlyMap<number, User>, id: number) {
  const user = users.get(id);
  return user ? toBotUser(user) : unknownUser(id);
}
