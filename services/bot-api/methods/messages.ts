import type { ReplyMarkup } from '../../../protocol/keyboards.js';
import type { Message } from '../../../protocol/messages.js';
import type { BotApiMessageId } from '../../../protocol/bot-api/types.js';
import { copyOf, forwardOf } from '../../sending/outgoing.js';
import { unlinkedAuthors } from '../../sending/forward-privacy.js';
import { database } from '../../../d1/db.js';
import { send } from '../../sending/send.js';
import { chatRoom } from '../../../durable-objects/stubs.js';
import { resolveChat } from '../chats.js';
import { botError, unwrapBot } from '../errors.js';
import { formatText } from '../formatting/index.js';
import { readInlineMarkup, readReplyMarkup } from '../markup.js';
import type { BotHandlers } from '../dispatch.js';
import {
  asBotMessage,
  botVisibleMessage,
  checkText,
  freshRandomId,
  sendAsBot,
} from './shared.js';

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

/** Telegram's chat actions; Edgegram shows each as "typing". */
const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

export const messageMethods: BotHandlers<
  | 'sendMessage'
  | 'forwardMessage'
  | 'copyMessage'
  | 'editMessageText'
  | 'editMessageReplyMarkup'
  | 'deleteMessage'
  | 'deleteMessages'
  | 'sendChatAction'
> = {
  async sendMessage(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'send');
    const content = formatText(p.text, p.parse_mode, p.entities);
    checkText(content.text);
    const keyboard = readReplyMarkup(p.reply_markup);
    const message = await sendAsBot(ctx, target, p, (to) => send(ctx.env, to, { random_id: freshRandomId(), content, ...(keyboard ? { keyboard } : {}) }));
    return asBotMessage(ctx, target, message);
  },

  async forwardMessage(ctx, p) {
    const source = await resolveChat(ctx, p.from_chat_id, 'read');
    const original = await botVisibleMessage(ctx, source, p.message_id, 'message to forward not found');
    const target = await resolveChat(ctx, p.chat_id, 'send');
    const unlinked = await unlinkedAuthors(database(ctx.env.DB), ctx.bot.id, [original]);
    const content = forwardOf(original, unlinked.get(original.sender_id ?? 0));
    const message = await sendAsBot(ctx, target, p, (to) => send(ctx.env, to, { random_id: freshRandomId(), content }));
    return asBotMessage(ctx, target, message);
  },

  async copyMessage(ctx, p) {
    const source = await resolveChat(ctx, p.from_chat_id, 'read');
    const original = await botVisibleMessage(ctx, source, p.message_id, 'message to copy not found');
    const target = await resolveChat(ctx, p.chat_id, 'send');
    const content = copyOf(original, p.caption === undefined ? undefined : formatText(p.caption, p.parse_mode, p.caption_entities));
    if (!content.media) checkText(content.text);
    const keyboard = readReplyMarkup(p.reply_markup);
    const message = await sendAsBot(ctx, target, p, (to) => send(ctx.env, to, { random_id: freshRandomId(), content, ...(keyboard ? { keyboard } : {}) }));
    return { message_id: message.id } satisfies BotApiMessageId;
  },

  /**
   * As in Telegram, an edit without reply_markup removes the inline keyboard,
   * and an edit that changes nothing is an error.
   */
  async editMessageText(ctx, p) {
    const { target, current } = await editable(ctx, p);
    const { text, entities } = formatText(p.text, p.parse_mode, p.entities);
    checkText(text, current.media ? 'text' : 'message text');
    const markup = readInlineMarkup(p.reply_markup) ?? keptMarkup(current);
    if (text === current.text && sameJson(entities, current.entities) && sameJson(markup, current.reply_markup ?? null)) {
      throw botError.badRequest(NOT_MODIFIED);
    }
    const message = unwrapBot(
      await chatRoom(ctx.env, target.chatId).editMessage(ctx.bot.id, current.id, text, entities, markup),
      { NOT_FOUND: 'Bad Request: message to edit not found', MESSAGE_NOT_MODIFIABLE: "Bad Request: message can't be edited" },
    );
    return asBotMessage(ctx, target, message);
  },

  async editMessageReplyMarkup(ctx, p) {
    const { target, current } = await editable(ctx, p);
    const markup = readInlineMarkup(p.reply_markup) ?? keptMarkup(current);
    if (sameJson(markup, current.reply_markup ?? null)) throw botError.badRequest(NOT_MODIFIED);
    const message = unwrapBot(await chatRoom(ctx.env, target.chatId).editReplyMarkup(ctx.bot.id, current.id, markup), {
      NOT_FOUND: 'Bad Request: message to edit not found',
      MESSAGE_NOT_MODIFIABLE: "Bad Request: message can't be edited",
    });
    return asBotMessage(ctx, target, message);
  },

  async deleteMessage(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    unwrapBot(await chatRoom(ctx.env, target.chatId).deleteMessages(ctx.bot.id, [p.message_id], true), DELETE_ERRORS);
    return true;
  },

  /** Messages that cannot be found are skipped, as in Telegram. */
  async deleteMessages(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    unwrapBot(await chatRoom(ctx.env, target.chatId).deleteMessages(ctx.bot.id, p.message_ids, true), DELETE_ERRORS);
    return true;
  },

  async sendChatAction(ctx, p) {
    if (!CHAT_ACTIONS.has(p.action)) throw botError.badRequest('wrong parameter action in request');
    const target = await resolveChat(ctx, p.chat_id, 'send');
    const sent = await chatRoom(ctx.env, target.chatId).setTyping(ctx.bot.id, 'typing');
    // A repeat inside the typing interval is dropped silently: the action is still showing.
    if (!sent.ok && sent.error.code !== 'RATE_LIMITED') unwrapBot(sent);
    return true;
  },
};

const DELETE_ERRORS = {
  NOT_FOUND: 'Bad Request: message to delete not found',
  MESSAGE_NOT_MODIFIABLE: "Bad Request: message can't be deleted",
};

/** The target chat and the bot's own message an edit names (inline messages are not supported). */
async function editable(
  ctx: Parameters<BotHandlers<'editMessageText'>['editMessageText']>[0],
  p: { chat_id?: number | string; message_id?: number; inline_message_id?: string },
) {
  if (p.inline_message_id !== undefined) throw botError.badRequest('MESSAGE_ID_INVALID');
  if (p.chat_id === undefined) throw botError.badRequest('chat_id is empty');
  if (p.message_id === undefined) throw botError.badRequest('message_id is empty');
  const target = await resolveChat(ctx, p.chat_id, 'read');
  const current = await botVisibleMessage(ctx, target, p.message_id, 'message to edit not found');
  // A channel post names no sender: the bot, a channel admin, may edit any (the ChatRoom checks it is one).
  if (current.sender_id !== null && current.sender_id !== ctx.bot.id) throw botError.badRequest("message can't be edited");
  return { target, current };
}

/** What an edit keeps when it names no markup: a reply keyboard stays, an inline keyboard goes. */
function keptMarkup(current: Message): ReplyMarkup | null {
  const markup = current.reply_markup;
  return markup && !('inline_keyboard' in markup) ? markup : null;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
