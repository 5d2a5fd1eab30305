import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Chat, Dialog, Message } from '../../../../protocol/messages.js';
import { describeError } from '../../lib/errors.js';
import { formatDaySeparator } from '../../lib/time.js';
import type { ChatHistory } from '../../model/history.js';
import type { OutgoingMessage } from '../../model/outbox.js';
import { showToast } from '../../model/toasts.js';
import { useMessenger } from '../context.js';
import { Icon } from '../common/icons.js';
import { Menu } from '../common/menu.js';
import { Spinner } from '../common/spinner.js';
import { MessageRow } from './message-row.js';
import { buildDays } from './message-rows.js';
import { PinnedBar } from './pinned-bar.js';
import { ReactionStrip } from './reactions.js';
import { distanceFromBottom, restore, revealMessage, scrollToBottom, takeSnapshot, type ScrollSnapshot } from './scroll-keeper.js';
import { useMessageMenu } from './use-message-menu.js';
import { mayPin, mayPost, useMyMember } from './use-my-role.js';
import { useOpenUser } from './use-open-user.js';
import { useSeenObserver } from './use-seen-observer.js';

interface MessageListProps {
  chatId: number | null;
  history: ChatHistory | null;
  dialog: Dialog | null;
  outgoing: readonly OutgoingMessage[];
  isGroup: boolean;
  /** A thread's view: no pinned bar, and messages do not offer threads. */
  inThread?: boolean;
  /** A forum topic's view: what is seen moves the topic's read position, not the chat's. */
  topicId?: number | null;
  /** The read pointer when the chat was opened with unread messages: the unread line goes after it. */
  unreadAfter: number | null;
  canWrite: boolean;
  /** Changes when this device sends: the list jumps to the bottom. */
  sendCount: number;
  onReply: (message: Message) => void;
  onEdit: (message: Message) => void;
}

const LOAD_MARGIN_PX = 600;
const JUMP_BUTTON_AFTER_PX = 300;

