import { useEffect, useState } from 'preact/hooks';
import type { Chat, Dialog } from '../../../../protocol/messages.js';
import { openChat } from '../../model/route.js';
import { useMessenger } from '../context.js';
import { Spinner } from '../common/spinner.js';
import { ChatView } from './chat-view.js';

/**
 * A channel post's comments: the thread of the post's automatic forward in
 * the channel's discussion group, found with getDiscussionMessage. A
 * subscriber who is not in the group reads it all the same (the window
 * reads through the channel); its dialog then stands in, not a member, and
 * the view offers to join the group to comment.
 */
export function CommentsScreen({ channelId, postId }: { channelId: number; postId: number }) {
  const messenger = useMessenger();
  const [found, setFound] = useState<{ chat: Chat; rootId: number } | 'missing' | null>(null);
  useEffect(() => {
    messenger.client.api.getDiscussionMessage({ channel_id: channelId, post_id: postId }).then(
      ({ chat, message }) => setFound({ chat, rootId: message.id }),
      () => setFound('missing'),
    );
  }, [channelId, postId]);

  if (found === null) {
    return (
      <div class="chat-area__empty">
        <Spinner label="Loading comments" />
      </div>
    );
  }
  if (found === 'missing') {
    return (
      <div class="chat-area__empty">
        <div class="chat-area__empty-note">
          <p>This post has no comments.</p>
          <button type="button" class="button" onClick={() => openChat(channelId)}>
            Back to the channel
          </button>
        </div>
      </div>
    );
  }
  const own = messenger.dialogs.byId.value.get(found.chat.id);
  const dialog: Dialog = own?.is_member ? own : outsiderDialog(found.chat);
  return (
    <ChatView
      key={`comments:${channelId}:${postId}`}
      chatKey={`chat:${found.chat.id}`}
      dialog={dialog}
      peerUserId={null}
      threadRootId={found.rootId}
      discussion={{ channelId, postId }}
    />
  );
}

/** The discussion group as a subscriber outside it sees it: read-only until they join to comment. */
function outsiderDialog(chat: Chat): Dialog {
  return {
    chat,
    top_message: null,
    unread_count: 0,
    read_inbox_max_id: 0,
    read_outbox_max_id: 0,
    last_activity: chat.created_at,
    is_member: false,
    unread_mentions_count: 0,
    is_request: false,
  };
}
