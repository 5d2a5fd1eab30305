import { fail } from '../../protocol/errors.js';
import { MAX_SEARCH_QUERY } from '../../protocol/methods.js';
import type { SqlStore } from '../sql/store.js';
import type { Message } from '../../protocol/messages.js';
import type { RoomContext } from './context.js';
import { decorated, pageLimit } from './reads.js';
import { requireMember, toMessage, type MessageRow } from './state.js';

/**
 * Message search inside one chat, over the FTS5 index the migrations keep
 * (`message_search`). What a person types is never handed to FTS5 as query
 * syntax: each word becomes a quoted prefix term ("hel" finds "hello"), and
 * all words must match, as in Telegram's search.
 */

/** At most this many words of a query are used. */
const MAX_TERMS = 10;

/** The FTS5 query for what was typed, or null when it has no word to look for (only punctuation). */
export function toFtsQuery(typed: string): string | null {
  const words = typed
    .normalize('NFKC')
    // Control characters separate words too: FTS5 reads a quoted string as C text, so a NUL inside
    // one would end it early ("unterminated string"), and no indexed word contains one anyway.
    .split(/[\s\p{Cc}]+/u)
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .slice(0, MAX_TERMS);
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replaceAll('"', '""')}"*`).join(' ');
}

/** The member's visible messages matching `typed`, newest first, below `offsetId` when paging. */
export function searchRows(store: SqlStore, viewerId: number, typed: string, offsetId: number | undefined, limit: number): MessageRow[] {
  if (typeof typed !== 'string' || typed.length > MAX_SEARCH_QUERY) throw fail.badRequest(`A search is at most ${MAX_SEARCH_QUERY} characters`);
  const match = toFtsQuery(typed);
  if (match === null) return [];
  // The index drives (CROSS JOIN keeps it the outer loop) and yields rowids newest first itself, so
  // a word in every message costs a page of look-ups, not a sort of all matches (bench s9-search).
  return store.exec<MessageRow>(
    `SELECT m.* FROM message_search s CROSS JOIN messages m ON m.id = s.rowid
     WHERE message_search MATCH ?2 AND (?3 IS NULL OR s.rowid < ?3) AND m.deleted = 0
       AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = ?1 AND h.message_id = m.id)
     ORDER BY s.rowid DESC LIMIT ?4`,
    viewerId,
    match,
    offsetId ?? null,
    limit,
  );
}

/** The member's visible messages matching a typed query, newest first, decorated like history. */
export function search(ctx: RoomContext, userId: number, query: string, offsetId: number | undefined, limit: number): Message[] {
  const { chat } = requireMember(ctx.store, userId);
  // Messages are indexed after their send (./search-index.ts): whatever was sent before this search is found.
  ctx.searchIndex.catchUp();
  const rows = searchRows(ctx.store, userId, query, offsetId, pageLimit(limit));
  return decorated(ctx.store, userId, rows.map((r) => toMessage(chat.id, r, userId)));
}

export const searchVerbs = { search };
