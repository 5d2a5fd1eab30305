import type { ReplyKeyboardMarkup } from '../../../protocol/keyboards.js';
import type { Message } from '../../../protocol/messages.js';

/** What a chat's bot keyboards ask of the composer, read from the loaded messages. */

export interface ActiveReplyKeyboard {
  /** The bot's message that showed it. */
  messageId: number;
  markup: ReplyKeyboardMarkup;
}

/**
 * The reply keyboard in force in a chat: the one from the newest message
 * that shows or removes one (a later removal, or a later keyboard, wins),
 * unless it was a one-time keyboard already used here.
 */
export function activeReplyKeyboard(messages: readonly Message[], me: number, used: ReadonlySet<string>): ActiveReplyKeyboard | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    const markup = m.reply_markup;
    if (m.sender_id === me || !markup) continue;
    if ('remove_keyboard' in markup) return null;
    if ('keyboard' in markup) {
      if (markup.one_time_keyboard && used.has(`${m.chat_id}:${m.id}`)) return null;
      return { messageId: m.id, markup };
    }
  }
  return null;
}

/**
 * A bot's ForceReply, as Telegram's apps treat it: when the chat's newest
 * message is a bot's request for a reply, the composer opens replying to it —
 * once per message on this device, so cancelling the reply sticks. With
 * `selective` in a group it is meant only for the person the bot answered.
 */
export function pendingForceReply(messages: readonly Message[], me: number, answered: ReadonlySet<string>): Message | null {
  const last = messages.at(-1);
  const markup = last?.reply_markup;
  if (!last || last.sender_id === me || !markup || !('force_reply' in markup)) return null;
  if (answered.has(`${last.chat_id}:${last.id}`)) return null;
  if (markup.selective) {
    const answeredMessage = messages.find((m) => m.id === last.reply_to_message_id);
    if (answeredMessage?.sender_id !== me) return null;
  }
  return last;
}

/** The placeholder a ForceReply asks for, while the user is replying to it. */
export function forceReplyPlaceholder(replyTo: Message | null): string | undefined {
  const markup = replyTo?.reply_markup;
  return markup && 'force_reply' in markup ? markup.input_field_placeholder : undefined;
}
