import { z } from 'zod';
import { ADMIN_LOG_PAGE_LIMIT, AdminAction, AdminLogEntry } from './admin-log.js';
import { ChatDescription, Id, User } from './common.js';
import {
  AdminRights,
  AdminTitle,
  Chat,
  ChatMember,
  ChatPermissions,
  ChatTitle,
  SLOW_MODE_STEPS,
  Dialog,
  Entities,
  MAX_CHANNEL_SUBSCRIBERS,
  MAX_GROUP_MEMBERS,
  Message,
  RandomId,
} from './messages.js';
import { FileUrl, InputChatPhoto, InputMedia, MAX_ALBUM_ITEMS, MIN_ALBUM_ITEMS } from './media.js';
import { MAX_REACTIONS_PER_USER, MessageReactions, Reaction } from './reactions.js';
import { SyncState, UpdateEnvelope } from './updates.js';
import { FORUM_TOPICS_PAGE_LIMIT, ForumTopic, ForumTopicEntry, TopicIconColor, TopicName } from './topics.js';
import { botMethods } from './bot-methods.js';
import { accountLifecycleMethods } from './account-lifecycle.js';
import { inviteMethods } from './invite-methods.js';
import { Empty, Ok } from './method-shapes.js';
import { peopleMethods } from './people-methods.js';
import { profilePhotoMethods } from './profile-photos.js';
import { signInMethods } from './sign-in-methods.js';

/** A forum topic named in a send or read: 1 is General (protocol/topics.ts). */
const TopicId = Id;

/**
 * The account API: every method is callable over the WebSocket
 * (`{t:"call", id, method, params}`) and over HTTP (`POST /v1/call/<method>`).
 * One params schema and one result schema per method. Params are strict: a
 * parameter the method does not know (a misspelling, or a feature not built
 * yet such as `ttl_period` or `schedule_date`) is refused with BAD_REQUEST
 * naming it, never silently dropped. (The Bot API keeps Telegram's leniency.)
 */

/** A private chat is addressed by the other user; any chat by its id. */
export const Peer = z.union([z.object({ chat_id: Id }).strict(), z.object({ user_id: Id }).strict()]);
export type Peer = z.infer<typeof Peer>;

/** Text length is checked by the handler so it can answer MESSAGE_TOO_LONG. */
const MessageText = z.string().max(65536);

/** The longest message search query, in UTF-16 code units. */
export const MAX_SEARCH_QUERY = 256;
/** searchGlobal looks through the account's most recently active chats, at most this many. */
export const GLOBAL_SEARCH_CHATS = 50;
const SearchQuery = z.string().trim().min(1).max(MAX_SEARCH_QUERY);

/**
 * A new group, supergroup or channel. `missing_invitees`: people named in
 * `user_ids` whose "who can add me to groups" rule leaves the caller out;
 * they were not added (Telegram's missing_invitees): send them an invite
 * link instead. A block still refuses the whole call (USER_BLOCKED).
 */
const CreatedChat = z.object({ chat: Chat, missing_invitees: z.array(Id).optional() });

export const DIFFERENCE_PAGE_LIMIT = 1000;
export const HISTORY_PAGE_LIMIT = 100;


