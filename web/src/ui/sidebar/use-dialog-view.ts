import type { ChatPhoto } from '../../../../protocol/media.js';
import type { Dialog } from '../../../../protocol/messages.js';
import { deliveryOf, type Delivery } from '../../lib/delivery.js';
import { chatTitle, isGroupChat, peerOf } from '../../lib/people.js';
import { messagePreview } from '../../lib/rich-text.js';
import type { Messenger } from '../../model/messenger.js';
import type { OutgoingMessage } from '../../model/outbox.js';
import { typingText } from '../chat/typing-text.js';

/** Everything a row of the chat list shows, derived from the stores. Reads signals: call during render. */
export interface DialogView {
  chatId: number;
  title: string;
  /** The avatar's colour and online dot follow the peer in private chats. */
  avatarId: number;
  /** A group's or channel's photo, shown instead of the initials. */
  photo: ChatPhoto | undefined;
  isSaved: boolean;
  online: boolean;
  time: number | null;
  sender: string | null;
  preview: string;
  typing: string | null;
  unread: number;
  delivery: Delivery | null;
}

export function dialogView(messenger: Messenger, dialog: Dialog): DialogView {
  const me = messenger.myId;
  const users = messenger.users.byId.value;
  const peer = peerOf(dialog.chat, me);
  const top = dialog.top_message;
  const pending = messenger.outbox.items.value.filter((i) => i.key === `chat:${dialog.chat.id}`).at(-1);
  const typers = messenger.typing.typersIn(dialog.chat.id);
  let sender: string | null = null;
  if (pending || (top && top.sender_id === me && peer !== me)) sender = 'You';
  else if (top?.sender_id && isGroupChat(dialog.chat.kind)) sender = users.get(top.sender_id)?.display_name.split(' ')[0] ?? null;
  const delivery: Delivery | null = pending
    ? pending.state
    : top && top.sender_id === me && peer !== me
      ? deliveryOf(top, dialog.read_outbox_max_id)
      : null;
  return {
    chatId: dialog.chat.id,
    title: chatTitle(dialog.chat, me, users),
    avatarId: peer ?? dialog.chat.id,
    photo: dialog.chat.photo,
    isSaved: peer === me,
    // Presence is stale while disconnected: no dots until the connection is back.
    online:
      messenger.connection.view.value === 'online' &&
      peer !== undefined &&
      peer !== me &&
      messenger.users.statuses.value.get(peer)?.online === true,
    time: pending?.date ?? top?.date ?? (dialog.chat.kind !== 'private' ? dialog.chat.created_at : null),
    sender,
    preview: pending ? pendingPreview(pending) : top ? messagePreview(top) : emptyPreview(dialog),
    typing: typers.length > 0 ? typingText(typers, isGroupChat(dialog.chat.kind), users) : null,
    unread: dialog.unread_count,
    delivery,
  };
}

/** A send still uploading shows as what it will be: its first file. */
function pendingPreview(item: OutgoingMessage): string {
  const first = item.media?.files[0];
  if (!first) return messagePreview({ text: item.text });
  return messagePreview({ text: item.text, media: { kind: first.probe.kind, file: { file_name: first.name } } });
}

function emptyPreview(dialog: Dialog): string {
  if (!dialog.is_member) return 'You left this group';
  if (dialog.chat.kind === 'channel') return 'Channel created';
  return isGroupChat(dialog.chat.kind) ? 'Group created' : 'No messages yet';
}
