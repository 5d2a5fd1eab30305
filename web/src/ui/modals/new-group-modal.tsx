import { useState } from 'preact/hooks';
import type { User } from '../../../../protocol/common.js';
import { resolvePerson } from '../../lib/resolve.js';
import { describeError } from '../../lib/errors.js';
import { openChat } from '../../model/route.js';
import { useMessenger } from '../context.js';
import { UserAvatar } from '../common/user-avatar.js';
import { Icon } from '../common/icons.js';
import { Modal } from '../common/modal.js';
import { useOpenModal } from './modals-context.js';

type NewChatKind = 'group' | 'supergroup' | 'channel';

/** The words each kind of new chat is offered with. */
const WORDING: Record<NewChatKind, { title: string; name: string; add: string; chips: string; create: string }> = {
  group: { title: 'New group', name: 'Group name', add: 'Add members by username', chips: 'Members to add', create: 'Create group' },
  supergroup: {
    title: 'New supergroup',
    name: 'Supergroup name',
    add: 'Add members by username',
    chips: 'Members to add',
    create: 'Create supergroup',
  },
  channel: {
    title: 'New channel',
    name: 'Channel name',
    add: 'Add subscribers by username (optional)',
    chips: 'Subscribers to add',
    create: 'Create channel',
  },
};

/**
 * Create a group, a supergroup (up to 200,000 members) or a channel: a
 * title and the first members' (a channel's first subscribers') usernames,
 * each checked as it is added.
 */
export function NewGroupModal({ kind, onClose }: { kind: NewChatKind; onClose: () => void }) {
  const words = WORDING[kind];
  const messenger = useMessenger();
  const openModal = useOpenModal();
  const [title, setTitle] = useState('');
  const [username, setUsername] = useState('');
  const [members, setMembers] = useState<User[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function addMember() {
    const typed = username;
    const name = typed.trim().replace(/^@/, '');
    if (!name) return;
    setError(null);
    try {
      const user = await resolvePerson(messenger.client, name);
      // Functional updates: a fast typist adds the next name before this lookup
      // returns, and neither chip nor the next name may be lost to a stale closure.
      if (user.id !== messenger.myId) {
        setMembers((current) => (current.some((m) => m.id === user.id) ? current : [...current, user]));
      }
      setUsername((current) => (current === typed ? '' : current));
    } catch (err) {
      setError(describeError(err, 'username'));
    }
  }

  async function create(event: Event) {
    event.preventDefault();
    if (!title.trim()) {
      setError(`Give the ${kind} a name.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const ids = members.map((m) => m.id);
      const params = { title: title.trim(), user_ids: ids };
      const { api } = messenger.client;
      const { chat, missing_invitees } = await (kind === 'channel'
        ? api.createChannel(params)
        : kind === 'supergroup'
          ? api.createSupergroup(params)
          : api.createGroup(params));
      messenger.users.add(members);
      messenger.dialogs.addChat(chat);
      onClose();
      openChat(chat.id);
      // People whose privacy lets only some add them were left out: offer them an invitation instead (Telegram's way).
      const missing = members.filter((m) => missing_invitees?.includes(m.id));
      if (missing.length > 0) openModal({ kind: 'invite-missing', chatId: chat.id, userIds: missing.map((m) => m.id) });
    } catch (err) {
      setError(describeError(err, 'group'));
      setBusy(false);
    }
  }

  return (
    <Modal
      title={words.title}
      onClose={onClose}
      actions={
        <>
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="new-group-form" class="button button--primary" disabled={busy}>
            {words.create}
          </button>
        </>
      }
    >
      <form id="new-group-form" onSubmit={create} noValidate>
        <label class="field">
          <span class="field__label">{words.name}</span>
          <input
            class="field__input"
            name="title"
            maxLength={128}
            autoFocus
            value={title}
            onInput={(e) => setTitle(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="field__label">{words.add}</span>
          <span class="field__row">
            <input
              class="field__input"
              name="member"
              placeholder="@username"
              autocapitalize="none"
              spellcheck={false}
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void addMember();
                }
              }}
            />
            <button type="button" class="button" onClick={() => void addMember()} disabled={!username.trim()}>
              Add
            </button>
          </span>
        </label>
        {members.length > 0 && (
          <ul class="chips" aria-label={words.chips}>
            {members.map((user) => (
              <li key={user.id} class="chip">
                <UserAvatar userId={user.id} name={user.display_name} size="xs" />
                <span>{user.display_name}</span>
                <button
                  type="button"
                  class="chip__remove"
                  aria-label={`Remove ${user.display_name}`}
                  onClick={() => setMembers(members.filter((m) => m.id !== user.id))}
                >
                  <Icon name="close" size={16} />
                </button>
              </li>
            ))}
          </ul>
        )}
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </Modal>
  );
}