/** The chat's messages: scrolls both ways through history, keeps its place, marks what is seen as read. */
export function MessageList(props: MessageListProps) {
  const { history, dialog, chatId } = props;
  const messenger = useMessenger();
  const openUser = useOpenUser();
  const scroller = useRef<HTMLDivElement>(null);
  const snapshot = useRef<ScrollSnapshot>({ atBottom: true, anchorKey: null, anchorTop: 0 });
  const seenGeneration = useRef(-1);
  const seenSendCount = useRef(props.sendCount);
  /** Whether the window on screen (before this render) reached the chat's newest message. */
  const renderedAtLatest = useRef(true);
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const [jumpVisible, setJumpVisible] = useState(false);

  const me = messenger.myId;
  const users = messenger.users.byId.value;
  const messages = history?.messages.value ?? [];
  const generation = history?.generation.value ?? 0;
  const atLatest = history?.atLatest.value ?? true;
  const loading = history?.loading.value ?? null;
  const error = history?.error.value;
  const highlight = history?.highlighted.value ?? null;
  const readOutbox = dialog?.read_outbox_max_id ?? 0;
  const readInbox = dialog?.read_inbox_max_id ?? 0;
  const isChannel = dialog?.chat.kind === 'channel';
  // Replies quote messages that may be outside the window; reading this subscribes to their arrival.
  history?.referenced.value;

  // Rendering happens before the DOM is patched: remember what the reader sees now. Only a window
  // that reached the newest message sticks to the bottom; below an older window (a search result,
  // a quoted message) the next page appends under what the reader is looking at.
  if (scroller.current) {
    snapshot.current = takeSnapshot(scroller.current);
    if (!renderedAtLatest.current) snapshot.current.atBottom = false;
  }

  const days = useMemo(
    // Pending sends belong after the newest message: hidden only while the reader is back in history.
    () => buildDays(messages, atLatest || messages.length === 0 ? props.outgoing : [], me, props.unreadAfter, isChannel),
    [messages, props.outgoing, atLatest, me, props.unreadAfter, isChannel],
  );
  const lastKey = days.at(-1)?.rows.at(-1)?.key ?? null;

  // Names for every sender on screen: a window opened by link (a thread, a search result) may show
  // people the chat list never mentioned.
  useEffect(() => messenger.users.ensure(new Set(messages.flatMap((m) => (m.sender_id === null ? [] : [m.sender_id])))), [messages]);

  useSeenObserver(scroller, chatId, '[data-unread]', (id) =>
    props.topicId != null ? messenger.reads.seenInTopic(chatId!, props.topicId, id) : messenger.reads.seen(chatId!, id),
  );
  useSeenObserver(scroller, chatId, '[data-post]', (id) => messenger.views.shown(chatId!, id));

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (generation !== seenGeneration.current) {
      seenGeneration.current = generation;
      const focus = history?.focus ?? 'bottom';
      if (focus === 'bottom' || !revealMessage(el, focus.id)) scrollToBottom(el);
    } else if (props.sendCount !== seenSendCount.current) {
      seenSendCount.current = props.sendCount;
      scrollToBottom(el);
    } else {
      restore(el, snapshot.current);
    }
    renderedAtLatest.current = atLatest;
    onPositionChange();
  });

  // Resizes (the composer grows, the keyboard opens, a player or picture inside finishes loading)
  // keep a reader at the bottom there.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    let atBottom = true;
    const onScroll = () => (atBottom = distanceFromBottom(el) <= 32);
    el.addEventListener('scroll', onScroll, { passive: true });
    const observer = new ResizeObserver(() => {
      if (atBottom && renderedAtLatest.current) scrollToBottom(el);
    });
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => {
      el.removeEventListener('scroll', onScroll);
      observer.disconnect();
    };
  }, []);

  function onPositionChange() {
    const el = scroller.current;
    if (!el || !history) return;
    const fromBottom = distanceFromBottom(el);
    const loaded = history.messages.peek().length > 0;
    setJumpVisible(loaded && (fromBottom > JUMP_BUTTON_AFTER_PX || !history.atLatest.peek()));
    if (history.loading.peek() || history.error.peek()) return;
    if (el.scrollTop < LOAD_MARGIN_PX && history.hasOlder.peek() && history.messages.peek().length > 0) {
      void history.loadOlder();
    } else if (fromBottom < LOAD_MARGIN_PX && !history.atLatest.peek()) {
      void history.loadNewer();
    }
  }

  async function jumpToLatest() {
    if (!history) return;
    if (!history.atLatest.peek()) await history.jumpToLatest();
    else if (scroller.current) scrollToBottom(scroller.current);
  }

  async function unpinAll(chatId: number) {
    try {
      const { chat } = await messenger.client.api.unpinAllMessages({ chat_id: chatId });
      messenger.dialogs.onChat({ type: 'chat', chat });
    } catch (error) {
      showToast(describeError(error, 'group'));
    }
  }

  async function jumpToMessage(id: number) {
    if (!history) return;
    if (!(await history.reveal(id))) showToast('That message was deleted.');
  }

  const myMember = useMyMember(dialog?.chat);
  const { menu, openMenuFor, closeMenu } = useMessageMenu({
    days,
    me,
    // In a channel only its owner and admins reply, edit and pin; subscribers react.
    canWrite: props.canWrite && mayPost(dialog?.chat, myMember, me),
    canReact: props.canWrite,
    canPin: props.canWrite && mayPin(dialog?.chat, myMember),
    pinnedIds: pinnedOf(dialog?.chat),
    threads: !props.inThread,
    onReply: props.onReply,
    onEdit: props.onEdit,
    scroller,
  });

  function onKeyDown(event: KeyboardEvent) {
    const target = event.target as HTMLElement;
    if (!target.matches('.msg')) return;
    const all = [...scroller.current!.querySelectorAll<HTMLElement>('.msg')];
    const index = all.indexOf(target);
    if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      const next = all[index + (event.key === 'ArrowUp' ? -1 : 1)];
      next?.focus();
      event.preventDefault();
    } else if (event.key === 'Enter' || event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      const rect = target.querySelector('.msg__bubble')!.getBoundingClientRect();
      openMenuFor(target.dataset.key!, { x: rect.left + 16, y: rect.bottom - 8 });
      event.preventDefault();
    }
  }

  function onClick(event: MouseEvent) {
    const target = event.target as HTMLElement;
    const mention = target.closest<HTMLElement>('[data-mention]');
    if (mention) {
      event.preventDefault();
      openUser(mention.dataset.mention!).catch((err: unknown) => showToast(describeError(err, 'username')));
      return;
    }
    const quote = target.closest<HTMLElement>('[data-reply-to]');
    if (quote) {
      void jumpToMessage(Number(quote.dataset.replyTo));
      return;
    }
    // Touch screens have no right click: a tap on a bubble opens its menu, as in Telegram's apps.
    const bubble = target.closest<HTMLElement>('.msg');
    // Controls inside a bubble (a photo, a download, a player, a bot's button) do their own thing.
    if (bubble && !target.closest('a, button, audio') && matchMedia('(pointer: coarse)').matches) {
      openMenuFor(bubble.dataset.key!, { x: event.clientX, y: event.clientY });
    }
  }

  const showInitialSpinner = loading === 'window' && messages.length === 0;
  const empty = !showInitialSpinner && messages.length === 0 && props.outgoing.length === 0 && !error;

  return (
    <div class="message-list-frame">
      {history && !props.inThread && pinnedOf(dialog?.chat).length > 0 && (
        <PinnedBar
          history={history}
          pinnedIds={pinnedOf(dialog?.chat)}
          onOpen={(id) => void jumpToMessage(id)}
          onUnpinAll={mayPin(dialog?.chat, myMember) ? () => void unpinAll(dialog!.chat.id) : undefined}
        />
      )}
      <div
        ref={scroller}
        class="message-list"
        role="log"
        aria-label="Messages"
        aria-busy={loading !== null}
        onScroll={(event) => {
          onPositionChange();
          // The reader scrolled away from the message: its menu goes. (Focusing a message
          // scrolls it into view a frame later; that small move keeps the menu.)
          if (menu && Math.abs(event.currentTarget.scrollTop - menu.scrollTop) > 48) closeMenu();
        }}
        onKeyDown={onKeyDown}
        onClick={onClick}
        onFocusIn={(e) => {
          const key = (e.target as HTMLElement).dataset?.key;
          if (key) setFocusKey(key);
        }}
        onContextMenu={(event) => {
          const bubble = (event.target as HTMLElement).closest<HTMLElement>('.msg');
          if (!bubble || (event.target as HTMLElement).closest('a')) return;
          event.preventDefault();
          openMenuFor(bubble.dataset.key!, { x: event.clientX, y: event.clientY });
        }}
      >
        <div class="message-list__column">
          {loading === 'older' && (
            <div class="message-list__loader">
              <Spinner label="Loading older messages" />
            </div>
          )}
          {showInitialSpinner && (
            <div class="message-list__center">
              <Spinner label="Loading messages" />
            </div>
          )}
          {error !== undefined && (
            <div class="message-list__error" role="alert">
              <span>{describeError(error)}</span>
              <button type="button" class="button button--small" onClick={() => void history?.retry()}>
                Retry
              </button>
            </div>
          )}
          {empty && (
            <div class="message-list__center">
              <div class="empty-chat">
                <p class="empty-chat__title">No messages here yet…</p>
                <p>Send a message to start the conversation.</p>
              </div>
            </div>
          )}
          {days.map((day) => (
            <section key={day.key} class="day" aria-label={formatDaySeparator(day.date)}>
              <div class="day__label" aria-hidden="true">
                <span>{formatDaySeparator(day.date)}</span>
              </div>
              {day.rows.map((row) => (
                <MessageRow
                  key={row.key}
                  row={row}
                  me={me}
                  isGroup={props.isGroup}
                  channelTitle={isChannel ? (dialog?.chat.title ?? 'Channel') : (dialog?.chat.title ?? null)}
                  users={users}
                  history={history}
                  readOutbox={readOutbox}
                  readInbox={readInbox}
                  focusable={row.key === (focusKey ?? lastKey)}
                  highlighted={row.item.kind === 'message' && row.item.message.id === highlight}
                  showReplies={!props.inThread}
                />
              ))}
            </section>
          ))}
          {loading === 'newer' && (
            <div class="message-list__loader">
              <Spinner label="Loading newer messages" />
            </div>
          )}
        </div>
      </div>
      {jumpVisible && (
        <button type="button" class="jump-latest" aria-label="Jump to latest messages" title="Jump to latest messages" onClick={() => void jumpToLatest()}>
          <Icon name="down" size={28} />
          {(dialog?.unread_count ?? 0) > 0 && <span class="badge jump-latest__badge">{dialog!.unread_count}</span>}
        </button>
      )}
      {menu && (
        <Menu
          items={menu.items}
          at={menu.at}
          label="Message actions"
          onClose={closeMenu}
          header={menu.react && <ReactionStrip message={menu.react} onDone={closeMenu} />}
        />
      )}
    </div>
  );
}

/** The chat's pinned messages, newest first (a chat stored before several pins names only its one). */
function pinnedOf(chat: Chat | undefined): readonly number[] {
  if (!chat) return [];
  return chat.pinned_message_ids ?? (chat.pinned_message_id !== undefined ? [chat.pinned_message_id] : []);
}
