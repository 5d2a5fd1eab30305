import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { chatUsernames } from '../schema.js';
import { usernameKey } from './accounts.js';

/**
 * Public chats' usernames: claimed here first (this table, with the
 * accounts table's triggers, decides who holds a name), then taken by the
 * ChatRoom for display. See the schema's comment.
 */

/**
 * Makes `username` the chat's name, in place of any it had, or (null) frees
 * its name. The swap is one D1 batch: if the new name is held (by another
 * chat, a person or a bot) the insert fails and the old name stays.
 * Returns false when taken.
 */
export async function claimChatUsername(db: Db, chatId: number, username: string | null, now: number): Promise<boolean> {
  const release = db.delete(chatUsernames).where(eq(chatUsernames.chatId, chatId));
  if (username === null) {
    await release;
    return true;
  }
  try {
    await db.batch([release, db.insert(chatUsernames).values({ usernameKey: usernameKey(username), username, chatId, claimedAt: now })]);
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/** The chat holding this name (any case), if one does. */
export async function findChatByUsername(db: Db, username: string): Promise<number | undefined> {
  const row = await db.query.chatUsernames.findFirst({ where: eq(chatUsernames.usernameKey, usernameKey(username)) });
  return row?.chatId;
}

/** The name D1 says the chat holds, if any (to put back what a refused change claimed). */
export async function usernameOfChat(db: Db, chatId: number): Promise<string | undefined> {
  const rows = await db.select({ username: chatUsernames.username }).from(chatUsernames).where(sql`${chatUsernames.chatId} = ${chatId}`);
  return rows[0]?.username;
}

function isUniqueViolation(err: unknown): boolean {
  const text = err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : String(err);
  return text.includes('UNIQUE constraint failed');
}
