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

export const DisplayName = z.string().trim().min(1).max(64);

/** Telegram's bio: up to 70 characters; empty clears it. */
export const MAX_ABOUT_LENGTH = 70;
export const About = z.string().trim().max(MAX_ABOUT_LENGTH);

/** Long enough to resist guessing, short enough that hashing cost stays bounded. */
export const Password = z.string().min(8).max(256);

/** The device a session runs on, as the client describes itself. */
export const DeviceInfo = z.object({
  name: z.string().trim().min(1).max(64),
  platform: z.string().trim().min(1).max(32),
  app_version: z.string().trim().max(32).optional(),
});
export type DeviceInfo = z.infer<typeof DeviceInfo>;

export const User = z.object({
  id: Id,
  username: z.string(),
  display_name: z.string(),
  is_bot: z.boolean(),
  /** The bio; absent when empty. */
  about: z.string().optional(),
});
export type User = z.infer<typeof User>;

/** Online status: `online` while any device holds a socket; otherwise the time it was last seen. */
export const UserStatus = z.object({
  user_id: Id,
  online: z.boolean(),
  last_seen: Timestamp.nullable(),
});
export type UserStatus = z.infer<typeof UserStatus>;
