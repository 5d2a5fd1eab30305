import { z } from 'zod';

/**
 * Every error Edgegram reports, over HTTP or WebSocket, has one of these codes.
 * Clients switch on `code`; `message` is for people.
 */
export const ErrorCode = {
  /** The request body, query or frame failed schema validation. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The body is not valid JSON. */
  MALFORMED_JSON: 'MALFORMED_JSON',
  /** The body exceeds the size this endpoint accepts. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** A username breaks the rules: 5-32 characters, letters, digits, underscore, starting with a letter. */
  USERNAME_INVALID: 'USERNAME_INVALID',
  /** The username is already taken (case-insensitively). */
  USERNAME_TAKEN: 'USERNAME_TAKEN',
  /** The password is too short or too long. */
  PASSWORD_INVALID: 'PASSWORD_INVALID',
  /** Wrong username or password; deliberately does not say which. */
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  /**
   * The password was right, but the account has two-step verification: the
   * error carries `login_token`, which `POST /v1/auth/login/second-factor`
   * exchanges, with a code from the authenticator app or a recovery code,
   * for a session within 5 minutes, once.
   */
  SECOND_FACTOR_REQUIRED: 'SECOND_FACTOR_REQUIRED',
  /** The login token of the second step is unknown, expired or already used: sign in with the password again. */
  LOGIN_TOKEN_INVALID: 'LOGIN_TOKEN_INVALID',
  /** A QR login token whose minute is over: the waiting device shows a fresh one (nothing was changed). */
  LOGIN_TOKEN_EXPIRED: 'LOGIN_TOKEN_EXPIRED',
  /**
   * A passkey registration was refused: its challenge is unknown, expired or
   * already used, its origin or RP ID is not the one the challenge was issued
   * for, or its attestation does not verify. Nothing was stored.
   */
  PASSKEY_INVALID: 'PASSKEY_INVALID',
  /** No valid session token was presented, or the session ended. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** The caller is authenticated but may not do this. */
  FORBIDDEN: 'FORBIDDEN',
  /** The browser Origin is not on the allowlist. */
  ORIGIN_NOT_ALLOWED: 'ORIGIN_NOT_ALLOWED',
  /** The connect ticket is unknown, expired or already used. */
  TICKET_INVALID: 'TICKET_INVALID',
  /** The thing does not exist, or the caller may not know that it does. */
  NOT_FOUND: 'NOT_FOUND',
  /** Too many requests; retry after `retry_after` seconds. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** Slow mode: this member may send again in `retry_after` seconds (admins are not held to it). */
  SLOW_MODE_WAIT: 'SLOW_MODE_WAIT',
  /** The WebSocket frame type or RPC method is unknown. */
  UNKNOWN_METHOD: 'UNKNOWN_METHOD',
  /** A message text is longer than 4,096 characters. */
  MESSAGE_TOO_LONG: 'MESSAGE_TOO_LONG',
  /** A message text is empty or only whitespace. */
  MESSAGE_EMPTY: 'MESSAGE_EMPTY',
  /** The message cannot be edited or deleted by this caller. */
  MESSAGE_NOT_MODIFIABLE: 'MESSAGE_NOT_MODIFIABLE',
  /** The pts a client presented is ahead of the server (it cannot be right). */
  PTS_INVALID: 'PTS_INVALID',
  /** The chat is full (basic groups hold up to 200 members). */
  CHAT_FULL: 'CHAT_FULL',
  /** The basic group became a supergroup (`migrated_to` names it): it is read-only, continue there. */
  CHAT_MIGRATED: 'CHAT_MIGRATED',
  /** The request conflicts with the current state (e.g. already a member). */
  CONFLICT: 'CONFLICT',
  /**
   * The invite link is unknown, revoked, expired or used up: one answer for
   * all four, so a link never tells whether its group exists.
   */
  INVITE_INVALID: 'INVITE_INVALID',
  /** The declared file size is over 2 GiB. */
  FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  /** The upload does not exist, is another account's, expired, or was aborted. */
  UPLOAD_NOT_FOUND: 'UPLOAD_NOT_FOUND',
  /**
   * A part (or a single upload's body) was refused: its number is out of range,
   * its length is not the one the upload requires, the body ended early, or a
   * part was replaced while the upload completed. What was stored before stays.
   */
  UPLOAD_PART_INVALID: 'UPLOAD_PART_INVALID',
  /** Complete was called before every part was stored; the message lists the missing ones. */
  UPLOAD_INCOMPLETE: 'UPLOAD_INCOMPLETE',
  /** The file does not exist, was freed, or the caller may not use it: upload it (again). */
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  /** The media does not fit its kind or the file's sniffed type (e.g. a photo that is not an image). */
  MEDIA_INVALID: 'MEDIA_INVALID',
  /** A file link is malformed, forged or expired: ask getFileUrl for a new one. */
  FILE_URL_INVALID: 'FILE_URL_INVALID',
  /** The Range asks for bytes past the end of the file; Content-Range says the size. */
  RANGE_NOT_SATISFIABLE: 'RANGE_NOT_SATISFIABLE',
  /** The forum topic is closed: only those who may manage topics post in it (reopenForumTopic). */
  TOPIC_CLOSED: 'TOPIC_CLOSED',
  /** The forum has no such topic (never created, or deleted). */
  TOPIC_NOT_FOUND: 'TOPIC_NOT_FOUND',
  /** The chat is not a forum (toggleForum), so it has no topics. */
  CHAT_NOT_FORUM: 'CHAT_NOT_FORUM',
  /** The person blocked the caller: they accept no messages (or invitations) from it. */
  USER_BLOCKED: 'USER_BLOCKED',
  /** The caller blocked this person: unblock them to write to them. */
  YOU_BLOCKED_USER: 'YOU_BLOCKED_USER',
  /** The person's privacy settings do not allow this (adding them to a group). */
  USER_PRIVACY_RESTRICTED: 'USER_PRIVACY_RESTRICTED',
  /** A data export's download link has expired (and its archive is or will soon be gone): request a new export. */
  EXPORT_LINK_EXPIRED: 'EXPORT_LINK_EXPIRED',
  /** A data export's download link was altered or is not one the server made. */
  EXPORT_LINK_INVALID: 'EXPORT_LINK_INVALID',
  /** Something failed on the server; never caused by user input. */
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The HTTP status each code maps to. */
export const httpStatusOf: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  MALFORMED_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  USERNAME_INVALID: 400,
  USERNAME_TAKEN: 409,
  PASSWORD_INVALID: 400,
  INVALID_CREDENTIALS: 401,
  SECOND_FACTOR_REQUIRED: 401,
  LOGIN_TOKEN_INVALID: 401,
  LOGIN_TOKEN_EXPIRED: 401,
  PASSKEY_INVALID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  ORIGIN_NOT_ALLOWED: 403,
  TICKET_INVALID: 401,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  SLOW_MODE_WAIT: 429,
  UNKNOWN_METHOD: 404,
  MESSAGE_TOO_LONG: 400,
  MESSAGE_EMPTY: 400,
  MESSAGE_NOT_MODIFIABLE: 403,
  PTS_INVALID: 400,
  CHAT_FULL: 403,
  CHAT_MIGRATED: 400,
  CONFLICT: 409,
  INVITE_INVALID: 404,
  FILE_TOO_LARGE: 413,
  UPLOAD_NOT_FOUND: 404,
  UPLOAD_PART_INVALID: 400,
  UPLOAD_INCOMPLETE: 409,
  FILE_NOT_FOUND: 404,
  MEDIA_INVALID: 400,
  FILE_URL_INVALID: 403,
  EXPORT_LINK_EXPIRED: 403,
  EXPORT_LINK_INVALID: 403,
  RANGE_NOT_SATISFIABLE: 416,
  TOPIC_CLOSED: 403,
  TOPIC_NOT_FOUND: 404,
  CHAT_NOT_FORUM: 400,
  USER_BLOCKED: 403,
  YOU_BLOCKED_USER: 403,
  USER_PRIVACY_RESTRICTED: 403,
  INTERNAL: 500,
};

