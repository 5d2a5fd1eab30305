import { z } from 'zod';
import { DeviceInfo, DisplayName, Password, Timestamp, User } from '../common.js';

// Signup validates the username's shape in the handler (not here) so a bad
// name gets the specific USERNAME_INVALID code rather than a generic one.
export const SignupBody = z.object({
  username: z.string().max(64),
  display_name: DisplayName,
  password: Password,
  device: DeviceInfo,
});
export type SignupBody = z.infer<typeof SignupBody>;

export const LoginBody = z.object({
  username: z.string().max(64),
  password: z.string().max(256),
  device: DeviceInfo,
});
export type LoginBody = z.infer<typeof LoginBody>;

/**
 * The second step of a login to an account with two-step verification: the
 * `login_token` of the SECOND_FACTOR_REQUIRED answer and either a 6-digit
 * code from the authenticator app or a recovery code (which is then used up).
 */
export const LoginSecondFactorBody = z.object({
  login_token: z.string().min(1).max(128),
  code: z.string().min(1).max(32),
  device: DeviceInfo,
});
export type LoginSecondFactorBody = z.infer<typeof LoginSecondFactorBody>;

/** A new session: the token is shown once and stored only as a hash. */
export const AuthResult = z.object({
  user: User,
  session: z.object({
    id: z.string(),
    /** Bearer token: `Authorization: Bearer <token>`. 256 random bits, base64url. */
    token: z.string(),
    expires_at: Timestamp,
  }),
});
export type AuthResult = z.infer<typeof AuthResult>;

export const MeResult = z.object({ user: User });
export type MeResult = z.infer<typeof MeResult>;

export const OkResult = z.object({ ok: z.literal(true) });
export type OkResult = z.infer<typeof OkResult>;
