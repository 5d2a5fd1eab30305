import { z } from 'zod';
import { Id, shownText, Timestamp } from './common.js';
import { ReplyMarkup } from './keyboards.js';
import { MessageMedia } from './media.js';
import { MessageReactions } from './reactions.js';

/** Telegram's limit on one text message, in UTF-16 code units. */
export const MAX_MESSAGE_LENGTH = 4096;

/** Kinds of formatting entity, as in Telegram's MessageEntity. */
export const EntityType = {
  /** **bold** */
  bold: 'bold',
  /** _italic_ */
  italic: 'italic',
  /** underlined */
  underline: 'underline',
  /** ~~strikethrough~~ */
  strikethrough: 'strikethrough',
  /** `inline code` */
  code: 'code',
  /** a preformatted block, optionally with a language */
  pre: 'pre',
  /** a bare URL in the text */
  url: 'url',
  /** text that links to `url` */
  text_link: 'text_link',
  /** @username */
  mention: 'mention',
  /** a mention of a user without a username, by `user_id` */
  text_mention: 'text_mention',
} as const;
export type EntityType = (typeof EntityType)[keyof typeof EntityType];

/** Offsets and lengths count UTF-16 code units, like Telegram's. */
export const Entity = z.object({
  type: z.enum(Object.values(EntityType) as [EntityType, ...EntityType[]]),
  offset: z.number().int().nonnegative(),
  length: z.number().int().positive(),
  url: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  language: z.string().max(32).optional(),
  user_id: Id.optional(),
});
export type Entity = z.infer<typeof Entity>;

export const Entities = z.array(Entity).max(100);

/** A client-chosen id that makes a send idempotent: a retry with the same id returns the original. */
export const RandomId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'random_id must be 1-64 URL-safe characters');

/** Where a forwarded message came from. */
export const ForwardOrigin = z.object({
  /** Null: a channel post, forwarded from the channel (`chat_id`, `chat_title`) without naming its author. */
  sender_id: Id.nullable(),
  chat_id: Id,
  message_id: Id,
  date: Timestamp,
  /** Channel posts: the channel's title when forwarded, so readers who are not subscribers see where it came from. */
  chat_title: z.string().max(128).optional(),
  /** Channel posts: the signature the post carried (Message.post_author). */
  post_author: z.string().max(128).optional(),
});
export type ForwardOrigin = z.infer<typeof ForwardOrigin>;

export const Message = z.object({
  chat_id: Id,
  /** Per-chat id: gapless and increasing, assigned by the chat's Durable Object. */
  id: Id,
  /**
   * Who sent it; null on a channel post, which is sent as the channel itself
   * (Telegram's channel posts): subscribers never learn which admin wrote
   * it. A signed channel's posts name the author in `post_author` instead.
   */
  sender_id: Id.nullable(),
  /** Posts of a channel with signatures on (Chat.signatures): the author's name when posted. */
  post_author: z.string().max(128).optional(),
  date: Timestamp,
  /** The text, or the caption of `media` (which may be empty). */
  text: z.string(),
  entities: Entities,
  /** Defaults to null: messages stored before protocol 2 have no field. */
  media: MessageMedia.nullable().default(null),
  reply_to_message_id: Id.nullable(),
  fwd_from: ForwardOrigin.nullable(),
  /** When the message was last edited; null if never. */
  edit_date: Timestamp.nullable(),
  /** The sender's idempotency key; only present on the sender's own copies. */
  random_id: z.string().optional(),
  /** A bot's keyboard (inline buttons, or a reply keyboard to show or remove); absent on most messages. */
  reply_markup: ReplyMarkup.optional(),
  /**
   * The reactions, as the reader sees them (their own in `chosen`); absent
   * when there are none. Only history reads (getHistory, getMessages) carry
   * them: a message in an update has none, and a client keeps what it knows
   * across an edit and follows `message_reactions` updates.
   */
  reactions: MessageReactions.optional(),
  /**
   * Channel posts only: how many members have seen the post, each counted
   * once (see getMessagesViews). Absent on messages of other chats.
   */
  views: z.number().int().nonnegative().optional(),
  /**
   * Replies only: the thread the message is in, named by its root (the
   * first message of the reply chain; a reply to a reply joins the same
   * thread). Read a thread with getHistory's `thread_id`.
   */
  thread_id: Id.optional(),
  /**
   * Thread roots only, in history reads (like reactions): how many replies
   * the reader can see and the newest one's id. Absent when there are none;
   * clients count new replies from `new_message` updates.
   */
  replies: z.object({ count: z.number().int().positive(), max_id: Id }).optional(),
});
export type Message = z.infer<typeof Message>;

