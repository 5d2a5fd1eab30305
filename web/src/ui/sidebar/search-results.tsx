import { useState } from 'preact/hooks';
import { USERNAME_PATTERN } from '../../../../protocol/common.js';
import { describeError } from '../../lib/errors.js';
import { peerOf } from '../../lib/people.js';
import { route } from '../../model/route.js';
import { useMessenger } from '../context.js';
import { Icon } from '../common/icons.js';
import { Spinner } from '../common/spinner.js';
import { DialogRow } from './dialog-row.js';
import { MessageResults } from './message-results.js';
import { PeopleResults } from './people-results.js';
import { dialogView } from './use-dialog-view.js';
import { useOpenUser } from '../chat/use-open-user.js';

/**
 * Search: the loaded chats whose title or peer's username match; when the
 * query is a valid username, a row that finds that user on the server;
 * people (contacts by name, others by username); and the messages that
 * match, from the server's search.
 */
export function SearchResults({ query, onDone }: { query: string; onDone: () => void }) {
  const messenger = useMessenger();
  const openUser = useOpenUser();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const needle = query.replace(/^@/, '').toLowerCase();
  const users = messenger.users.byId.value;
  const current = route.value;

  const matches = messenger.dialogs.ordered.value.filter((dialog) => {
    const view = dialogView(messenger, dialog);
    if (view.title.toLowerCase().includes(needle)) return true;
    const peer = peerOf(dialog.chat, messenger.myId);
    return peer !== undefined && (users.get(peer)?.username.toLowerCase().includes(needle) ?? false);
  });
  const username = query.replace(/^@/, '');
  const canLookUp = USERNAME_PATTERN.test(username);

  async function lookUp() {
    setBusy(true);
    setError(null);
    try {
      await openUser(username);
      onDone();
    } catch (err) {
      setError(describeError(err, 'username'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="dialog-list search-results">
      {matches.length > 0 && <h3 class="section-title">Chats</h3>}
      {matches.map((dialog) => (
        <div key={dialog.chat.id} onClick={onDone}>
          <DialogRow
            view={dialogView(messenger, dialog)}
            selected={(current.kind === 'chat' || current.kind === 'thread') && current.chatId === dialog.chat.id}
          />
        </div>
      ))}
      {canLookUp && (
        <>
          <h3 class="section-title">Global search</h3>
          <button type="button" class="search-results__lookup" onClick={lookUp} disabled={busy}>
            <span class="search-results__lookup-icon">
              {busy ? <Spinner size={22} label="Searching" /> : <Icon name="search" />}
            </span>
            <span>
              Find <strong>@{username}</strong>
            </span>
          </button>
          {error && (
            <p class="form-error search-results__error" role="alert">
              {error}
            </p>
          )}
        </>
      )}
      <PeopleResults query={query} onDone={onDone} />
      {matches.length === 0 && !canLookUp && <p class="muted search-results__none">No chats match “{query}”.</p>}
      <MessageResults query={query} onDone={onDone} />
    </div>
  );
}
