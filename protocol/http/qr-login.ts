import { z } from 'zod';
import { DeviceInfo, Timestamp } from '../common.js';
import { AuthResult } from './auth.js';

/**
 * QR login (Telegram's auth.exportLoginToken / acceptLoginToken): a
 * signed-out device asks for a token, shows it as a QR code and as text, and
 * polls; a signed-in device approves it (account method acceptLoginToken);
 * the next poll answers the new session.
 */

/** A QR login token: 256 random bits, base64url. */
export const QrLoginToken = z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, 'not a login token');

export const QrLoginBody = z.object({
  device: DeviceInfo,
  /** The token this one replaces (a refresh): it stops working now, unless it was approved already. */
  replaces: QrLoginToken.optional(),
});
export type QrLoginBody = z.infer<typeof QrLoginBody>;

export const QrLoginResult = z.object({
  /** Shown as text (to paste) and inside `url`. Valid until `expires_at` (about a minute), once. */
  token: QrLoginToken,
  /** What the QR code holds: `edgegram://login?token=<token>`. */
  url: z.string(),
  expires_at: Timestamp,
});
export type QrLoginResult = z.infer<typeof QrLoginResult>;

export const QrLoginPollBody = z.object({ token: QrLoginToken });
export type QrLoginPollBody = z.infer<typeof QrLoginPollBody>;

/**
 * `waiting`: not approved yet, poll again (every second or two).
 * `approved`: the session, handed out once. An expired token is
 * LOGIN_TOKEN_EXPIRED (ask for a new one), an unknown or collected one LOGIN_TOKEN_INVALID.
 */
export const QrLoginPollResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('waiting'), expires_at: Timestamp }),
  z.object({ status: z.literal('approved'), auth: AuthResult }),
]);
export type QrLoginPollResult = z.infer<typeof QrLoginPollResult>;

/** The device a QR login token would sign in, as the approving device shows it first. */
export const QrLoginDevice = z.object({
  name: z.string(),
  platform: z.string(),
  app_version: z.string().nullable(),
  ip: z.string().nullable(),
  country: z.string().nullable(),
  city: z.string().nullable(),
  created_at: Timestamp,
});
export type QrLoginDevice = z.infer<typeof QrLoginDevice>;
