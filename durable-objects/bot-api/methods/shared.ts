import { EdgegramError } from '../../../protocol/errors.js';
import { MAX_MESSAGE_LENGTH, type Message } from '../../../protocol/messages.js';
import type { BotApiMessage } from '../../../protocol/bot-api/types.js';
import type { BotParams } from '../../../protocol/bot-api/params.js';
import { mailbox, chatRoom } from '../../stubs.js';
import type { Target } from '../chats.js';
import type { BotCallContext } from '../context.js';
import { asBotError, botError } from '../errors.js';
import { toBotMessage } from '../translate/messages.js';
import { loadView } from '../translate/updates.js';

/** A handler's answer with Telegram's optional `description` beside the result (setWebhook's "Webhook was set"). */
export class Described<T> {
  constructor(
    readonly result: T,
    readonly description: string,
  ) {}
}

/** Telegram's flood limits, counted in the bot's own mailbox. */
export async function takeFloodToken(ctx: BotCallContext, target: Target): Promise<void> {
  const wait = await mailbox(ctx.env, ctx.bot.id).botTakeSend(ctx.bot.id, target.chatId, target.kind === 'group');
  if (wait > 0) throw botError.tooManyRequests(wait);
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

type ReplyParams = Pick<BotParams<'sendMessage'>, 'reply_parameters' | 'reply_to_message_id' | 'allow_sending_without_reply'>;

/**
 * The message to reply to, checked as the bot: reply_parameters (or the
 * older reply_to_message_id). A missing one is Telegram's error unless
 * allow_sending_without_reply, which then sends without the reply.
 */
export async function replyTarget(ctx: BotCallContext, target: Target, p: ReplyParams): Promise<number | undefined> {
  const id = p.reply_parameters?.message_id ?? p.reply_to_message_id;
  if (id === undefined) return undefined;
  const allow = p.reply_parameters?.allow_sending_without_reply ?? p.allow_sending_without_reply ?? false;
  const otherChat = p.reply_parameters?.chat_id !== undefined && p.reply_parameters.chat_id !== chatIdAsBotSees(target);
  const got = otherChat ? null : await chatRoom(ctx.env, target.chatId).getMessages(ctx.bot.id, [id]);
  if (got?.ok && got.value.length > 0) return id;
  if (allow) return undefined;
  throw botError.badRequest('message to be replied not found');
}

export function chatIdAsBotSees(target: Target): number {
  return target.kind === 'private' ? target.peer.id : -target.chatId;
}

/** A message the bot just sent or edited, as the Bot API returns it. */
export async function asBotMessage(ctx: BotCallContext, target: Target, message: Message): Promise<BotApiMessage> {
  const view = await loadView(ctx.env, ctx.bot.id, { messages: [message], chats: [target.chat] });
  return toBotMessage(message, view);
}

/** The message `id` as the bot sees it in the target chat, or Telegram's "… not found" error. */
export async function botVisibleMessage(ctx: BotCallContext, target: Target, id: number, notFound: string): Promise<Message> {
  const got = await chatRoom(ctx.env, target.chatId).getMessages(ctx.bot.id, [id]);
  if (!got.ok) throw asBotError(EdgegramError.fromBody(got.error), { NOT_FOUND: `Bad Request: ${notFound}` });
  const message = got.value[0];
  if (!message) throw botError.badRequest(notFound);
  return message;
}
