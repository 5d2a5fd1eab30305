import { one, type SqlStore } from '../sql/store.js';

/**
 * This account's message requests: private chats started by someone its
 * "messages" privacy rule leaves out (decided by the sender's call, which
 * asks D1 once, when the chat is created). The dialog is listed with
 * `is_request` until the account accepts it or writes in the chat itself.
 */
export class MessageRequests {
  /** How many are open, once counted: a delivery of one's own message then skips the delete when there are none. */
  private open: number | undefined;

  constructor(private readonly store: SqlStore) {}

  /** Marks the chat a request from `fromUserId`; false if it was one already. */
  mark(chatId: number, fromUserId: number, at: number): boolean {
    const added = this.store.exec(
      'INSERT OR IGNORE INTO message_requests (chat_id, from_user_id, created_at) VALUES (?, ?, ?) RETURNING chat_id',
      chatId,
      fromUserId,
      at,
    );
    if (added.length > 0 && this.open !== undefined) this.open += 1;
    return added.length > 0;
  }

  /** Ends the request (accepted, or answered); false if the chat was none. */
  accept(chatId: number): boolean {
    if (this.count() === 0) return false;
    const removed = this.store.exec('DELETE FROM message_requests WHERE chat_id = ? RETURNING chat_id', chatId).length > 0;
    if (removed) this.open = this.count() - 1;
    return removed;
  }

  private count(): number {
    this.open ??= one<{ n: number }>(this.store, 'SELECT COUNT(*) AS n FROM message_requests')?.n ?? 0;
    return this.open;
  }
}
