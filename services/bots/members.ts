import { database } from '../../d1/db.js';
import type { AccountRow } from '../../d1/queries/accounts.js';
import { findBotsByIds } from '../../d1/queries/bots.js';
import type { BotMember } from '../../durable-objects/chat-room/bots.js';
import type { Env } from '../../durable-objects/env.js';

/**
 * The bots among accounts joining a chat, with the privacy mode they join
 * with (the ChatRoom keeps it: a later change applies to later joins, as in
 * Telegram). A bot without a bots row (BotFather, a deleted bot) joins private.
 */
export async function botMembersOf(env: Pick<Env, 'DB'>, accounts: readonly AccountRow[]): Promise<BotMember[]> {
  const bots = accounts.filter((a) => a.isBot);
  if (bots.length === 0) return [];
  const records = new Map((await findBotsByIds(database(env.DB), bots.map((b) => b.id))).map((r) => [r.account.id, r]));
  return bots.map((b) => ({ user_id: b.id, username: b.username, privacy: records.get(b.id)?.bot.privacyMode ?? true }));
}
