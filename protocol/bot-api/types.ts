/**
 * The Telegram Bot API objects Edgegram answers with, with Telegram's field
 * names (https://core.telegram.org/bots/api#available-types): only the fields
 * Edgegram fills. This is Telegram's contract, versioned by Telegram, so it is
 * not part of the Edgegram wire protocol hashed by protocol/version.ts.
 */

export type BotApiUser = {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
};

/** getMe's answer: the bot itself, with its capabilities. */
export type BotApiMe = BotApiUser & {
  can_join_groups: boolean;
  can_read_all_group_messages: boolean;
  supports_inline_queries: boolean;
  can_connect_to_business: boolean;
  has_main_web_app: boolean;
};

export type BotApiChatType = 'private' | 'group' | 'supergroup' | 'channel';

export type BotApiChat = {
  /** A private chat is named by the other user's id; a group by its negated chat id; a supergroup or channel by -100<id>. */
  id: number;
  type: BotApiChatType;
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
  /** Supergroups with topics. */
  is_forum?: true;
};

/** getChat's answer (Bot API 7.3+). */
export type BotApiChatFullInfo = BotApiChat & {
  accent_color_id: number;
  max_reaction_count: number;
  active_usernames?: string[];
  /** A private chat's other user's bio. */
  bio?: string;
  /** A group's, supergroup's or channel's description. */
  description?: string;
  /** A group's, supergroup's or channel's picture. */
  photo?: BotApiChatPhoto;
  permissions?: BotApiChatPermissions;
  /** Seconds between one member's messages in a group with slow mode. */
  slow_mode_delay?: number;
  pinned_message?: BotApiMessage;
  /** A public chat where joining makes a request admins approve. */
  join_by_request?: boolean;
  /** A channel's discussion group, or the channel a supergroup discusses. */
  linked_chat_id?: number;
};

export type BotApiChatPermissions = {
  can_send_messages: boolean;
  can_send_audios: boolean;
  can_send_documents: boolean;
  can_send_photos: boolean;
  can_send_videos: boolean;
  can_send_video_notes: boolean;
  can_send_voice_notes: boolean;
  can_send_polls: boolean;
  can_send_other_messages: boolean;
  can_add_web_page_previews: boolean;
  can_change_info: boolean;
  can_invite_users: boolean;
  can_pin_messages: boolean;
  can_manage_topics: boolean;
};

export type BotApiMessageEntity = {
  type:
    | 'mention'
    | 'hashtag'
    | 'cashtag'
    | 'bot_command'
    | 'url'
    | 'email'
    | 'phone_number'
    | 'bold'
    | 'italic'
    | 'underline'
    | 'strikethrough'
    | 'spoiler'
    | 'blockquote'
    | 'expandable_blockquote'
    | 'code'
    | 'pre'
    | 'text_link'
    | 'text_mention'
    | 'custom_emoji';
  offset: number;
  length: number;
  url?: string;
  user?: BotApiUser;
  language?: string;
};

export type BotApiMessageOrigin =
  | { type: 'user'; date: number; sender_user: BotApiUser }
  /** A person whose forwards privacy keeps their account unlinked: their name alone. */
  | { type: 'hidden_user'; date: number; sender_user_name: string }
  /** A channel's post: the channel, the post's id there and its signature, if signed. */
  | { type: 'channel'; date: number; chat: BotApiChat; message_id: number; author_signature?: string };

export type BotApiInlineKeyboardMarkup = {
  inline_keyboard: { text: string; callback_data?: string; url?: string }[][];
};

export type BotApiMessage = {
  message_id: number;
  from?: BotApiUser;
  /** Channel posts: the channel, their sender (they have no `from`, as in Telegram). */
  sender_chat?: BotApiChat;
  /** Posts of a channel that signs them: the author's name. */
  author_signature?: string;
  date: number;
  chat: BotApiChat;
  forward_origin?: BotApiMessageOrigin;
  /** A discussion group's automatic forward of a post of its linked channel. */
  is_automatic_forward?: true;
  reply_to_message?: BotApiMessage;
  edit_date?: number;
  text?: string;
  entities?: BotApiMessageEntity[];
  caption?: string;
  caption_entities?: BotApiMessageEntity[];
  /** Only inline keyboards are shown back to bots, as in Telegram. */
  reply_markup?: BotApiInlineKeyboardMarkup;
  media_group_id?: string;
  photo?: BotApiPhotoSize[];
  video?: BotApiMediaFile & { width: number; height: number; duration: number };
  animation?: BotApiMediaFile & { width: number; height: number; duration: number };
  audio?: BotApiMediaFile & { duration: number };
  voice?: BotApiMediaFile & { duration: number };
  document?: BotApiMediaFile;
  /** Service messages (message_id 0 in Edgegram: see services/bot-api/translate/service.ts). */
  new_chat_members?: BotApiUser[];
  left_chat_member?: BotApiUser;
  new_chat_title?: string;
  /** The chat's new picture, its sizes smallest first. */
  new_chat_photo?: BotApiPhotoSize[];
  delete_chat_photo?: true;
  pinned_message?: BotApiMessage;
  group_chat_created?: true;
  supergroup_chat_created?: true;
  channel_chat_created?: true;
  /** In the old group: the supergroup it became (-100 form). */
  migrate_to_chat_id?: number;
  /** In the new supergroup: the basic group it was (negative id). */
  migrate_from_chat_id?: number;
  /** Forums: the topic the message is in; absent in General, as in Telegram. */
  message_thread_id?: number;
  /** True on a message in a forum topic (not General). */
  is_topic_message?: true;
  forum_topic_created?: BotApiForumTopicCreated;
  forum_topic_edited?: { name?: string; icon_custom_emoji_id?: string };
  forum_topic_closed?: Record<string, never>;
  forum_topic_reopened?: Record<string, never>;
  general_forum_topic_hidden?: Record<string, never>;
  general_forum_topic_unhidden?: Record<string, never>;
};

