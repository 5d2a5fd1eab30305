import { z } from 'zod';

/**
 * Keyboards a bot attaches to a message (Telegram's `reply_markup`), stored
 * with the message and delivered to users in `Message.reply_markup`. Only bots
 * may attach them. Field names are Telegram's, so the Bot API passes them
 * through unchanged.
 */

/** Telegram's limit on callback_data: 1-64 bytes of UTF-8. */
export const MAX_CALLBACK_DATA_BYTES = 64;

const ButtonText = z.string().min(1).max(256);
const CallbackData = z
  .string()
  .min(1)
  .refine((s) => new TextEncoder().encode(s).byteLength <= MAX_CALLBACK_DATA_BYTES, 'callback_data is 1-64 bytes');

/** An inline button: exactly one of `callback_data` (pressing it asks the bot) or `url` (opens a link). */
export const InlineKeyboardButton = z
  .object({
    text: ButtonText,
    callback_data: CallbackData.optional(),
    url: z.url({ protocol: /^(https?|tg)$/ }).max(2048).optional(),
  })
  .strict()
  .refine((b) => (b.callback_data === undefined) !== (b.url === undefined), 'A button has exactly one of callback_data or url');
export type InlineKeyboardButton = z.infer<typeof InlineKeyboardButton>;

/** Shown under the message; at most 8 buttons a row and 100 in all (Telegram's limits). */
export const InlineKeyboardMarkup = z
  .object({ inline_keyboard: z.array(z.array(InlineKeyboardButton).max(8)).max(100) })
  .strict()
  .refine((m) => m.inline_keyboard.flat().length <= 100, 'At most 100 buttons');
export type InlineKeyboardMarkup = z.infer<typeof InlineKeyboardMarkup>;

/** A reply-keyboard button sends its text as a message from the user. */
export const KeyboardButton = z.object({ text: ButtonText }).strict();
export type KeyboardButton = z.infer<typeof KeyboardButton>;

/** Replaces the user's keyboard until removed (or after one use with `one_time_keyboard`). */
export const ReplyKeyboardMarkup = z
  .object({
    keyboard: z.array(z.array(KeyboardButton).max(12)).min(1).max(300),
    is_persistent: z.boolean().optional(),
    resize_keyboard: z.boolean().optional(),
    one_time_keyboard: z.boolean().optional(),
    input_field_placeholder: z.string().max(64).optional(),
    selective: z.boolean().optional(),
  })
  .strict();
export type ReplyKeyboardMarkup = z.infer<typeof ReplyKeyboardMarkup>;

/** Removes the reply keyboard the bot showed before. */
export const ReplyKeyboardRemove = z
  .object({ remove_keyboard: z.literal(true), selective: z.boolean().optional() })
  .strict();

/** Asks the client to open a reply to this message. */
export const ForceReply = z
  .object({
    force_reply: z.literal(true),
    input_field_placeholder: z.string().max(64).optional(),
    selective: z.boolean().optional(),
  })
  .strict();

export const ReplyMarkup = z.union([InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove, ForceReply]);
export type ReplyMarkup = z.infer<typeof ReplyMarkup>;

/** What a bot answered to a pressed callback button (answerCallbackQuery). */
export const CallbackAnswer = z.object({
  /** A notification to show; empty or absent shows nothing. */
  text: z.string().max(200).optional(),
  /** Show `text` as an alert the user must dismiss instead of a toast. */
  show_alert: z.boolean(),
  /** A link the client should open. */
  url: z.string().max(2048).optional(),
});
export type CallbackAnswer = z.infer<typeof CallbackAnswer>;
