import { useEffect, useState } from 'preact/hooks';
import { goHome, openChat, type Route } from '../../model/route.js';
import { useMessenger } from '../context.js';
import { Spinner } from '../common/spinner.js';
import { ChatView } from './chat-view.js';
import { ForumTopicsView } from './forum-topics-view.js';

type ChatRoute = Extract<Route, { kind: 'chat' | 'thread' | 'topic' | 'user' }>;

/** A chat, or a private chat with a user that its first message will create. */
export function ChatScreen({ route }: { route: ChatRoute }) {
  const messenger = useMessenger();
  const { dialogs, users } = messenger;

  if (route.kind === 'user') {
    const existing = dialogs.privateChatWith(route.userId);
    if (existing) return <Redirect chatId={existing.chat.id} />;
    const user = users.byId.value.get(route.userId);
    if (!user) return <FetchUser userId={route.userId} />;
    return <ChatView key={`user:${route.userId}`} chatKey={`user:${route.userId}`} dialog={null} peerUserId={route.userId} />;
  }

  const dialog = dialogs.byId.value.get(route.chatId);
  if (!dialog) {
    if (!dialogs.loaded.value) return <CenteredSpinner />;
    return <MissingChat chatId={route.chatId} />;
  }
  if (route.kind === 'topic') {
    return (
      <ChatView key={`topic:${route.chatId}:${route.topicId}`} chatKey={`chat:${route.chatId}`} dialog={dialog} peerUserId={null} topicId={route.topicId} />
    );
  }
  if (route.kind === 'thread') {
    return (
      <ChatView key={`thread:${route.chatId}:${route.rootId}`} chatKey={`chat:${route.chatId}`} dialog={dialog} peerUserId={null} threadRootId={route.rootId} />
    );
  }
  // A forum opens on its topics; each topic is a history of its own.
  if (dialog.chat.is_forum) return <ForumTopicsView dialog={dialog} />;
  return <ChatView key={`chat:${route.chatId}`} chatKey={`chat:${route.chatId}`} dialog={dialog} peerUserId={null} />;
}

/**
 * A chat that is not in the loaded list: one just created by a first message,
 * or an older one opened by link. Asks the server; shows "not found" if it says so.
 */
function MissingChat({ chatId }: { chatId: number }) {
  const messenger = useMessenger();
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    messenger.client.api.getChat({ chat_id: chatId }).then(
      ({ chat }) => messenger.dialogs.addChat(chat),
      () => setMissing(true),
    );
  }, [chatId]);
  if (!missing) return <CenteredSpinner />;
  return (
      <div class="chat-area__empty">
        <div class="chat-area__empty-note">
          <p>This chat does not exist, or you are not in it.</p>
          <button type="button" class="button" onClick={goHome}>
            Back to chats
          </button>
        </div>
      </div>
  );
}

/** The user already has a chat with this person: show that chat instead. */
function Redirect({ chatId }: { chatId: number }) {
  useEffect(() => openChat(chatId, { replace: true }), [chatId]);
  return <CenteredSpinner />;
}

function FetchUser({ userId }: { userId: number }) {
  const { users } = useMessenger();
  useEffect(() => void users.fetch([userId]), [userId]);
  return <CenteredSpinner />;
}

function CenteredSpinner() {
  return (
    <div class="chat-area__empty">
      <Spinner label="Loading chat" />
    </div>
  );
}
