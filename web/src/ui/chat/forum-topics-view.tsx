import { useEffect, useState } from 'preact/hooks';
import type { Dialog } from '../../../../protocol/messages.js';
import type { ForumTopicEntry } from '../../../../protocol/topics.js';
import { describeError } from '../../lib/errors.js';
import { openTopic } from '../../model/route.js';
import { useMessenger } from '../context.js';
import { Spinner } from '../common/spinner.js';
import { useBusyAction } from '../common/use-busy-action.js';
import { useOpenModal } from '../modals/modals-context.js';
import { ChatHeader } from './chat-header.js';
import { useChatSubtitle } from './use-chat-subtitle.js';
import { may, useMyMember } from './use-my-role.js';

/**
 * A forum opened: its topics instead of one history (Telegram's forum
 * view), most recently active first, each with the reader's unread count
 * and a mark when closed; "New topic" for those the server lets create one.
 * Opening a topic shows its messages (ChatView with topicId).
 */
export function ForumTopicsView({ dialog }: { dialog: Dialog }) {
  const messenger = useMessenger();
  const openModal = useOpenModal();
  const chat = dialog.chat;
  const list = messenger.topics.get(chat.id);
  const myMember = useMyMember(chat);
  const { subtitle, active } = useChatSubtitle(chat, undefined);
  const [creating, setCreating] = useState(false);

  useEffect(() => void list.load(), [list]);

  const topics = list.topics.value;
  const error = list.error.value;
  const canCreate = dialog.is_member && may(chat, myMember, 'can_manage_topics');

  return (
    <div class="chat">
      <ChatHeader
        title={chat.title ?? ''}
        subtitle={subtitle}
        subtitleActive={active}
        avatarId={chat.id}
        online={false}
        saved={false}
        onInfo={() => openModal({ kind: 'chat-info', chatId: chat.id })}
      />
      <div class="forum-topics">
        {canCreate &&
          (creating ? (
            <NewTopicForm chatId={chat.id} onDone={() => setCreating(false)} />
          ) : (
            <button type="button" class="button forum-topics__new" onClick={() => setCreating(true)}>
              New topic
            </button>
          ))}
        {!list.loaded.value ? (
          <Spinner label="Loading topics" />
        ) : error !== undefined && topics.length === 0 ? (
          <p class="form-error" role="alert">
            {describeError(error)}
          </p>
        ) : (
          <ul class="forum-topics__list" aria-label="Topics">
            {topics.filter((t) => !t.is_hidden).map((t) => (
              <TopicRow key={t.id} chatId={chat.id} topic={t} />
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

function TopicRow({ chatId, topic }: { chatId: number; topic: ForumTopicEntry }) {
  return (
    <li>
      <button type="button" class="forum-topic" onClick={() => openTopic(chatId, topic.id)}>
        <span class="forum-topic__icon" style={{ background: `#${topic.icon_color.toString(16).padStart(6, '0')}` }} aria-hidden="true">
          {topic.name.slice(0, 1).toUpperCase()}
        </span>
        <span class="forum-topic__name">{topic.name}</span>
        {topic.is_closed && <span class="forum-topic__closed">Closed</span>}
        {topic.unread_count > 0 && (
          <span class="badge" aria-label={`${topic.unread_count} unread`}>
            {topic.unread_count > 999 ? '999+' : topic.unread_count}
          </span>
        )}
      </button>
    </li>
  );
}

/** The new topic's name; created, it opens. */
function NewTopicForm({ chatId, onDone }: { chatId: number; onDone: () => void }) {
  const messenger = useMessenger();
  const [name, setName] = useState('');
  const { busy, error, act } = useBusyAction(async () => {}, 'group');
  return (
    <form
      class="field__row forum-topics__form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim()) return;
        void act(async () => {
          const { topic } = await messenger.client.api.createForumTopic({ chat_id: chatId, name: name.trim() });
          messenger.topics.touched(chatId);
          onDone();
          openTopic(chatId, topic.id);
        });
      }}
    >
      <input
        class="field__input"
        aria-label="Topic name"
        placeholder="Topic name"
        maxLength={128}
        value={name}
        onInput={(e) => setName(e.currentTarget.value)}
        autoFocus
      />
      <button type="submit" class="button" disabled={busy || !name.trim()}>
        Create
      </button>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** Close or reopen the open topic: its creator, or those who may manage topics (the server checks again). */
export function TopicActions({ chatId, topic, canManage }: { chatId: number; topic: ForumTopicEntry; canManage: boolean }) {
  const messenger = useMessenger();
  const { busy, error, act } = useBusyAction(async () => messenger.topics.get(chatId).load(), 'group');
  if (!canManage && topic.creator_id !== messenger.myId) return null;
  const closed = topic.is_closed;
  return (
    <div class="topic-actions">
      <button
        type="button"
        class="button button--small"
        disabled={busy}
        onClick={() =>
          void act(() =>
            closed
              ? messenger.client.api.reopenForumTopic({ chat_id: chatId, message_thread_id: topic.id })
              : messenger.client.api.closeForumTopic({ chat_id: chatId, message_thread_id: topic.id }),
          )
        }
      >
        {closed ? 'Reopen topic' : 'Close topic'}
      </button>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
