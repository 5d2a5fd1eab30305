import { z } from 'zod';
import { Empty, Ok } from './method-shapes.js';
import { About, DisplayName, Id, Password, User, UserStatus, Username } from './common.js';
import { BLOCKED_PAGE_LIMIT, BlockedUser, Contact, ContactFirstName, ContactLastName } from './contacts.js';
import { PrivacyKey, PrivacyRule } from './privacy.js';
import { PublicChat } from './public-chats.js';

/**
 * Account methods about people: contacts, blocking, privacy, looking people
 * up, one's own profile, password and two-step verification (spread into
 * protocol/methods.ts).
 */
export const peopleMethods = {
  /**
   * Adds a person (by id or username) to the caller's contacts under a name
   * of the caller's choosing, or renames one already there. Not oneself, not
   * a bot; at most MAX_CONTACTS (then FORBIDDEN).
   */
  addContact: {
    params: z
      .strictObject({ user_id: Id.optional(), username: Username.optional(), first_name: ContactFirstName, last_name: ContactLastName.optional() })
      .refine((p) => (p.user_id === undefined) !== (p.username === undefined), { message: 'Give exactly one of user_id, username' }),
    result: z.object({ contact: Contact }),
  },
  /** Removes these people from the caller's contacts (those not there are ignored). */
  deleteContacts: { params: z.strictObject({ user_ids: z.array(Id).min(1).max(100) }), result: Ok },
  /**
   * Finding people as one types: `contacts`, the caller's contacts whose
   * name as the caller saved it, display name (or a word of it) or username
   * starts with `query`; `others`, people and bots (not contacts, not the
   * caller) whose username starts with it, as Telegram's global search
   * finds them. Each as the caller may see them (privacy). The `others`
   * found count against the hourly budget for looking up strangers.
   */
  searchPeople: {
    params: z.strictObject({ query: z.string().trim().min(1).max(64), limit: z.number().int().min(1).max(50).default(20) }),
    result: z.object({ contacts: z.array(User), others: z.array(User) }),
  },
  /** The caller's contacts by name, each with whether it is mutual. */
  getContacts: { params: z.strictObject({}), result: z.object({ contacts: z.array(Contact) }) },
  /**
   * Blocks a person: they can no longer message the caller (USER_BLOCKED),
   * add it to chats, or see its presence; the caller cannot write to them
   * either until it unblocks (YOU_BLOCKED_USER). Blocking twice changes nothing.
   */
  blockUser: { params: z.strictObject({ user_id: Id }), result: Ok },
  unblockUser: { params: z.strictObject({ user_id: Id }), result: Ok },
  /** The caller's block list, most recently blocked first, and how many in all. */
  getBlockedUsers: {
    params: z.strictObject({ offset: z.number().int().nonnegative().default(0), limit: z.number().int().min(1).max(BLOCKED_PAGE_LIMIT).default(50) }),
    result: z.object({ blocked: z.array(BlockedUser), count: z.number().int().nonnegative() }),
  },
  /** The caller's rule for one kind of information (Telegram's default where it set none). */
  getPrivacy: { params: z.strictObject({ key: PrivacyKey }), result: z.object({ rule: PrivacyRule }) },
  /**
   * Sets who gets one kind of information: everybody, the caller's contacts
   * or nobody, with people always and never allowed. Takes effect on the
   * next read (getUsers) and the next presence change.
   */
  setPrivacy: { params: z.strictObject({ key: PrivacyKey, rule: PrivacyRule }), result: z.object({ rule: PrivacyRule }) },
  /**
   * Moves a message request (Dialog.is_request: a private chat started by
   * someone the caller's "messages" rule leaves out) into the main chat
   * list; writing in the chat does the same. A chat that is no request
   * changes nothing. The caller's devices get a `message_request` event.
   */
  acceptMessageRequest: { params: z.strictObject({ chat_id: Id }), result: Ok },
  getUsers: {
    params: z.strictObject({ ids: z.array(Id).min(1).max(100) }),
    result: z.object({ users: z.array(User), statuses: z.array(UserStatus) }),
  },
  /**
   * The person, bot or public chat with this username (case-insensitive):
   * `user` or `chat`, never both (they share one namespace). Nobody: NOT_FOUND.
   */
  resolveUsername: { params: z.strictObject({ username: Username }), result: z.object({ user: User.optional(), chat: PublicChat.optional() }) },
  /**
   * Changes the caller's own profile: any of display name, username, bio
   * (an omitted field stays). The username follows sign-up's rules
   * (USERNAME_INVALID, checked by the handler so it gets that code;
   * USERNAME_TAKEN when another account has it, case-insensitively; changing
   * only its case is allowed). The old username stops resolving at once.
   * The caller's devices and the people who share a chat with them get a
   * `user` event. Rate-limited (RATE_LIMITED).
   */
  updateProfile: {
    params: z
      .strictObject({ display_name: DisplayName.optional(), username: z.string().max(64).optional(), about: About.optional() })
      .refine((p) => p.display_name !== undefined || p.username !== undefined || p.about !== undefined, {
        message: 'Give at least one of display_name, username, about',
      }),
    result: z.object({ user: User }),
  },
  // ── account security: password and two-step verification ──
  /**
   * Changes the caller's password. `new_password` follows sign-up's rules.
   * A wrong `current_password` answers INVALID_CREDENTIALS and changes
   * nothing; attempts are rate-limited (RATE_LIMITED). As in Telegram, every
   * OTHER session of the account is signed out (its sockets close) unless
   * `keep_other_sessions`; this one stays. `signed_out` counts them.
   */
  changePassword: {
    params: z.strictObject({
      current_password: z.string().max(256),
      new_password: Password,
      keep_other_sessions: z.boolean().default(false),
    }),
    result: z.object({ ok: z.literal(true), signed_out: z.number().int().nonnegative() }),
  },
  /** Whether two-step verification is on, a setup awaits its code, and how many recovery codes are left. */
  getTwoFactorStatus: {
    params: Empty,
    result: z.object({ enabled: z.boolean(), pending: z.boolean(), recovery_codes_left: z.number().int().nonnegative() }),
  },
  /**
   * Starts two-step verification: a new TOTP secret (SHA-1, 6 digits, 30 s)
   * as base32 and as the otpauth:// URI an authenticator app imports. The
   * account is not protected until confirmTwoFactor; calling again replaces
   * an unconfirmed secret. Already on: CONFLICT. The secret is never shown again.
   * Needs the password (as Telegram asks): a stolen session alone cannot lock
   * its owner out behind a second factor. Wrong: INVALID_CREDENTIALS (rate-limited).
   */
  enableTwoFactor: {
    params: z.strictObject({ password: z.string().max(256) }),
    result: z.object({ secret: z.string(), uri: z.string() }),
  },
  /**
   * Confirms the secret of enableTwoFactor with a current code from the app:
   * from now on login asks for a code. Answers the 10 one-time recovery codes,
   * shown only here. Wrong code: INVALID_CREDENTIALS (rate-limited); no setup
   * under way: CONFLICT.
   */
  confirmTwoFactor: {
    params: z.strictObject({ code: z.string().max(32) }),
    result: z.object({ recovery_codes: z.array(z.string()) }),
  },
  /**
   * Turns two-step verification off. Needs the password and a current code
   * or an unused recovery code; either wrong: INVALID_CREDENTIALS
   * (rate-limited). Only an unconfirmed setup under way: it is dropped, with
   * no proof asked (it protected nothing). Neither: CONFLICT.
   */
  disableTwoFactor: {
    params: z.strictObject({ password: z.string().max(256), code: z.string().max(32) }),
    result: Ok,
  },
} as const;
