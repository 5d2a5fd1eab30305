import { EdgegramError, ErrorCode } from '../../../protocol/errors.js';
import { ClientError } from '../../../client/errors.js';

/**
 * What to tell a person when something fails, chosen by the error's code
 * (never by parsing its message). `context` tunes the wording where the same
 * code means different things (NOT_FOUND for a username vs a message).
 */
export type ErrorContext = 'login' | 'signup' | 'second-factor' | 'security' | 'passkey' | 'login-code' | 'username' | 'send' | 'group' | 'profile' | 'generic';

export function describeError(error: unknown, context: ErrorContext = 'generic'): string {
  if (error instanceof EdgegramError) return describeServerError(error, context);
  if (error instanceof ClientError) {
    switch (error.code) {
      case 'NETWORK':
        return "Can't reach Edgegram. Check your internet connection and try again.";
      case 'TIMEOUT':
        return 'The server took too long to answer. Try again.';
      case 'DISCONNECTED':
      case 'CLOSED':
        return 'The connection was lost. Try again when you are back online.';
      case 'NO_SESSION':
        return 'You are signed out. Sign in again.';
      case 'PROTOCOL':
        return 'The server sent something this app does not understand. Reload the page.';
    }
  }
  // The browser's WebAuthn errors (DOMException, or @simplewebauthn/browser's WebAuthnError with the same name).
  if (error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError')) {
    return 'The passkey request was cancelled or timed out.';
  }
  if (error instanceof Error && error.name === 'InvalidStateError') return 'This passkey is already added.';
  if (error instanceof Error && error.name === 'NotSupportedError') return 'This browser cannot use passkeys.';
  return 'Something went wrong. Try again.';
}

function describeServerError(error: EdgegramError, context: ErrorContext): string {
  switch (error.code) {
    case ErrorCode.INVALID_CREDENTIALS:
      if (context === 'second-factor') return 'Wrong code, or it was already used. Enter the code your app shows now.';
      // In Settings the server's words say which was wrong: the password or the code.
      if (context === 'security') return `${error.message}.`;
      if (context === 'passkey') return 'This passkey was not accepted. Try again, or sign in with your password.';
      return 'Wrong username or password.';
    case ErrorCode.LOGIN_TOKEN_INVALID:
      if (context === 'login-code') return 'This login code is unknown or was already used.';
      return 'This sign-in has expired. Enter your password again.';
    case ErrorCode.LOGIN_TOKEN_EXPIRED:
      return 'This login code has expired. The other device shows a new one: use that.';
    case ErrorCode.PASSKEY_INVALID:
      return 'The passkey could not be added. Try again.';
    case ErrorCode.USERNAME_TAKEN:
      return 'This username is already taken. Try another one.';
    case ErrorCode.USERNAME_INVALID:
      return 'Usernames are 5–32 letters, digits or underscores, start with a letter and do not end in “bot”.';
    case ErrorCode.PASSWORD_INVALID:
      return 'Passwords are 8 to 256 characters long.';
    case ErrorCode.RATE_LIMITED: {
      const wait = error.extra.retry_after;
      const when = wait ? ` Try again in ${formatWait(wait)}.` : ' Try again later.';
      if (context === 'login' || context === 'signup' || context === 'second-factor' || context === 'security' || context === 'passkey' || context === 'login-code') {
        return `Too many attempts.${when}`;
      }
      if (context === 'profile') return `You have changed your profile too often.${when}`;
      return `Too many requests.${when}`;
    }
    case ErrorCode.SLOW_MODE_WAIT: {
      const wait = error.extra.retry_after ?? 1;
      return `Slow mode is on: you can send your next message in ${formatWait(wait)}.`;
    }
    case ErrorCode.UNAUTHORIZED:
      return context === 'login' ? 'Wrong username or password.' : 'Your session has ended. Sign in again.';
    case ErrorCode.NOT_FOUND:
      return context === 'username' ? 'No one has this username.' : 'It no longer exists, or you cannot see it.';
    case ErrorCode.FORBIDDEN:
      // A refused send: the server's words say which permission is missing ("Not enough rights to send links to the chat").
      if (context === 'send') return `${error.message}.`;
      return context === 'group' ? 'Only the group’s creator or admins can do that.' : 'You are not allowed to do that.';
    case ErrorCode.MESSAGE_TOO_LONG:
      return 'The message is too long (4,096 characters at most).';
    case ErrorCode.MESSAGE_EMPTY:
      return 'The message is empty.';
    case ErrorCode.MESSAGE_NOT_MODIFIABLE:
      return 'This message can no longer be changed.';
    case ErrorCode.INVITE_INVALID:
      return 'This invite link is invalid: it was revoked, has expired or has been used up.';
    case ErrorCode.CHAT_FULL:
      // A basic group converts itself when it outgrows 200, so this is a supergroup at 200,000.
      return 'The group is full.';
    case ErrorCode.TOPIC_CLOSED:
      return 'This topic is closed: only admins post in it.';
    case ErrorCode.TOPIC_NOT_FOUND:
      return 'This topic no longer exists.';
    case ErrorCode.CHAT_NOT_FORUM:
      return 'This group has no topics.';
    case ErrorCode.CHAT_MIGRATED:
      return 'This group was upgraded to a supergroup: continue there.';
    case ErrorCode.CONFLICT:
      return context === 'group' ? 'They are already in the group.' : 'That was already done.';
    case ErrorCode.ORIGIN_NOT_ALLOWED:
      return 'This address may not use the Edgegram server.';
    case ErrorCode.BAD_REQUEST:
      return error.extra.issues?.[0]?.message ?? error.message;
    case ErrorCode.FILE_TOO_LARGE:
      return 'The file is too large: files can be up to 2 GB.';
    case ErrorCode.MEDIA_INVALID:
      return `This file cannot be sent that way: ${error.message}.`;
    case ErrorCode.FILE_URL_INVALID:
    case ErrorCode.FILE_NOT_FOUND:
      return 'The file is no longer available.';
    case ErrorCode.USER_BLOCKED:
      return context === 'group' ? 'They do not accept invitations from you.' : 'This person does not accept your messages.';
    case ErrorCode.USER_PRIVACY_RESTRICTED:
      return "Their privacy settings don't let you add them to groups.";
    case ErrorCode.YOU_BLOCKED_USER:
      return 'You blocked this person. Unblock them to write to them.';
    case ErrorCode.INTERNAL:
      return 'Edgegram had a problem on its side. Try again in a moment.';
    default:
      return error.message;
  }
}

/** A wait as a person reads it: seconds under a minute, else whole minutes (rounded up). */
export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
