/**
 * The wire protocol version. `test/unit/protocol/version.test.ts` hashes every
 * schema; when the hash changes, bump this, record the new hash and add a line
 * to the history below.
 *
 * History:
 * 1 — accounts, sessions, connect tickets, messaging methods, updates, frames.
 * 2 — bots: Message.reply_markup (keyboards), the callback_query update, chat_member.old_role,
 *     createBot/listMyBots/renameBot/revokeBotToken/setBotPrivacy/deleteBot/pressCallbackButton
 *     (the hash also covers the media schemas in the tree at the time: Message.media, sendMedia, …).
 * 3 — media: Message.media (MessageMedia, default null), sendMedia/sendAlbum/getFileUrl, FileInfo,
 *     FileUrl, upload bodies (CreateUploadBody, UploadInfo, UploadStatus, UploadPartResult), the
 *     FILE_*, UPLOAD_*, MEDIA_INVALID and RANGE_NOT_SATISFIABLE error codes.
 *     (3's hash also covers Chat.pinned_message_id, from the bots' pins, in the tree at the time.)
 * 4 — reactions and restricted members: Message.reactions, the message_reactions update, sendReaction
 *     (protocol/reactions.ts); ChatMember.restriction, restrictChatMember.
 * 5 — connect tickets are signed rather than stored: ConnectQuery.ticket up to 512 characters.
 * 6 — the `service` update (ServiceAction): bots' service messages (joins, departures, titles, pins).
 * 7 — getBotCommands (BotCommand): a bot's command menu, for clients' "/" button.
 * 8 — pinMessage, unpinMessage: users pin (bots could already, through the Bot API).
 * 9 — getBotCommands.language_code: a bot's menu in the app's language (Telegram's lookup order).
 * 10 — invite links (protocol/invites.ts: createChatInviteLink, getChatInviteLinks,
 *     revokeChatInviteLink, checkChatInviteLink, joinChatByInviteLink; INVITE_INVALID) and
 *     profiles (updateProfile, User.about, the `user` event).
 * 11 — channels: ChatKind `channel`, Chat.member_count, Message.views, ChatInvitePreview.kind, createChannel,
 *     getMessagesViews.
 * 12 — message search: searchMessages (one chat), searchGlobal (the recent chats), MAX_SEARCH_QUERY.
 * 13 — threads: Message.thread_id (replies), Message.replies (thread roots), getHistory.thread_id.
 * 14 — names shown to others (display names, bios, chat titles, device names, createChatInviteLink's
 *     name, file names) refuse control, bidi-override and zero-width characters and blank-looking
 *     text (common.ts shownText); account-API params are strict (an unknown parameter, e.g. ttl_period or
 *     schedule_date, is BAD_REQUEST, not dropped); a signed file link's exp has one spelling (no leading 0).
 * 15 — large chats: ChatKind `supergroup`, Chat.pts / migrated_to / migrated_from, the `channel_updates`
 *     frame, createSupergroup, migrateChat, getChannelDifference, getChatMembers, getChatOnlineCount, CHAT_MIGRATED
 *     (ErrorBody.migrated_to).
 * 16 — mentions in large chats: the `mention` update, Dialog.unread_mentions_count.
 * 17 — bots in large chats: ServiceAction `migrated_to` and `migrated_from` (Telegram's migrate_to_chat_id /
 *     migrate_from_chat_id service messages for a basic group's bots).
 * 18 — anonymous channel posts: Message.sender_id null on channel posts, Message.post_author, Chat.signatures,
 *     createChannel.signatures, toggleSignatures; ForwardOrigin.sender_id null for a channel's posts, with
 *     ForwardOrigin.chat_title and post_author.
 * 19 — admin rights and member permissions: AdminRights, ChatMember.rights / title / promoted_by, ChatPermissions,
 *     Chat.permissions and slow_mode_seconds, MemberRestriction's further permissions, editChatAdmin,
 *     setChatAdminTitle, transferChatOwnership, banChatMember, unbanChatMember, setChatPermissions, setChatSlowMode,
 *     restrictChatMember's further permissions, the SLOW_MODE_WAIT error code.
 * 20 — several pinned messages: Chat.pinned_message_ids (MAX_PINNED_SHOWN), unpinMessage.message_id, unpinAllMessages.
 * 21 — chat descriptions: Chat.description, editChatDescription (ChatDescription: 255 characters, lines allowed).
 * 22 — primary invite links: ChatInviteLink.is_primary (the Bot API's exportChatInviteLink).
 * 23 — recent actions: getAdminLog, AdminLogEntry, AdminAction, AdminLogDetails (protocol/admin-log.ts).
 * 24 — chat_member.invite_link: the link a member joined through (its token in the link creator's copy only).
 * 25 — public chats and join requests: Chat.username and join_by_request, setChatUsername, setChatJoinByRequest,
 *     joinChat, resolveUsername answering `user` or `chat` (PublicChat), joinChatByInviteLink answering `chat` or
 *     `join_request`, createChatInviteLink.creates_join_request, ChatInviteLink.creates_join_request and
 *     pending_join_request_count, ChatInvitePreview.request_needed and description, getChatJoinRequests,
 *     approveChatJoinRequest, declineChatJoinRequest, the chat_join_request update, four admin log actions.
 * 26 — chat photos: Chat.photo (ChatPhoto: big and small files, dimensions, date), setChatPhoto (InputChatPhoto),
 *     deleteChatPhoto, getChatPhotoUrl, AdminAction photo_changed / photo_deleted, ServiceAction photo_changed / photo_deleted.
 * 27 — anonymous admins: Message.sender_chat_id (an is_anonymous admin's message in a group is the group's: sender_id
 *     null, its custom title in post_author).
 * 28 — forum topics (protocol/topics.ts): Chat.is_forum, Message.message_thread_id / is_topic_message, toggleForum,
 *     createForumTopic, editForumTopic, closeForumTopic, reopenForumTopic, deleteForumTopic, getForumTopics,
 *     message_thread_id on sendMessage / sendMedia / sendAlbum / getHistory / readHistory, the forum_topic update,
 *     the forum_topic_* service actions, the TOPIC_CLOSED, TOPIC_NOT_FOUND and CHAT_NOT_FORUM error codes, and the
 *     forum_toggled / topic_* admin log actions (AdminLogDetails.topic_id, hidden).
 * 29 — contacts and blocking (protocol/contacts.ts): addContact, deleteContacts, getContacts, blockUser, unblockUser,
 *     getBlockedUsers; the USER_BLOCKED and YOU_BLOCKED_USER error codes.
 * 30 — privacy settings (protocol/privacy.ts): getPrivacy, setPrivacy (last_seen, bio, group_invites: everybody /
 *     contacts / nobody with always- and never-allowed people); the USER_PRIVACY_RESTRICTED error code.
 * 31 — channel comments: Chat.linked_chat_id, Message.is_automatic_forward, Message.comments (also in getMessagesViews),
 *     setDiscussionGroup, getDiscussionMessage, getDiscussionReplies, joinDiscussionGroup.
 * 32 — password and two-step verification: changePassword, getTwoFactorStatus, enableTwoFactor, confirmTwoFactor,
 *     disableTwoFactor; the SECOND_FACTOR_REQUIRED (with ErrorBody.login_token) and LOGIN_TOKEN_INVALID error codes.
 * 33 — enableTwoFactor takes the password.
 * 34 — privacy, second part: profile photos (protocol/profile-photos.ts: User.photo, setProfilePhoto,
 *     deleteProfilePhotos, getUserPhotos, getUserPhotoUrl); the profile_photo, forwards, messages and calls privacy
 *     keys; ForwardOrigin.sender_name; message requests (Dialog.is_request, acceptMessageRequest, the
 *     message_request event); missing_invitees on createGroup / createChannel / createSupergroup.
 * 35 — passkeys and QR login: getPasskeys, deletePasskey, checkLoginToken, acceptLoginToken (protocol/sign-in-methods.ts),
 *     the passkey and QR login HTTP bodies (protocol/http/passkeys.ts, qr-login.ts), the LOGIN_TOKEN_EXPIRED and
 *     PASSKEY_INVALID error codes.
 * 36 — searchPeople (contacts by saved name, name word or username; others by username prefix).
 * 37 — account deletion, data export and reports (protocol/account-lifecycle.ts): deleteAccount,
 *     cancelAccountDeletion, getAccountDeletion (AccountDeletion), User.deleted; requestDataExport,
 *     getDataExport (DataExport), the EXPORT_LINK_EXPIRED and EXPORT_LINK_INVALID error codes, the download
 *     link's ExportIdParam and ExportUrlQuery; reportMessages, reportChat, reportUser (ReportReason).
 */
export const PROTOCOL_VERSION = 37;
export const PROTOCOL_SCHEMA_HASH = '9fa240a71f2da59a619d9e5ea312746a281cd5b6c0de4849bc11abb0132d78fa';
