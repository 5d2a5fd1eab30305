import { z } from 'zod';
import { Empty, Ok } from './method-shapes.js';
import { Passkey } from './http/passkeys.js';
import { QrLoginDevice } from './http/qr-login.js';

/**
 * A login token as pasted or scanned: the bare token or the QR code's
 * `edgegram://login?token=…` (the handler takes the token out).
 */
const PastedLoginToken = z.string().trim().min(1).max(256);

/**
 * Account methods for the other ways to sign in: one's passkeys (adding one
 * is a WebAuthn ceremony over HTTP, `/v1/auth/passkeys/register`, since it
 * needs the browser's origin) and approving a QR login from a signed-in
 * device (spread into protocol/methods.ts).
 */
export const signInMethods = {
  /** The caller's passkeys, newest first. */
  getPasskeys: { params: Empty, result: z.object({ passkeys: z.array(Passkey) }) },
  /** Removes one of the caller's passkeys: it can no longer sign in. Not the caller's (or none): NOT_FOUND. */
  deletePasskey: { params: z.strictObject({ id: z.string().min(1).max(1364) }), result: Ok },
  /**
   * The device a QR login token would sign in (name, platform, address), to
   * show before approving; changes nothing. Expired: LOGIN_TOKEN_EXPIRED;
   * unknown or already used: LOGIN_TOKEN_INVALID.
   */
  checkLoginToken: { params: z.strictObject({ token: PastedLoginToken }), result: z.object({ device: QrLoginDevice }) },
  /**
   * Approves a QR login: the waiting device's next poll gets a session of
   * the caller's account (no second factor asked: this signed-in device
   * vouches, as in Telegram). Single use; same errors as checkLoginToken,
   * and nothing changes on an error. Rate-limited per account (RATE_LIMITED).
   */
  acceptLoginToken: { params: z.strictObject({ token: PastedLoginToken }), result: z.object({ device: QrLoginDevice }) },
} as const;
