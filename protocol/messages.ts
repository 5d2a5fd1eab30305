import { z } from 'zod';
import { Id, shownText, Timestamp } from './common.js';
import { ReplyMarkup } from './keyboards.js';
import { ChatPhoto, MessageMedia } from './media.js';
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
  /**
   * Null: a channel post, forwarded from the channel (`chat_id`, `chat_title`)
   * without naming its author; or, with `sender_name`, a person whose
   * "forwards" privacy rule keeps their account unlinked.
   */
  sender_id: Id.nullable(),
  /** The author's name alone (Telegram's from_name): their forwards privacy left the forwarder out. */
  sender_name: z.string().max(128).optional(),
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
   * Null too on an anonymous admin's message in a group (`sender_chat_id`).
   */
  sender_id: Id.nullable(),
  /**
   * Sent on behalf of a chat: the group itself, for a message of an admin
   * with the is_anonymous right (its custom title, if any, in `post_author`).
   */
  sender_chat_id: Id.optional(),
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
  /**
   * Forums only (Chat.is_forum): the forum topic the message is in (1:
   * General; protocol/topics.ts). Absent on messages sent before the chat
   * became a forum, which are General's. Not a reply thread: see thread_id.
   */
  message_thread_id: Id.optional(),
  /** True on a message in a forum topic other than General (Telegram's is_topic_message). */
  is_topic_message: z.literal(true).optional(),
  /**
   * Discussion groups only: this message is the automatic forward of a post
   * of the linked channel (`fwd_from` names the post); its thread holds the
   * post's comments. Sent as the channel, so `sender_id` is null.
   */
  is_automatic_forward: z.literal(true).optional(),
  /**
   * Channel posts forwarded into the channel's discussion group, in history
   * reads and getMessagesViews: how many comments the post has and the
   * newest one's id in the group (absent while there are none). No update
   * carries it: readers fetch it for the posts they show, like views.
   */
  comments: z.object({ count: z.number().int().nonnegative(), max_id: Id.optional() }).optional(),
});
export type Message = z.infer<typeof Message>;

/** A post's comments as channel readers see them (Message.comments). */
export type PostComments = NonNullable<Message['comments']>;

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

/**
 * What an admin may do (Telegram's ChatAdministratorRights). The creator
 * holds every right; an admin exactly those granted, and may grant only
 * rights it holds itself. Checked by the chat on every action, so a change
 * takes effect at once.
 */
export const AdminRights = z.object({
  /** Rename the chat, change its photo, description and settings (signatures). */
  can_change_info: z.boolean(),
  /** Channels: post. */
  can_post_messages: z.boolean(),
  /** Channels: edit others' posts. */
  can_edit_messages: z.boolean(),
  /** Delete others' messages. */
  can_delete_messages: z.boolean(),
  /** Remove, ban and restrict members; set the chat's permissions and slow mode. */
  can_restrict_members: z.boolean(),
  /** Add members and manage invite links. A link stops working when its creator loses this right. */
  can_invite_users: z.boolean(),
  /** Pin and unpin messages. */
  can_pin_messages: z.boolean(),
  /** Supergroups with topics: create, rename, close and delete them. */
  can_manage_topics: z.boolean(),
  /** Start and manage group calls. */
  can_manage_video_chats: z.boolean(),
  /** Appoint admins with rights it holds, and edit or dismiss the admins it appointed. */
  can_promote_members: z.boolean(),
  /** Its messages in a group are shown as sent by the group, signed with its title. */
  is_anonymous: z.boolean(),
});
export type AdminRights = z.infer<typeof AdminRights>;
export type AdminRight = keyof AdminRights;
export const ADMIN_RIGHTS = Object.keys(AdminRights.shape) as AdminRight[];

/** An admin's custom title (Telegram: up to 16 characters, shown beside their name). */
export const AdminTitle = z.string().max(16).regex(/^[^\p{Cc}\p{Extended_Pictographic}]*$/u, 'no control characters or emoji');

/**
 * What members of a group may do (Telegram's ChatPermissions): the chat's
 * defaults (Chat.permissions, set by admins with can_restrict_members) and,
 * narrower, a member's own restriction. New groups let members send
 * everything and keep adding members, pinning and changing the chat to
 * admins, as Edgegram's groups always have.
 */
