import { useState } from 'preact/hooks';
import { describeError } from '../../lib/errors.js';
import { chatTitle } from '../../lib/people.js';
import { useMessenger } from '../context.js';
import { Modal } from '../common/modal.js';
import { may, useMyMember } from '../chat/use-my-role.js';

/**
 * Delete a message for me, or for everyone when the user may: their own
 * message, or any message in a group they manage.
 */
export function DeleteModal({ chatId, messageId, onClose }: { chatId: number; messageId: number; onClose: () => void }) {
  const messenger = useMessenger();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dialog = messenger.dialogs.get(chatId);
  const message = messenger.histories
    .forChat(chatId)
    .flatMap((h) => h.messages.peek())
    .find((m) => m.id === messageId);
  const me = messenger.myId;
  const myMember = useMyMember(dialog?.chat);
  const isGroup = dialog !== undefined && dialog.chat.kind !== 'private';
  const own = message?.sender_id === me;
  const saved = dialog?.chat.kind === 'private' && dialog.chat.member_ids.every((id) => id === me);
  const forEveryoneAllowed =
    !saved && dialog?.is_member === true && (own || (isGroup && may(dialog?.chat, myMember, 'can_delete_messages')));
  const peerName = dialog && !isGroup ? chatTitle(dialog.chat, me, messenger.users.byId.value) : null;

  async function remove(forEveryone: boolean) {
    setBusy(true);
    setError(null);
    try {
      await messenger.client.api.deleteMessages({ chat_id: chatId, ids: [messageId], for_everyone: forEveryone });
      onClose();
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  }

  return (
    <Modal
      title="Delete message"
      size="sm"
      onClose={onClose}
      actions={
        <>
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" class="button button--danger" disabled={busy} onClick={() => void remove(false)}>
            Delete for me
          </button>
          {forEveryoneAllowed && (
            <button type="button" class="button button--danger-solid" disabled={busy} onClick={() => void remove(true)}>
              {peerName ? `Delete for me and ${peerName}` : 'Delete for everyone'}
            </button>
          )}
        </>
      }
    >
      <p>Are you sure you want to delete this message?</p>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
    </Modal>
  );
}
