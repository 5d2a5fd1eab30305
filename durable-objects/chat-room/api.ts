import type { ReplyMarkup } from '../../protocol/keyboards.js';
import type { MessageMedia } from '../../protocol/media.js';
import type { Chat, ChatKind, ChatMember, Entity, ForwardOrigin, Message } from '../../protocol/messages.js';
import type { MessageReactions } from '../../protocol/reactions.js';
import type { ChatInviteLink, ChatInvitePreview } from '../../protocol/invites.js';
import type { BotMember } from './bots.js';
import type { NewInvite } from './invites.js';
import type { Permissions } from './restrictions.js';

/**
 * The ChatRoom's RPC surface, as the method layer calls it. Every method
 * authorizes `userId`/`actorId` against the chat's own membership (a
 * non-member gets NOT_FOUND, exactly as for a chat that does not exist) and
 * returns an Outcome (see ../outcome.ts).
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
};

/** A page of the chat, or with `thread_id` of the replies in one thread (not its root). */
export type HistoryQuery = { offset_id?: number; direction: 'before' | 'after'; limit: number; thread_id?: number };

export type ChatSnapshot = { chat: Chat; members: ChatMember[] };

export interface ChatRoomApi {
  /** Creates the chat with its members, or returns it unchanged if it exists. */
  init(spec: ChatSpec): Chat;
  sendMessage(senderId: number, input: SendInput): Message;
  /** 2-10 media messages in one transaction, sharing a grouped_id; a retry (same random_ids) returns them. */
  sendAlbum(senderId: number, items: SendInput[]): Message[];
  /** `markup`: undefined keeps the keyboard, null removes it (bots only). */
  editMessage(userId: number, id: number, text: string, entities: Entity[] | undefined, markup?: ReplyMarkup | null): Message;
  /** A bot replaces (or with null removes) the keyboard of its own message. */
  editReplyMarkup(userId: number, id: number, markup: ReplyMarkup | null): Message;
  deleteMessages(userId: number, ids: number[], forEveryone: boolean): void;
  getHistory(userId: number, query: HistoryQuery): Message[];
  getMessages(userId: number, ids: number[]): Message[];
  /** Visible messages matching a typed query, newest first, below `offsetId` (see ./search.ts). */
  search(userId: number, query: string, offsetId: number | undefined, limit: number): Message[];
  readHistory(userId: number, maxId: number): { still_unread_count: number };
  setTyping(userId: number, action: 'typing' | 'cancel'): void;
  getChat(userId: number): ChatSnapshot;
  /** View counts of channel posts, counting the caller first with `increment` (see ./channels.ts). */
  getViews(userId: number, ids: number[], increment: boolean): { id: number; views: number }[];
  addMember(actorId: number, userId: number, bot?: BotMember): Chat;
  removeMember(actorId: number, userId: number): Chat;
  leave(userId: number): void;
  editTitle(actorId: number, title: string): Chat;
  setAdmin(actorId: number, userId: number, isAdmin: boolean): Chat;
  /** Removes (if a member) and bans; creator and admins only. `untilMs` null: for good. */
  ban(actorId: number, userId: number, untilMs: number | null): void;
  unban(actorId: number, userId: number, onlyIfBanned: boolean): void;
  /** The chat's one pinned message (most recent pin wins). */
  pin(actorId: number, messageId: number): Chat;
  unpin(actorId: number, messageId: number | undefined): Chat;
  /** Replaces the member's reactions to a message (see ./reactions.ts). */
  setReactions(userId: number, messageId: number, reaction: string[]): MessageReactions;
  /** Restricts a plain group member, or lifts it when every permission is granted (see ./restrictions.ts). */
  restrict(actorId: number, userId: number, permissions: Permissions, untilMs: number | null): ChatMember;
  /** A new invite link (creator and admins); the DO answers once D1 can find it by its hash. See ./invites.ts. */
  createInvite(actorId: number, input: NewInvite): ChatInviteLink;
  listInvites(actorId: number): ChatInviteLink[];
  revokeInvite(actorId: number, linkId: number): ChatInviteLink;
  /** Title and member count behind a usable link; INVITE_INVALID otherwise. */
  previewInvite(userId: number, tokenHash: string): ChatInvitePreview;
  /** Joins through a usable link (idempotent for a member). */
  joinByInvite(userId: number, tokenHash: string, bot?: BotMember): Chat;
}
