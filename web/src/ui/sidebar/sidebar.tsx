import { useState } from 'preact/hooks';
import { DialogList } from './dialog-list.js';
import { SearchResults } from './search-results.js';
import { SidebarHeader } from './sidebar-header.js';
import { ComposeButton } from './compose-button.js';

/** The left pane: menu and search on top, the chat list (or search results) below, a compose button. */
export function Sidebar() {
  const [query, setQuery] = useState('');
  const searching = query.trim().length > 0;
  return (
    <aside class="sidebar" aria-label="Chats">
      <SidebarHeader query={query} onQuery={setQuery} />
      {searching ? <SearchResults query={query.trim()} onDone={() => setQuery('')} /> : <DialogList />}
      {!searching && <ComposeButton />}
    </aside>
  );
}
