import { z } from 'zod';
import { Id, Timestamp } from './common.js';

/**
 * Public chats and join requests, as Telegram's.
 *
 * A supergroup or channel may have a username: it then resolves by name
 * (resolveUsername), opens by link (`<origin>/<username>`), and anyone signed
 * in may see what it is and join it (joinChat). Chat and account usernames
 * share one namespace, so a name leads to exactly one of them.
 *
 * A join request is a would-be member waiting for an admin with the invite
 * right: made by joining through a link that `creates_join_request`, or by
 * joining a public chat whose admins turned on `join_by_request`. Approving
 * admits the requester as an admin's add would; declining drops the request.
 */

/** What a public chat shows to someone who is not (yet) in it. */
export const PublicChat = z.object({
  id: Id,
  kind: z.enum(['supergroup', 'channel']),
  title: z.string(),
  username: z.string(),
  member_count: z.number().int().nonnegative(),
  description: z.string().optional(),
  /** Joining makes a request an admin must approve. */
  join_by_request: z.boolean().optional(),
  /** Whether the caller is a member (the client then opens the chat). */
  is_member: z.boolean(),
});
export type PublicChat = z.infer<typeof PublicChat>;

/** A pending request, as the chat's admins see it. */
export const ChatJoinRequest = z.object({
  user_id: Id,
  /** When it was made. */
  date: Timestamp,
  /** The link it was made through (absent: through the chat's username). */
  invite_link: z.object({ id: Id, creator_id: Id, name: z.string().optional() }).optional(),
});
export type ChatJoinRequest = z.infer<typeof ChatJoinRequest>;

/** The request a join made instead of joining (an admin must approve it). */
export const JoinRequestSent = z.object({ chat_id: Id, date: Timestamp });
export type JoinRequestSent = z.infer<typeof JoinRequestSent>;

/** Most requests a page of getChatJoinRequests holds. */
export const MAX_JOIN_REQUESTS_PAGE = 100;
