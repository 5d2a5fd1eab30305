import { useEffect } from 'preact/hooks';
import { formatPresence } from '../../lib/time.js';
import { openChat, openUserChat } from '../../model/route.js';
import { useMessenger } from '../context.js';
import { Avatar } from '../common/avatar.js';
import { Modal } from '../common/modal.js';

/** A person's profile: name, username, last seen; a button to message them. */
export function UserInfoModal({ userId, onClose }: { userId: number; onClose: () => void }) {
  const messenger = useMessenger();
  const user = messenger.users.byId.value.get(userId);
  const status = messenger.users.statuses.value.get(userId);
  // Fresh name and presence each time the profile opens.
  useEffect(() => void messenger.users.fetch([userId]), [userId]);
  const existing = messenger.dialogs.privateChatWith(userId);
  return (
    <Modal title="User info" size="sm" onClose={onClose}>
      <div class="profile">
        <Avatar id={userId} name={user?.display_name ?? '?'} size="xl" online={status?.online === true} />
        <p class="profile__name">{user?.display_name ?? '…'}</p>
        <p class={status?.online ? 'profile__status profile__status--online' : 'profile__status'}>{formatPresence(status)}</p>
      </div>
      {user && (
        <dl class="info-list">
          <div>
            <dt>Username</dt>
            <dd>@{user.username}</dd>
          </div>
          {user.about && (
            <div>
              <dt>Bio</dt>
              <dd>{user.about}</dd>
            </div>
          )}
          {user.is_bot && (
            <div>
              <dt>Account</dt>
              <dd>Bot</dd>
            </div>
          )}
        </dl>
      )}
      {userId !== messenger.myId && (
        <button
          type="button"
          class="button button--primary button--wide"
          onClick={() => {
            onClose();
            if (existing) openChat(existing.chat.id);
            else openUserChat(userId);
          }}
        >
          Send message
        </button>
      )}
    </Modal>
  );
}