export type BotApiForumTopicCreated = { name: string; icon_color: number; icon_custom_emoji_id?: string };

/** Telegram's ForumTopic, as createForumTopic answers it. */
export type BotApiForumTopic = BotApiForumTopicCreated & { message_thread_id: number };

export type BotApiFile = { file_id: string; file_unique_id: string; file_size?: number; file_path?: string };
export type BotApiPhotoSize = BotApiFile & { width: number; height: number };
/** Telegram's ChatPhoto: its two sizes by file id (getFile downloads them while the photo is the chat's). */
export type BotApiChatPhoto = { small_file_id: string; small_file_unique_id: string; big_file_id: string; big_file_unique_id: string };
export type BotApiMediaFile = BotApiFile & { mime_type?: string; file_name?: string };

export type BotApiMessageId = { message_id: number };

export type BotApiChatMember =
  | { status: 'creator'; user: BotApiUser; is_anonymous: boolean; custom_title?: string }
  | ({ status: 'administrator'; user: BotApiUser } & BotApiAdminRights)
  | { status: 'member'; user: BotApiUser }
  | ({ status: 'restricted'; user: BotApiUser; is_member: boolean; until_date: number } & BotApiChatPermissions)
  | { status: 'left'; user: BotApiUser }
  | { status: 'kicked'; user: BotApiUser; until_date: number };

export type BotApiAdminRights = {
  can_be_edited: boolean;
  is_anonymous: boolean;
  can_manage_chat: boolean;
  can_delete_messages: boolean;
  can_manage_video_chats: boolean;
  can_restrict_members: boolean;
  can_promote_members: boolean;
  can_change_info: boolean;
  can_invite_users: boolean;
  can_post_stories: boolean;
  can_edit_stories: boolean;
  can_delete_stories: boolean;
  can_pin_messages: boolean;
  can_manage_topics: boolean;
  /** Channels only. */
  can_post_messages?: boolean;
  /** Channels only. */
  can_edit_messages?: boolean;
  custom_title?: string;
};

export type BotApiChatInviteLink = {
  invite_link: string;
  creator: BotApiUser;
  creates_join_request: boolean;
  pending_join_request_count?: number;
  is_primary: boolean;
  is_revoked: boolean;
  name?: string;
  expire_date?: number;
  member_limit?: number;
};

export type BotApiChatMemberUpdated = {
  chat: BotApiChat;
  from: BotApiUser;
  date: number;
  old_chat_member: BotApiChatMember;
  new_chat_member: BotApiChatMember;
  /** A join through an invite link: the link. */
  invite_link?: BotApiChatInviteLink;
};

export type BotApiCallbackQuery = {
  id: string;
  from: BotApiUser;
  message?: BotApiMessage;
  chat_instance: string;
  data?: string;
};

/** Telegram's ReactionType; Edgegram has only emoji reactions. */
export type BotApiReactionType = { type: 'emoji'; emoji: string };

export type BotApiMessageReactionUpdated = {
  chat: BotApiChat;
  message_id: number;
  user: BotApiUser;
  date: number;
  old_reaction: BotApiReactionType[];
  new_reaction: BotApiReactionType[];
};

export type BotApiUpdate = {
  update_id: number;
  message?: BotApiMessage;
  edited_message?: BotApiMessage;
  channel_post?: BotApiMessage;
  edited_channel_post?: BotApiMessage;
  callback_query?: BotApiCallbackQuery;
  my_chat_member?: BotApiChatMemberUpdated;
  chat_member?: BotApiChatMemberUpdated;
  message_reaction?: BotApiMessageReactionUpdated;
  chat_join_request?: BotApiChatJoinRequest;
};

/** Someone asked to join a chat the bot may approve joins for (Telegram's ChatJoinRequest). */
export type BotApiChatJoinRequest = {
  chat: BotApiChat;
  from: BotApiUser;
  /** The private chat with the requester the bot may write to for 5 minutes (Telegram): the user's id. */
  user_chat_id: number;
  date: number;
  bio?: string;
  invite_link?: BotApiChatInviteLink;
};

export type BotApiWebhookInfo = {
  url: string;
  has_custom_certificate: boolean;
  pending_update_count: number;
  last_error_date?: number;
  last_error_message?: string;
  max_connections?: number;
  allowed_updates?: string[];
};

export type BotApiCommand = { command: string; description: string };

/** The response envelope. */
export type BotApiResponse<T> =
  | { ok: true; result: T; description?: string }
  | { ok: false; error_code: number; description: string; parameters?: BotApiResponseParameters };

/** Telegram's ResponseParameters: why a call failed, in a form a library acts on. */
export type BotApiResponseParameters = {
  /** Flood control: seconds to wait. */
  retry_after?: number;
  /** The group became this supergroup (-100 form): repeat the call there. */
  migrate_to_chat_id?: number;
};
