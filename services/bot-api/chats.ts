import { database } from '../../d1/db.js';
import { findAccountById, findAccountByUsername, toUser } from '../../d1/queries/accounts.js';
import { findChatByUsername } from '../../d1/queries/chat-usernames.js';
import { findChat, findPrivateChat } from '../../d1/queries/chats.js';
import type { User } from '../../protocol/common.js';
import type { Chat, ChatKind, ChatMember } from '../../protocol/messages.js';
import type { BotChatId } from '../../protocol/bot-api/params.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import type { BotCallContext } from './context.js';
import { botIdOfSupergroup, chatNamedBy } from './chat-ids.js';
import { botError } from './errors.js';

/**
 * A Bot API `chat_id`, resolved: a positive id is a user (the private chat
 * with the bot), a negative one a group, supergroup or channel (see
 * chat-ids.ts for the forms), "@name" a user or public chat by name. Bots cannot start
 * private chats, as in Telegram: the user must write first. A `group`
 * target is any chat with members and managers; `chat.kind` says which,
 * and `members` is what the ChatRoom shows the bot (in a supergroup or
 * channel: its managers and the bot, never everyone).
 */
export type Target =
  | { kind: 'private'; chatId: number; chat: Chat; peer: User }
  | { kind: 'group'; chatId: number; chat: Chat; members: ChatMember[] };

export type Purpose = 'send' | 'read';

export async function resolveChat(ctx: BotCallContext, chatId: BotChatId, purpose: Purpose): Promise<Target> {
  const db = database(ctx.env.DB);
  if (typeof chatId === 'string') {
    // "@name": a person or bot, or (one namespace) a public supergroup or channel, as Telegram reads it.
    const name = chatId.slice(1);
    const user = await findAccountByUsername(db, name);
    if (user) return resolveChat(ctx, user.id, purpose);
    const publicChatId = await findChatByUsername(db, name);
    if (publicChatId === undefined) throw botError.chatNotFound();
    return resolveChat(ctx, botIdOfSupergroup(publicChatId), purpose);
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
  const named = chatNamedBy(chatId);
  const got = await chatRoom(ctx.env, named.chatId).getChat(ctx.bot.id);
  // The -100 form names supergroups and channels only, as in Telegram.
  const formFits = (kind: ChatKind) => !named.largeForm || kind === 'supergroup' || kind === 'channel';
  if (got.ok && formFits(got.value.chat.kind)) {
    return { kind: 'group', chatId: named.chatId, chat: got.value.chat, members: got.value.members };
  }
  if (got.ok) throw botError.chatNotFound();
  // A non-member learns only whether the chat exists (and its kind), as Telegram tells bots.
  const known = await findChat(db, named.chatId);
  if (known && known.kind !== 'private' && formFits(known.kind)) throw botError.forbidden(`bot is not a member of the ${known.kind} chat`);
  throw botError.chatNotFound();
}
