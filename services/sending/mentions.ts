import { database } from '../../d1/db.js';
import { findAccountIdsByUsernames } from '../../d1/queries/accounts.js';
import type { Entity } from '../../protocol/messages.js';
import type { Env } from '../../durable-objects/env.js';

/** At most this many people are told of one message's mentions (Telegram counts a handful too). */
export const MAX_MENTIONS = 10;

/** @usernames in a text, as written (5-32 letters, digits, underscores, starting with a letter), lower-cased and distinct. */
export function mentionedUsernames(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/(?:^|[^A-Za-z0-9_@])@([A-Za-z][A-Za-z0-9_]{4,31})(?![A-Za-z0-9_])/g)) {
    names.add(m[1]!.toLowerCase());
    if (names.size >= MAX_MENTIONS) break;
  }
  return [...names];
}

/**
 * Who a message names: its `text_mention` entities' users and the accounts
 * its @usernames belong to (one D1 look-up, only for a text with an @). The
 * ChatRoom keeps only members among them (and tells them only in large
 * chats, whose messages are not in their mailboxes): nothing here is trusted.
 */
export async function mentionedUserIds(env: Env, text: string, entities: readonly Entity[] | undefined): Promise<number[]> {
  const ids = new Set<number>();
  for (const e of entities ?? []) if (e.type === 'text_mention' && e.user_id !== undefined) ids.add(e.user_id);
  const names = text.includes('@') ? mentionedUsernames(text) : [];
  if (names.length > 0) for (const id of await findAccountIdsByUsernames(database(env.DB), names)) ids.add(id);
  return [...ids].slice(0, MAX_MENTIONS);
}
