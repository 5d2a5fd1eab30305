import { z } from 'zod';

/**
 * Parameters of the Bot API methods Edgegram implements, with Telegram's
 * names. Values arrive as JSON (typed) or as strings (query string,
 * urlencoded or multipart form), so scalars are coerced from strings and
 * structured fields (reply_markup, entities, …) are parsed from JSON strings,
 * as Telegram does. Unknown parameters are ignored, as Telegram does.
 */

/** "123" → 123; anything else is left for the schema to refuse. */
export const BotInt = z.preprocess(
  (v) => (typeof v === 'string' && /^\s*-?\d{1,16}\s*$/.test(v) ? Number(v) : v),
  z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
);

/** "true"/"1" → true, "false"/"0"/"" → false. */
export const BotBool = z.preprocess((v) => {
  if (v === 'true' || v === '1' || v === 'True') return true;
  if (v === 'false' || v === '0' || v === '' || v === 'False') return false;
  return v;
}, z.boolean());

/** Numbers are accepted where Telegram says String (frameworks send ids as numbers). */
export const BotString = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string());

/** A JSON-serialized object or array: parsed if it came as a string. */
export function botJson<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return v; // the schema refuses it
    }
  }, schema);
}

/** Integer id, or "@username". */
export const BotChatId = z.union([BotInt, z.string().regex(/^@[A-Za-z0-9_]{1,32}$/)]);
export type BotChatId = z.infer<typeof BotChatId>;

export const ParseMode = z.enum(['HTML', 'MarkdownV2', 'Markdown', 'html', 'markdownv2', 'markdown']);
export type ParseMode = z.infer<typeof ParseMode>;

/** A MessageEntity as a bot sends it. */
export const BotEntityInput = z.object({
  type: z.string(),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  url: z.string().optional(),
  user: z.object({ id: z.number().int() }).passthrough().optional(),
  language: z.string().optional(),
});
export type BotEntityInput = z.infer<typeof BotEntityInput>;
const BotEntities = botJson(z.array(BotEntityInput).max(100));

export const ReplyParameters = z.object({
  message_id: BotInt,
  chat_id: BotChatId.optional(),
  allow_sending_without_reply: BotBool.optional(),
});

/** Checked in depth by the handler, which answers Telegram's own description for a malformed keyboard. */
const ReplyMarkupInput = botJson(z.record(z.string(), z.unknown()));

/** Accepted for compatibility and ignored: notifications, protection, effects; message_thread_id names a forum's topic. */
const sendExtras = {
  disable_notification: BotBool.optional(),
  protect_content: BotBool.optional(),
  message_thread_id: BotInt.optional(),
  business_connection_id: BotString.optional(),
  message_effect_id: BotString.optional(),
  allow_paid_broadcast: BotBool.optional(),
};

const replyFields = {
  reply_parameters: botJson(ReplyParameters).optional(),
  reply_to_message_id: BotInt.optional(),
  allow_sending_without_reply: BotBool.optional(),
  reply_markup: ReplyMarkupInput.optional(),
};

const CommandScope = botJson(
  z
    .object({
      type: z.enum([
        'default',
        'all_private_chats',
        'all_group_chats',
        'all_chat_administrators',
        'chat',
        'chat_administrators',
        'chat_member',
      ]),
      chat_id: BotChatId.optional(),
      user_id: BotInt.optional(),
    })
    .passthrough(),
);

export const AllowedUpdates = botJson(z.array(z.string()).max(32));

const Empty = z.object({});

/**
 * A file the Worker stored from a multipart upload before the call ran. The
 * symbol key cannot come from JSON or a form, so a client cannot forge one.
 */
export const UPLOADED = Symbol('uploaded');
export type UploadedFile = { [UPLOADED]: { id: string; size: number; mime_type: string; file_name: string | null } };
export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && UPLOADED in value;
}

/** Telegram's InputFile or String: an uploaded file, a file_id, or an HTTP URL (which Edgegram refuses). */
export const InputFileParam = z.union([BotString, z.custom<UploadedFile>(isUploadedFile)]);
export type InputFileParam = z.infer<typeof InputFileParam>;

const captionFields = {
  caption: BotString.optional(),
  parse_mode: ParseMode.optional(),
  caption_entities: BotEntities.optional(),
  show_caption_above_media: BotBool.optional(),
  has_spoiler: BotBool.optional(),
};
const dimensions = { width: BotInt.optional(), height: BotInt.optional(), duration: BotInt.optional() };
const mediaSend = { chat_id: BotChatId, thumbnail: InputFileParam.optional(), ...captionFields, ...replyFields, ...sendExtras };

/** One item of sendMediaGroup's `media` (Telegram's InputMedia*). */
export const InputMediaItem = z.object({
  type: z.enum(['photo', 'video', 'document', 'audio']),
  media: InputFileParam,
  thumbnail: InputFileParam.optional(),
  caption: BotString.optional(),
  parse_mode: ParseMode.optional(),
  caption_entities: z.array(BotEntityInput).max(100).optional(),
  width: BotInt.optional(),
  height: BotInt.optional(),
  duration: BotInt.optional(),
});

