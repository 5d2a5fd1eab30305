import { useEffect, useState } from 'preact/hooks';
import { messagePreview } from '../../lib/rich-text.js';
import type { ChatHistory } from '../../model/history.js';
import { Icon } from '../common/icons.js';

/**
 * The chat's pinned messages at the top of the list, as Telegram shows them:
 * the newest first; a click (or Enter) scrolls to the one shown and then
 * shows the next older one, round to the newest again ("2 of 3" says
 * where). Those who may pin get "Unpin all" when several are. The text
 * comes from the window or, when the message is further back, from one
 * getMessages.
 */
export function PinnedBar({
  history,
  pinnedIds,
  onOpen,
  onUnpinAll,
}: {
  history: ChatHistory;
  pinnedIds: readonly number[];
  onOpen: (id: number) => void;
  onUnpinAll?: (() => void) | undefined;
}) {
  const [index, setIndex] = useState(0);
  // A new pin (or an unpin) starts over from the newest.
  useEffect(() => setIndex(0), [pinnedIds.join(',')]);
  const shown = Math.min(index, pinnedIds.length - 1);
  const messageId = pinnedIds[shown]!;
  const message = history.lookup(messageId);
  const several = pinnedIds.length > 1;
  return (
    <div class="pinned-bar__row">
      <button
        type="button"
        class="pinned-bar"
        aria-label={several ? `Pinned message ${shown + 1} of ${pinnedIds.length}: show it` : 'Pinned message: show it'}
        onClick={() => {
          onOpen(messageId);
          setIndex((shown + 1) % pinnedIds.length);
        }}
      >
        <Icon name="pin" class="pinned-bar__icon" />
        <span class="composer__context-body">
          <span class="composer__context-title">{several ? `Pinned message ${shown + 1} of ${pinnedIds.length}` : 'Pinned message'}</span>
          <span class="composer__context-text">{message === undefined ? '…' : message === null ? 'Deleted message' : messagePreview(message)}</span>
        </span>
      </button>
      {several && onUnpinAll && (
        <button type="button" class="button button--small pinned-bar__unpin-all" onClick={onUnpinAll}>
          Unpin all
        </button>
      )}
    </div>
  );
}
