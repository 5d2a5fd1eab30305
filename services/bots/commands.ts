import { z } from 'zod';
import type { BotApiCommand } from '../../protocol/bot-api/types.js';
import { BotCommand } from '../../protocol/bots.js';
import { readStoredOr, type StoredShape } from '../../durable-objects/sql/stored-json.js';

/**
 * A bot's command lists (setMyCommands), stored as one JSON object in D1's
 * bots.commands, keyed by scope and language: `"<scope>|<language>"`.
 */
export type CommandScope = { type: string; chat_id?: number | string; user_id?: number };

export function commandsKey(scope: CommandScope | undefined, languageCode: string | undefined): string {
  const s = scope ?? { type: 'default' };
  const parts = [s.type, s.chat_id ?? '', s.user_id ?? ''].join(':');
  return `${parts}|${languageCode ?? ''}`;
}

export function readCommands(json: string, key: string): BotApiCommand[] {
  return parse(json)[key] ?? [];
}

export function writeCommands(json: string, key: string, commands: BotApiCommand[] | null): string {
  const all = parse(json);
  if (commands === null || commands.length === 0) delete all[key];
  else all[key] = commands;
  return JSON.stringify(all);
}

/** Telegram's rules: 1-32 lowercase letters, digits and underscores; a description of 1-256 characters. */
export function commandProblem(commands: readonly BotApiCommand[]): string | null {
  for (const c of commands) {
    if (!/^[a-z0-9_]{1,32}$/.test(c.command)) return 'BOT_COMMAND_INVALID';
    if (c.description.trim().length === 0 || c.description.length > 256) return 'BOT_COMMAND_DESCRIPTION_INVALID';
  }
  return null;
}

export const DEFAULT_COMMANDS_KEY = commandsKey(undefined, undefined);

/**
 * The menu a user sees in their private chat with the bot, in Telegram's
 * order: the list for that very chat, then for all private chats, then the
 * default one — each first in the user's language, then without one. The
 * first non-empty list wins (an empty list is no list, as after deleteMyCommands).
 */
export function commandsForPrivateChat(json: string, userId: number, languageCode: string | undefined): BotApiCommand[] {
  const stored = parse(json);
  const scopes: CommandScope[] = [{ type: 'chat', chat_id: userId }, { type: 'all_private_chats' }, { type: 'default' }];
  for (const scope of scopes) {
    for (const language of languageCode ? [languageCode, undefined] : [undefined]) {
      const commands = stored[commandsKey(scope, language)];
      if (commands && commands.length > 0) return commands;
    }
  }
  return [];
}

/** Command lists by key, as stored; Telegram's command shape, checked when they were set. */
const STORED_COMMANDS = {
  name: 'bots.commands',
  schema: z.record(z.string(), z.array(BotCommand)),
  current: 1,
} satisfies StoredShape<z.ZodType>;

/** Unreadable (logged): no commands, so a menu shows nothing rather than failing the request. */
function parse(json: string): Record<string, BotApiCommand[]> {
  return readStoredOr(STORED_COMMANDS, json, {}, {});
}
