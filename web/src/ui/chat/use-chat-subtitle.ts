import type { Chat } from '../../../../protocol/messages.js';
import { isGroupChat, memberCount, membersOf, membersOnline } from '../../lib/people.js';
import { formatPresence } from '../../lib/time.js';
import type { ConnectionView } from '../../model/connection.js';
import { useMessenger } from '../context.js';
import { typingText } from './typing-text.js';
import { useNow } from './use-now.js';
import { useOnlineCount } from './use-online-count.js';

const CONNECTION_SUBTITLE: Record<Exclude<ConnectionView, 'online'>, string> = {
  'waiting-for-network': 'waiting for network…',
  connecting: 'connecting…',
  updating: 'updating…',
};

/**
 * The line under a chat's name: what the connection is doing while it is
 * not online, else who is typing, else "N subscribers" (a channel), "N
 * members, M online" (a group or supergroup), "bot", or the peer's presence.
 * `active` highlights typing and "online".
 */
export function useChatSubtitle(chat: Chat | null, peer: number | undefined): { subtitle: string; active: boolean } {
  const messenger = useMessenger();
  const now = useNow();
  const me = messenger.myId;
  const isGroup = chat !== null && isGroupChat(chat.kind);
  // A migrated group is read-only history: nobody is "online" in it any more.
  const online = useOnlineCount(chat?.id ?? null, isGroup && chat.migrated_to === undefined);
  const users = messenger.users.byId.value;
  const connection = messenger.connection.view.value;
  const typers = chat ? messenger.typing.typersIn(chat.id) : [];

  // Presence and typing are stale while disconnected: say what the connection is doing instead.
  if (connection !== 'online') return { subtitle: CONNECTION_SUBTITLE[connection], active: false };
  if (typers.length > 0) return { subtitle: typingText(typers, isGroup, users), active: true };
  // Subscribers are not listed to each other, so there is no "online" count (as in Telegram).
  if (chat?.kind === 'channel') return { subtitle: memberCount(membersOf(chat), 'channel'), active: false };
  if (isGroup) return { subtitle: membersOnline(membersOf(chat), online), active: false };
  if (peer === me) return { subtitle: '', active: false };
  // Bots have no presence; Telegram says what they are instead.
  if (peer !== undefined && users.get(peer)?.is_bot) return { subtitle: 'bot', active: false };
  const status = peer !== undefined ? messenger.users.statuses.value.get(peer) : undefined;
  return { subtitle: formatPresence(status, now), active: status?.online === true };
}
