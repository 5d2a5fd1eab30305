import { z } from 'zod';
import { Id, Timestamp } from '../../protocol/common.js';
import { Message } from '../../protocol/messages.js';
import { Update } from '../../protocol/updates.js';

/**
 * What a ChatRoom hands a mailbox: one event of the chat's event log,
 * addressed to this account. `event_seq` is the chat's own sequence: the
 * mailbox applies each (chat_id, event_seq) at most once, and a chat delivers
 * to each mailbox in event_seq order, so "seen" is "≤ the cursor".
 */
export const ChatEvent = z.object({
  chat_id: Id,
  event_seq: z.number().int().positive(),
  date: Timestamp,
  update: Update,
  /**
   * Dialog fields the chat computed for this recipient when the mailbox cannot
   * derive them (after deletions: the new top message and unread count).
   */
  dialog: z
    .object({ top_message: Message.nullable().optional(), unread_count: z.number().int().nonnegative().optional() })
    .optional(),
});
export type ChatEvent = z.infer<typeof ChatEvent>;

/** The mailbox side of delivery, as a ChatRoom sees it. */
export interface MailboxDelivery {
  deliver(userId: number, events: ChatEvent[]): Promise<void>;
}
