import { useSession } from '../context.js';
import { Icon } from '../common/icons.js';
import { MenuButton } from '../common/menu.js';
import { useOpenModal } from '../modals/modals-context.js';
import { isDark, toggleTheme } from '../../model/theme.js';

export function SidebarHeader({ query, onQuery }: { query: string; onQuery: (q: string) => void }) {
  const session = useSession();
  const openModal = useOpenModal();
  return (
    <header class="sidebar__header">
      <MenuButton
        label="Main menu"
        icon="menu"
        items={() => [
          { label: 'My profile', icon: 'account', onSelect: () => openModal({ kind: 'profile' }) },
          { label: 'Contacts', icon: 'person', onSelect: () => openModal({ kind: 'contacts' }) },
          { label: 'Settings', icon: 'settings', onSelect: () => openModal({ kind: 'settings' }) },
          { label: 'New message', icon: 'person', onSelect: () => openModal({ kind: 'new-chat' }) },
          { label: 'New group', icon: 'group', onSelect: () => openModal({ kind: 'new-group' }) },
          { label: 'New supergroup', icon: 'group', onSelect: () => openModal({ kind: 'new-supergroup' }) },
          { label: 'New channel', icon: 'channel', onSelect: () => openModal({ kind: 'new-channel' }) },
          { label: isDark() ? 'Light mode' : 'Dark mode', icon: isDark() ? 'sun' : 'moon', onSelect: toggleTheme },
          { label: 'Log out', icon: 'logout', danger: true, onSelect: () => void session.logout() },
        ]}
      />
      <div class="search">
        <Icon name="search" size={22} class="search__icon" />
        <input
          class="search__input"
          type="search"
          placeholder="Search"
          aria-label="Search chats, people and messages"
          value={query}
          onInput={(e) => onQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && query) {
              e.stopPropagation();
              onQuery('');
            }
          }}
        />
        {query && (
          <button type="button" class="search__clear" aria-label="Clear search" onClick={() => onQuery('')}>
            <Icon name="close" size={18} />
          </button>
        )}
      </div>
    </header>
  );
}