export const methods = {
  getState: { params: Empty, result: SyncState },
  getDifference: {
    params: z.strictObject({
      pts: z.number().int().nonnegative(),
      limit: z.number().int().min(1).max(DIFFERENCE_PAGE_LIMIT).optional(),
    }),
    result: z.discriminatedUnion('kind', [
      /** Nothing missed. */
      z.object({ kind: z.literal('empty'), state: SyncState }),
      /** The missed updates in pts order; `more` means ask again from `state.pts`. */
      z.object({
        kind: z.literal('difference'),
        updates: z.array(UpdateEnvelope),
        state: SyncState,
        more: z.boolean(),
      }),
      /** Too much was missed: reload dialogs and history, then continue from `state`. */
      z.object({ kind: z.literal('too_long'), state: SyncState }),
    ]),
  },
  /**
   * What a member of a supergroup missed since the chat's `pts`, from the
   * chat's own log: a page of updates, nothing, or "too long" (reload the
   * chat's history with getHistory, then continue from `pts`). A chat the
   * caller is not in is NOT_FOUND, like any chat one cannot see.
   */
  getChannelDifference: {
    params: z.strictObject({
      chat_id: Id,
      pts: z.number().int().nonnegative(),
      limit: z.number().int().min(1).max(DIFFERENCE_PAGE_LIMIT).optional(),
    }),
    result: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('empty'), pts: z.number().int().nonnegative() }),
      /** The missed updates in pts order; `more` means ask again from `pts`. */
      z.object({ kind: z.literal('difference'), updates: z.array(UpdateEnvelope), pts: z.number().int().nonnegative(), more: z.boolean() }),
      z.object({ kind: z.literal('too_long'), pts: z.number().int().nonnegative() }),
    ]),
  },
  getDialogs: {
    params: z.strictObject({
      /** Page boundary: dialogs strictly older than this activity date (and chat id). */
      offset_date: z.number().int().nonnegative().optional(),
      offset_chat_id: Id.optional(),
      limit: z.number().int().min(1).max(100).optional(),
    }),
    result: z.object({ dialogs: z.array(Dialog), users: z.array(User) }),
  },
  getHistory: {
    params: z.strictObject({
      chat_id: Id,
      /** Page around this id; omitted means from the newest. */
      offset_id: Id.optional(),
      direction: z.enum(['before', 'after']).default('before'),
      limit: z.number().int().min(1).max(HISTORY_PAGE_LIMIT).default(50),
      /** Only the replies in this thread (Message.thread_id), paged the same way; the root itself is not among them. */
      thread_id: Id.optional(),
      /** Forums: only the messages of this topic (Message.message_thread_id; 1: General), paged the same way. */
      message_thread_id: TopicId.optional(),
    }),
    /** Messages in ascending id order. */
    result: z.object({ messages: z.array(Message) }),
  },
  /**
   * Messages of one chat whose text or caption has every word typed (each as
   * a word prefix, diacritics ignored), newest first; page with the last
   * result's id as `offset_id`.
   */
  searchMessages: {
    params: z.strictObject({
      chat_id: Id,
      query: SearchQuery,
      offset_id: Id.optional(),
      limit: z.number().int().min(1).max(HISTORY_PAGE_LIMIT).default(20),
    }),
    result: z.object({ messages: z.array(Message) }),
  },
  /**
   * The same search across the caller's chats: the GLOBAL_SEARCH_CHATS most
   * recently active ones it is a member of, newest matches first.
   */
  searchGlobal: {
    params: z.strictObject({ query: SearchQuery, limit: z.number().int().min(1).max(50).default(20) }),
    result: z.object({ messages: z.array(Message) }),
  },
  getMessages: {
    params: z.strictObject({ chat_id: Id, ids: z.array(Id).min(1).max(100) }),
    result: z.object({ messages: z.array(Message) }),
  },
  sendMessage: {
    params: z.strictObject({
      peer: Peer,
      random_id: RandomId,
      text: MessageText,
      entities: Entities.optional(),
      reply_to_message_id: Id.optional(),
      /** Forums: the topic to post in (absent: General, or the replied message's topic). */
      message_thread_id: TopicId.optional(),
    }),
    result: z.object({ message: Message }),
  },
  sendMedia: {
    params: z.strictObject({
      peer: Peer,
      random_id: RandomId,
      media: InputMedia,
      /** May be empty; at most 1,024 characters (checked by the handler: MESSAGE_TOO_LONG). */
      caption: MessageText.optional(),
      entities: Entities.optional(),
      reply_to_message_id: Id.optional(),
      /** Forums: the topic to post in (as sendMessage). */
      message_thread_id: TopicId.optional(),
    }),
    result: z.object({ message: Message }),
  },
  /** 2-10 media sent together as one album: all stored or none; each item its own message. */
  sendAlbum: {
    params: z.strictObject({
      peer: Peer,
      items: z
        .array(
          z.object({
            random_id: RandomId,
            media: InputMedia,
            caption: MessageText.optional(),
            entities: Entities.optional(),
          }),
        )
        .min(MIN_ALBUM_ITEMS)
        .max(MAX_ALBUM_ITEMS),
      reply_to_message_id: Id.optional(),
      /** Forums: the topic to post in (as sendMessage). */
      message_thread_id: TopicId.optional(),
    }),
    result: z.object({ messages: z.array(Message) }),
  },
  /** A short-lived signed link to a message's file (or its thumbnail), for members who can see it. */
  getFileUrl: {
    params: z.strictObject({ chat_id: Id, message_id: Id, thumb: z.boolean().optional() }),
    result: FileUrl,
  },
  forwardMessages: {
    params: z.strictObject({
      from_chat_id: Id,
      ids: z.array(Id).min(1).max(100),
      to: Peer,
      /** One per forwarded message, in the same order. */
      random_ids: z.array(RandomId).min(1).max(100),
    }),
    result: z.object({ messages: z.array(Message) }),
  },
  editMessage: {
    params: z.strictObject({ chat_id: Id, id: Id, text: MessageText, entities: Entities.optional() }),
    result: z.object({ message: Message }),
  },
  deleteMessages: {
    params: z.strictObject({ chat_id: Id, ids: z.array(Id).min(1).max(100), for_everyone: z.boolean() }),
    result: Ok,
  },
  /**
   * Moves the caller's read position forward. With `message_thread_id`
   * (forums), only that topic's position moves (ForumTopicEntry.unread_count)
   * and the answer counts what is still unread in the topic.
   */
  readHistory: {
    params: z.strictObject({ chat_id: Id, max_id: z.number().int().nonnegative(), message_thread_id: TopicId.optional() }),
    result: z.object({ still_unread_count: z.number().int().nonnegative() }),
  },
  setTyping: {
    params: z.strictObject({ chat_id: Id, action: z.enum(['typing', 'cancel']) }),
    result: Ok,
  },
  /**
   * Sets the caller's reactions to a message, replacing their previous ones
   * (an empty list clears them; repeats count once). Members see a
   * `message_reactions` update.
   */
  sendReaction: {
    params: z.strictObject({ chat_id: Id, message_id: Id, reaction: z.array(Reaction).max(MAX_REACTIONS_PER_USER) }),
    result: z.object({ reactions: MessageReactions }),
  },
  createGroup: {
    params: z.strictObject({ title: ChatTitle, user_ids: z.array(Id).max(MAX_GROUP_MEMBERS - 1) }),
    result: CreatedChat,
  },
  /**
   * A channel: the caller is its creator and the only one who posts until
   * they appoint admins; `user_ids` are its first subscribers (more join by
   * invite link or are added by admins).
   */
  createChannel: {
    params: z.strictObject({
      title: ChatTitle,
      user_ids: z.array(Id).max(MAX_CHANNEL_SUBSCRIBERS - 1).default([]),
      /** Sign posts with their author's name (Chat.signatures); off by default: posts come from the channel. */
      signatures: z.boolean().default(false),
    }),
    result: CreatedChat,
  },
  /**
   * A channel's creator or an admin turns signatures on or off (Telegram's
   * channels.toggleSignatures). Posts already sent keep what they had.
   */
  toggleSignatures: {
    params: z.strictObject({ chat_id: Id, enabled: z.boolean() }),
    result: z.object({ chat: Chat }),
  },
  /**
   * A supergroup (up to MAX_SUPERGROUP_MEMBERS): the caller is its creator;
   * `user_ids` its first members. Messages are logged once in the chat and
   * pushed to online members only (see Chat.pts).
   */
  createSupergroup: {
    params: z.strictObject({ title: ChatTitle, user_ids: z.array(Id).max(MAX_GROUP_MEMBERS - 1).default([]) }),
    result: CreatedChat,
  },
  /**
   * Converts a basic group into a supergroup (its creator only; also done
   * by itself when a group outgrows MAX_GROUP_MEMBERS). The members move
   * over; the old group becomes read-only with `migrated_to`, its history
   * stays readable there, and the supergroup shows `migrated_from`.
   */
  migrateChat: {
    params: z.strictObject({ chat_id: Id }),
    result: z.object({ chat: Chat }),
  },
  /**
   * A page of a chat's members: creator and admins first, then the rest by
   * join order; `query` keeps those whose name or username starts a word
   * with it. Page on with the answer's `next_offset`.
   */
  getChatMembers: {
    params: z.strictObject({
      chat_id: Id,
      query: z.string().trim().max(64).optional(),
      offset: z.number().int().nonnegative().default(0),
      limit: z.number().int().min(1).max(200).default(100),
    }),
    result: z.object({
      members: z.array(ChatMember),
      users: z.array(User),
      count: z.number().int().nonnegative(),
      next_offset: z.number().int().nonnegative().nullable(),
    }),
  },
  /**
   * "N members, M online": how many members of a group or supergroup have a
   * device online now (a channel's subscribers do not see each other: its
   * managers only). Counted from the fan-out shards in a large chat, so it
   * costs the same for any size.
   */
  getChatOnlineCount: {
    params: z.strictObject({ chat_id: Id }),
    result: z.object({ online: z.number().int().nonnegative() }),
  },
  /**
   * The view counts of channel posts; with `increment` (the default) the
   * caller is first counted as a viewer of each, once per member and post
   * (Telegram's messages.getMessagesViews). Clients call it for the posts
   * they show. Unknown, deleted and hidden ids are left out.
   */
  getMessagesViews: {
    params: z.strictObject({ chat_id: Id, ids: z.array(Id).min(1).max(100), increment: z.boolean().default(true) }),
    result: z.object({
      views: z.array(z.object({ id: Id, views: z.number().int().nonnegative(), comments: Message.shape.comments })),
    }),
  },
  getChat: {
    params: z.strictObject({ chat_id: Id }),
    result: z.object({ chat: Chat, members: z.array(ChatMember) }),
  },
  addChatMember: { params: z.strictObject({ chat_id: Id, user_id: Id }), result: z.object({ chat: Chat }) },
  removeChatMember: { params: z.strictObject({ chat_id: Id, user_id: Id }), result: z.object({ chat: Chat }) },
  leaveChat: { params: z.strictObject({ chat_id: Id }), result: Ok },
  editChatTitle: { params: z.strictObject({ chat_id: Id, title: ChatTitle }), result: z.object({ chat: Chat }) },
  /** What the chat is about (Chat.description; '' clears it): admins with can_change_info. Everyone sees a `chat` update. */
  editChatDescription: { params: z.strictObject({ chat_id: Id, description: ChatDescription }), result: z.object({ chat: Chat }) },
  /**
   * Sets the chat's picture (Chat.photo) from an image the caller may use (its
   * own upload, or one shown in a chat it is in), with an optional preview as
   * the small size: admins with can_change_info (members too, where the chat's
   * permissions let them change info). Everyone sees a `chat` update.
   */
  setChatPhoto: { params: z.strictObject({ chat_id: Id, ...InputChatPhoto.shape }), result: z.object({ chat: Chat }) },
  /** Removes the chat's picture; the same right. Removing none answers the chat as it is. */
  deleteChatPhoto: { params: z.strictObject({ chat_id: Id }), result: z.object({ chat: Chat }) },
  /** A short-lived signed link to the chat's picture (the small size unless `big`), for those who may see the chat. */
  getChatPhotoUrl: { params: z.strictObject({ chat_id: Id, big: z.boolean().optional() }), result: FileUrl },
  /**
   * Makes a supergroup a forum, or stops (protocol/topics.ts): its creator
   * and admins with can_change_info. Topics and their messages are kept
   * while it is off and come back when it is on again. Everyone sees a
   * `chat` update (Chat.is_forum). CHAT_NOT_FORUM for a basic group or channel.
   */
  toggleForum: { params: z.strictObject({ chat_id: Id, enabled: z.boolean() }), result: z.object({ chat: Chat }) },
  /**
   * A new topic (admins with can_manage_topics, or members where the chat's
   * permissions let them). Everyone sees a `forum_topic` update; bots a
   * forum_topic_created service message.
   */
  createForumTopic: {
    params: z.strictObject({ chat_id: Id, name: TopicName, icon_color: TopicIconColor.optional() }),
    result: z.object({ topic: ForumTopic }),
  },
  /**
   * Renames a topic (its creator, or those who may manage topics), and
   * hides or shows General (`hidden`, General only, managers only).
   */
  editForumTopic: {
    params: z.strictObject({ chat_id: Id, message_thread_id: TopicId, name: TopicName.optional(), hidden: z.boolean().optional() }),
    result: z.object({ topic: ForumTopic }),
  },
  /** Closes a topic to all but those who may manage topics (its creator or a manager). */
  closeForumTopic: { params: z.strictObject({ chat_id: Id, message_thread_id: TopicId }), result: z.object({ topic: ForumTopic }) },
  reopenForumTopic: { params: z.strictObject({ chat_id: Id, message_thread_id: TopicId }), result: z.object({ topic: ForumTopic }) },
  /** Deletes a topic with all its messages (the creator and admins with can_delete_messages, as in Telegram). Not General. */
  deleteForumTopic: { params: z.strictObject({ chat_id: Id, message_thread_id: TopicId }), result: Ok },
  /**
   * The forum's topics, most recently active first,
   * with the caller's unread count in each. Page with the last entry's
   * top_message_id and id as `offset_message_id` / `offset_topic_id`.
   */
  getForumTopics: {
    params: z.strictObject({
      chat_id: Id,
      offset_message_id: z.number().int().nonnegative().optional(),
      offset_topic_id: TopicId.optional(),
      limit: z.number().int().min(1).max(FORUM_TOPICS_PAGE_LIMIT).default(50),
    }),
    result: z.object({ topics: z.array(ForumTopicEntry) }),
  },
  /** Appoints an admin with the default rights (everything but appointing admins), or dismisses one; see editChatAdmin. */
  setChatAdmin: {
    params: z.strictObject({ chat_id: Id, user_id: Id, is_admin: z.boolean() }),
    result: z.object({ chat: Chat }),
  },
  /**
   * Appoints an admin with exactly `rights` (an omitted right is not
   * granted; `{}` makes an admin with none, who still sees what admins
   * see), changes an admin's rights or title, or dismisses them (`rights`
   * null): the creator, or an admin with
   * can_promote_members, who grants only rights it holds (FORBIDDEN naming
   * the others) and edits only admins it appointed. Takes effect at once.
   */
  editChatAdmin: {
    params: z.strictObject({
      chat_id: Id,
      user_id: Id,
      rights: AdminRights.partial().strict().nullable(),
      title: AdminTitle.optional(),
    }),
    result: z.object({ member: ChatMember }),
  },
  /** An admin's custom title ('' clears it): whoever appointed them, or the creator; the creator sets its own. */
  setChatAdminTitle: {
    params: z.strictObject({ chat_id: Id, user_id: Id, title: AdminTitle }),
    result: z.object({ member: ChatMember }),
  },
  /**
   * The creator hands the chat to another member (not a bot), confirmed by
   * the creator's own password (INVALID_CREDENTIALS if wrong; attempts are
   * limited); the former creator stays an admin with every right.
   */
  transferChatOwnership: {
    params: z.strictObject({ chat_id: Id, user_id: Id, password: z.string().min(1).max(256) }),
    result: z.object({ chat: Chat }),
  },
  /**
   * Bans a user (removing them if a member; an admin only by whoever may
   * dismiss them): they cannot rejoin, by link or by being added, until
   * `until` (ms) or for good. Admins with can_restrict_members.
   */
  banChatMember: {
    params: z.strictObject({ chat_id: Id, user_id: Id, until: z.number().int().positive().nullable().optional() }),
    result: Ok,
  },
  /** Lifts a ban (the user is not added back: they may join again). Admins with can_restrict_members. */
  unbanChatMember: { params: z.strictObject({ chat_id: Id, user_id: Id }), result: Ok },
  /**
   * Restricts a plain member of a group: what they may still do, narrower
   * than the chat's permissions, until `until` (ms; omitted or null: until
   * lifted). An omitted permission stays allowed; all allowed lifts the
   * restriction. Admins with can_restrict_members. Members see a
   * `chat_member` update.
   */
  restrictChatMember: {
    params: z.strictObject({
      chat_id: Id,
      user_id: Id,
      can_send_messages: z.boolean(),
      can_send_media: z.boolean(),
      can_send_links: z.boolean().optional(),
      can_send_polls: z.boolean().optional(),
      can_invite_users: z.boolean().optional(),
      can_pin_messages: z.boolean().optional(),
      can_change_info: z.boolean().optional(),
      can_manage_topics: z.boolean().optional(),
      until: z.number().int().nonnegative().nullable().optional(),
    }),
    result: z.object({ member: ChatMember }),
  },
  /** What every plain member may do (Chat.permissions); admins with can_restrict_members. Everyone sees a `chat` update. */
  setChatPermissions: {
    params: z.strictObject({ chat_id: Id, permissions: ChatPermissions.strict() }),
    result: z.object({ chat: Chat }),
  },
  /**
   * Slow mode: seconds a plain member waits between messages, one of
   * SLOW_MODE_STEPS (0: off); sending sooner answers SLOW_MODE_WAIT with
   * retry_after. Admins with can_restrict_members.
   */
  setChatSlowMode: {
    params: z.strictObject({
      chat_id: Id,
      seconds: z.literal(SLOW_MODE_STEPS),
    }),
    result: z.object({ chat: Chat }),
  },
  /**
   * Pins a message for every member (several may be pinned: Chat.pinned_message_ids,
   * newest first, and Chat.pinned_message_id the newest): either side of a
   * private chat, admins with can_pin_messages, members where the chat lets
   * them. Members see a `chat` update. A deleted message is unpinned.
   */
  pinMessage: { params: z.strictObject({ chat_id: Id, message_id: Id }), result: z.object({ chat: Chat }) },
  /** Unpins `message_id`, or without it the most recently pinned message; same rights as pinMessage. */
  unpinMessage: { params: z.strictObject({ chat_id: Id, message_id: Id.optional() }), result: z.object({ chat: Chat }) },
  /**
   * Recent actions: what the chat's creator and admins did in the last 48
   * hours, newest first (page with `offset_id`: entries older than it),
   * optionally only by some admins (`user_ids`) or of some kinds
   * (`actions`). The creator and admins only.
   */
  getAdminLog: {
    params: z.strictObject({
      chat_id: Id,
      user_ids: z.array(Id).max(100).optional(),
      actions: z.array(AdminAction).max(AdminAction.options.length).optional(),
      offset_id: Id.optional(),
      limit: z.number().int().min(1).max(ADMIN_LOG_PAGE_LIMIT).optional(),
    }),
    result: z.object({ entries: z.array(AdminLogEntry) }),
  },
  /** Unpins every pinned message at once; same rights as pinMessage. */
  unpinAllMessages: { params: z.strictObject({ chat_id: Id }), result: z.object({ chat: Chat }) },
  /**
   * Links a supergroup to a channel as its discussion group (Telegram's
   * channels.setDiscussionGroup), or unlinks it (`group_id` null). Every new
   * post is then forwarded into the group, where replies to it are its
   * comments. The caller needs can_change_info in the channel and both
   * can_change_info and can_pin_messages in the group (FORBIDDEN otherwise;
   * NOT_FOUND for a chat they are not in). A basic group or a channel is
   * refused with BAD_REQUEST "MEGAGROUP_REQUIRED: …", a group linked to
   * another channel with CONFLICT. Nothing changes on a refusal. Both chats
   * show the link (Chat.linked_chat_id). Answers the channel.
   */
  setDiscussionGroup: { params: z.strictObject({ channel_id: Id, group_id: Id.nullable() }), result: z.object({ chat: Chat }) },
  /**
   * Where a channel post's comments are: the discussion group (`chat`, as
   * the caller may see it) and the post's automatic forward there (the root
   * of the comments' thread, with `replies`). Any subscriber may ask, member
   * of the group or not; a post never forwarded (posted before the link) is
   * NOT_FOUND.
   */
  getDiscussionMessage: {
    params: z.strictObject({ channel_id: Id, post_id: Id }),
    result: z.object({ chat_id: Id, chat: Chat, message: Message, is_member: z.boolean() }),
  },
  /**
   * A page of a post's comments (the forward's thread in the discussion
   * group), for any subscriber of the channel, member of the group or not;
   * paged like getHistory.
   */
  getDiscussionReplies: {
    params: z.strictObject({
      channel_id: Id,
      post_id: Id,
      offset_id: Id.optional(),
      direction: z.enum(['before', 'after']).default('before'),
      limit: z.number().int().min(1).max(HISTORY_PAGE_LIMIT).default(50),
    }),
    result: z.object({ chat_id: Id, messages: z.array(Message) }),
  },
  /**
   * A subscriber joins the channel's discussion group to comment (reading
   * needs no membership: getDiscussionReplies). No invite or request needed:
   * the link makes the group open to the channel's subscribers. Banned:
   * FORBIDDEN. Answers the group.
   */
  joinDiscussionGroup: { params: z.strictObject({ channel_id: Id }), result: z.object({ chat: Chat }) },
  ...inviteMethods,
  ...peopleMethods,
  ...profilePhotoMethods,
  ...signInMethods,
  ...botMethods,
  ...accountLifecycleMethods,
} as const;

export type MethodName = keyof typeof methods;
export type MethodParams<M extends MethodName> = z.infer<(typeof methods)[M]['params']>;
/** Params as the caller may write them (defaults not yet applied). */
export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
export type MethodResult<M extends MethodName> = z.infer<(typeof methods)[M]['result']>;

export const methodNames = Object.keys(methods) as MethodName[];
export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
