import type { Context } from 'hono';
import { BotApiError } from '../../services/bot-api/errors.js';
import { Described } from '../../services/bot-api/methods/shared.js';
import type { BotApiResponse } from '../../protocol/bot-api/types.js';

/** `{ ok: true, result }`, with Telegram's `description` where it sends one. */
export function botOk(c: Context, value: unknown): Response {
  const body: BotApiResponse<unknown> =
    value instanceof Described ? { ok: true, result: value.result, description: value.description } : { ok: true, result: value };
  return c.json(body);
}

/**
 * `{ ok: false, error_code, description, parameters? }` with the HTTP status
 * equal to error_code, as Telegram answers (and a Retry-After header with
 * retry_after). Anything unexpected is a 500 that says nothing about its cause.
 */
export function botFailure(c: Context, err: unknown): Response {
  const error = err instanceof BotApiError ? err : new BotApiError(500, 'Internal Server Error', undefined, { cause: err });
  if (error.errorCode >= 500) console.error('Bot API call failed', err);
  const body: BotApiResponse<never> = {
    ok: false,
    error_code: error.errorCode,
    description: error.description,
    ...(error.parameters !== undefined ? { parameters: error.parameters } : {}),
  };
  const headers: Record<string, string> = error.retryAfter !== undefined ? { 'Retry-After': String(error.retryAfter) } : {};
  return c.json(body, error.errorCode as 400, headers);
}
