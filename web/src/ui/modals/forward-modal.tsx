import { useState } from 'preact/hooks';
import { describeError } from '../../lib/errors.js';
import { openChat } from '../../model/route.js';
import { useMessenger } from '../context.js';
import { Modal } from '../common/modal.js';
import { DialogAvatar } from '../sidebar/dialog-avatar.js';
import { dialogView } from '../sidebar/use-dialog-view.js';

/** Pick the chat to forward to; the forward goes out and that chat opens. */
export function ForwardModal({ chatId, messageIds, onClose }: { chatId: number; messageIds: number[]; onClose: () => void }) {
  const messenger = useMessenger();
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const needle = query.trim().toLowerCase();
  const targets = messenger.dialogs.ordered.value
    .filter((d) => d.is_member)
    .map((d) => dialogView(messenger, d))
    .filter((v) => v.title.toLowerCase().includes(needle));

  async function forwardTo(targetChatId: number) {
    setBusy(true);
    setError(null);
    try {
      await messenger.client.forwardMessages(chatId, messageIds, { chat_id: targetChatId });
      onClose();
      openChat(targetChatId);
    } catch (err) {
      setError(describeError(err, 'send'));
      setBusy(false);
    }
  }

  return (
    <Modal title="Forward to…" onClose={onClose}>
      <input
        class="field__input"
        type="search"
        placeholder="Search chats"
        aria-label="Search chats"
        autoFocus
        value={query}
        onInput={(e) => setQuery(e.currentTarget.value)}
      />
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <ul class="pick-list" aria-label="Chats">
        {targets.map((view) => (
          <li key={view.chatId}>
            <button type="button" class="pick-list__item" disabled={busy} onClick={() => void forwardTo(view.chatId)}>
              <DialogAvatar view={view} size="sm" withPresence={false} />
              <span>{view.title}</span>
            </button>
          </li>
        ))}
        {targets.length === 0 && <li class="muted pick-list__none">No chats match.</li>}
      </ul>
    </Modal>
  );
}
