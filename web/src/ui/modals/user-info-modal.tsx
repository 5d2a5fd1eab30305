import { useEffect, useState } from 'preact/hooks';
import { formatPresence } from '../../lib/time.js';
import { useBusyAction } from '../common/use-busy-action.js';
import { openChat, openUserChat } from '../../model/route.js';
import { useMessenger } from '../context.js';
import { UserAvatar } from '../common/user-avatar.js';
import { Modal } from '../common/modal.js';
import { useOpenModal } from './modals-context.js';

/**
 * A person's profile: name, username, last seen; a button to message them;
 * add them to contacts (under a name of one's own) and block or unblock them.
 */
export function UserInfoModal({ userId, onClose }: { userId: number; onClose: () => void }) {
  const messenger = useMessenger();
  const openModal = useOpenModal();
  const { client } = messenger;
  const user = messenger.users.byId.value.get(userId);
  const status = messenger.users.statuses.value.get(userId);
  /** Whether the user blocked this person, and whether they are a contact: null until known. */
  const [blocked, setBlocked] = useState<boolean | null>(null);
  const [contact, setContact] = useState<boolean | null>(null);
  async function reload() {
    const [{ blocked: list }, { contacts }] = await Promise.all([client.api.getBlockedUsers({ limit: 100 }), client.api.getContacts({})]);
    setBlocked(list.some((b) => b.user.id === userId));
    setContact(contacts.some((c) => c.user.id === userId));
  }
  const { busy, error, act } = useBusyAction(reload, 'generic');
  // Fresh name and presence each time the profile opens.
  useEffect(() => {
    void messenger.users.fetch([userId]);
    void reload().catch(() => {});
  }, [userId]);
  const isMe = userId === messenger.myId;
  const existing = messenger.dialogs.privateChatWith(userId);
  return (
    <Modal title="User info" size="sm" onClose={onClose}>
      <div class="profile">
        <UserAvatar userId={userId} name={user?.display_name ?? '?'} size="xl" online={status?.online === true} />
        <p class="profile__name">{user?.display_name ?? '…'}</p>
        <p class={status?.online ? 'profile__status profile__status--online' : 'profile__status'}>{formatPresence(status)}</p>
      </div>
      {user && (
        <dl class="info-list">
          {!user.deleted && (
            <div>
              <dt>Username</dt>
              <dd>@{user.username}</dd>
            </div>
          )}
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
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {!isMe && user && !user.is_bot && contact === false && (
        <button
          type="button"
          class="button button--wide"
          disabled={busy}
          onClick={() => void act(() => client.api.addContact({ user_id: userId, first_name: user.display_name }))}
        >
          Add to contacts
        </button>
      )}
      {!isMe && blocked !== null && (
        <button
          type="button"
          class={blocked ? 'button button--wide' : 'button button--danger button--wide'}
          disabled={busy}
          onClick={() => void act(() => (blocked ? client.api.unblockUser({ user_id: userId }) : client.api.blockUser({ user_id: userId })))}
        >
          {blocked ? (user?.is_bot ? 'Restart bot' : 'Unblock user') : user?.is_bot ? 'Stop and block bot' : 'Block user'}
        </button>
      )}
      {!isMe && user && !user.deleted && (
        <button type="button" class="button button--wide" onClick={() => openModal({ kind: 'report', target: { kind: 'user', userId } })}>
          {user.is_bot ? 'Report bot' : 'Report user'}
        </button>
      )}
      {!isMe && (
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
