import type { Message } from '../../../protocol/messages.js';

/**
 * The ticks on an outgoing message:
 * - `pending` (clock): not yet acknowledged by the server (queued offline, or in flight);
 * - `failed`: the server refused it;
 * - `sent` (✓): acknowledged, stored by the chat;
 * - `delivered` (✓✓ grey): in the recipients' mailboxes;
 * - `read` (✓✓ blue): the peer (in groups: someone) read up to it.
 *
 * The protocol has no delivery receipt yet. An acknowledged message is
 * already on its way through the chat's durable outbox, so for now
 * acknowledged counts as delivered; `sent` stays for when receipts exist.
 */
export type Delivery = 'pending' | 'failed' | 'sent' | 'delivered' | 'read';

export function deliveryOf(message: Pick<Message, 'id'>, readOutboxMaxId: number): Delivery {
  return message.id <= readOutboxMaxId ? 'read' : 'delivered';
}

export const DELIVERY_LABEL: Record<Delivery, string> = {
  pending: 'Sending',
  failed: 'Not sent',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
};
