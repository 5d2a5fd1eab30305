import { useRef } from 'preact/hooks';
import { route } from '../../model/route.js';
import { useMessenger } from '../context.js';
import { Spinner } from '../common/spinner.js';
import { useOpenModal } from '../modals/modals-context.js';
import { DialogRow } from './dialog-row.js';
import { dialogView } from './use-dialog-view.js';
import { describeError } from '../../lib/errors.js';

/** The chat list, newest activity first; loads older chats when scrolled to the end. */
export function DialogList() {
  const messenger = useMessenger();
  const { dialogs } = messenger;
  const openModal = useOpenModal();
  const list = useRef<HTMLDivElement>(null);
  const current = route.value;
  const selected = current.kind === 'chat' || current.kind === 'thread' ? current.chatId : current.kind === 'user' ? dialogs.privateChatWith(current.userId)?.chat.id : undefined;

  if (!dialogs.loaded.value) {
    return (
      <div class="dialog-list dialog-list--status">
        {dialogs.error.value ? <p class="muted">{describeError(dialogs.error.value)}</p> : <Spinner label="Loading chats" />}
      </div>
    );
  }

  const ordered = dialogs.ordered.value;
  if (ordered.length === 0) {
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
