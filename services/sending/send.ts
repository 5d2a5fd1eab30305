import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import type { Message } from '../../protocol/messages.js';
import type { SendInput } from '../../durable-objects/chat-room/api.js';
import type { Env } from '../../durable-objects/env.js';
import { unwrap, type Outcome } from '../../durable-objects/outcome.js';
import { isAuthorNameNeeded } from '../../durable-objects/chat-room/channels.js';
import { findAccountById } from '../../d1/queries/accounts.js';
import { database } from '../../d1/db.js';
import { chatRoom, mailbox } from '../../durable-objects/stubs.js';
import { mentionedUserIds } from './mentions.js';
import type { AlbumItem, Content, Outgoing } from './outgoing.js';

/**
 * The one send path: every message a person, a bot or BotFather sends
 * reaches its ChatRoom here. Each API has already parsed its own parameters,
 * resolved the chat and built the content (./outgoing.ts, ./sources.ts);
 * this applies the rules they share, in this order: the reply target, flood
 * control, the ChatRoom's send (which checks membership, rights, text,
 * media and the reply again, and answers a retried random_id with the
 * original). Errors are Edgegram's; each API words them.
 */

/**
 * What a send is counted against. Every send passes the ChatRoom's own
 * per-sender rate, in the room after its idempotency look-up (a retry
 * costs nothing). Bots are also held to Telegram's flood limits, counted
 * in the bot's mailbox (../bots/flood.ts) before the chat is reached,
 * since bots parse Telegram's 429 and retry_after.
 */
export type FloodControl =
  /** People (whose clients retry with the same random_id) and BotFather. */
  | { kind: 'room-rate-only' }
  /** A bot: Telegram's limits for a private chat or a group. */
  | { kind: 'telegram'; chat: 'private' | 'group' };

export const ROOM_RATE_ONLY: FloodControl = { kind: 'room-rate-only' };

/** The message a send replies to, in the same chat. */
export type ReplyTo = {
  messageId: number;
  /** When the sender cannot see it: refuse the send, or send without the reply (Telegram's allow_sending_without_reply). */
  ifMissing: 'fail' | 'send-without';
};

/** Who sends where, replying to what, under which limits. */
export type Destination = {
  senderId: number;
  chatId: number;
  reply?: ReplyTo | undefined;
  /** Forums: the topic named by the sender (the room decides with the reply; see chat-room/topics.ts). */
  topicId?: number | undefined;
  flood: FloodControl;
};

/** The reply target is not a message of the chat the sender can see (the ChatRoom's BAD_REQUEST, told apart for the Bot API). */
export class ReplyTargetMissing extends EdgegramError {
  constructor() {
    super(ErrorCode.BAD_REQUEST, 'reply_to_message_id does not name a message of this chat');
  }
}

export async function send(env: Env, to: Destination, message: Outgoing): Promise<Message> {
  const replyTo = await admit(env, to);
  const mentioned = await mentionedUserIds(env, message.content.text, message.content.entities);
  const input: SendInput = {
    ...inputOf(message.random_id, message.content, replyTo, to.topicId),
    ...(mentioned.length > 0 ? { mentioned_user_ids: mentioned } : {}),
    ...(message.keyboard ? { reply_markup: message.keyboard } : {}),
  };
  return unwrap(await signedIfAsked(env, to.senderId, (authorName) => chatRoom(env, to.chatId).sendMessage(to.senderId, { ...input, ...authorName })));
}

/** 2-10 media messages in one transaction; the album counts as one send against flood limits. */
export async function sendAlbum(env: Env, to: Destination, items: AlbumItem[]): Promise<Message[]> {
  const replyTo = await admit(env, to);
  const inputs = items.map((i) => inputOf(i.random_id, i.content, replyTo, to.topicId));
  return unwrap(
    await signedIfAsked(env, to.senderId, (authorName) =>
      chatRoom(env, to.chatId).sendAlbum(
        to.senderId,
        inputs.map((i) => ({ ...i, ...authorName })),
      ),
    ),
  );
}

/**
 * A signed channel's post carries its author's name. The room says when
 * one is needed (chat-room/channels.ts postAuthorOf), so only those posts
 * read the name from D1, and every other send reads nothing global.
 */
async function signedIfAsked<T>(
  env: Env,
  senderId: number,
  attempt: (authorName: { author_name?: string }) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  const first = await attempt({});
  if (first.ok || !isAuthorNameNeeded(first.error)) return first;
  const author = await findAccountById(database(env.DB), senderId);
  if (!author) throw fail.notFound('User');
  return attempt({ author_name: author.displayName });
}

/** The checks before the chat is reached; returns the reply id the send keeps. */
async function admit(env: Env, to: Destination): Promise<number | undefined> {
  const replyTo = await checkedReply(env, to);
  if (to.flood.kind === 'telegram') {
    const wait = await mailbox(env, to.senderId).botTakeSend(to.senderId, to.chatId, to.flood.chat === 'group');
    if (wait > 0) throw fail.rateLimited(wait);
  }
  return replyTo;
}

/**
 * The ChatRoom checks the reply target at write time, after its idempotency
 * look-up, so a retried send is answered even if its target went since.
 * It is looked up here first only when that cannot be enough: to drop a
 * missing target instead of failing, and before a flood token is taken, so
 * a send refused for its reply costs none. Looked up as the sender, so a
 * message hidden from it is missing.
 */
async function checkedReply(env: Env, to: Destination): Promise<number | undefined> {
  const reply = to.reply;
  if (!reply) return undefined;
  if (reply.ifMissing === 'fail' && to.flood.kind === 'room-rate-only') return reply.messageId;
  const got = await chatRoom(env, to.chatId).getMessages(to.senderId, [reply.messageId]);
  if (got.ok && got.value.length > 0) return reply.messageId;
  if (reply.ifMissing === 'send-without') return undefined;
  throw new ReplyTargetMissing();
}

function inputOf(randomId: string, content: Content, replyTo: number | undefined, topicId: number | undefined): SendInput {
  return {
    ...(topicId !== undefined ? { message_thread_id: topicId } : {}),
    random_id: randomId,
    text: content.text,
    ...(content.entities ? { entities: content.entities } : {}),
    ...(content.media ? { media: content.media } : {}),
    ...(content.fwd_from ? { fwd_from: content.fwd_from } : {}),
    ...(replyTo !== undefined ? { reply_to_message_id: replyTo } : {}),
  };
}
