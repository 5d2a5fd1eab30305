import { z } from 'zod';
import { Id, shownText, Timestamp } from './common.js';

/**
 * Group invite links, as Telegram's: an admin creates a link (optionally
 * named, expiring, with a usage limit); anyone signed in who holds it may see
 * the group's title and size and join. The link a person sees is
 * `<origin>/+<token>`: the server hands out the token, the client builds the URL.
 */

/** 128 random bits, base64url without padding: a bearer secret, stored by the server only as SHA-256 in D1. */
export const INVITE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;
export const InviteToken = z.string().regex(INVITE_TOKEN_PATTERN, 'An invite token is 22 base64url characters');

/** Telegram's bounds for a link's name and usage limit. */
export const MAX_INVITE_NAME = 32;
export const MAX_INVITE_MEMBER_LIMIT = 99_999;
/** A link's name, as its creator types it. */
export const InviteLinkName = shownText(MAX_INVITE_NAME);
/** Links a group may have that are not revoked; revoke one to create another. */
export const MAX_ACTIVE_INVITE_LINKS = 100;

export const ChatInviteLink = z.object({
  /** Per chat, for revoking; not a secret. */
  id: Id,
  /** The secret the link carries (shown to the group's creator and admins). */
  token: InviteToken,
  creator_id: Id,
  name: z.string().max(MAX_INVITE_NAME).optional(),
  created_at: Timestamp,
  /** ms; joining is refused from then on. */
  expire_date: Timestamp.optional(),
  /** How many people may join through it; absent: no limit. */
  member_limit: z.number().int().min(1).max(MAX_INVITE_MEMBER_LIMIT).optional(),
  /** How many joined through it. */
  usage: z.number().int().nonnegative(),
  is_revoked: z.boolean(),
  /** Its creator's primary link (Telegram's exportChatInviteLink makes one, revoking the one before). */
  is_primary: z.boolean().optional(),
  /** Joining through it makes a join request an admin must approve (such a link has no member_limit). */
  creates_join_request: z.boolean().optional(),
  /** Requests made through it still waiting for an admin. */
  pending_join_request_count: z.number().int().nonnegative().optional(),
});
export type ChatInviteLink = z.infer<typeof ChatInviteLink>;

/**
 * What a link shows before joining: the group's title and size, nothing else.
 * `chat_id` only when the caller is already a member (the client opens the chat).
 */
export const ChatInvitePreview = z.object({
  title: z.string(),
  /** What joining makes the user: a group member or a channel subscriber. */
  kind: z.enum(['group', 'channel']).optional(),
  member_count: z.number().int().nonnegative(),
  chat_id: Id.optional(),
  /** Joining through this link makes a request an admin must approve. */
  request_needed: z.boolean().optional(),
  /** The chat's description, when the link makes a request (Telegram shows it with "Request to join"). */
  description: z.string().optional(),
});
export type ChatInvitePreview = z.infer<typeof ChatInvitePreview>;
