import type { Message } from '../../protocol/messages.js';
import type { Update } from '../../protocol/updates.js';

/**
 * What a ChatRoom hands a mailbox: one event of the chat's event log,
 * addressed to this account. `event_seq` is the chat's own sequence: the
 * mailbox applies each (chat_id, event_seq) at most once, and a chat delivers
 * to each mailbox in event_seq order, so "seen" is "≤ the cursor".
 */
export type ChatEvent = {
  chat_id: number;
  event_seq: number;
  date: number;
  update: Update;
  /**
   * Dialog fields the chat computed for this recipient when the mailbox cannot
   * derive them (after deletions: the new top message and unread count).
   */
  dialog?: { top_message?: Message | null; unread_count?: number };
};

/** The mailbox side of delivery, as a ChatRoom sees it. */
export interface MailboxDelivery {
  deliver(userId: number, events: ChatEvent[]): Promise<void>;
}
