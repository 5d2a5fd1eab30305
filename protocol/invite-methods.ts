import { z } from 'zod';
import { Ok } from './method-shapes.js';
import { Id } from './common.js';
import { Chat } from './messages.js';
import { ChatInviteLink, ChatInvitePreview, InviteLinkName, InviteToken, MAX_INVITE_MEMBER_LIMIT } from './invites.js';
import { ChatJoinRequest, JoinRequestSent, MAX_JOIN_REQUESTS_PAGE } from './public-chats.js';

/** Joining answers with the chat (joined), or with the request made instead (an admin must approve it). */
const JoinResult = z.object({ chat: Chat.optional(), join_request: JoinRequestSent.optional() });

/**
 * Account methods for getting people into a chat: invite links, public
 * chats' usernames and join requests (spread into protocol/methods.ts).
 */
export const inviteMethods = {
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
} as const;