export const ChatPermissions = z.object({
  /** Text messages (false: nothing at all may be sent). */
  can_send_messages: z.boolean(),
  /** Photos, videos, files, voice notes, albums. */
  can_send_media: z.boolean(),
  /** Messages with links (URLs in the text or link entities). */
  can_send_links: z.boolean(),
  /** Polls. */
  can_send_polls: z.boolean(),
  /** Add members. */
  can_invite_users: z.boolean(),
  /** Pin and unpin messages. */
  can_pin_messages: z.boolean(),
  /** Rename the chat, change its photo and description. */
  can_change_info: z.boolean(),
  /** Create topics (supergroups with topics). */
  can_manage_topics: z.boolean(),
});
export type ChatPermissions = z.infer<typeof ChatPermissions>;
export type ChatPermission = keyof ChatPermissions;
export const CHAT_PERMISSIONS = Object.keys(ChatPermissions.shape) as ChatPermission[];

/** The permissions a new group starts with. */
export const DEFAULT_CHAT_PERMISSIONS: ChatPermissions = {
  can_send_messages: true,
  can_send_media: true,
  can_send_links: true,
  can_send_polls: true,
  can_invite_users: false,
  can_pin_messages: false,
  can_change_info: false,
  can_manage_topics: false,
};

/** A chat snapshot lists at most this many pinned messages (newest first); older pins stay pinned. */
export const MAX_PINNED_SHOWN = 100;

/** Slow mode's steps, seconds between one member's messages (0: off), as Telegram offers them. */
export const SLOW_MODE_STEPS = [0, 10, 30, 60, 300, 900, 3600] as const;

/**
 * What a restricted group member may still do; set by an admin with
 * can_restrict_members, until `until` or until lifted. It narrows the
 * chat's permissions, never widens them. Fields after the first two were
 * added later and default to allowed.
 */
export const MemberRestriction = z.object({
  /** False: may not send anything. */
  can_send_messages: z.boolean(),
  /** False: may send text only (no photos, videos, files, voice, albums). */
  can_send_media: z.boolean(),
  can_send_links: z.boolean().default(true),
  can_send_polls: z.boolean().default(true),
  can_invite_users: z.boolean().default(true),
  can_pin_messages: z.boolean().default(true),
  can_change_info: z.boolean().default(true),
  can_manage_topics: z.boolean().default(true),
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
  /** The creator's and admins' rights (the creator: every one). Absent for members, and in chats stored before protocol 19. */
  rights: AdminRights.optional(),
  /** An admin's or the creator's custom title, if set. */
  title: z.string().optional(),
  /** Who appointed this admin (null: the server, as at a migration). */
  promoted_by: Id.nullable().optional(),
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
  /** Every pinned message, newest pin first (at most MAX_PINNED_SHOWN; absent in chats stored before protocol 19 and when none is). */
  pinned_message_ids: z.array(Id).optional(),
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
  /** Groups, supergroups and channels: what the chat is about, if its admins said (up to 255 characters). */
  description: z.string().optional(),
  /** Groups, supergroups and channels: the chat's picture, if one is set (setChatPhoto); members download it with getChatPhotoUrl. */
  photo: ChatPhoto.optional(),
  /** Groups and supergroups: what members may do (absent in chats stored before protocol 19: DEFAULT_CHAT_PERMISSIONS). */
  permissions: ChatPermissions.optional(),
  /** Groups and supergroups: seconds a member waits between messages (0 or absent: off); admins are not held to it. */
  slow_mode_seconds: z.number().int().nonnegative().optional(),
  /** Supergroups and channels: the public username (resolvable, joinable by anyone); absent for private chats. */
  username: z.string().optional(),
  /** Supergroups and channels: joining by the username makes a request an admin must approve. */
  join_by_request: z.boolean().optional(),
  /** Supergroups: true when its messages are split into forum topics (toggleForum; protocol/topics.ts). */
  is_forum: z.boolean().optional(),
  /**
   * A channel: its discussion group, where each post is forwarded and
   * commented on. A supergroup: the channel it discusses. Set by the
   * channel's admins with setDiscussionGroup; absent when unlinked.
   */
  linked_chat_id: Id.optional(),
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
  /**
   * A private chat started by someone this account's "messages" privacy
   * rule leaves out: shown among message requests, not the main list, until
   * acceptMessageRequest or a reply.
   */
  is_request: z.boolean().default(false),
});
export type Dialog = z.infer<typeof Dialog>;
