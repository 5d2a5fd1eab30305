import { z } from 'zod';
import { InviteToken } from './invites.js';
import { Id, Timestamp, User, UserStatus } from './common.js';
import { ChatPhoto } from './media.js';
import { Chat, ChatMember, MemberRole, Message } from './messages.js';
import { Reaction, ReactionCount } from './reactions.js';
import { ForumTopic } from './topics.js';

/**
 * Persistent updates: each is stored in the account's mailbox with a `pts`.
 * A client applies an envelope only when `local_pts + pts_count == pts`.
 */
export const NewMessage = z.object({ type: z.literal('new_message'), message: Message });
export const EditMessage = z.object({ type: z.literal('edit_message'), message: Message });
export const DeleteMessages = z.object({
  type: z.literal('delete_messages'),
  chat_id: Id,
  ids: z.array(Id).min(1),
  /** False when the account deleted them for itself only. */
  for_everyone: z.boolean(),
});
export const ReadHistoryInbox = z.object({
  type: z.literal('read_history_inbox'),
  chat_id: Id,
  /** Messages up to this id were read by this account (on some device). */
  max_id: z.number().int().nonnegative(),
  still_unread_count: z.number().int().nonnegative(),
});
export const ReadHistoryOutbox = z.object({
  type: z.literal('read_history_outbox'),
  chat_id: Id,
  /** The peer (or a group member) read this account's messages up to this id. */
  max_id: z.number().int().nonnegative(),
});
export const ChatUpdated = z.object({
  type: z.literal('chat'),
  /** Created, renamed, or its membership changed. */
  chat: Chat,
});
export const ChatMemberUpdated = z.object({
  type: z.literal('chat_member'),
  chat_id: Id,
  actor_id: Id,
  /** The member after the change; `left` says whether they are gone. */
  member: ChatMember,
  left: z.boolean(),
  /** Their role before the change; null if they were not a member. Absent in updates stored before protocol 2. */
  old_role: z.enum(Object.values(MemberRole) as [MemberRole, ...MemberRole[]]).nullable().optional(),
  /**
   * A join through an invite link: which one. Its secret `token` is only in
   * the copy of the link's own creator (as Telegram shows bots their own
   * links whole and others' cut short).
   */
  invite_link: z.object({ id: Id, creator_id: Id, name: z.string().optional(), token: InviteToken.optional() }).optional(),
});
/**
 * A chat's join requests changed: `user_id` asked to join (pending), or an
 * admin approved or declined that request. Sent to the chat's creator and
 * the admins who may invite (people and bots): a client keeps the chat's
 * pending count from `pending_count`; a bot sees Telegram's chat_join_request
 * for a pending one. An approved requester hears of their join the usual way.
 */
export const ChatJoinRequestUpdate = z.object({
  type: z.literal('chat_join_request'),
  chat_id: Id,
  user_id: Id,
  /** When the request was made. */
  date: Timestamp,
  status: z.enum(['pending', 'approved', 'declined']),
  /** Who approved or declined it. */
  actor_id: Id.optional(),
  /** Requests still waiting after this change. */
  pending_count: z.number().int().nonnegative(),
  /** The link it was made through; its token only in the link creator's copy (as chat_member's). */
  invite_link: z.object({ id: Id, creator_id: Id, name: z.string().optional(), token: InviteToken.optional() }).optional(),
});

/**
 * A user pressed an inline button with callback_data under a bot's message.
 * Only a bot account's log holds these; the bot answers with answerCallbackQuery.
 */
export const CallbackQueryUpdate = z.object({
  type: z.literal('callback_query'),
  /** Unique per press; names the query in answerCallbackQuery. */
  id: z.string(),
  chat_id: Id,
  /** Who pressed the button. */
  from_id: Id,
  /** The message with the button, as the presser saw it. */
  message: Message,
  data: z.string(),
});

/**
 * A member changed their reactions to a message. Every member gets it (bots:
 * see the ChatRoom's reactions.ts for which); a client updates the counts and,
 * when `user_id` is itself, its own choice.
 */
export const MessageReactionsUpdate = z.object({
  type: z.literal('message_reactions'),
  chat_id: Id,
  message_id: Id,
  /** Who changed their reactions. */
  user_id: Id,
  old_reactions: z.array(Reaction),
  new_reactions: z.array(Reaction),
  /** The message's counts after the change, most chosen first. */
  results: z.array(ReactionCount),
});

