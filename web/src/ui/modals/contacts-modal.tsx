import { useEffect, useState } from 'preact/hooks';
import type { BlockedUser, Contact } from '../../../../protocol/contacts.js';
import { describeError } from '../../lib/errors.js';
import { resolvePerson } from '../../lib/resolve.js';
import { openChat, openUserChat } from '../../model/route.js';
import { useMessenger } from '../context.js';
import { UserAvatar } from '../common/user-avatar.js';
import { Modal } from '../common/modal.js';
import { useBusyAction } from '../common/use-busy-action.js';

/**
 * The account's contacts (under the names it gave them, mutual ones marked):
 * open a chat, remove one, add someone by username; and the people it
 * blocked, each with Unblock.
 */
export function ContactsModal({ onClose }: { onClose: () => void }) {
  const messenger = useMessenger();
  const { client } = messenger;
  const [contacts, setContacts] = useState<Contact[] | null>(null);
  const [blocked, setBlocked] = useState<BlockedUser[]>([]);
  const [username, setUsername] = useState('');
  const [name, setName] = useState('');

  async function reload() {
    const [mine, blocks] = await Promise.all([client.api.getContacts({}), client.api.getBlockedUsers({ limit: 100 })]);
    // Their photos are shown by the users store, as everywhere.
    messenger.users.add([...mine.contacts.map((c) => c.user), ...blocks.blocked.map((b) => b.user)]);
    setContacts(mine.contacts);
    setBlocked(blocks.blocked);
  }
  const { busy, error, setError, act } = useBusyAction(reload, 'username');
  useEffect(() => {
    reload().catch((err: unknown) => setError(describeError(err)));
  }, []);

  function open(userId: number) {
    onClose();
    const existing = messenger.dialogs.privateChatWith(userId);
    if (existing) openChat(existing.chat.id);
    else openUserChat(userId);
  }

  return (
    <Modal title="Contacts" onClose={onClose}>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <form
        class="field__row"
        onSubmit={(e) => {
          e.preventDefault();
          const typed = username.trim().replace(/^@/, '');
          if (!typed) return;
          void act(async () => {
            const person = await resolvePerson(client, typed);
            await client.api.addContact({ user_id: person.id, first_name: name.trim() || person.display_name });
            setUsername('');
            setName('');
          });
        }}
      >
        <input class="field__input" aria-label="Contact's username" placeholder="@username" autocapitalize="none" spellcheck={false} value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        <input class="field__input" aria-label="Contact's name" placeholder="Name (optional)" maxLength={64} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" class="button" disabled={busy || !username.trim()}>
          Add
        </button>
      </form>
      <ul class="member-list" aria-label="Contacts">
        {(contacts ?? []).map((c) => (
          <li key={c.user.id} class="member-list__item" data-user-id={c.user.id}>
            <UserAvatar userId={c.user.id} name={c.first_name} size="sm" />
            <button type="button" class="member-list__text contacts__open" onClick={() => open(c.user.id)}>
              <span class="member-list__name">{[c.first_name, c.last_name].filter(Boolean).join(' ')}</span>
              <span class="member-list__status">@{c.user.username}{c.mutual ? ' · mutual contact' : ''}</span>
            </button>
            <button type="button" class="button button--small" disabled={busy} aria-label={`Remove ${c.first_name}`} onClick={() => void act(() => client.api.deleteContacts({ user_ids: [c.user.id] }))}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      {contacts !== null && contacts.length === 0 && <p class="muted">No contacts yet: add someone by username.</p>}
      {blocked.length > 0 && (
        <section aria-label="Blocked users">
          <h3 class="section-title">Blocked users</h3>
          <ul class="member-list">
            {blocked.map((b) => (
              <li key={b.user.id} class="member-list__item" data-user-id={b.user.id}>
                <UserAvatar userId={b.user.id} name={b.user.display_name} size="sm" />
                <span class="member-list__text">
                  <span class="member-list__name">{b.user.display_name}</span>
                  <span class="member-list__status">@{b.user.username}</span>
                </span>
                <button type="button" class="button button--small" disabled={busy} aria-label={`Unblock ${b.user.display_name}`} onClick={() => void act(() => client.api.unblockUser({ user_id: b.user.id }))}>
                  Unblock
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Modal>
  );
}
