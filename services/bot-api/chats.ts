import { database } from '../../d1/db.js';
import { findAccountById, findAccountByUsername, toUser } from '../../d1/queries/accounts.js';
import { findChat, findPrivateChat } from '../../d1/queries/chats.js';
import type { User } from '../../protocol/common.js';
import type { Chat, ChatMember } from '../../protocol/messages.js';
import type { BotChatId } from '../../protocol/bot-api/params.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import type { BotCallContext } from './context.js';
import { botError } from './errors.js';

/**
 * A Bot API `chat_id`, resolved: a positive id is a user (the private chat
 * with the bot), a negative one a group (-chat id), "@name" a user by name.
 * Bots cannot start private chats, as in Telegram: the user must write first.
 */
export type Target =
  | { kind: 'private'; chatId: number; chat: Chat; peer: User }
  | { kind: 'group'; chatId: number; chat: Chat; members: ChatMember[] };

export type Purpose = 'send' | 'read';

export async function resolveChat(ctx: BotCallContext, chatId: BotChatId, purpose: Purpose): Promise<Target> {
  const db = database(ctx.env.DB);
  if (typeof chatId === 'string') {
    const user = await findAccountByUsername(db, chatId.slice(1));
    if (!user) throw botError.chatNotFound();
    return resolveChat(ctx, user.id, purpose);
  }
  if (chatId > 0) {
    const peer = await findAccountById(db, chatId);
    if (!peer) throw botError.chatNotFound();
    const row = await findPrivateChat(db, ctx.bot.id, peer.id);
    if (!row) {
      throw purpose === 'send' ? botError.forbidden("bot can't initiate conversation with a user") : botError.chatNotFound();
    }
    const chat: Chat = {
      id: row.id,
      kind: 'private',
      title: null,
      member_ids: [...new Set([ctx.bot.id, peer.id])],
      creator_id: null,
      created_at: row.createdAt,
    };
    return { kind: 'private', chatId: row.id, chat, peer: toUser(peer) };
  }
  const groupId = -chatId;
  const got = await chatRoom(ctx.env, groupId).getChat(ctx.bot.id);
  if (got.ok) return { kind: 'group', chatId: groupId, chat: got.value.chat, members: got.value.members };
  // A non-member learns only whether the group exists, as Telegram tells bots.
  const known = await findChat(db, groupId);
  if (known?.kind === 'group') throw botError.forbidden('bot is not a member of the group chat');
  throw botError.chatNotFound();
}