export const ChatKind = {
  /** A one-to-one chat, created by the first message. */
  private: 'private',
  /** A basic group of up to 200 members. */
  group: 'group',
  /** A broadcast chat: its creator and admins post, subscribers read and react. */
  channel: 'channel',
  /**
   * A large group of up to 200,000 members (Telegram's megagroup). Its
   * updates are logged once, in the chat: members sync it with
   * getChannelDifference from Chat.pts, and only online members are pushed.
   */
  supergroup: 'supergroup',
} as const;
export type ChatKind = (typeof ChatKind)[keyof typeof ChatKind];

export const MemberRole = {
  /** Created the group; cannot be removed; may do everything. */
  creator: 'creator',
  /** May add and remove members, rename, and delete others' messages. */
  admin: 'admin',
  /** May read and send. */
  member: 'member',
} as const;
export type MemberRole = (typeof MemberRole)[keyof typeof MemberRole];

/** What a restricted group member may still do; set by the creator or an admin, until `until` or until lifted. */
export const MemberRestriction = z.object({
  /** False: may not send anything. */
  can_send_messages: z.boolean(),
  /** False: may send text only (no photos, videos, files, voice, albums). */
  can_send_media: z.boolean(),
  /** When the restriction ends by itself; null: until lifted. */
  until: Timestamp.nullable(),
});
export type MemberRestriction = z.infer<typeof MemberRestriction>;

export const ChatMember = z.object({
  user_id: Id,
  role: z.enum(Object.values(MemberRole) as [MemberRole, ...MemberRole[]]),
  joined_at: Timestamp,
  /** Present while the member is restricted (only plain members of groups can be). */
  restriction: MemberRestriction.optional(),
});
export type ChatMember = z.infer<typeof ChatMember>;

/** A basic group's limit; adding past it converts the group into a supergroup. */
export const MAX_GROUP_MEMBERS = 200;
export const MAX_SUPERGROUP_MEMBERS = 200_000;
/**
 * The most subscribers createChannel takes at once (a channel itself has no
 * limit: its posts are logged once and pushed to online subscribers only).
 */
export const MAX_CHANNEL_SUBSCRIBERS = 1000;
export const ChatTitle = shownText(128);

export const Chat = z.object({
  id: Id,
  kind: z.enum(Object.values(ChatKind) as [ChatKind, ...ChatKind[]]),
  /** Group title; null for private chats (clients show the peer's name). */
  title: z.string().nullable(),
  /**
   * The member ids, for private chats and basic groups (both are small). In a
   * channel only its creator and admins, plus the reader itself: subscribers
   * do not see each other, as in Telegram. In a supergroup the same: its
   * creator, its admins and the reader (page the rest with getChatMembers).
   */
  member_ids: z.array(Id),
  /** How many members (subscribers, in a channel) the chat has; absent in chats stored before protocol 11. */
  member_count: z.number().int().nonnegative().optional(),
  creator_id: Id.nullable(),
  created_at: Timestamp,
  /** The most recently pinned message, if any. */
  pinned_message_id: Id.optional(),
  /**
   * Supergroups and channels: the chat's own update sequence when this snapshot was
   * taken. Their updates are not in the account's pts stream: a client
   * keeps this per chat, applies `channel_updates` frames gap-free on it and
   * asks getChannelDifference(chat_id, pts) on a gap and on reconnect.
   */
  pts: z.number().int().nonnegative().optional(),
  /** A basic group converted into a supergroup: the supergroup's id (this chat is read-only since). */
  migrated_to: Id.optional(),
  /** A supergroup made from a basic group: that group's id (its history stays readable there). */
  migrated_from: Id.optional(),
  /** Channels only: whether posts are signed with their author's name (Message.post_author); off by default, as in Telegram. */
  signatures: z.boolean().optional(),
});
export type Chat = z.infer<typeof Chat>;

/** One entry of an account's chat list. */
export const Dialog = z.object({
  chat: Chat,
  top_message: Message.nullable(),
  unread_count: z.number().int().nonnegative(),
  read_inbox_max_id: z.number().int().nonnegative(),
  read_outbox_max_id: z.number().int().nonnegative(),
  /** Date of the last activity; dialogs are ordered by it, newest first. */
  last_activity: Timestamp,
  /** False once the account left or was removed; history stays readable up to then. */
  is_member: z.boolean(),
  /** Large chats: unread messages that mention this account or reply to it (`mention` updates). */
  unread_mentions_count: z.number().int().nonnegative().default(0),
});
export type Dialog = z.infer<typeof Dialog>;
