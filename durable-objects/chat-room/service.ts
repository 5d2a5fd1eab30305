import type { ServiceAction } from '../../protocol/updates.js';
import type { SqlStore } from '../sql/store.js';
import { chatRow } from './state.js';
import { same, type Emit } from './writer.js';

/**
 * Service messages for bots. Telegram tells a bot of a join, a departure, a
 * new title, a pin or a group's migration with a message (new_chat_members,
 * left_chat_member, new_chat_title, pinned_message, migrate_to_chat_id /
 * migrate_from_chat_id), whatever its privacy mode. People's clients learn
 * the same from the `chat` and `chat_member` updates, so only the bot
 * members present after the change get a `service` event; it takes no
 * message id, so history and unread counts stay as they are. A channel
 * shows no joins or departures (subscribers do not see each other, and
 * Telegram posts none there): its admin bots hear of them as `chat_member`.
 */
export function tellBots(store: SqlStore, emit: Emit, actorId: number, action: ServiceAction): void {
  const chat = chatRow(store)!;
  if (chat.kind === 'channel' && (action.kind === 'members_added' || action.kind === 'member_left')) return;
  const bots = store.exec<{ user_id: number }>(
    'SELECT b.user_id FROM bot_members b JOIN members m ON m.user_id = b.user_id',
  );
  if (bots.length === 0) return;
  emit.event(
    bots.map((b) => b.user_id),
    same({ type: 'service', chat_id: chat.id, actor_id: actorId, action }),
  );
}
