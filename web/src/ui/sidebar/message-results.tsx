import { useEffect, useState } from 'preact/hooks';
import type { Message } from '../../../../protocol/messages.js';
import { describeError } from '../../lib/errors.js';
import { chatTitle, isGroupChat, peerOf } from '../../lib/people.js';
import { messagePreview } from '../../lib/rich-text.js';
import { formatDialogTime } from '../../lib/time.js';
import { showToast } from '../../model/toasts.js';
import { Avatar } from '../common/avatar.js';
import { Spinner } from '../common/spinner.js';
import { useMessenger } from '../context.js';

/** Typing pauses this long before the server is asked, so a word typed quickly is one search. */
const SEARCH_DELAY_MS = 300;
const RESULTS = 30;

type Found = { query: string; messages: readonly Message[] | null; error: string | null };

/**
 * The "Messages" part of the sidebar search: matches from the account's
 * recent chats (searchGlobal), newest first. Choosing one opens its chat at
 * that message and flashes it.
 */
export function MessageResults({ query, onDone }: { query: string; onDone: () => void }) {
  const messenger = useMessenger();
  const [found, setFound] = useState<Found>({ query, messages: null, error: null });

  useEffect(() => {
    let current = true;
    setFound({ query, messages: null, error: null });
    const timer = setTimeout(() => {
      messenger.client.api.searchGlobal({ query, limit: RESULTS }).then(
        ({ messages }) => current && setFound({ query, messages, error: null }),
        (err: unknown) => current && setFound({ query, messages: [], error: describeError(err) }),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);

  function open(message: Message) {
    // Positioned before the route changes, so the chat opens at the message rather than at the bottom.
    void messenger.histories
      .get(message.chat_id)
      .reveal(message.id)
      .then((shown) => shown || showToast('That message was deleted.'));
    onDone();
  }

  const { messages, error } = found;
  return (
    <section class="message-results" aria-label="Message results" aria-busy={messages === null}>
      <h3 class="section-title">Messages</h3>
      {messages === null && (
        <p class="muted search-results__none">
          <Spinner size={18} label="Searching messages" />
        </p>
      )}
      {error && (
        <p class="form-error search-results__error" role="alert">
          {error}
        </p>
      )}
      {messages?.length === 0 && !error && <p class="muted search-results__none">No messages with “{query}”.</p>}
      {messages?.map((message) => (
        <MessageResult key={`${message.chat_id}:${message.id}`} message={message} onOpen={() => open(message)} />
      ))}
    </section>
  );
}

function MessageResult({ message, onOpen }: { message: Message; onOpen: () => void }) {
  const messenger = useMessenger();
  const me = messenger.myId;
  const users = messenger.users.byId.value;
  const chat = messenger.dialogs.get(message.chat_id)?.chat;
  const peer = chat ? peerOf(chat, me) : undefined;
  const title = chat ? chatTitle(chat, me, users) : 'Chat';
  const sender =
    message.sender_id === me
      ? 'You'
      : chat && isGroupChat(chat.kind) && message.sender_id !== null
        ? users.get(message.sender_id)?.display_name.split(' ')[0]
        : null;
  return (
    <a
      class="message-result"
      href={`#/chat/${message.chat_id}`}
      data-message-id={message.id}
      data-result-chat-id={message.chat_id}
      onClick={onOpen}
    >
      <Avatar id={peer ?? message.chat_id} name={title} online={false} saved={peer === me} />
      <span class="dialog-row__body">
        <span class="dialog-row__top">
          <span class="dialog-row__title">{title}</span>
          <span class="dialog-row__meta">
            <time class="dialog-row__time">{formatDialogTime(message.date)}</time>
          </span>
        </span>
        <span class="dialog-row__bottom">
          <span class="dialog-row__preview">
            {sender && <span class="dialog-row__sender">{sender}: </span>}
            {messagePreview(message)}
          </span>
        </span>
      </span>
    </a>
  );
}
