import { one, type SqlStore } from '../sql/store.js';

/** A chat's messages are indexed for search at most this long after they were sent. */
export const SEARCH_INDEX_DELAY_MS = 1_000;

/**
 * The full-text index of a chat's messages (`message_search`), built after
 * the send rather than inside it: a trigger per message made every send
 * write the index's rows and, one transaction per message, a new FTS5
 * segment that the index then kept merging. Now the messages sent since the
 * last run are indexed together, SEARCH_INDEX_DELAY_MS after the first of
 * them (one segment for all), and always before a search reads the index,
 * so a search sees every message sent before it. `chat.search_indexed_to`
 * says how far the index goes; edits and deletions of indexed messages
 * still reach it through their trigger, and a message edited before it was
 * indexed is indexed with its text at that time. After an eviction the
 * messages not yet indexed wait for the next send's timer or the next search.
 */
export class SearchIndex {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly store: SqlStore) {}

  /** After a commit that stored messages: index them soon. */
  schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      try {
        this.catchUp();
      } catch (err) {
        console.error('chat room: indexing messages for search failed; the next send or search retries', err);
      }
    }, SEARCH_INDEX_DELAY_MS);
  }

  /** Indexes every message not indexed yet, in one transaction. */
  catchUp(): void {
    const chat = one<{ done: number; last: number }>(this.store, 'SELECT search_indexed_to AS done, next_message_id - 1 AS last FROM chat');
    if (!chat || chat.done >= chat.last) return;
    this.store.transaction(() => {
      this.store.exec('INSERT INTO message_search (rowid, text) SELECT id, text FROM messages WHERE id > ? AND id <= ? ORDER BY id', chat.done, chat.last);
      this.store.exec('UPDATE chat SET search_indexed_to = ?', chat.last);
    });
  }
}
