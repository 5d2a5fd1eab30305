import { z } from 'zod';
import { shownText, Timestamp, User } from './common.js';

/**
 * Contacts and blocking, as Telegram's. A contact is a person one added
 * under a name of one's own choosing (shown to oneself only); it is mutual
 * when they added one back. Blocking someone stops their messages, their
 * adding one to chats and their seeing one's presence; they are told their
 * messages are not accepted, nothing more.
 */

/** Most contacts an account keeps. */
export const MAX_CONTACTS = 5_000;
/** A contact's name as its owner types it (Telegram: first name required, last name optional). */
export const ContactFirstName = shownText(64);
export const ContactLastName = shownText(64, { allowEmpty: true });

export const Contact = z.object({
  user: User,
  first_name: z.string(),
  last_name: z.string().optional(),
  /** They have this account among their contacts too. */
  mutual: z.boolean(),
  added_at: Timestamp,
});
export type Contact = z.infer<typeof Contact>;

/** Most blocked users one page of getBlockedUsers lists. */
export const BLOCKED_PAGE_LIMIT = 100;

export const BlockedUser = z.object({ user: User, blocked_at: Timestamp });
export type BlockedUser = z.infer<typeof BlockedUser>;
