import type { Message } from '../../../../protocol/messages.js';
import type { MenuItem } from '../common/menu.js';
import type { OutgoingMessage } from '../../model/outbox.js';

export interface MessageActionHandlers {
  reply(message: Message): void;
  /** Opens the message's thread (its own, or the one it replies in). */
  thread(message: Message): void;
  edit(message: Message): void;
  forward(message: Message): void;
  remove(message: Message): void;
  /** Reports someone else's message to the operators (a reason picker opens). */
  report(message: Message): void;
  copy(text: string): void;
  pin(message: Message): void;
  unpin(message: Message): void;
  retry(item: OutgoingMessage): void;
  discard(item: OutgoingMessage): void;
}

/** What the context menu offers for a message, given who sent it and what the user may do. */
export function messageMenu(
  message: Message,
  options: { own: boolean; canWrite: boolean; canPin: boolean; pinned: boolean; threads: boolean },
  on: MessageActionHandlers,
): MenuItem[] {
  const items: MenuItem[] = [];
  if (options.canWrite) items.push({ label: 'Reply', icon: 'reply', onSelect: () => on.reply(message) });
  // A thread to look at (the message has replies or is one), or to start where the user may write.
  if (options.threads && (message.replies || message.thread_id !== undefined || options.canWrite)) {
    const label = message.replies || message.thread_id !== undefined ? 'View thread' : 'Reply in thread';
    items.push({ label, icon: 'thread', onSelect: () => on.thread(message) });
  }
  if (options.own && options.canWrite && message.fwd_from === null) {
    items.push({ label: 'Edit', icon: 'pencil', onSelect: () => on.edit(message) });
  }
  items.push({ label: 'Copy text', icon: 'copy', onSelect: () => on.copy(message.text) });
  if (options.canPin) {
    items.push(
      options.pinned
        ? { label: 'Unpin', icon: 'pin', onSelect: () => on.unpin(message) }
        : { label: 'Pin', icon: 'pin', onSelect: () => on.pin(message) },
    );
  }
  items.push({ label: 'Forward', icon: 'forward', onSelect: () => on.forward(message) });
  if (!options.own) items.push({ label: 'Report', icon: 'shield', onSelect: () => on.report(message) });
  items.push({ label: 'Delete', icon: 'delete', danger: true, onSelect: () => on.remove(message) });
  return items;
}

export function pendingMenu(item: OutgoingMessage, on: MessageActionHandlers): MenuItem[] {
  const items: MenuItem[] = [{ label: 'Copy text', icon: 'copy', onSelect: () => on.copy(item.text) }];
  if (item.state === 'failed') {
    items.unshift({ label: 'Retry', icon: 'retry', onSelect: () => on.retry(item) });
    items.push({ label: 'Delete', icon: 'delete', danger: true, onSelect: () => on.discard(item) });
  }
  return items;
}
