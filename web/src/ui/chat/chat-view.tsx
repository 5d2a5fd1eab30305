import { useEffect, useState } from 'preact/hooks';
import type { Dialog, Message } from '../../../../protocol/messages.js';
import { activeReplyKeyboard, forceReplyPlaceholder, pendingForceReply } from '../../lib/reply-markup.js';
import { chatTitle, isGroupChat, peerOf } from '../../lib/people.js';
import type { ChatKey } from '../../model/outbox.js';
import { goHome, openChat } from '../../model/route.js';
import { useMessenger } from '../context.js';
import { useOpenModal } from '../modals/modals-context.js';
import { useChatPhotoUrl } from '../common/use-chat-photo.js';
import { randomId } from '../../../../client/platform.js';
import { acceptableFiles, AttachModal } from './attach-modal.js';
import { ChatHeader } from './chat-header.js';
import { TopicActions } from './forum-topics-view.js';
import { ChatSearchBar } from './chat-search-bar.js';
import { DropZone } from './drop-zone.js';
import { BotCommandsButton } from './bot-commands.js';
import { BotAlert } from './inline-keyboard.js';
import { Lightbox } from './lightbox.js';
import { answeredForceReplies, foldedKeyboards, ReplyKeyboardPanel, toggleIn, usedKeyboards } from './reply-keyboard.js';
import { Composer } from './composer.js';
import { MessageRequestBar } from './message-request-bar.js';
import { useUserPhotoUrl } from '../common/user-avatar.js';
import { MessageList } from './message-list.js';
import { MigratedFromNote, MigratedNotice } from './migration-notes.js';
import { JoinToComment } from './join-to-comment.js';
import { useChatSubtitle } from './use-chat-subtitle.js';
import { may, mayPost, useMyMember } from './use-my-role.js';

/**
 * One open chat: header, messages, composer. `dialog` is null for a private
 * chat that does not exist yet (its first message creates it). With
 * `threadRootId`, one thread of the chat: the root and its replies, and a
 * composer whose messages answer the root. With `topicId`, one topic of a
 * forum: its messages, and a composer that posts into it (or says it is
 * closed, to those who may not post there).
 */
