import { randomId } from '../../../../client/platform.js';
import { MAX_INVITE_NAME } from '../../../../protocol/invites.js';
import { inviteLinkUrl } from '../../model/route.js';
import { showToast } from '../../model/toasts.js';
import { useMessenger } from '../context.js';
import { Modal } from '../common/modal.js';
import { UserAvatar } from '../common/user-avatar.js';
import { useBusyAction } from '../common/use-busy-action.js';

/**
 * After a new group or channel left out people whose "who can add me to
 * groups" rule does not include its creator (createGroup's missing_invitees):
 * offer each a one-person invite link in a private message, which they may
 * accept or ignore, as Telegram does.
 */
export function InviteMissingModal({ chatId, userIds, onClose }: { chatId: number; userIds: number[]; onClose: () => void }) {
  const messenger = useMessenger();
  const { client } = messenger;
  const users = messenger.users.byId.value;
  const title = messenger.dialogs.get(chatId)?.chat.title ?? 'the group';
  const { busy, error, act } = useBusyAction(async () => undefined, 'group');

  function sendInvites() {
    void act(async () => {
      for (const userId of userIds) {
        const name = users.get(userId)?.display_name ?? 'a friend';
        const { link } = await client.api.createChatInviteLink({ chat_id: chatId, name: `For ${name}`.slice(0, MAX_INVITE_NAME), member_limit: 1 });
        await client.api.sendMessage({ peer: { user_id: userId }, random_id: randomId(), text: `Join "${title}": ${inviteLinkUrl(link.token)}` });
      }
      showToast(userIds.length === 1 ? 'Invite link sent' : `${userIds.length} invite links sent`);
      onClose();
    });
  }

  return (
    <Modal
      title="Send invite links?"
      size="sm"
      onClose={onClose}
      actions={
        <>
          <button type="button" class="button" onClick={onClose}>
            Skip
          </button>
          <button type="button" class="button button--primary" disabled={busy} onClick={sendInvites}>
            Send invite link{userIds.length === 1 ? '' : 's'}
          </button>
        </>
      }
    >
      <p>These people only let some people add them to groups. You can send them an invite link instead:</p>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <ul class="member-list">
        {userIds.map((id) => (
          <li key={id} class="member-list__item">
            <UserAvatar userId={id} name={users.get(id)?.display_name ?? '?'} size="sm" />
            <span class="member-list__name">{users.get(id)?.display_name ?? `User ${id}`}</span>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
