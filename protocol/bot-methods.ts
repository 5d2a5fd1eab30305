import { z } from 'zod';
import { Empty, Ok } from './method-shapes.js';
import { BotCommand, BotInfo, BotUsername } from './bots.js';
import { DisplayName, Id } from './common.js';
import { CallbackAnswer } from './keyboards.js';

/** Account methods for bots' owners and the people who press their buttons (spread into protocol/methods.ts). */
export const botMethods = {
  // ── bots (see protocol/bots.ts) ──
  /** Creates a bot owned by the caller; the token is shown only here and by revokeBotToken. */
  createBot: {
    params: z.strictObject({ username: BotUsername, display_name: DisplayName }),
    result: z.object({ bot: BotInfo, token: z.string() }),
  },
  listMyBots: { params: Empty, result: z.object({ bots: z.array(BotInfo) }) },
  renameBot: { params: z.strictObject({ bot_id: Id, display_name: DisplayName }), result: z.object({ bot: BotInfo }) },
  /** A new token; the old one stops working at once. */
  revokeBotToken: { params: z.strictObject({ bot_id: Id }), result: z.object({ token: z.string() }) },
  /** Takes effect in groups the bot joins afterwards, as in Telegram. */
  setBotPrivacy: { params: z.strictObject({ bot_id: Id, enabled: z.boolean() }), result: z.object({ bot: BotInfo }) },
  /** The token stops working, the username is freed; the account stays as a deleted bot. */
  deleteBot: { params: z.strictObject({ bot_id: Id }), result: Ok },
  /**
   * Presses an inline button with callback_data under a bot's message: the
   * bot gets a callback_query. Waits a few seconds for the bot's answer; null
   * if it did not answer in time.
   */
  pressCallbackButton: {
    params: z.strictObject({ chat_id: Id, message_id: Id, data: z.string().min(1).max(256) }),
    result: z.object({ answer: CallbackAnswer.nullable() }),
  },
  /**
   * A bot's command menu as a user sees it in a private chat with it, found
   * as Telegram finds it: the list for that chat, for all private chats, then
   * the default list, each in `language_code` (the app's language, an
   * IETF tag's two-letter language) before the list without a language.
   */
  getBotCommands: {
    params: z.strictObject({ bot_id: Id, language_code: z.string().regex(/^[a-z]{2}$/).optional() }),
    result: z.object({ commands: z.array(BotCommand) }),
  },
} as const;
