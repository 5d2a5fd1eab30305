import { z } from 'zod';

/** Account and chat ids are positive integers assigned by D1. */
export const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** Milliseconds since the Unix epoch. */
export const Timestamp = z.number().int().nonnegative();

/**
 * Telegram's username rules: 5-32 characters of letters, digits and
 * underscores, starting with a letter. Uniqueness is case-insensitive.
 */
export const USERNAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{4,31}$/;
export const Username = z
  .string()
  .regex(USERNAME_PATTERN, 'Username must be 5-32 letters, digits or underscores, starting with a letter');

/**
 * Characters no name shown to other people may hold: C0 and C1 controls
 * (NUL, escape sequences), the bidi embeddings, overrides and isolates that
 * reorder what follows them (U+202A-U+202E, U+2066-U+2069: "moc.elgoog"
 * spoofing), and the invisible zero-width space, word joiner and BOM. The
 * zero-width joiners (U+200C, U+200D) stay: emoji sequences and several
 * scripts need them.
 */
const FORBIDDEN_IN_NAMES = '\\u0000-\\u001f\\u007f-\\u009f\\u200b\\u2060\\ufeff\\u202a-\\u202e\\u2066-\\u2069';
/** What renders as nothing: whitespace, joiners and the blank-looking fillers used to fake an empty name. */
const BLANK = '\\s\\u200c\\u200d\\u115f\\u1160\\u3164\\uffa0\\u2800';
const SHOWN_TEXT = new RegExp(`^[^${FORBIDDEN_IN_NAMES}]*$`);
const VISIBLE = new RegExp(`^(?![${BLANK}]*$)`);

/**
 * Text shown as a name (people, chats, devices, links, files): trimmed,
 * bounded, without controls or reordering characters, and not blank to the
 * eye (`allowEmpty` for fields where empty means "none").
 */
export function shownText(max: number, options: { allowEmpty?: boolean } = {}) {
  const text = z
    .string()
    .trim()
    .max(max)
    .regex(SHOWN_TEXT, 'Control, bidi-override and zero-width characters are not allowed here');
  return options.allowEmpty ? text : text.min(1).regex(VISIBLE, 'Must contain a visible character');
}

export const DisplayName = shownText(64);

/** The same characters, less the line feed: for text that may run over several lines (a chat's description). */
const FORBIDDEN_IN_TEXT = '\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u200b\\u2060\\ufeff\\u202a-\\u202e\\u2066-\\u2069';

/** A chat's description (Telegram: 255 characters): lines allowed, the other controls and reordering characters not; empty clears it. */
export const MAX_CHAT_DESCRIPTION = 255;
export const ChatDescription = z
  .string()
  .trim()
  .max(MAX_CHAT_DESCRIPTION)
  .regex(new RegExp(`^[^${FORBIDDEN_IN_TEXT}]*$`), 'Control, bidi-override and zero-width characters are not allowed here');

/** Telegram's bio: up to 70 characters; empty clears it. */
export const MAX_ABOUT_LENGTH = 70;
export const About = shownText(MAX_ABOUT_LENGTH, { allowEmpty: true });

/** Long enough to resist guessing, short enough that hashing cost stays bounded. */
export const Password = z.string().min(8).max(256);

/** The device a session runs on, as the client describes itself. */
export const DeviceInfo = z.object({
  name: shownText(64),
  platform: shownText(32),
  app_version: shownText(32, { allowEmpty: true }).optional(),
});
export type DeviceInfo = z.infer<typeof DeviceInfo>;

export const User = z.object({
  id: Id,
  username: z.string(),
  display_name: z.string(),
  is_bot: z.boolean(),
  /** The bio; absent when empty. */
  about: z.string().optional(),
  /** The account was deleted: its name and username are empty, clients show "Deleted Account". */
  deleted: z.literal(true).optional(),
  /**
   * The current profile photo, absent when there is none or the person's
   * "profile photo" privacy rule keeps it from the reader. Its files come
   * from getUserPhotoUrl; a new photo has a new id (cache by it).
   */
  photo: z.object({ id: Id, date: Timestamp }).optional(),
});
export type User = z.infer<typeof User>;

/** Online status: `online` while any device holds a socket; otherwise the time it was last seen. */
export const UserStatus = z.object({
  user_id: Id,
  online: z.boolean(),
  last_seen: Timestamp.nullable(),
});
export type UserStatus = z.infer<typeof UserStatus>;
