import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import type { BotApiResponseParameters } from '../../protocol/bot-api/types.js';
import { botIdOfSupergroup } from './chat-ids.js';

/**
 * An error as the Bot API reports it: Telegram's HTTP status (`error_code`),
 * its description text (e.g. "Bad Request: chat not found") and Telegram's
 * `parameters` (retry_after for flood limits, migrate_to_chat_id for a
 * group that became a supergroup). Frameworks match on these texts and read
 * those parameters, so both are Telegram's, word for word.
 */
export class BotApiError extends Error {
  override readonly name = 'BotApiError';
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: BotApiResponseParameters,
    options?: { cause?: unknown },
  ) {
    super(description, options);
  }

  get retryAfter(): number | undefined {
    return this.parameters?.retry_after;
  }
}

export const botError = {
  badRequest: (what: string) => new BotApiError(400, `Bad Request: ${what}`),
  unauthorized: () => new BotApiError(401, 'Unauthorized'),
  forbidden: (what: string) => new BotApiError(403, `Forbidden: ${what}`),
  notFound: () => new BotApiError(404, 'Not Found'),
  conflict: (what: string) => new BotApiError(409, `Conflict: ${what}`),
  tooManyRequests: (retryAfter: number) =>
    new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter }),
  /** Telegram's answer to a call on a group that became a supergroup; libraries read migrate_to_chat_id and retry there. */
  groupMigrated: (supergroupId: number | undefined, cause?: unknown) =>
    new BotApiError(
      400,
      'Bad Request: group chat was upgraded to a supergroup chat',
      supergroupId === undefined ? undefined : { migrate_to_chat_id: botIdOfSupergroup(supergroupId) },
      { cause },
    ),
  chatNotFound: () => botError.badRequest('chat not found'),
  internal: () => new BotApiError(500, 'Internal Server Error'),
};

/** Descriptions for the Edgegram errors a method may meet, per situation. */
/** Telegram's text for each code a method can meet; a function where one code has several texts (picked by the error). */
export type EdgegramErrorTexts = Partial<Record<ErrorCode, string | ((err: EdgegramError) => string)>>;

/**
 * Re-raises an Edgegram error as the Bot API error that method reports. A
 * rate limit is always 429 with retry_after; an unmapped code falls back to a
 * generic description of its kind, never to a 500 for user input.
 */
export function asBotError(err: unknown, texts: EdgegramErrorTexts = {}): BotApiError {
  if (err instanceof BotApiError) return err;
  if (!(err instanceof EdgegramError)) return new BotApiError(500, 'Internal Server Error', undefined, { cause: err });
  if (err.code === ErrorCode.RATE_LIMITED) return botError.tooManyRequests(err.extra.retry_after ?? 1);
  // Whatever the method, as Telegram: the answer names where the group went.
  if (err.code === ErrorCode.CHAT_MIGRATED) return botError.groupMigrated(err.extra.migrated_to, err);
  const entry = texts[err.code];
  const text = typeof entry === 'function' ? entry(err) : entry;
  if (text !== undefined) {
    const status = Number(/^(\d{3}) /.exec(text)?.[1] ?? 400);
    return new BotApiError(status, text.replace(/^\d{3} /, ''), undefined, { cause: err });
  }
  switch (err.code) {
    case ErrorCode.NOT_FOUND:
      return botError.chatNotFound();
    case ErrorCode.MESSAGE_TOO_LONG:
      return botError.badRequest('message is too long');
    case ErrorCode.MESSAGE_EMPTY:
      return botError.badRequest('message text is empty');
    case ErrorCode.FORBIDDEN:
    case ErrorCode.MESSAGE_NOT_MODIFIABLE:
      return botError.badRequest(lowerFirst(err.message));
    case ErrorCode.CONFLICT:
      return new BotApiError(409, err.message.startsWith('Conflict:') ? err.message : `Conflict: ${err.message}`);
    case ErrorCode.TOPIC_CLOSED:
      return botError.badRequest('TOPIC_CLOSED');
    case ErrorCode.TOPIC_NOT_FOUND:
      return botError.badRequest('message thread not found');
    case ErrorCode.CHAT_NOT_FORUM:
      return botError.badRequest('the chat is not a forum');
    // Telegram's answer to a bot writing to someone who blocked it, the one every bot library knows.
    case ErrorCode.USER_BLOCKED:
      return new BotApiError(403, 'Forbidden: bot was blocked by the user', undefined, { cause: err });
    case ErrorCode.INTERNAL:
      return botError.internal();
    default:
      return botError.badRequest(lowerFirst(err.message));
  }
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** Unwraps a DO Outcome, re-raising its error as the Bot API error `texts` names. */
export function unwrapBot<T>(outcome: { ok: true; value: T } | { ok: false; error: import('../../protocol/errors.js').ErrorBody }, texts: EdgegramErrorTexts = {}): T {
  if (outcome.ok) return outcome.value;
  throw asBotError(EdgegramError.fromBody(outcome.error), texts);
}
