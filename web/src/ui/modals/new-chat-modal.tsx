import { useState } from 'preact/hooks';
import { describeError } from '../../lib/errors.js';
import { Modal } from '../common/modal.js';
import { useOpenUser } from '../chat/use-open-user.js';

/** Start a private chat: type a username, open the chat with that person. */
export function NewChatModal({ onClose }: { onClose: () => void }) {
  const openUser = useOpenUser();
  const [username, setUsername] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const name = username.trim().replace(/^@/, '');
    if (!name) return;
    setBusy(true);
    setError(null);
    try {
      await openUser(name);
      onClose();
    } catch (err) {
      setError(describeError(err, 'username'));
      setBusy(false);
    }
  }

  return (
    <Modal
      title="New message"
      size="sm"
      onClose={onClose}
      actions={
        <>
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="new-chat-form" class="button button--primary" disabled={busy || !username.trim()}>
            Open chat
          </button>
        </>
      }
    >
      <form id="new-chat-form" onSubmit={submit} noValidate>
        <label class="field">
          <span class="field__label">Username</span>
          <input
            class="field__input"
            name="username"
            placeholder="@username"
            autocapitalize="none"
            spellcheck={false}
            autoFocus
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </Modal>
  );
}
