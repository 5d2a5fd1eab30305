import { useState } from 'preact/hooks';
import type { User } from '../../../../protocol/common.js';
import { describeError } from '../../lib/errors.js';
import { openChat } from '../../model/route.js';
import { useMessenger } from '../context.js';
import { Avatar } from '../common/avatar.js';
import { Icon } from '../common/icons.js';
import { Modal } from '../common/modal.js';

/**
 * Create a group or a channel: a title and the first members' (a channel's
 * first subscribers') usernames, each checked as it is added.
 */
export function NewGroupModal({ kind, onClose }: { kind: 'group' | 'channel'; onClose: () => void }) {
  const isChannel = kind === 'channel';
  const messenger = useMessenger();
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
      const { user } = await messenger.client.api.resolveUsername({ username: name });
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
      const chat = isChannel
        ? (await messenger.client.api.createChannel({ title: title.trim(), user_ids: ids })).chat
        : (await messenger.client.api.createGroup({ title: title.trim(), user_ids: ids })).chat;
      messenger.users.add(members);
      messenger.dialogs.addChat(chat);
      onClose();
      openChat(chat.id);
    } catch (err) {
      setError(describeError(err, 'group'));
      setBusy(false);
    }
  }

  return (
    <Modal
      title={isChannel ? 'New channel' : 'New group'}
      onClose={onClose}
      actions={
        <>
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="new-group-form" class="button button--primary" disabled={busy}>
            {isChannel ? 'Create channel' : 'Create group'}
          </button>
        </>
      }
    >
      <form id="new-group-form" onSubmit={create} noValidate>
        <label class="field">
          <span class="field__label">{isChannel ? 'Channel name' : 'Group name'}</span>
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
          <span class="field__label">{isChannel ? 'Add subscribers by username (optional)' : 'Add members by username'}</span>
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
          <ul class="chips" aria-label={isChannel ? 'Subscribers to add' : 'Members to add'}>
            {members.map((user) => (
              <li key={user.id} class="chip">
                <Avatar id={user.id} name={user.display_name} size="xs" />
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