export const botParams = {
  getMe: Empty,
  logOut: Empty,
  close: Empty,
  getUpdates: z.object({
    offset: BotInt.optional(),
    limit: BotInt.optional(),
    timeout: BotInt.optional(),
    allowed_updates: AllowedUpdates.optional(),
  }),
  setWebhook: z.object({
    url: BotString,
    max_connections: BotInt.optional(),
    allowed_updates: AllowedUpdates.optional(),
    drop_pending_updates: BotBool.optional(),
    secret_token: BotString.optional(),
    ip_address: BotString.optional(),
    certificate: z.unknown().optional(),
  }),
  deleteWebhook: z.object({ drop_pending_updates: BotBool.optional() }),
  getWebhookInfo: Empty,
  sendMessage: z.object({
    chat_id: BotChatId,
    text: BotString,
    parse_mode: ParseMode.optional(),
    entities: BotEntities.optional(),
    link_preview_options: botJson(z.record(z.string(), z.unknown())).optional(),
    disable_web_page_preview: BotBool.optional(),
    ...replyFields,
    ...sendExtras,
  }),
  forwardMessage: z.object({
    chat_id: BotChatId,
    from_chat_id: BotChatId,
    message_id: BotInt,
    ...sendExtras,
  }),
  copyMessage: z.object({
    chat_id: BotChatId,
    from_chat_id: BotChatId,
    message_id: BotInt,
    caption: BotString.optional(),
    parse_mode: ParseMode.optional(),
    caption_entities: BotEntities.optional(),
    ...replyFields,
    ...sendExtras,
  }),
  editMessageText: z.object({
    chat_id: BotChatId.optional(),
    message_id: BotInt.optional(),
    inline_message_id: BotString.optional(),
    text: BotString,
    parse_mode: ParseMode.optional(),
    entities: BotEntities.optional(),
    link_preview_options: botJson(z.record(z.string(), z.unknown())).optional(),
    disable_web_page_preview: BotBool.optional(),
    reply_markup: ReplyMarkupInput.optional(),
  }),
  editMessageReplyMarkup: z.object({
    chat_id: BotChatId.optional(),
    message_id: BotInt.optional(),
    inline_message_id: BotString.optional(),
    reply_markup: ReplyMarkupInput.optional(),
  }),
  deleteMessage: z.object({ chat_id: BotChatId, message_id: BotInt }),
  deleteMessages: z.object({ chat_id: BotChatId, message_ids: botJson(z.array(BotInt).min(1).max(100)) }),
  sendChatAction: z.object({ chat_id: BotChatId, action: BotString, message_thread_id: BotInt.optional() }),
  answerCallbackQuery: z.object({
    callback_query_id: BotString,
    text: BotString.optional(),
    show_alert: BotBool.optional(),
    url: BotString.optional(),
    cache_time: BotInt.optional(),
  }),
  setMyCommands: z.object({
    commands: botJson(z.array(z.object({ command: BotString, description: BotString })).max(100)),
    scope: CommandScope.optional(),
    language_code: BotString.optional(),
  }),
  getMyCommands: z.object({ scope: CommandScope.optional(), language_code: BotString.optional() }),
  deleteMyCommands: z.object({ scope: CommandScope.optional(), language_code: BotString.optional() }),
  getChat: z.object({ chat_id: BotChatId }),
  getChatAdministrators: z.object({ chat_id: BotChatId }),
  getChatMemberCount: z.object({ chat_id: BotChatId }),
  getChatMember: z.object({ chat_id: BotChatId, user_id: BotInt }),
  leaveChat: z.object({ chat_id: BotChatId }),
  sendPhoto: z.object({ photo: InputFileParam, ...mediaSend, ...dimensions }),
  sendDocument: z.object({ document: InputFileParam, disable_content_type_detection: BotBool.optional(), ...mediaSend }),
  sendVideo: z.object({ video: InputFileParam, supports_streaming: BotBool.optional(), ...mediaSend, ...dimensions }),
  sendAnimation: z.object({ animation: InputFileParam, ...mediaSend, ...dimensions }),
  sendAudio: z.object({ audio: InputFileParam, performer: BotString.optional(), title: BotString.optional(), ...mediaSend, ...dimensions }),
  sendVoice: z.object({ voice: InputFileParam, ...mediaSend, ...dimensions }),
  sendMediaGroup: z.object({
    chat_id: BotChatId,
    media: botJson(z.array(InputMediaItem).min(2).max(10)),
    ...replyFields,
    ...sendExtras,
  }),
  getFile: z.object({ file_id: BotString }),
  getUserProfilePhotos: z.object({ user_id: BotInt, offset: BotInt.optional(), limit: BotInt.optional() }),
  banChatMember: z.object({ chat_id: BotChatId, user_id: BotInt, until_date: BotInt.optional(), revoke_messages: BotBool.optional() }),
  unbanChatMember: z.object({ chat_id: BotChatId, user_id: BotInt, only_if_banned: BotBool.optional() }),
  restrictChatMember: z.object({
    chat_id: BotChatId,
    user_id: BotInt,
    permissions: botJson(z.record(z.string(), z.unknown())),
    use_independent_chat_permissions: BotBool.optional(),
    until_date: BotInt.optional(),
  }),
  setChatPermissions: z.object({
    chat_id: BotChatId,
    permissions: botJson(z.record(z.string(), z.unknown())),
    use_independent_chat_permissions: BotBool.optional(),
  }),
  promoteChatMember: z.object({
    chat_id: BotChatId,
    user_id: BotInt,
    is_anonymous: BotBool.optional(),
    can_manage_chat: BotBool.optional(),
    can_delete_messages: BotBool.optional(),
    can_manage_video_chats: BotBool.optional(),
    can_restrict_members: BotBool.optional(),
    can_promote_members: BotBool.optional(),
    can_change_info: BotBool.optional(),
    can_invite_users: BotBool.optional(),
    can_post_stories: BotBool.optional(),
    can_edit_stories: BotBool.optional(),
    can_delete_stories: BotBool.optional(),
    can_post_messages: BotBool.optional(),
    can_edit_messages: BotBool.optional(),
    can_pin_messages: BotBool.optional(),
    can_manage_topics: BotBool.optional(),
  }),
  exportChatInviteLink: z.object({ chat_id: BotChatId }),
  createChatInviteLink: z.object({
    chat_id: BotChatId,
    name: BotString.optional(),
    expire_date: BotInt.optional(),
    member_limit: BotInt.optional(),
    creates_join_request: BotBool.optional(),
  }),
  editChatInviteLink: z.object({
    chat_id: BotChatId,
    invite_link: BotString,
    name: BotString.optional(),
    expire_date: BotInt.optional(),
    member_limit: BotInt.optional(),
    creates_join_request: BotBool.optional(),
  }),
  revokeChatInviteLink: z.object({ chat_id: BotChatId, invite_link: BotString }),
  approveChatJoinRequest: z.object({ chat_id: BotChatId, user_id: BotInt }),
  declineChatJoinRequest: z.object({ chat_id: BotChatId, user_id: BotInt }),
  setChatTitle: z.object({ chat_id: BotChatId, title: BotString }),
  setChatDescription: z.object({ chat_id: BotChatId, description: BotString.optional() }),
  // Optional here so that a missing photo gets Telegram's own words (see methods/chat-photos.ts).
  setChatPhoto: z.object({ chat_id: BotChatId, photo: InputFileParam.optional() }),
  deleteChatPhoto: z.object({ chat_id: BotChatId }),
  setChatAdministratorCustomTitle: z.object({ chat_id: BotChatId, user_id: BotInt, custom_title: BotString }),
  pinChatMessage: z.object({ chat_id: BotChatId, message_id: BotInt, disable_notification: BotBool.optional(), business_connection_id: BotString.optional() }),
  unpinChatMessage: z.object({ chat_id: BotChatId, message_id: BotInt.optional(), business_connection_id: BotString.optional() }),
  unpinAllChatMessages: z.object({ chat_id: BotChatId }),
  createForumTopic: z.object({ chat_id: BotChatId, name: BotString, icon_color: BotInt.optional(), icon_custom_emoji_id: BotString.optional() }),
  editForumTopic: z.object({ chat_id: BotChatId, message_thread_id: BotInt, name: BotString.optional(), icon_custom_emoji_id: BotString.optional() }),
  closeForumTopic: z.object({ chat_id: BotChatId, message_thread_id: BotInt }),
  reopenForumTopic: z.object({ chat_id: BotChatId, message_thread_id: BotInt }),
  deleteForumTopic: z.object({ chat_id: BotChatId, message_thread_id: BotInt }),
  unpinAllForumTopicMessages: z.object({ chat_id: BotChatId, message_thread_id: BotInt }),
  editGeneralForumTopic: z.object({ chat_id: BotChatId, name: BotString }),
  closeGeneralForumTopic: z.object({ chat_id: BotChatId }),
  reopenGeneralForumTopic: z.object({ chat_id: BotChatId }),
  hideGeneralForumTopic: z.object({ chat_id: BotChatId }),
  unhideGeneralForumTopic: z.object({ chat_id: BotChatId }),
  unpinAllGeneralForumTopicMessages: z.object({ chat_id: BotChatId }),
  getForumTopicIconStickers: Empty,
  setMessageReaction: z.object({
    chat_id: BotChatId,
    message_id: BotInt,
    reaction: botJson(z.array(z.record(z.string(), z.unknown())).max(100)).optional(),
    is_big: BotBool.optional(),
  }),
} as const;

export type BotMethodName = keyof typeof botParams;
export type BotParams<M extends BotMethodName> = z.infer<(typeof botParams)[M]>;
