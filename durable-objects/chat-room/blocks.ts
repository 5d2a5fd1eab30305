import { fail } from '../../protocol/errors.js';
import { one, type SqlStore } from '../sql/store.js';
import type { RoomContext } from './context.js';
import type { ChatRow, MemberRow } from './state.js';

/**
 * Blocking, as a private chat sees it. D1's `blocks` decides who blocked
 * whom; the method layer copies a block into the private chat of the two
 * (this table), so a send is checked without a D1 read per message. The
 * copy may be written before the chat exists (a block of someone one never
 * wrote to): `init` leaves the table alone, so the chat starts with it.
 */

/** Records (or lifts) `blockerId`'s block of `blockedId` in this chat. */
export function setBlocked(ctx: RoomContext, blockerId: number, blockedId: number, blocked: boolean): void {
  if (!Number.isSafeInteger(blockerId) || !Number.isSafeInteger(blockedId) || blockerId === blockedId) throw fail.badRequest('Two different users');
  if (typeof blocked !== 'boolean') throw fail.badRequest('blocked must be true or false');
  if (blocked) ctx.store.exec('INSERT OR IGNORE INTO blocks (blocker_id, blocked_id) VALUES (?, ?)', blockerId, blockedId);
  else ctx.store.exec('DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?', blockerId, blockedId);
}

/**
 * A private chat's send: refused when the peer blocked the sender
 * (USER_BLOCKED) or the sender blocked the peer (YOU_BLOCKED_USER). One
 * indexed read, and none at all in other chats.
 */
export function checkNotBlocked(store: SqlStore, chat: ChatRow, sender: MemberRow): void {
  if (chat.kind !== 'private') return;
  const row = one<{ blocker_id: number }>(
    store,
    'SELECT blocker_id FROM blocks WHERE blocker_id = ?1 OR blocked_id = ?1 LIMIT 1',
    sender.user_id,
  );
  if (!row) return;
  throw row.blocker_id === sender.user_id ? fail.youBlockedUser() : fail.userBlocked();
}

export const blockVerbs = { setBlocked };