export function ChatView({
  chatKey,
  dialog,
  peerUserId,
  threadRootId = null,
  topicId = null,
  discussion = null,
}: {
  chatKey: ChatKey;
  dialog: Dialog | null;
  peerUserId: number | null;
  threadRootId?: number | null;
  topicId?: number | null;
  /** A channel post's comments (./comments-screen.tsx): the thread is read through the channel, and Back returns there. */
  discussion?: { channelId: number; postId: number } | null;
}) {
  const messenger = useMessenger();
  const openModal = useOpenModal();
  const me = messenger.myId;
  const chatId = dialog?.chat.id ?? null;
  const history =
    chatId === null
      ? null
      : topicId !== null
        ? messenger.histories.topic(chatId, topicId)
        : threadRootId !== null
          ? discussion
            ? messenger.histories.discussion(chatId, threadRootId, discussion)
            : messenger.histories.thread(chatId, threadRootId)
          : messenger.histories.get(chatId);
  const topicList = chatId !== null && topicId !== null ? messenger.topics.get(chatId) : null;
  const topic = topicList?.topics.value.find((t) => t.id === topicId) ?? null;
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [editing, setEditing] = useState<Message | null>(null);
  const [sendCount, setSendCount] = useState(0);
  const [searching, setSearching] = useState(false);
  /** Files picked, dropped or pasted, waiting in the send dialog. */
  const [picked, setPicked] = useState<File[] | null>(null);
  // Frozen when the chat opens, so the unread line stays put while the messages get read.
  const [unread] = useState(() =>
    dialog && dialog.unread_count > 0 && threadRootId === null && topicId === null
      ? { count: dialog.unread_count, readMaxId: dialog.read_inbox_max_id }
      : null,
  );
  const unreadAfter = unread?.readMaxId ?? null;

  useEffect(() => {
    if (history && !history.opened) void history.open(unread ?? undefined);
  }, [history]);
  useEffect(() => {
    if (topicList && !topicList.loaded.peek()) void topicList.load();
  }, [topicList]);

  // A channel opened again refreshes its posts' counts as they show (comments made meanwhile).
  useEffect(() => {
    if (dialog?.chat.kind === 'channel' && threadRootId === null) messenger.views.refresh(dialog.chat.id);
  }, [chatId]);

  // Escape closes the chat (after the composer's own use of it: cancelling a reply or an edit).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open], .menu')) return;
      leave();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  /** Back: from a thread to its chat, from a chat to the list. */
  function leave() {
    if (discussion) openChat(discussion.channelId);
    else if ((threadRootId !== null || topicId !== null) && chatId !== null) openChat(chatId);
    else goHome();
  }

  const users = messenger.users.byId.value;
  const statuses = messenger.users.statuses.value;
  const chat = dialog?.chat ?? null;
  const peer = chat ? peerOf(chat, me) : (peerUserId ?? undefined);
  const isGroup = chat !== null && isGroupChat(chat.kind);
  const isChannel = chat?.kind === 'channel';
  const myMember = useMyMember(chat ?? undefined);
  // A group's photo, or a private chat's peer's profile photo where the peer shares it.
  const peerPhotoUrl = useUserPhotoUrl(peer !== undefined && peer !== me ? users.get(peer) : undefined);
  const photoUrl = useChatPhotoUrl(chat) ?? peerPhotoUrl;
  const saved = peer === me;
  const title = chat ? chatTitle(chat, me, users) : (users.get(peerUserId!)?.display_name ?? '');
  const connection = messenger.connection.view.value;
  const { subtitle, active } = useChatSubtitle(chat, peer);

  const inThread = (id: number | null) =>
    id === threadRootId || (history?.messages.value.some((m) => m.id === id && m.thread_id === threadRootId) ?? false);
  // A thread shows the sends on their way to it; the chat shows them all.
  const outgoing = messenger.outbox.items.value.filter(
    (item) =>
      item.key === chatKey &&
      (topicId !== null ? item.topic_id === topicId : threadRootId === null || inThread(item.reply_to_message_id)),
  );
  const isMember = dialog ? dialog.is_member : true;
  // A group that became a supergroup is read-only: its notice leads to the supergroup instead.
  const migratedTo = chat?.migrated_to ?? null;
  // A closed topic takes messages only from those who may manage topics (the server's TOPIC_CLOSED otherwise).
  const topicClosed = topic !== null && topic.is_closed && !may(chat ?? undefined, myMember, 'can_manage_topics');
  const canWrite = isMember && migratedTo === null && !topicClosed && mayPost(chat ?? undefined, myMember, me);
  const replyName = replyTo
    ? replyTo.sender_id === null
      ? (chat?.title ?? 'the channel')
      : replyTo.sender_id === me
        ? 'yourself'
        : (users.get(replyTo.sender_id)?.display_name ?? '')
    : null;

  function editLast() {
    const list = history?.messages.peek() ?? [];
    const last = [...list].reverse().find((m) => m.sender_id === me && m.fwd_from === null);
    if (last) {
      setReplyTo(null);
      setEditing(last);
    }
  }

  const sendPeer = chatId !== null ? { chat_id: chatId } : { user_id: peerUserId! };
  const replyKeyboard = history ? activeReplyKeyboard(history.messages.value, me, usedKeyboards.value) : null;
  const keyboardKey = replyKeyboard ? `${chatId}:${replyKeyboard.messageId}` : '';
  const keyboardShown = replyKeyboard !== null && !foldedKeyboards.value.has(keyboardKey);
  const forceReply =
    history && history.atLatest.value ? pendingForceReply(history.messages.value, me, answeredForceReplies.value) : null;
  useEffect(() => {
    if (!forceReply || editing) return;
    toggleIn(answeredForceReplies, `${forceReply.chat_id}:${forceReply.id}`, true);
    setReplyTo(forceReply);
  }, [forceReply?.id]);
  const botPeer = !isGroup && peer !== undefined && users.get(peer)?.is_bot ? peer : null;

  /** Text the user sends by pressing something (a reply-keyboard button, a bot command). */
  function sendText(text: string) {
    messenger.outbox.send(sendPeer, text, [], null, topicId);
    void afterSend();
  }

  function attach(files: File[]) {
    const ok = acceptableFiles(files);
    if (ok.length > 0) setPicked(ok);
  }

  function sendVoice(note: { file: File; duration: number }) {
    const voice = { kind: 'voice' as const, duration: Math.round(note.duration) };
    messenger.outbox.sendMedia({
      peer: sendPeer,
      files: [{ random_id: randomId(), file: note.file, name: note.file.name, probe: voice, previewUrl: null }],
      caption: '',
      entities: [],
      replyTo: replyTo?.id ?? threadRootId,
      topicId,
    });
    void afterSend();
  }

  async function afterSend() {
    setReplyTo(null);
    if (history && !history.atLatest.peek()) await history.jumpToLatest();
    setSendCount((n) => n + 1);
  }

  return (
    <DropZone class="chat" enabled={canWrite} onFiles={attach}>
      <ChatHeader
        title={
          topicId !== null
            ? (topic?.name ?? 'Topic')
            : threadRootId !== null
              ? threadTitle(history?.messages.value.find((m) => m.id === threadRootId), discussion !== null)
              : title
        }
        subtitle={threadRootId !== null || topicId !== null ? title : subtitle}
        onBack={threadRootId !== null || topicId !== null ? leave : undefined}
        backLabel={discussion ? 'Back to the channel' : topicId !== null ? 'Back to the topics' : threadRootId !== null ? 'Back to the chat' : 'Back to chats'}
        onSearch={history && threadRootId === null && topicId === null ? () => setSearching(true) : undefined}
        subtitleActive={active}
        avatarId={peer ?? chatId ?? 0}
        photoUrl={threadRootId === null ? photoUrl : undefined}
        online={connection === 'online' && !saved && peer !== undefined && statuses.get(peer)?.online === true}
        saved={saved}
        onInfo={
          threadRootId !== null
            ? null
            : chat !== null && chat.kind !== 'private'
            ? () => openModal({ kind: 'chat-info', chatId: chatId! })
            : peer !== undefined && !saved
              ? () => openModal({ kind: 'user-info', userId: peer })
              : null
        }
      />
      {topic !== null && chatId !== null && isMember && (
        <TopicActions chatId={chatId} topic={topic} canManage={may(chat ?? undefined, myMember, 'can_manage_topics')} />
      )}
      {searching && history && chatId !== null && <ChatSearchBar chatId={chatId} history={history} onClose={() => setSearching(false)} />}
      {chat?.migrated_from !== undefined && threadRootId === null && <MigratedFromNote groupId={chat.migrated_from} />}
      <MessageList
        chatId={chatId}
        history={history}
        dialog={dialog}
        outgoing={outgoing}
        isGroup={isGroup}
        unreadAfter={unreadAfter}
        inThread={threadRootId !== null}
        topicId={topicId}
        canWrite={isMember}
        sendCount={sendCount}
        onReply={(m) => {
          setEditing(null);
          setReplyTo(m);
        }}
        onEdit={(m) => {
          setReplyTo(null);
          setEditing(m);
        }}
      />
      {dialog?.is_request && peer !== undefined && <MessageRequestBar dialog={dialog} peerId={peer} />}
      {canWrite ? (
        <Composer
          key={chatKey}
          chatKey={chatKey}
          peer={sendPeer}
          chatId={chatId}
          replyTo={replyTo}
          threadRootId={threadRootId}
          topicId={topicId}
          editing={editing}
          replyName={replyName}
          onCancel={() => {
            setReplyTo(null);
            setEditing(null);
          }}
          onSent={() => void afterSend()}
          onEditLast={editLast}
          onFiles={attach}
          onVoice={sendVoice}
          placeholder={forceReplyPlaceholder(replyTo) ?? (keyboardShown ? replyKeyboard.markup.input_field_placeholder : undefined)}
          leading={botPeer !== null && <BotCommandsButton botId={botPeer} onCommand={sendText} />}
          keyboard={replyKeyboard && { shown: keyboardShown, toggle: () => toggleIn(foldedKeyboards, keyboardKey, keyboardShown) }}
          // Only plain members wait; admins and the creator are not held to slow mode.
          slowModeSeconds={myMember?.role === 'member' ? (chat?.slow_mode_seconds ?? 0) : 0}
        />
      ) : migratedTo !== null ? (
        <MigratedNotice supergroupId={migratedTo} />
      ) : discussion && !isMember ? (
        <JoinToComment channelId={discussion.channelId} />
      ) : topicClosed && isMember ? (
        <div class="composer composer--disabled">
          <p>This topic is closed: only admins post in it.</p>
        </div>
      ) : (
        <div class="composer composer--disabled">
          <p>
            {!isMember
              ? `You are no longer a member of this ${isChannel ? 'channel' : 'group'}.`
              : 'Only the owner and admins post in this channel.'}
          </p>
        </div>
      )}
      {canWrite && keyboardShown && (
        <ReplyKeyboardPanel
          chatId={chatId!}
          keyboard={replyKeyboard}
          onSend={sendText}
        />
      )}
      {picked && (
        <AttachModal
          files={picked}
          peer={sendPeer}
          replyTo={replyTo?.id ?? threadRootId}
          topicId={topicId}
          onClose={() => setPicked(null)}
          onSent={() => void afterSend()}
        />
      )}
      <Lightbox />
      <BotAlert />
    </DropZone>
  );
}

/** A thread's header: how many replies its root has (once the root is loaded); a post's discussion counts comments. */
function threadTitle(root: Message | undefined, comments: boolean): string {
  const count = root?.replies?.count ?? 0;
  if (!root) return comments ? 'Comments' : 'Thread';
  if (comments) return count === 0 ? 'No comments yet' : count === 1 ? '1 comment' : `${count} comments`;
  return count === 0 ? 'No replies yet' : count === 1 ? '1 reply' : `${count} replies`;
}
