import type { BotApiUpdate } from '../../protocol/bot-api/types.js';
import type { WebhookConfig } from './bot-queue.js';

/** A webhook that does not answer within this long counts as failed (and is retried). */
export const WEBHOOK_TIMEOUT_MS = 15_000;
/** A reply body above this is not read: a method call in it is a small JSON object. */
const MAX_REPLY_BYTES = 1024 * 1024;

export type WebhookFetch = (url: string, init: RequestInit) => Promise<Response>;

/** A method call a webhook put in its response body, Telegram's way: `{"method": "...", ...params}`. */
export type ReplyCall = { method: string; params: Record<string, unknown> };

export type WebhookOutcome = { ok: true; call: ReplyCall | null } | { ok: false; error: string };

/**
 * POSTs one update to the bot's webhook, as Telegram does: JSON body, the
 * secret in X-Telegram-Bot-Api-Secret-Token, success = any 2xx. Errors are
 * described in the words getWebhookInfo's last_error_message uses.
 */
export async function postUpdate(
  hook: WebhookConfig,
  update: BotApiUpdate,
  fetchImpl: WebhookFetch,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<WebhookOutcome> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (hook.secret) headers['x-telegram-bot-api-secret-token'] = hook.secret;
  let response: Response;
  try {
    response = await fetchImpl(hook.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(update),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { ok: false, error: timedOut ? 'Read timeout expired' : 'Connection refused' };
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel();
    return { ok: false, error: `Wrong response from the webhook: ${response.status} ${response.statusText}`.trim() };
  }
  return { ok: true, call: await replyCall(response) };
}

async function replyCall(response: Response): Promise<ReplyCall | null> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) {
    await response.body?.cancel();
    return null;
  }
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > MAX_REPLY_BYTES) {
    await response.body?.cancel();
    return null;
  }
  try {
    const body = JSON.parse(await response.text()) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
    const { method, ...params } = body as Record<string, unknown>;
    return typeof method === 'string' && method.length > 0 ? { method, params } : null;
  } catch {
    return null;
  }
}