/** What a service message says happened, in Telegram's terms. */
export const ServiceAction = z.discriminatedUnion('kind', [
  /** The group was created with these members (Telegram's group_chat_created). */
  z.object({ kind: z.literal('group_created'), title: z.string() }),
  z.object({ kind: z.literal('members_added'), user_ids: z.array(Id).min(1) }),
  z.object({ kind: z.literal('member_left'), user_id: Id }),
  z.object({ kind: z.literal('title_changed'), title: z.string() }),
  /** A new chat picture (Telegram's new_chat_photo). */
  z.object({ kind: z.literal('photo_changed'), photo: ChatPhoto }),
  /** The chat's picture was removed (Telegram's delete_chat_photo). */
  z.object({ kind: z.literal('photo_deleted') }),
  z.object({ kind: z.literal('message_pinned'), message_id: Id }),
  /** This basic group became the supergroup `chat_id` (Telegram's migrate_to_chat_id); sent in the old group. */
  z.object({ kind: z.literal('migrated_to'), chat_id: Id }),
  /** This supergroup was the basic group `chat_id` (Telegram's migrate_from_chat_id); sent in the new supergroup. */
  z.object({ kind: z.literal('migrated_from'), chat_id: Id }),
  /** A forum topic was created (Telegram's forum_topic_created); `topic_id` is the message_thread_id its messages carry. */
  z.object({ kind: z.literal('forum_topic_created'), topic_id: Id, name: z.string(), icon_color: z.number().int() }),
  /** A topic was renamed (forum_topic_edited), or General hidden or shown again (general_forum_topic_hidden / _unhidden). */
  z.object({ kind: z.literal('forum_topic_edited'), topic_id: Id, name: z.string().optional(), hidden: z.boolean().optional() }),
  z.object({ kind: z.literal('forum_topic_closed'), topic_id: Id }),
  z.object({ kind: z.literal('forum_topic_reopened'), topic_id: Id }),
]);
export type ServiceAction = z.infer<typeof ServiceAction>;

/**
 * A service message, for bots only: Telegram tells bots of joins, departures,
 * new titles, pins and a group's migration with a message carrying
 * new_chat_members, left_chat_member, new_chat_title, pinned_message or
 * migrate_to_chat_id / migrate_from_chat_id. People's clients learn
 * the same from `chat` and `chat_member`, so only bot members are sent these.
 */
export const ServiceUpdate = z.object({
  type: z.literal('service'),
  chat_id: Id,
  actor_id: Id,
  action: ServiceAction,
});

/**
 * A message of a large chat (supergroup) that mentions this account (a
 * `text_mention` or an @username of it) or replies to one of its messages.
 * Large chats' messages are not in the account's stream, so this is how a
 * mention reaches it: counted on the dialog (Dialog.unread_mentions_count)
 * until read past, and fetched with getMessages.
 */
export const MentionUpdate = z.object({ type: z.literal('mention'), chat_id: Id, message_id: Id });

/**
 * A forum's topic was created, changed or deleted: logged once for everyone
 * in the supergroup (forums are supergroups). A client replaces its copy of
 * the topic, or with `deleted` drops it and every message carrying its
 * message_thread_id (the topic's messages are deleted with it, without a
 * delete_messages listing them all).
 */
export const ForumTopicUpdate = z.object({
  type: z.literal('forum_topic'),
  chat_id: Id,
  topic: ForumTopic,
  deleted: z.literal(true).optional(),
});

export const Update = z.discriminatedUnion('type', [
  NewMessage,
  EditMessage,
  DeleteMessages,
  ReadHistoryInbox,
  ReadHistoryOutbox,
  ChatUpdated,
  ChatMemberUpdated,
  CallbackQueryUpdate,
  MessageReactionsUpdate,
  ServiceUpdate,
  MentionUpdate,
  ChatJoinRequestUpdate,
  ForumTopicUpdate,
]);
export type Update = z.infer<typeof Update>;
export type UpdateType = Update['type'];

export const UpdateEnvelope = z.object({
  pts: z.number().int().positive(),
  pts_count: z.number().int().positive(),
  date: Timestamp,
  update: Update,
});
export type UpdateEnvelope = z.infer<typeof UpdateEnvelope>;

/** Deleting n messages advances pts by n, as in Telegram; every other update by one. */
export function ptsCountOf(update: Update): number {
  return update.type === 'delete_messages' ? update.ids.length : 1;
}

/** The account's sync position. */
export const SyncState = z.object({ pts: z.number().int().nonnegative(), date: Timestamp });
export type SyncState = z.infer<typeof SyncState>;

/**
 * Ephemeral events are pushed to online devices and never stored: missing
 * one loses nothing a client must keep.
 */
export const TypingAction = { typing: 'typing', cancel: 'cancel' } as const;
export const TypingEvent = z.object({
  type: z.literal('typing'),
  chat_id: Id,
  user_id: Id,
  action: z.enum(['typing', 'cancel']),
});
export const StatusEvent = z.object({ type: z.literal('user_status'), status: UserStatus });
/**
 * A user changed their profile (name, username, bio): sent to their own
 * devices and to online people who share a chat with them. Missing it is
 * harmless: getUsers and getDialogs always answer with current profiles.
 */
export const UserEvent = z.object({ type: z.literal('user'), user: User });
/**
 * One of this account's private chats became a message request (someone its
 * "messages" rule leaves out wrote first) or stopped being one (accepted,
 * or answered): to its own devices. Missed, the next getDialogs says the same.
 */
export const MessageRequestEvent = z.object({ type: z.literal('message_request'), chat_id: Id, is_request: z.boolean() });
export const EphemeralEvent = z.discriminatedUnion('type', [TypingEvent, StatusEvent, UserEvent, MessageRequestEvent]);
export type EphemeralEvent = z.infer<typeof EphemeralEvent>;
