import { useSignalEffect } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { route } from '../model/route.js';
import { ChatScreen } from './chat/chat-screen.js';
import { CommentsScreen } from './chat/comments-screen.js';
import { JoinScreen } from './chat/join-screen.js';
import { ConnectionBanner } from './connection-banner.js';
import { Icon } from './common/icons.js';
import { ModalHost, type ModalRequest } from './modals/modal-host.js';
import { Sidebar } from './sidebar/sidebar.js';
import { useMessenger } from './context.js';
import { ModalsContext } from './modals/modals-context.js';

/**
 * Two panes on wide screens (chat list | chat), one on phones: the list, or
 * the open chat with a back button. `data-pane` tells the CSS which one a
 * narrow screen shows.
 */
export function MessengerLayout() {
  const { connection, dialogs } = useMessenger();
  const current = route.value;

  // "(3) Edgegram": unread chats in the tab title, as messengers do.
  useSignalEffect(() => {
    const unread = dialogs.ordered.value.filter((d) => d.unread_count > 0).length;
    document.title = unread > 0 ? `(${unread}) Edgegram` : 'Edgegram';
  });
  useEffect(() => () => void (document.title = 'Edgegram'), []);
  const [modal, setModal] = useState<ModalRequest | null>(null);
  return (
    <ModalsContext.Provider value={setModal}>
      <div
        class="messenger"
        data-pane={current.kind === 'home' ? 'list' : 'chat'}
        // The SDK's connection state, for tests and for styles that depend on it.
        data-connection={connection.state.value}
      >
        <ConnectionBanner />
        <Sidebar />
        <main class="chat-area" aria-label="Chat">
          {current.kind === 'home' ? (
            <div class="chat-area__empty">
              <div class="chat-area__empty-note">
                <Icon name="chat" size={40} />
                <p>Select a chat to start messaging</p>
              </div>
            </div>
          ) : current.kind === 'join' ? (
            <JoinScreen key={current.token} target={{ token: current.token }} />
          ) : current.kind === 'public' ? (
            <JoinScreen key={`@${current.username}`} target={{ username: current.username }} />
          ) : current.kind === 'comments' ? (
            <CommentsScreen key={`comments:${current.channelId}:${current.postId}`} channelId={current.channelId} postId={current.postId} />
          ) : (
            <ChatScreen
              key={
                current.kind === 'user'
                  ? `user:${current.userId}`
                  : current.kind === 'thread'
                    ? `thread:${current.chatId}:${current.rootId}`
                    : current.kind === 'topic'
                      ? `topic:${current.chatId}:${current.topicId}`
                      : `chat:${current.chatId}`
              }
              route={current}
            />
          )}
        </main>
      </div>
      {modal && <ModalHost request={modal} onClose={() => setModal(null)} />}
    </ModalsContext.Provider>
  );
}