/** The one error shape on the wire. */
export const ErrorBody = z.object({
  code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  /** Seconds to wait before retrying; present with RATE_LIMITED and SLOW_MODE_WAIT. */
  retry_after: z.number().int().nonnegative().optional(),
  /** Which fields failed validation, when the error is BAD_REQUEST. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** With CHAT_MIGRATED: the supergroup the group became. */
  migrated_to: z.number().int().positive().optional(),
  /** With SECOND_FACTOR_REQUIRED: the single-use token of the login's second step (5 minutes). */
  login_token: z.string().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** HTTP error responses wrap the shape: `{ error: { code, message } }`. */
export const ErrorResponse = z.object({ error: ErrorBody });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/**
 * The one error type thrown by server and client code. It survives Durable
 * Object RPC as data (see `toErrorBody`/`fromErrorBody`): workerd keeps only an
 * Error's name and message across RPC, so code-carrying errors are returned as
 * values by DO adapters, never thrown across the boundary.
 */
export class EdgegramError extends Error {
  override readonly name = 'EdgegramError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Omit<ErrorBody, 'code' | 'message'> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get status(): number {
    return httpStatusOf[this.code];
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, ...this.extra };
  }

  static fromBody(body: ErrorBody): EdgegramError {
    const { code, message, ...extra } = body;
    return new EdgegramError(code, message, extra);
  }
}

/** Turns anything thrown into the wire shape; unknown errors become INTERNAL without leaking details. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof EdgegramError) return err.toBody();
  return { code: ErrorCode.INTERNAL, message: 'Internal error' };
}

/** Shorthand constructors keep call sites short and the codes greppable. */
export const fail = {
  badRequest: (message: string, issues?: ErrorBody['issues']) =>
    new EdgegramError(ErrorCode.BAD_REQUEST, message, issues ? { issues } : {}),
  notFound: (what: string) => new EdgegramError(ErrorCode.NOT_FOUND, `${what} not found`),
  forbidden: (message: string) => new EdgegramError(ErrorCode.FORBIDDEN, message),
  unauthorized: (message = 'Not signed in') => new EdgegramError(ErrorCode.UNAUTHORIZED, message),
  inviteInvalid: () => new EdgegramError(ErrorCode.INVITE_INVALID, 'This invite link is invalid or has expired'),
  userBlocked: (what = 'messages') => new EdgegramError(ErrorCode.USER_BLOCKED, `This person does not accept ${what} from you`),
  privacyRestricted: () =>
    new EdgegramError(ErrorCode.USER_PRIVACY_RESTRICTED, "This person's privacy settings do not allow you to add them to groups; send them an invite link instead"),
  youBlockedUser: () => new EdgegramError(ErrorCode.YOU_BLOCKED_USER, 'You blocked this person; unblock them to write to them'),
  rateLimited: (retryAfter: number) =>
    new EdgegramError(ErrorCode.RATE_LIMITED, `Too many requests; retry in ${retryAfter} s`, {
      retry_after: retryAfter,
    }),
};
