import { z } from 'zod';
import { Id, User, UserStatus, Username } from './common.js';
import {
  Chat,
  ChatMember,
  ChatTitle,
  Dialog,
  Entities,
  MAX_GROUP_MEMBERS,
  Message,
  RandomId,
} from './messages.js';
import { SyncState, UpdateEnvelope } from './updates.js';

/**
 * The account API: every method is callable over the WebSocket
 * (`{t:"call", id, method, params}`) and over HTTP (`POST /v1/call/<method>`).
 * One params schema and one result schema per method.
 */

/** A private chat is addressed by the other user; any chat by its id. */
export const Peer = z.union([z.object({ chat_id: Id }).strict(), z.object({ user_id: Id }).strict()]);
export type Peer = z.infer<typeof Peer>;

/** Text length is checked by the handler so it can answer MESSAGE_TOO_LONG. */
const MessageText = z.string().max(65536);

export const DIFFERENCE_PAGE_LIMIT = 1000;
export const HISTORY_PAGE_LIMIT = 100;

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

export const methods = {
  getState: { params: Empty, result: SyncState },
  getDifference: {
    params: z.object({
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
  getDialogs: {
    params: z.object({
      /** Page boundary: dialogs strictly older than this activity date (and chat id). */
      offset_date: z.number().int().nonnegative().optional(),
      offset_chat_id: Id.optional(),
      limit: z.number().int().min(1).max(100).optional(),
    }),
    result: z.object({ dialogs: z.array(Dialog), users: z.array(User) }),
  },
  getHistory: {
    params: z.object({
      chat_id: Id,
      /** Page around this id; omitted means from the newest. */
      offset_id: Id.optional(),
      direction: z.enum(['before', 'after']).default('before'),
      limit: z.number().int().min(1).max(HISTORY_PAGE_LIMIT).default(50),
    }),
    /** Messages in ascending id order. */
    result: z.object({ messages: z.array(Message) }),
  },
  getMessages: {
    params: z.object({ chat_id: Id, ids: z.array(Id).min(1).max(100) }),
    result: z.object({ messages: z.array(Message) }),
  },
  sendMessage: {
    params: z.object({
      peer: Peer,
      random_id: RandomId,
      text: MessageText,
      entities: Entities.optional(),
      reply_to_message_id: Id.optional(),
    }),
    result: z.object({ message: Message }),
  },
  forwardMessages: {
    params: z.object({
      from_chat_id: Id,
      ids: z.array(Id).min(1).max(100),
      to: Peer,
      /** One per forwarded message, in the same order. */
      random_ids: z.array(RandomId).min(1).max(100),
    }),
    result: z.object({ messages: z.array(Message) }),
  },
  editMessage: {
    params: z.object({ chat_id: Id, id: Id, text: MessageText, entities: Entities.optional() }),
    result: z.object({ message: Message }),
  },
  deleteMessages: {
    params: z.object({ chat_id: Id, ids: z.array(Id).min(1).max(100), for_everyone: z.boolean() }),
    result: Ok,
  },
  readHistory: {
    params: z.object({ chat_id: Id, max_id: z.number().int().nonnegative() }),
    result: z.object({ still_unread_count: z.number().int().nonnegative() }),
  },
  setTyping: {
    params: z.object({ chat_id: Id, action: z.enum(['typing', 'cancel']) }),
    result: Ok,
  },
  createGroup: {
    params: z.object({ title: ChatTitle, user_ids: z.array(Id).max(MAX_GROUP_MEMBERS - 1) }),
    result: z.object({ chat: Chat }),
  },
  getChat: {
    params: z.object({ chat_id: Id }),
    result: z.object({ chat: Chat, members: z.array(ChatMember) }),
  },
  addChatMember: { params: z.object({ chat_id: Id, user_id: Id }), result: z.object({ chat: Chat }) },
  removeChatMember: { params: z.object({ chat_id: Id, user_id: Id }), result: z.object({ chat: Chat }) },
  leaveChat: { params: z.object({ chat_id: Id }), result: Ok },
  editChatTitle: { params: z.object({ chat_id: Id, title: ChatTitle }), result: z.object({ chat: Chat }) },
  setChatAdmin: {
    params: z.object({ chat_id: Id, user_id: Id, is_admin: z.boolean() }),
    result: z.object({ chat: Chat }),
  },
  getUsers: {
    params: z.object({ ids: z.array(Id).min(1).max(100) }),
    result: z.object({ users: z.array(User), statuses: z.array(UserStatus) }),
  },
  resolveUsername: { params: z.object({ username: Username }), result: z.object({ user: User }) },
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
