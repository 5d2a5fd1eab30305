import { database, type Db } from '../../d1/db.js';
import { ownersAllowing } from '../../d1/queries/privacy.js';
import { isBlocked } from '../../d1/queries/contacts.js';
import { findAccountById } from '../../d1/queries/accounts.js';
import { findPrivateChat, getOrCreatePrivateChat } from '../../d1/queries/chats.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import type { Peer } from '../../protocol/methods.js';
import { botMembersOf } from '../bots/members.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { ROOM_RATE_ONLY, type Destination } from '../sending/send.js';
import { chatRoom, mailbox } from '../../durable-objects/stubs.js';
import type { CallContext } from './context.js';

/**
 * The chat a peer names. A user peer means the private chat with that user:
 * found in the caller's own dialogs once it exists (no D1 on later sends),
 * created on first use (in D1's directory, then in its ChatRoom).
 */
export async function resolvePeer(ctx: CallContext, peer: Peer): Promise<number> {
  if ('chat_id' in peer) return peer.chat_id;
  // Nothing global per message: a chat this account already has is in its own dialogs.
  const known = await ctx.own.privateChatWith(peer.user_id);
  if (known !== undefined) return known;
  const db = database(ctx.env.DB);
  const other = await findAccountById(db, peer.user_id);
  if (!other) throw fail.notFound('User');
  // A first message: no chat holds a copy of a block yet, so D1 is asked (once, not per message).
  if (await isBlocked(db, other.id, ctx.caller.userId)) throw fail.userBlocked();
  if (await isBlocked(db, ctx.caller.userId, other.id)) throw fail.youBlockedUser();
  const now = ctx.now();
  const { id: chatId, created } = await getOrCreatePrivateChat(db, ctx.caller.userId, other.id, now);
  // A new chat, before it announces itself: the other side never lists it in the main list first.
  if (created && !other.isBot && other.id !== ctx.caller.userId) await markIfRequest(ctx, db, chatId, other.id);
  const memberIds = [...new Set([ctx.caller.userId, other.id])];
  unwrap(
    await chatRoom(ctx.env, chatId).init({
      chatId,
      kind: 'private',
      title: null,
      creatorId: null,
      memberIds,
      createdAt: now,
      bots: await botMembersOf(ctx.env, [other]),
    }),
  );
  return chatId;
}

/**
 * A first message from someone the recipient's "messages" rule leaves out
 * lands among the recipient's message requests (its mailbox keeps the
 * mark). Asked once per pair, by the call that created the chat in D1. If
 * the mark fails the call fails before anything is sent; the retry finds
 * the chat made and sends without a request (the rule's default, "everybody",
 * is what a lost mark falls back to).
 */
async function markIfRequest(ctx: CallContext, db: Db, chatId: number, recipientId: number): Promise<void> {
  if ((await ownersAllowing(db, ctx.caller.userId, [recipientId], 'messages')).has(recipientId)) return;
  unwrap(await mailbox(ctx.env, recipientId).markMessageRequest(recipientId, chatId, ctx.caller.userId));
}

/** The chat a peer names if it exists already; never creates one (for calls that cannot start a chat). */
export async function findPeerChat(ctx: CallContext, peer: Peer): Promise<number | undefined> {
  if ('chat_id' in peer) return peer.chat_id;
  return (await findPrivateChat(database(ctx.env.DB), ctx.caller.userId, peer.user_id))?.id;
}

/**
 * The chat a send goes to. A reply needs an existing chat (a chat created now
 * has nothing to reply to), so it never creates one: a send refused for its
 * reply must not leave the peer a new, empty chat.
 */
export async function peerChatFor(ctx: CallContext, peer: Peer, replyTo: number | undefined): Promise<number> {
  if (replyTo === undefined) return resolvePeer(ctx, peer);
  const chatId = await findPeerChat(ctx, peer);
  if (chatId === undefined) throw fail.badRequest('reply_to_message_id does not name a message of this chat');
  return chatId;
}

/**
 * A person's send: the ChatRoom's own rate is their only limit, and their
 * reply target is checked by the room at write time (see ../sending/send.ts).
 */
export function destination(ctx: CallContext, chatId: number, replyTo: number | undefined, topicId?: number): Destination {
  return {
    senderId: ctx.caller.userId,
    chatId,
    ...(topicId !== undefined ? { topicId } : {}),
    ...(replyTo ? { reply: { messageId: replyTo, ifMissing: 'fail' as const } } : {}),
    flood: ROOM_RATE_ONLY,
  };
}

/**
 * The forum topic a send names, refused before the peer is resolved when
 * it addresses a person: a private chat has no topics, and a refused send
 * must not create the chat.
 */
export function sendTopic(p: { peer: Peer; message_thread_id?: number | undefined }): number | undefined {
  if (p.message_thread_id !== undefined && 'user_id' in p.peer) throw new EdgegramError(ErrorCode.CHAT_NOT_FORUM, 'A private chat has no topics');
  return p.message_thread_id;
}
