import { messagePreview } from '../../lib/rich-text.js';
import type { ChatHistory } from '../../model/history.js';
import { Icon } from '../common/icons.js';

/**
 * The chat's pinned message at the top of the list, as Telegram shows it:
 * a click (or Enter) scrolls to the message. The text comes from the window
 * or, when the message is further back, from one getMessages.
 */
export function PinnedBar({ history, messageId, onOpen }: { history: ChatHistory; messageId: number; onOpen: () => void }) {
  const message = history.lookup(messageId);
  if (message === null) return null;
  return (
    <button type="button" class="pinned-bar" aria-label="Pinned message: show it" onClick={onOpen}>
      <Icon name="pin" class="pinned-bar__icon" />
      <span class="composer__context-body">
        <span class="composer__context-title">Pinned message</span>
        <span class="composer__context-text">{message === undefined ? '…' : messagePreview(message)}</span>
      </span>
    </button>
  );
}
