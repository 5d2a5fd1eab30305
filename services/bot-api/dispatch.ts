import type { z } from 'zod';
import { database } from '../../d1/db.js';
import { findBot } from '../../d1/queries/bots.js';
import { botParams, type BotMethodName, type BotParams } from '../../protocol/bot-api/params.js';
import type { Env } from '../../durable-objects/env.js';
import type { ReplyCall } from '../../durable-objects/user-mailbox/webhook.js';
import { identityOf, type BotCallContext } from './context.js';
import { BotApiError, botError } from './errors.js';
import { chatPhotoMethods } from './methods/chat-photos.js';
import { chatMethods } from './methods/chats.js';
import { commandMethods } from './methods/commands.js';
import { fileMethods } from './methods/files.js';
import { messageMethods } from './methods/messages.js';
import { moderationMethods } from './methods/moderation.js';
import { inviteMethods } from './methods/invites.js';
import { updateMethods } from './methods/updates.js';
import { topicMethods } from './methods/topics.js';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';

export type BotHandler<M extends BotMethodName> = (ctx: BotCallContext, params: BotParams<M>) => Promise<unknown>;
export type BotHandlers<K extends BotMethodName> = { [M in K]: BotHandler<M> };

/** Every Bot API method Edgegram implements has exactly one handler; the compiler checks none is missing. */
const handlers: BotHandlers<BotMethodName> = {
  ...updateMethods,
  ...messageMethods,
  ...chatMethods,
  ...chatPhotoMethods,
  ...commandMethods,
  ...fileMethods,
  ...moderationMethods,
  ...inviteMethods,
  ...topicMethods,
};

/** Older names Telegram still answers to. */
const ALIASES: Record<string, BotMethodName> = { getchatmemberscount: 'getChatMemberCount', kickchatmember: 'banChatMember' };

/** Method names are case-insensitive, as in Telegram. */
const byLowerName = new Map<string, BotMethodName>([
  ...(Object.keys(botParams) as BotMethodName[]).map((m) => [m.toLowerCase(), m] as const),
  ...Object.entries(ALIASES),
]);

export function botMethodName(name: string): BotMethodName | undefined {
  return byLowerName.get(name.toLowerCase());
}

/**
 * Runs one Bot API call for a verified bot: the parameters are parsed by the
 * method's schema first; an unknown method is Telegram's 404 "Not Found".
 */
export async function dispatchBotMethod(ctx: BotCallContext, name: string, raw: Record<string, unknown>): Promise<unknown> {
  const method = botMethodName(name);
  if (!method) throw botError.notFound();
  const parsed = safeParseUntrusted(botParams[method], raw);
  if (!parsed.success) throw paramError(parsed.error, raw);
  const handler = handlers[method] as BotHandler<typeof method>;
  return handler(ctx, parsed.data as never);
}

/**
 * A method call a webhook put in its reply: run as the bot, its result
 * discarded (Telegram does not report it either).
 */
export async function runReplyCall(env: Env, botId: number, call: ReplyCall): Promise<void> {
  const record = await findBot(database(env.DB), botId);
  if (!record) return;
  try {
    await dispatchBotMethod({ env, bot: identityOf(record), now: Date.now }, call.method, call.params);
  } catch (err) {
    if (!(err instanceof BotApiError)) throw err;
  }
}

/** Telegram's descriptions for a parameter that is missing or does not parse. */
function paramError(error: z.ZodError, raw: Record<string, unknown>): BotApiError {
  const issue = error.issues[0];
  const field = String(issue?.path[0] ?? 'parameters');
  if (raw[field] === undefined) {
    return botError.badRequest(field === 'text' ? 'message text is empty' : `${field} is empty`);
  }
  switch (field) {
    case 'reply_markup':
      return botError.badRequest("can't parse reply keyboard markup JSON object");
    case 'entities':
    case 'caption_entities':
      return botError.badRequest("can't parse entities JSON object");
    case 'parse_mode':
      return botError.badRequest(`unsupported parse_mode`);
    case 'chat_id':
    case 'from_chat_id':
      return botError.chatNotFound();
    case 'commands':
      return botError.badRequest("can't parse commands JSON object");
    default:
      return botError.badRequest(`invalid ${field} specified`);
  }
}
