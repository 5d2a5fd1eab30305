import type { ReplyMarkup } from '../../protocol/keyboards.js';
import type { ChatPhoto, MessageMedia } from '../../protocol/media.js';
import type { Chat, ChatKind, ChatMember, Entity, ForwardOrigin } from '../../protocol/messages.js';
import type { BotMember } from './bots.js';

/**
 * The plain-data shapes ChatRoom verbs take and give beyond protocol
 * objects. They cross DO RPC (structured clone), so: data only, no
 * functions or classes. The surface itself is derived from the verbs
 * (./verbs.ts); every verb authorizes `userId`/`actorId` against the chat's
 * own membership (a non-member gets NOT_FOUND, exactly as for a chat that
 * does not exist).
 */
export type ChatSpec = {
  chatId: number;
  kind: ChatKind;
  title: string | null;
  creatorId: number | null;
  memberIds: number[];
  createdAt: number;
  /** Which of the members are bots (see ./bots.ts). */
  bots?: BotMember[];
  /** Members who start as admins (a converted group keeps its admins). */
  admins?: number[];
  /** A supergroup made from this basic group (migrateChat). */
  migratedFrom?: number;
  /** Who converted it (its bots' migrate_from_chat_id message names them); the creator when absent. */
  migratedBy?: number;
  /** Channels: sign posts with their author's name (Chat.signatures). */
  signatures?: boolean;
  /** The chat's photo from the start: a converted group keeps its own (the supergroup refs the same files). */
  photo?: ChatPhoto;
  /** What a converted group keeps besides its members: its description, settings and each manager's rights and title. */
  carried?: CarriedSettings;
};

/** A basic group's settings as its supergroup takes them over (rights and permissions as the room's bits, rights.ts). */
export type CarriedSettings = {
  description: string | null;
  permissions: number;
  slowModeSeconds: number;
  managers: { user_id: number; rights: number; title: string | null; promoted_by: number | null }[];
};

export type SendInput = {
  random_id: string;
  text: string;
  entities?: Entity[];
  reply_to_message_id?: number;
  fwd_from?: ForwardOrigin;
  /** Files already checked by the method layer; `text` is then the caption and may be empty. */
  media?: MessageMedia;
  /** A bot's keyboard; only bots may attach one. */
  reply_markup?: ReplyMarkup;
  /** Accounts the text names (services/sending/mentions.ts); the room keeps the members among them. */
  mentioned_user_ids?: number[];
  /**
   * The sender's display name, for a signed channel's post only. The room
   * asks for it (isAuthorNameNeeded, ./channels.ts) rather than the send
   * path reading every sender's name for every message.
   */
  author_name?: string;
  /** Forums: the topic to post in (topics.ts topicForSend decides, with the reply). */
  message_thread_id?: number;
};

/** A page of the chat, or with `thread_id` of the replies in one thread (not its root). */
export type HistoryQuery = {
  offset_id?: number;
  direction: 'before' | 'after';
  limit: number;
  thread_id?: number;
  /** Forums: one topic's messages (topics.ts). */
  message_thread_id?: number;
};

export type ChatSnapshot = { chat: Chat; members: ChatMember[] };
