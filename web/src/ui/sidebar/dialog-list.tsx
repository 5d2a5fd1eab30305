import { useRef, useState } from 'preact/hooks';
import { route } from '../../model/route.js';
import { useMessenger } from '../context.js';
import { Spinner } from '../common/spinner.js';
import { useOpenModal } from '../modals/modals-context.js';
import { DialogRow } from './dialog-row.js';
import { dialogView } from './use-dialog-view.js';
import { describeError } from '../../lib/errors.js';

/**
 * The chat list, newest activity first; loads older chats when scrolled to
 * the end. Message requests (chats started by people the "who can message
 * me" rule leaves out) are kept apart, behind a "Message requests" row.
 */
export function DialogList() {
  const messenger = useMessenger();
  const { dialogs } = messenger;
  const openModal = useOpenModal();
  const list = useRef<HTMLDivElement>(null);
  const [showRequests, setShowRequests] = useState(false);
  const current = route.value;
  const selected = current.kind === 'chat' || current.kind === 'thread' ? current.chatId : current.kind === 'user' ? dialogs.privateChatWith(current.userId)?.chat.id : undefined;

  if (!dialogs.loaded.value) {
    return (
      <div class="dialog-list dialog-list--status">
        {dialogs.error.value ? <p class="muted">{describeError(dialogs.error.value)}</p> : <Spinner label="Loading chats" />}
      </div>
    );
  }

  const all = dialogs.ordered.value;
  const requests = all.filter((d) => d.is_request);
  const inRequests = showRequests && requests.length > 0;
  const ordered = inRequests ? requests : all.filter((d) => !d.is_request);
  if (ordered.length === 0 && requests.length === 0) {
    return (
      <div class="dialog-list dialog-list--status">
        <div class="empty-note">
          <p class="empty-note__title">No chats yet</p>
          <p class="muted">Find someone by their username, or start a group.</p>
          <div class="empty-note__actions">
            <button type="button" class="button button--primary" onClick={() => openModal({ kind: 'new-chat' })}>
              New message
            </button>
            <button type="button" class="button" onClick={() => openModal({ kind: 'new-group' })}>
              New group
            </button>
          </div>
        </div>
      </div>
    );
  }

  return (
    <nav
      class="dialog-list"
      ref={list}
      aria-label="Chat list"
      onScroll={(e) => {
        const el = e.currentTarget;
        if (el.scrollHeight - el.scrollTop - el.clientHeight < 300) void dialogs.loadMore();
      }}
    >
      {inRequests ? (
        <button type="button" class="dialog-list__folder" onClick={() => setShowRequests(false)}>
          ← Back to chats
        </button>
      ) : (
        requests.length > 0 && (
          <button type="button" class="dialog-list__folder" onClick={() => setShowRequests(true)}>
            Message requests ({requests.length})
          </button>
        )
      )}
      {ordered.map((dialog) => (
        <DialogRow key={dialog.chat.id} view={dialogView(messenger, dialog)} selected={dialog.chat.id === selected} />
      ))}
      {dialogs.loadingMore.value && (
        <div class="dialog-list__more">
          <Spinner label="Loading more chats" />
        </div>
      )}
    </nav>
  );
}
