import type { Dialog } from '../../../../protocol/messages.js';
import { showToast } from '../../model/toasts.js';
import { useMessenger } from '../context.js';
import { useBusyAction } from '../common/use-busy-action.js';

/**
 * Above the composer of a message request (a private chat started by
 * someone the "who can message me" rule leaves out): accept it into the
 * chat list, or block its sender. Writing a reply accepts it as well.
 */
export function MessageRequestBar({ dialog, peerId }: { dialog: Dialog; peerId: number }) {
  const messenger = useMessenger();
  const { client } = messenger;
  const name = messenger.users.byId.value.get(peerId)?.display_name ?? 'This person';
  const { busy, error, act } = useBusyAction(async () => undefined, 'generic');
  return (
    <div class="request-bar" role="region" aria-label="Message request">
      <p>{name} is not among the people who can message you directly. Accept to move this chat to your chat list.</p>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="field__row">
        <button
          type="button"
          class="button button--primary"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              await client.api.acceptMessageRequest({ chat_id: dialog.chat.id });
              messenger.dialogs.setRequest(dialog.chat.id, false);
            })
          }
        >
          Accept
        </button>
        <button
          type="button"
          class="button button--danger"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              await client.api.blockUser({ user_id: peerId });
              showToast(`${name} is blocked`);
            })
          }
        >
          Block
        </button>
      </div>
    </div>
  );
}
