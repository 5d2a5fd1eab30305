import { EdgegramError } from '../../../protocol/errors.js';
import { MAX_MESSAGE_LENGTH, type Message } from '../../../protocol/messages.js';
import type { BotApiMessage } from '../../../protocol/bot-api/types.js';
import type { BotParams } from '../../../protocol/bot-api/params.js';
import type { Original } from '../../sending/outgoing.js';
import { ReplyTargetMissing, type Destination, type ReplyTo } from '../../sending/send.js';
import { readOriginals } from '../../sending/sources.js';
import { botIdOfChat } from '../chat-ids.js';
import type { Target } from '../chats.js';
import type { BotCallContext } from '../context.js';
import { asBotError, botError, type EdgegramErrorTexts } from '../errors.js';
import { toBotMessage } from '../translate/messages.js';
import { loadView } from '../translate/updates.js';

/** A handler's answer with Telegram's optional `description` beside the result (setWebhook's "Webhook was set"). */
export class Described<T> {
  constructor(
    readonly result: T,
    readonly description: string,
  ) {}
}

/** Bots send without client retries, so each send gets a fresh idempotency key. */
export function freshRandomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `b${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function checkText(text: string, what: 'message text' | 'text' = 'message text'): void {
  if (text.trim().length === 0) throw botError.badRequest(`${what} is empty`);
  if (text.length > MAX_MESSAGE_LENGTH) throw botError.badRequest('message is too long');
}

type ReplyParams = Pick<BotParams<'sendMessage'>, 'reply_parameters' | 'reply_to_message_id' | 'allow_sending_without_reply' | 'message_thread_id'>;

const REPLY_NOT_FOUND = 'message to be replied not found';

/**
 * A bot's send through the one send path (../../sending/send.ts): as the
 * bot, under Telegram's flood limits, replying to what reply_parameters
 * (or the older reply_to_message_id) name; the path's errors in Telegram's
 * words (`texts` for the ChatRoom's, as unwrapBot takes them). Any other
 * error (a failed RPC) is a fault, not the bot's: it goes on unchanged, so a
 * webhook's reply call does not mistake it for one (see runReplyCall).
 */
export async function sendAsBot<T>(
  ctx: BotCallContext,
  target: Target,
  p: Partial<ReplyParams>,
  run: (to: Destination) => Promise<T>,
  texts: EdgegramErrorTexts = {},
): Promise<T> {
  const to: Destination = {
    senderId: ctx.bot.id,
    chatId: target.chatId,
    reply: replyOf(target, p),
    // In a forum, the topic; elsewhere Telegram's message_thread_id names a reply thread, which a send here joins by replying.
    ...(target.kind === 'group' && target.chat.is_forum && p.message_thread_id !== undefined ? { topicId: p.message_thread_id } : {}),
    flood: { kind: 'telegram', chat: target.kind },
  };
  try {
    return await run(to);
  } catch (err) {
    if (err instanceof ReplyTargetMissing) throw botError.badRequest(REPLY_NOT_FOUND);
    throw err instanceof EdgegramError ? asBotError(err, texts) : err;
  }
}

/**
 * The message to reply to. A missing one is Telegram's error unless
 * allow_sending_without_reply, which then sends without the reply. Edgegram
 * has no replies across chats, so one in another chat is missing.
 */
function replyOf(target: Target, p: Partial<ReplyParams>): ReplyTo | undefined {
  const id = p.reply_parameters?.message_id ?? p.reply_to_message_id;
  if (id === undefined) return undefined;
  const allow = p.reply_parameters?.allow_sending_without_reply ?? p.allow_sending_without_reply ?? false;
  const otherChat = p.reply_parameters?.chat_id !== undefined && p.reply_parameters.chat_id !== chatIdAsBotSees(target);
  if (otherChat && !allow) throw botError.badRequest(REPLY_NOT_FOUND);
  if (otherChat) return undefined;
  return { messageId: id, ifMissing: allow ? 'send-without' : 'fail' };
}

export function chatIdAsBotSees(target: Target): number {
  return target.kind === 'private' ? target.peer.id : botIdOfChat(target.chat.kind, target.chatId);
}

/** A message the bot just sent or edited, as the Bot API returns it. */
export async function asBotMessage(ctx: BotCallContext, target: Target, message: Message): Promise<BotApiMessage> {
  const view = await loadView(ctx.env, ctx.bot.id, { messages: [message], chats: [target.chat] });
  return toBotMessage(message, view);
}

/**
 * The message `id` as the bot sees it in the target chat (read as the
 * sender, so it may be forwarded or copied), or Telegram's "… not found" error.
 */
export async function botVisibleMessage(ctx: BotCallContext, target: Target, id: number, notFound: string): Promise<Original> {
  let found: Map<number, Original>;
  try {
    found = await readOriginals(ctx.env, ctx.bot.id, target.chatId, [id]);
  } catch (err) {
    throw err instanceof EdgegramError ? asBotError(err, { NOT_FOUND: `Bad Request: ${notFound}` }) : err;
  }
  const message = found.get(id);
  if (!message) throw botError.badRequest(notFound);
  return message;
}
