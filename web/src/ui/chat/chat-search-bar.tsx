import { useEffect, useRef, useState } from 'preact/hooks';
import type { Message } from '../../../../protocol/messages.js';
import { describeError } from '../../lib/errors.js';
import type { ChatHistory } from '../../model/history.js';
import { showToast } from '../../model/toasts.js';
import { IconButton } from '../common/icons.js';
import { useMessenger } from '../context.js';

/** Typing pauses this long before the server is asked. */
const SEARCH_DELAY_MS = 300;
const RESULTS = 100;

/**
 * Search inside the open chat (Telegram Web's header search): the matches
 * newest first, "2 of 7", and arrows (or Enter / Shift+Enter) that bring
 * the older or newer match into view and flash it. Escape closes.
 */
export function ChatSearchBar({ chatId, history, onClose }: { chatId: number; history: ChatHistory; onClose: () => void }) {
  const messenger = useMessenger();
  const input = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<readonly Message[] | null>(null);
  const [index, setIndex] = useState(0);

  useEffect(() => input.current?.focus(), []);

  useEffect(() => {
    const typed = query.trim();
    setFound(null);
    if (!typed) return;
    let current = true;
    const timer = setTimeout(() => {
      messenger.client.api.searchMessages({ chat_id: chatId, query: typed, limit: RESULTS }).then(
        ({ messages }) => {
          if (!current) return;
          setFound(messages);
          setIndex(0);
          if (messages[0]) void show(messages[0]);
        },
        (err: unknown) => current && showToast(describeError(err)),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, chatId]);

  async function show(message: Message) {
    if (!(await history.reveal(message.id))) showToast('That message was deleted.');
  }

  function step(by: 1 | -1) {
    if (!found || found.length === 0) return;
    const next = Math.min(found.length - 1, Math.max(0, index + by));
    if (next === index) return;
    setIndex(next);
    void show(found[next]!);
  }

  const status = !query.trim() ? '' : found === null ? 'Searching…' : found.length === 0 ? 'No results' : `${index + 1} of ${found.length}`;
  return (
    <div class="chat-search" role="search">
      <input
        ref={input}
        class="chat-search__input"
        type="search"
        placeholder="Search this chat"
        aria-label="Search this chat"
        value={query}
        onInput={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            // Handled here, so the chat itself does not close.
            e.preventDefault();
            onClose();
          } else if (e.key === 'Enter') {
            e.preventDefault();
            step(e.shiftKey ? -1 : 1);
          }
        }}
      />
      <span class="chat-search__status" aria-live="polite">
        {status}
      </span>
      <IconButton icon="up" label="Older match" disabled={!found || index >= found.length - 1} onClick={() => step(1)} />
      <IconButton icon="down" label="Newer match" disabled={!found || index === 0} onClick={() => step(-1)} />
      <IconButton icon="close" label="Close search" onClick={onClose} />
    </div>
  );
}
