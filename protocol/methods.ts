import { z } from 'zod';
import { ADMIN_LOG_PAGE_LIMIT, AdminAction, AdminLogEntry } from './admin-log.js';
import { BotCommand, BotInfo, BotUsername } from './bots.js';
import { About, ChatDescription, DisplayName, Id, Password, User, UserStatus, Username } from './common.js';
import { CallbackAnswer } from './keyboards.js';
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
import {
  ChatInviteLink,
  ChatInvitePreview,
  InviteToken,
  MAX_INVITE_MEMBER_LIMIT,
  InviteLinkName,
} from './invites.js';
import { MAX_REACTIONS_PER_USER, MessageReactions, Reaction } from './reactions.js';
import { PrivacyKey, PrivacyRule } from './privacy.js';
import { BLOCKED_PAGE_LIMIT, BlockedUser, Contact, ContactFirstName, ContactLastName } from './contacts.js';
import { ChatJoinRequest, JoinRequestSent, MAX_JOIN_REQUESTS_PAGE, PublicChat } from './public-chats.js';
import { SyncState, UpdateEnvelope } from './updates.js';
import { FORUM_TOPICS_PAGE_LIMIT, ForumTopic, ForumTopicEntry, TopicIconColor, TopicName } from './topics.js';

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

export const DIFFERENCE_PAGE_LIMIT = 1000;
export const HISTORY_PAGE_LIMIT = 100;

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });
/** Joining answers with the chat (joined), or with the request made instead (an admin must approve it). */
const JoinResult = z.object({ chat: Chat.optional(), join_request: JoinRequestSent.optional() });

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
    result: z.object({ chat: Chat }),
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
    result: z.object({ chat: Chat }),
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
    result: z.object({ chat: Chat }),
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
  // ── invite links (see protocol/invites.ts) ──
  /** A new invite link to a group (creator and admins only). */
  createChatInviteLink: {
    params: z.strictObject({
      chat_id: Id,
      name: InviteLinkName.optional(),
      /** ms, in the future. */
      expire_date: z.number().int().positive().optional(),
      member_limit: z.number().int().min(1).max(MAX_INVITE_MEMBER_LIMIT).optional(),
      /** Joining through it makes a request an admin approves (not with member_limit, as in Telegram). */
      creates_join_request: z.boolean().optional(),
    }),
    result: z.object({ link: ChatInviteLink }),
  },
  /** The group's links, active ones first, newest first (creator and admins only). */
  getChatInviteLinks: { params: z.strictObject({ chat_id: Id }), result: z.object({ links: z.array(ChatInviteLink) }) },
  /** The link stops working at once; it stays listed as revoked (creator and admins only). */
  revokeChatInviteLink: {
    params: z.strictObject({ chat_id: Id, link_id: Id }),
    result: z.object({ link: ChatInviteLink }),
  },
  /**
   * What a link leads to, without joining: the group's title and member
   * count. An unknown, revoked, expired or used-up link: INVITE_INVALID.
   */
  checkChatInviteLink: { params: z.strictObject({ token: InviteToken }), result: ChatInvitePreview },
  /**
   * Joins the group the link leads to, as if added by an admin (members see
   * the join). Already a member: the chat, unchanged. Banned: FORBIDDEN.
   * A link that creates join requests answers `join_request` instead of
   * `chat`: the request waits for an admin (asking again changes nothing).
   */
  joinChatByInviteLink: { params: z.strictObject({ token: InviteToken }), result: JoinResult },
  /**
   * Joins a public supergroup or channel (one with a username) by its id,
   * as resolveUsername gave it; `join_request` instead of `chat` where its
   * admins approve new members. Not public: NOT_FOUND. Banned: FORBIDDEN.
   */
  joinChat: { params: z.strictObject({ chat_id: Id }), result: JoinResult },
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
  /**
   * Makes a supergroup or channel public under `username` ('' makes it
   * private again): its creator only. The name follows a person's username
   * rules (USERNAME_INVALID) and is unique among people, bots and chats
   * alike (USERNAME_TAKEN); the old name stops resolving at once.
   */
  setChatUsername: { params: z.strictObject({ chat_id: Id, username: z.string().max(64) }), result: z.object({ chat: Chat }) },
  /** Whether joining a public chat by its username needs an admin's approval (creator and admins with can_invite_users). */
  setChatJoinByRequest: { params: z.strictObject({ chat_id: Id, enabled: z.boolean() }), result: z.object({ chat: Chat }) },
  /**
   * The chat's pending join requests, oldest first, `count` of them in all
   * (creator and admins with can_invite_users); page after `offset_user_id`'s request.
   */
  getChatJoinRequests: {
    params: z.strictObject({
      chat_id: Id,
      limit: z.number().int().min(1).max(MAX_JOIN_REQUESTS_PAGE).default(50),
      offset_user_id: Id.optional(),
    }),
    result: z.object({ requests: z.array(ChatJoinRequest), count: z.number().int().nonnegative() }),
  },
  /** Admits the requester, as an add by the caller would (a ban, a full chat refuse it); no such request: NOT_FOUND. */
  approveChatJoinRequest: { params: z.strictObject({ chat_id: Id, user_id: Id }), result: Ok },
  /** Drops the request; the user may ask again. No such request: NOT_FOUND. */
  declineChatJoinRequest: { params: z.strictObject({ chat_id: Id, user_id: Id }), result: Ok },
  /**
   * Adds a person (by id or username) to the caller's contacts under a name
   * of the caller's choosing, or renames one already there. Not oneself, not
   * a bot; at most MAX_CONTACTS (then FORBIDDEN).
   */
  addContact: {
    params: z
      .strictObject({ user_id: Id.optional(), username: Username.optional(), first_name: ContactFirstName, last_name: ContactLastName.optional() })
      .refine((p) => (p.user_id === undefined) !== (p.username === undefined), { message: 'Give exactly one of user_id, username' }),
    result: z.object({ contact: Contact }),
  },
  /** Removes these people from the caller's contacts (those not there are ignored). */
  deleteContacts: { params: z.strictObject({ user_ids: z.array(Id).min(1).max(100) }), result: Ok },
  /** The caller's contacts by name, each with whether it is mutual. */
  getContacts: { params: z.strictObject({}), result: z.object({ contacts: z.array(Contact) }) },
  /**
   * Blocks a person: they can no longer message the caller (USER_BLOCKED),
   * add it to chats, or see its presence; the caller cannot write to them
   * either until it unblocks (YOU_BLOCKED_USER). Blocking twice changes nothing.
   */
  blockUser: { params: z.strictObject({ user_id: Id }), result: Ok },
  unblockUser: { params: z.strictObject({ user_id: Id }), result: Ok },
  /** The caller's block list, most recently blocked first, and how many in all. */
  getBlockedUsers: {
    params: z.strictObject({ offset: z.number().int().nonnegative().default(0), limit: z.number().int().min(1).max(BLOCKED_PAGE_LIMIT).default(50) }),
    result: z.object({ blocked: z.array(BlockedUser), count: z.number().int().nonnegative() }),
  },
  /** The caller's rule for one kind of information (Telegram's default where it set none). */
  getPrivacy: { params: z.strictObject({ key: PrivacyKey }), result: z.object({ rule: PrivacyRule }) },
  /**
   * Sets who gets one kind of information: everybody, the caller's contacts
   * or nobody, with people always and never allowed. Takes effect on the
   * next read (getUsers) and the next presence change.
   */
  setPrivacy: { params: z.strictObject({ key: PrivacyKey, rule: PrivacyRule }), result: z.object({ rule: PrivacyRule }) },
  getUsers: {
    params: z.strictObject({ ids: z.array(Id).min(1).max(100) }),
    result: z.object({ users: z.array(User), statuses: z.array(UserStatus) }),
  },
  /**
   * The person, bot or public chat with this username (case-insensitive):
   * `user` or `chat`, never both (they share one namespace). Nobody: NOT_FOUND.
   */
  resolveUsername: { params: z.strictObject({ username: Username }), result: z.object({ user: User.optional(), chat: PublicChat.optional() }) },
  /**
   * Changes the caller's own profile: any of display name, username, bio
   * (an omitted field stays). The username follows sign-up's rules
   * (USERNAME_INVALID, checked by the handler so it gets that code;
   * USERNAME_TAKEN when another account has it, case-insensitively; changing
   * only its case is allowed). The old username stops resolving at once.
   * The caller's devices and the people who share a chat with them get a
   * `user` event. Rate-limited (RATE_LIMITED).
   */
  updateProfile: {
    params: z
      .strictObject({ display_name: DisplayName.optional(), username: z.string().max(64).optional(), about: About.optional() })
      .refine((p) => p.display_name !== undefined || p.username !== undefined || p.about !== undefined, {
        message: 'Give at least one of display_name, username, about',
      }),
    result: z.object({ user: User }),
  },
  // ── account security: password and two-step verification ──
  /**
   * Changes the caller's password. `new_password` follows sign-up's rules.
   * A wrong `current_password` answers INVALID_CREDENTIALS and changes
   * nothing; attempts are rate-limited (RATE_LIMITED). As in Telegram, every
   * OTHER session of the account is signed out (its sockets close) unless
   * `keep_other_sessions`; this one stays. `signed_out` counts them.
   */
  changePassword: {
    params: z.strictObject({
      current_password: z.string().max(256),
      new_password: Password,
      keep_other_sessions: z.boolean().default(false),
    }),
    result: z.object({ ok: z.literal(true), signed_out: z.number().int().nonnegative() }),
  },
  /** Whether two-step verification is on, a setup awaits its code, and how many recovery codes are left. */
  getTwoFactorStatus: {
    params: Empty,
    result: z.object({ enabled: z.boolean(), pending: z.boolean(), recovery_codes_left: z.number().int().nonnegative() }),
  },
  /**
   * Starts two-step verification: a new TOTP secret (SHA-1, 6 digits, 30 s)
   * as base32 and as the otpauth:// URI an authenticator app imports. The
   * account is not protected until confirmTwoFactor; calling again replaces
   * an unconfirmed secret. Already on: CONFLICT. The secret is never shown again.
   * Needs the password (as Telegram asks): a stolen session alone cannot lock
   * its owner out behind a second factor. Wrong: INVALID_CREDENTIALS (rate-limited).
   */
  enableTwoFactor: {
    params: z.strictObject({ password: z.string().max(256) }),
    result: z.object({ secret: z.string(), uri: z.string() }),
  },
  /**
   * Confirms the secret of enableTwoFactor with a current code from the app:
   * from now on login asks for a code. Answers the 10 one-time recovery codes,
   * shown only here. Wrong code: INVALID_CREDENTIALS (rate-limited); no setup
   * under way: CONFLICT.
   */
  confirmTwoFactor: {
    params: z.strictObject({ code: z.string().max(32) }),
    result: z.object({ recovery_codes: z.array(z.string()) }),
  },
  /**
   * Turns two-step verification off. Needs the password and a current code
   * or an unused recovery code; either wrong: INVALID_CREDENTIALS
   * (rate-limited). Only an unconfirmed setup under way: it is dropped, with
   * no proof asked (it protected nothing). Neither: CONFLICT.
   */
  disableTwoFactor: {
    params: z.strictObject({ password: z.string().max(256), code: z.string().max(32) }),
    result: Ok,
  },
  // ── bots (see protocol/bots.ts) ──
  /** Creates a bot owned by the caller; the token is shown only here and by revokeBotToken. */
  createBot: {
    params: z.strictObject({ username: BotUsername, display_name: DisplayName }),
    result: z.object({ bot: BotInfo, token: z.string() }),
  },
  listMyBots: { params: Empty, result: z.object({ bots: z.array(BotInfo) }) },
  renameBot: { params: z.strictObject({ bot_id: Id, display_name: DisplayName }), result: z.object({ bot: BotInfo }) },
  /** A new token; the old one stops working at once. */
  revokeBotToken: { params: z.strictObject({ bot_id: Id }), result: z.object({ token: z.string() }) },
  /** Takes effect in groups the bot joins afterwards, as in Telegram. */
  setBotPrivacy: { params: z.strictObject({ bot_id: Id, enabled: z.boolean() }), result: z.object({ bot: BotInfo }) },
  /** The token stops working, the username is freed; the account stays as a deleted bot. */
  deleteBot: { params: z.strictObject({ bot_id: Id }), result: Ok },
  /**
   * Presses an inline button with callback_data under a bot's message: the
   * bot gets a callback_query. Waits a few seconds for the bot's answer; null
   * if it did not answer in time.
   */
  pressCallbackButton: {
    params: z.strictObject({ chat_id: Id, message_id: Id, data: z.string().min(1).max(256) }),
    result: z.object({ answer: CallbackAnswer.nullable() }),
  },
  /**
   * A bot's command menu as a user sees it in a private chat with it, found
   * as Telegram finds it: the list for that chat, for all private chats, then
   * the default list, each in `language_code` (the app's language, an
   * IETF tag's two-letter language) before the list without a language.
   */
  getBotCommands: {
    params: z.strictObject({ bot_id: Id, language_code: z.string().regex(/^[a-z]{2}$/).optional() }),
    result: z.object({ commands: z.array(BotCommand) }),
  },
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
