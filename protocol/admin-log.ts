import { z } from 'zod';
import { Id, Timestamp } from './common.js';
import { AdminRights, ChatPermissions } from './messages.js';

/**
 * A chat's recent actions (Telegram's admin log): what its creator and
 * admins did, for its managers to read. Kept for ADMIN_LOG_RETENTION_MS.
 */
export const ADMIN_LOG_RETENTION_MS = 48 * 3600_000;
export const ADMIN_LOG_PAGE_LIMIT = 100;

export const AdminAction = z.enum([
  'title_changed',
  'description_changed',
  'photo_changed',
  'photo_deleted',
  'signatures_toggled',
  'message_pinned',
  'message_unpinned',
  'all_unpinned',
  'message_deleted',
  'member_added',
  'member_removed',
  'member_banned',
  'member_unbanned',
  'member_restricted',
  'admin_rights_changed',
  'admin_title_changed',
  'ownership_transferred',
  'permissions_changed',
  'slow_mode_changed',
  'invite_link_created',
  'invite_link_edited',
  'invite_link_revoked',
  'username_changed',
  'join_by_request_toggled',
  'join_request_approved',
  'join_request_declined',
  /** Topics turned on or off (`enabled`). */
  'forum_toggled',
  /** A forum topic (`topic_id`) created as `title`, renamed to `title` or General hidden / shown (`hidden`), closed, reopened, deleted. */
  'topic_created',
  'topic_edited',
  'topic_closed',
  'topic_reopened',
  'topic_deleted',
]);
export type AdminAction = z.infer<typeof AdminAction>;

/** What an action changed, by action: a title, a message id, rights, permissions, seconds, a link's id. */
export const AdminLogDetails = z.object({
  title: z.string().optional(),
  description: z.string().optional(),
  enabled: z.boolean().optional(),
  message_id: Id.optional(),
  message_ids: z.array(Id).optional(),
  rights: AdminRights.nullable().optional(),
  permissions: ChatPermissions.optional(),
  until: Timestamp.nullable().optional(),
  seconds: z.number().int().nonnegative().optional(),
  link_id: Id.optional(),
  /** username_changed: the new public username ('' when the chat became private). */
  username: z.string().optional(),
  topic_id: Id.optional(),
  hidden: z.boolean().optional(),
});
export type AdminLogDetails = z.infer<typeof AdminLogDetails>;

export const AdminLogEntry = z.object({
  id: Id,
  date: Timestamp,
  /** Who acted. */
  actor_id: Id,
  action: AdminAction,
  /** Whom it was done to, for actions on a member. */
  user_id: Id.optional(),
  details: AdminLogDetails,
});
export type AdminLogEntry = z.infer<typeof AdminLogEntry>;
