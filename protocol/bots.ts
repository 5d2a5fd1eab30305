import { z } from 'zod';
import { Timestamp, User, USERNAME_PATTERN } from './common.js';

/**
 * Bots are accounts (`is_bot`) owned by a user. Their token, `<bot id>:<secret>`,
 * is shown once (on create and revoke) and stored only as a hash; the bot uses it
 * on the Telegram-compatible Bot API (`/bot<token>/<method>`).
 */

/** Telegram's rule: a bot's username ends in "bot" (any case), e.g. TetrisBot or tetris_bot. */
export const BOT_USERNAME_SUFFIX = /bot$/i;

export function isBotUsername(username: string): boolean {
  return USERNAME_PATTERN.test(username) && BOT_USERNAME_SUFFIX.test(username);
}

/** A user owns at most this many bots, as in Telegram. */
export const MAX_BOTS_PER_OWNER = 20;

/** USERNAME_PATTERN ending in "bot" (any case): 5-32 characters, starting with a letter. */
export const BotUsername = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{1,28}[Bb][Oo][Tt]$/, "A bot's username is 5-32 letters, digits or underscores, starts with a letter and ends in 'bot'");

export const BotInfo = z.object({
  user: User,
  owner_id: z.number().int().positive(),
  /** On (the default): in groups the bot receives only commands, mentions and replies to it. */
  privacy_mode: z.boolean(),
  created_at: Timestamp,
});
export type BotInfo = z.infer<typeof BotInfo>;

/** One entry of a bot's command menu (setMyCommands): `/command`, and what it does. */
export const BotCommand = z.object({ command: z.string(), description: z.string() });
export type BotCommand = z.infer<typeof BotCommand>;
