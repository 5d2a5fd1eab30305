import type { User } from '../../../protocol/common.js';
import type { Chat, ForwardOrigin, Message } from '../../../protocol/messages.js';
import type { BotApiChat, BotApiMessage, BotApiMessageOrigin } from '../../../protocol/bot-api/types.js';
import { botIdOfChat } from '../chat-ids.js';
import { toBotEntities } from './entities.js';
import { mediaFields } from './media.js';
import { toBotChat, userOf } from './users.js';

/** What translating needs to look up: accounts, chats and replied-to messages, loaded in batches. */
export type View = {
  botId: number;
  users: ReadonlyMap<number, User>;
  chats: ReadonlyMap<number, Chat>;
  /** Replied-to messages by `${chat_id}:${id}`. */
  replies: ReadonlyMap<string, Message>;
};

export const replyKey = (chatId: number, id: number) => `${chatId}:${id}`;

/** Who Telegram names as the sender of a discussion group's automatic forwards (its service account 777000). */
const TELEGRAM_SERVICE_USER = { id: 777000, is_bot: false, first_name: 'Telegram' } as const;

/** Unix seconds, as the Bot API dates everything. */
export const seconds = (ms: number) => Math.floor(ms / 1000);

export function botChatOf(view: View, chatId: number): BotApiChat {
  const chat = view.chats.get(chatId);
  return chat ? toBotChat(chat, view.botId, view.users) : { id: -chatId, type: 'group', title: '' };
}

/** Telegram's stand-in sender of anonymous admins' messages (@GroupAnonymousBot), as bots expect it. */
export const GROUP_ANONYMOUS_BOT = { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' } as const;

/**
 * An Edgegram message as a Bot API Message: per-chat id, date in seconds,
 * the chat as the bot names it, entities with what Telegram detects, the
 * replied-to message one level deep, and only inline keyboards.
 */
export function toBotMessage(m: Message, view: View, nested = false): BotApiMessage {
  const chat = botChatOf(view, m.chat_id);
  const out: BotApiMessage = {
    message_id: m.id,
    ...(m.sender_id !== null ? { from: userOf(view.users, m.sender_id) } : {}),
    chat,
    date: seconds(m.date),
  };
  const origin = m.fwd_from ? originOf(m.fwd_from, view) : undefined;
  if (m.is_automatic_forward && origin?.type === 'channel') {
    // A discussion group's copy of a channel post: sent as that channel, from Telegram's service account, as Telegram does.
    Object.assign(out, { from: TELEGRAM_SERVICE_USER, sender_chat: origin.chat, is_automatic_forward: true });
  } else if (m.sender_id === null) {
    // A channel post is sent as the channel (Telegram's sender_chat), signed or not; an anonymous
    // admin's message as the group, `from` Telegram's placeholder bot for older bots that need one.
    Object.assign(out, { sender_chat: chat }, m.post_author ? { author_signature: m.post_author } : {});
    if (chat.type !== 'channel') out.from = GROUP_ANONYMOUS_BOT;
  }
  if (origin) out.forward_origin = origin;
  if (!nested && m.reply_to_message_id !== null) {
    const replied = view.replies.get(replyKey(m.chat_id, m.reply_to_message_id));
    if (replied) out.reply_to_message = toBotMessage(replied, view, true);
  }
  if (m.edit_date !== null) out.edit_date = seconds(m.edit_date);
  // Telegram names the topic on messages outside General only.
  if (m.is_topic_message && m.message_thread_id !== undefined) Object.assign(out, { message_thread_id: m.message_thread_id, is_topic_message: true });
  const entities = toBotEntities(m.text, m.entities, view.users);
  const media = m.media ? mediaFields(m.media) : null;
  if (media) {
    Object.assign(out, media);
    if (m.media!.grouped_id !== null) out.media_group_id = String(m.media!.grouped_id);
    if (m.text.length > 0) {
      out.caption = m.text;
      if (entities.length > 0) out.caption_entities = entities;
    }
  } else {
    out.text = m.text;
    if (entities.length > 0) out.entities = entities;
  }
  if (m.reply_markup && 'inline_keyboard' in m.reply_markup) {
    out.reply_markup = {
      inline_keyboard: m.reply_markup.inline_keyboard.map((row) =>
        row.map((b) => ({ text: b.text, ...(b.callback_data !== undefined ? { callback_data: b.callback_data } : { url: b.url }) })),
      ),
    };
  }
  return out;
}

/**
 * Where a forward came from: a person, or a channel's post (Telegram's
 * MessageOriginChannel), named by the title it had when forwarded when the
 * bot does not know the channel.
 */
function originOf(origin: ForwardOrigin, view: View): BotApiMessageOrigin {
  const date = seconds(origin.date);
  if (origin.sender_id !== null) return { type: 'user', sender_user: userOf(view.users, origin.sender_id), date };
  if (origin.sender_name !== undefined) return { type: 'hidden_user', sender_user_name: origin.sender_name, date };
  const known = view.chats.get(origin.chat_id);
  const chat = known
    ? toBotChat(known, view.botId, view.users)
    : { id: botIdOfChat('channel', origin.chat_id), type: 'channel' as const, title: origin.chat_title ?? '' };
  return { type: 'channel', date, chat, message_id: origin.message_id, ...(origin.post_author ? { author_signature: origin.post_author } : {}) };
}

/** The account ids a message's translation names (for one batched look-up). */
export function usersNamedBy(m: Message): number[] {
  const ids: number[] = [];
  if (m.sender_id !== null) ids.push(m.sender_id);
  if (m.fwd_from?.sender_id) ids.push(m.fwd_from.sender_id);
  for (const e of m.entities) if (e.user_id !== undefined) ids.push(e.user_id);
  return ids;
}
