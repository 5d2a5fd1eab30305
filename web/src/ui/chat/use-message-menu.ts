import type { RefObject } from 'preact';
import { useState } from 'preact/hooks';
import type { Message } from '../../../../protocol/messages.js';
import { describeError } from '../../lib/errors.js';
import { openThread } from '../../model/route.js';
import { showToast } from '../../model/toasts.js';
import { useMessenger } from '../context.js';
import type { MenuItem } from '../common/menu.js';
import { useOpenModal } from '../modals/modals-context.js';
import { messageMenu, pendingMenu, type MessageActionHandlers } from './message-actions.js';
import type { Day, Row } from './message-rows.js';

interface OpenMenu {
  items: MenuItem[];
  /** A stored message's menu starts with quick reactions. */
  react: Message | null;
  at: { x: number; y: number };
  /** Where the list was scrolled when the menu opened: scrolling away closes it. */
  scrollTop: number;
}

/** The context menu of the message list: which actions a message offers, and what they do. */
export function useMessageMenu(options: {
  days: readonly Day[];
  me: number;
  canWrite: boolean;
  /** Members may react where they may not write: a channel's subscribers. */
  canReact: boolean;
  /** Whether the server lets the user pin here (the creator and admins of a group; anyone in a private chat). */
  canPin: boolean;
  /** The chat's pinned message, if any: its menu offers Unpin instead of Pin. */
  /** Every pinned message of the chat (several may be). */
  pinnedIds: readonly number[];
  /** Whether messages offer their thread (not inside a thread's own view). */
  threads: boolean;
  onReply: (message: Message) => void;
  onEdit: (message: Message) => void;
  scroller: RefObject<HTMLElement | null>;
}) {
  const messenger = useMessenger();
  const openModal = useOpenModal();
  const [menu, setMenu] = useState<OpenMenu | null>(null);

  const handlers: MessageActionHandlers = {
    reply: options.onReply,
    thread: (m) => openThread(m.chat_id, m.thread_id ?? m.id),
    edit: options.onEdit,
    forward: (m) => openModal({ kind: 'forward', chatId: m.chat_id, messageIds: [m.id] }),
    remove: (m) => openModal({ kind: 'delete', chatId: m.chat_id, messageId: m.id }),
    report: (m) => openModal({ kind: 'report', target: { kind: 'message', chatId: m.chat_id, messageId: m.id } }),
    copy: (text) => {
      navigator.clipboard?.writeText(text).then(
        () => showToast('Copied to clipboard.'),
        () => showToast('Could not copy: the browser did not allow it.'),
      );
    },
    pin: (m) => void setPinned(m.chat_id, m.id, true),
    unpin: (m) => void setPinned(m.chat_id, m.id, false),
    retry: (item) => messenger.outbox.retry(item.random_id),
    discard: (item) => messenger.outbox.discard(item.random_id),
  };

  /** Applies the server's answer at once; the `chat` update that follows changes nothing more. */
  async function setPinned(chatId: number, messageId: number, pinned: boolean) {
    try {
      const { chat } = pinned
        ? await messenger.client.call('pinMessage', { chat_id: chatId, message_id: messageId })
        : await messenger.client.call('unpinMessage', { chat_id: chatId, message_id: messageId });
      messenger.dialogs.onChat({ type: 'chat', chat });
    } catch (error) {
      showToast(describeError(error, 'group'));
    }
  }

  function rowByKey(key: string): Row | undefined {
    for (const day of options.days) for (const row of day.rows) if (row.key === key) return row;
    return undefined;
  }

  function openMenuFor(key: string, at: { x: number; y: number }) {
    const row = rowByKey(key);
    if (!row) return;
    const items =
      row.item.kind === 'message'
        ? messageMenu(
            row.item.message,
            // A channel post names no sender: any of the channel's managers may edit it (canWrite: I am one).
            // An anonymous admin's message in a group names none either, but only its sender (whose copy it is) edits it.
            { own: row.senderId === options.me || (row.item.message.sender_id === null && row.item.message.sender_chat_id === undefined), canWrite: options.canWrite, canPin: options.canPin, pinned: options.pinnedIds.includes(row.item.message.id), threads: options.threads },
            handlers,
          )
        : pendingMenu(row.item.item, handlers);
    const react = row.item.kind === 'message' && options.canReact ? row.item.message : null;
    setMenu({ items, react, at, scrollTop: options.scroller.current?.scrollTop ?? 0 });
  }

  return { menu, openMenuFor, closeMenu: () => setMenu(null) };
}
