import { database } from '../../d1/db.js';
import { findAccountById } from '../../d1/queries/accounts.js';
import { getOrCreatePrivateChat } from '../../d1/queries/chats.js';
import { fail } from '../../protocol/errors.js';
import type { Peer } from '../../protocol/methods.js';
import { unwrap } from '../outcome.js';
import { chatRoom } from '../stubs.js';
import type { CallContext } from './context.js';

/**
 * The chat a peer names. A user peer means the private chat with that user,
 * created (in D1's directory, then in its ChatRoom) on first use.
 */
export async function resolvePeer(ctx: CallContext, peer: Peer): Promise<number> {
  if ('chat_id' in peer) return peer.chat_id;
  const db = database(ctx.env.DB);
  const other = await findAccountById(db, peer.user_id);
  if (!other) throw fail.notFound('User');
  const now = ctx.now();
  const chatId = await getOrCreatePrivateChat(db, ctx.caller.userId, other.id, now);
  const memberIds = [...new Set([ctx.caller.userId, other.id])];
  unwrap(
    await chatRoom(ctx.env, chatId).init({
      chatId,
      kind: 'private',
      title: null,
      creatorId: null,
      memberIds,
      createdAt: now,
    }),
  );
  return chatId;
}
