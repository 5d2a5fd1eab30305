import type { ChatHistory } from '../../model/history.js';
import { deliveryOf } from '../../lib/delivery.js';
import { messagePreview } from '../../lib/rich-text.js';
import type { Message } from '../../../../protocol/messages.js';
import { openComments, openThread } from '../../model/route.js';
import { Icon } from '../common/icons.js';
import { formatCount, MessageBubble, type BubbleContent } from './message-bubble.js';
import { InlineKeyboard, inlineKeyboardOf } from './inline-keyboard.js';
import { MessageMedia } from './message-media.js';
import { PendingMedia } from './pending-media.js';
import { ReactionChips } from './reactions.js';
import { CHANNEL_SENDER, type Row } from './message-rows.js';

/** One row of the list: an optional unread line, then the message's bubble with what it shows. */
interface MessageRowProps {
  row: Row;
  me: number;
  isGroup: boolean;
  /** The chat's title: a channel's posts and a group's anonymous admins' messages are the chat's, shown under this name. */
  channelTitle: string | null;
  users: ReadonlyMap<number, { display_name: string }>;
  history: ChatHistory | null;
  readOutbox: number;
  readInbox: number;
  focusable: boolean;
  highlighted: boolean;
  /** Under a thread's root: "N replies", opening the thread (not inside the thread itself). */
  showReplies: boolean;
}

export function MessageRow(props: MessageRowProps) {
  const { row, me, isGroup, channelTitle, users, history, readOutbox, readInbox, focusable, highlighted, showReplies } = props;
  const own = row.senderId === me;
  // A discussion group's copy of a channel post is the channel's too: it shows under the channel's title.
  const postOf = row.item.kind === 'message' && row.item.message.is_automatic_forward ? row.item.message.fwd_from?.chat_title : undefined;
  const name = (id: number | null) =>
    id === null || id === CHANNEL_SENDER
      ? (channelTitle ?? postOf ?? 'Channel')
      : id === me
        ? 'You'
        : (users.get(id)?.display_name ?? 'Unknown');
  const showNames = isGroup && !own;
  let content: BubbleContent;
  let delivery;
  let error: string | undefined;
  let unread = false;
  let media = null;
  let below = null;
  let reactions = null;
  if (row.item.kind === 'message') {
    const m = row.item.message;
    const keyboard = inlineKeyboardOf(m);
    if (keyboard) below = <InlineKeyboard message={m} markup={keyboard} />;
    if (showReplies && m.replies) below = [below, <RepliesButton key="replies" message={m} count={m.replies.count} />];
    // A channel post forwarded to the discussion group: its comments, read and written there.
    if (channelTitle !== null && m.comments) below = [below, <CommentsButton key="comments" message={m} count={m.comments.count} />];
    if (m.reactions) reactions = <ReactionChips message={m} />;
    // An album's caption is on whichever item has one (Telegram puts it on the first).
    const captioned = row.album?.find((a) => a.text !== '') ?? m;
    if (m.media) media = <MessageMedia messages={row.album ?? [m]} />;
    content = {
      key: row.key,
      id: m.id,
      senderId: row.senderId,
      text: captioned.text,
      entities: captioned.entities,
      date: m.date,
      edited: m.edit_date !== null,
      forwardedFrom: m.fwd_from ? forwardedFrom(m.fwd_from, name) : null,
      signature: m.post_author ?? null,
      // In a thread's view the root heads the list: replies to it need no quote of it.
      reply: replyOf(m.reply_to_message_id === history?.threadId ? null : m.reply_to_message_id, history, name),
      views: m.views ?? null,
    };
    delivery = own ? deliveryOf(m, readOutbox) : null;
    unread = !own && m.id > readInbox;
  } else {
    const item = row.item.item;
    content = {
      key: row.key,
      id: null,
      senderId: me,
      text: item.text,
      entities: item.entities,
      date: item.date,
      edited: false,
      forwardedFrom: null,
      signature: null,
      reply: replyOf(item.reply_to_message_id, history, name),
      views: null,
    };
    delivery = item.state;
    error = item.error;
    if (item.media) media = <PendingMedia item={item} />;
  }
  return (
    <>
      {row.unreadAbove && (
        <div class="unread-line" role="separator">
          <span>Unread messages</span>
        </div>
      )}
      <MessageBubble
        content={content}
        own={own}
        delivery={delivery}
        senderName={showNames ? name(row.senderId) : null}
        avatarName={showNames ? name(row.senderId) : null}
        first={row.first}
        last={row.last}
        focusable={focusable}
        highlighted={highlighted}
        unread={unread}
        error={error}
        media={media}
        below={below}
        reactions={reactions}
      />
    </>
  );
}

/** "N comments" (or "Leave a comment") under a channel post: opens its discussion. */
function CommentsButton({ message, count }: { message: Message; count: number }) {
  return (
    <button type="button" class="msg__replies msg__comments" onClick={() => openComments(message.chat_id, message.id)}>
      <Icon name="thread" size={18} />
      <span>{count === 0 ? 'Leave a comment' : count === 1 ? '1 comment' : `${formatCount(count)} comments`}</span>
    </button>
  );
}

/** A person's name, or a channel's title with the post's signature (Telegram's "Channel (Author)"). */
function forwardedFrom(origin: NonNullable<Message['fwd_from']>, name: (id: number) => string): string {
  if (origin.sender_id !== null) return name(origin.sender_id);
  // The author's forwards privacy: their name alone, no link to the account.
  if (origin.sender_name !== undefined) return origin.sender_name;
  const title = origin.chat_title ?? 'a channel';
  return origin.post_author ? `${title} (${origin.post_author})` : title;
}

function replyOf(
  id: number | null,
  history: ChatHistory | null,
  name: (id: number | null) => string,
): BubbleContent['reply'] {
  if (id === null || !history) return null;
  const replied = history.lookup(id);
  if (replied === undefined) return 'loading';
  if (replied === null) return 'deleted';
  return { id, name: name(replied.sender_id), text: messagePreview(replied) };
}

/** "3 replies" under a thread's root: opens the thread. */
function RepliesButton({ message, count }: { message: Message; count: number }) {
  return (
    <button type="button" class="msg__replies" onClick={() => openThread(message.chat_id, message.id)}>
      <Icon name="thread" size={18} />
      <span>{count === 1 ? '1 reply' : `${formatCount(count)} replies`}</span>
    </button>
  );
}
