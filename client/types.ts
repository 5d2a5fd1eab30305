import type { DeviceInfo, User, UserStatus } from '../protocol/common.js';
import type { Entity, Message } from '../protocol/messages.js';
import type { EphemeralEvent, SyncState, Update, UpdateEnvelope } from '../protocol/updates.js';
import type { BackoffOptions } from './backoff.js';
import type { FetchLike, Timers, WebSocketConstructor } from './platform.js';
import type { SyncStore } from './sync-runner.js';

/**
 * - `offline`: not connected and not trying (before connect(), after disconnect()).
 * - `connecting`: minting a ticket, opening a socket, or waiting to retry.
 * - `updating`: connected, catching up with getState/getDifference.
 * - `online`: connected and in sync; pushes apply as they arrive.
 * - `terminated`: the session ended (logged out elsewhere, terminated, expired); sign in again.
 */
export type ConnectionState = 'offline' | 'connecting' | 'updating' | 'online' | 'terminated';

export type DeleteMessagesUpdate = Extract<Update, { type: 'delete_messages' }>;
export type ReadUpdate = Extract<Update, { type: 'read_history_inbox' | 'read_history_outbox' }>;
export type ChatUpdate = Extract<Update, { type: 'chat' | 'chat_member' }>;
export type ReactionsUpdate = Extract<Update, { type: 'message_reactions' }>;
export type JoinRequestUpdate = Extract<Update, { type: 'chat_join_request' }>;
export type ForumTopicUpdate = Extract<Update, { type: 'forum_topic' }>;
export type TypingEvent = Extract<EphemeralEvent, { type: 'typing' }>;
export type MessageRequestEvent = Extract<EphemeralEvent, { type: 'message_request' }>;

export interface ClientEvents {
  /** Every persistent update, after it is applied (pts already advanced). */
  update: UpdateEnvelope;
  /** A new_message update's message (including this account's own sends, from any device). */
  message: Message;
  edit: Message;
  delete: DeleteMessagesUpdate;
  read: ReadUpdate;
  chat: ChatUpdate;
  /** A member changed their reactions to a message: new counts, and their new choice (yours when `user_id` is you). */
  reactions: ReactionsUpdate;
  /** A forum's topic was created, changed or (with `deleted`, its messages too) deleted. */
  forumTopic: ForumTopicUpdate;
  typing: TypingEvent;
  status: UserStatus;
  /** Someone's profile changed (this account's too, from any device): name, username, bio, photo. */
  user: User;
  /** One of this account's private chats became a message request, or stopped being one (accepted or answered). */
  messageRequest: MessageRequestEvent;
  state: ConnectionState;
  /** Too much was missed to replay: reload dialogs and open histories. */
  tooLong: SyncState;
  /**
   * A supergroup's update, after it is applied (numbered by the chat's pts,
   * not the account's; `message`, `edit`, … fire for it too, `update` does not).
   */
  channelUpdate: { chat_id: number; envelope: UpdateEnvelope };
  /** A large chat's message mentions this account or replies to it (see Dialog.unread_mentions_count). */
  mention: { chat_id: number; message_id: number };
  /** Chats this account may approve joins for: a request was made, approved or declined (`pending_count` after it). */
  joinRequest: JoinRequestUpdate;
  /** Too much of a supergroup was missed: reload its history (its pts is now `pts`). */
  channelTooLong: { chat_id: number; pts: number };
  terminated: { reason: string };
  /** The connection will retry after `delay_ms` (attempt counts from 0). */
  reconnecting: { attempt: number; delay_ms: number };
  /** Something went wrong that no pending promise reports (bad frame, failed reconnect). */
  error: Error;
}

export interface ClientOptions {
  /** The API origin, e.g. `http://localhost:8787`. */
  baseUrl: string;
  device: DeviceInfo;
  /** A session token from an earlier login, to skip signing in. */
  token?: string;
  /** Default: the global WebSocket (browsers, Node >= 22). */
  WebSocket?: WebSocketConstructor;
  /** Default: the global fetch. */
  fetch?: FetchLike;
  /** Where pts is persisted. Default: in memory, so a new client starts from getState. */
  syncStore?: SyncStore;
  now?: () => number;
  /** For reconnect jitter. */
  random?: () => number;
  /** Makes send random_ids. Default: 128 crypto-random bits, base64url. */
  randomId?: () => string;
  timers?: Timers;
  /** Default 30 s, per attempt. */
  callTimeoutMs?: number;
  /** Default 25 s. */
  pingIntervalMs?: number;
  /** Default 10 s. */
  pongTimeoutMs?: number;
  /** Default 15 s. */
  helloTimeoutMs?: number;
  /** Default 0.5 s growing to 30 s. */
  backoff?: Partial<BackoffOptions>;
}

export interface SendOptions {
  entities?: Entity[];
  reply_to_message_id?: number;
  /** Forums: the topic to post in (absent: General, or the replied message's topic). */
  message_thread_id?: number;
  /** Reuse to retry a send whose outcome is unknown; the server returns the original. */
  random_id?: string;
}
