import { useEffect, useState } from 'preact/hooks';
import type { User } from '../../../../protocol/common.js';
import { openChat, openUserChat } from '../../model/route.js';
import { useMessenger } from '../context.js';
import { UserAvatar } from '../common/user-avatar.js';

const DEBOUNCE_MS = 250;

/**
 * Search's "People": contacts whose saved name, name or username starts
 * with the query, and others by username (searchPeople), asked once the
 * typing pauses. A row opens the private chat (created by its first message).
 */
export function PeopleResults({ query, onDone }: { query: string; onDone: () => void }) {
  const messenger = useMessenger();
  const [found, setFound] = useState<{ query: string; people: User[] } | null>(null);

  useEffect(() => {
    const q = query.trim();
    if (!q) return;
    let live = true;
    const timer = setTimeout(() => {
      messenger.client.api.searchPeople({ query: q, limit: 10 }).then(
        ({ contacts, others }) => {
          if (!live) return;
          messenger.users.add([...contacts, ...others]);
          setFound({ query: q, people: [...contacts, ...others] });
        },
        () => undefined, // the chats and messages sections still answer
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);

  const people = found?.query === query.trim() ? found.people.filter((u) => u.id !== messenger.myId) : [];
  if (people.length === 0) return null;

  function open(user: User) {
    onDone();
    const existing = messenger.dialogs.privateChatWith(user.id);
    if (existing) openChat(existing.chat.id);
    else openUserChat(user.id);
  }

  return (
    <section aria-label="People">
      <h3 class="section-title">People</h3>
      <ul class="member-list">
        {people.map((user) => (
          <li key={user.id} class="member-list__item">
            <button type="button" class="search-results__person" onClick={() => open(user)}>
              <UserAvatar userId={user.id} name={user.display_name} size="sm" />
              <span class="member-list__text">
                <span class="member-list__name">{user.display_name}</span>
                <span class="member-list__status">@{user.username}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
