import type { BotApiUpdate } from '../../protocol/bot-api/types.js';
import { readCappedBytes } from '../../services/body.js';
import type { WebhookConfig } from './bot-queue.js';

/**
 * What getWebhookInfo says of any failed delivery. One text on purpose: if
 * refused, timed out, redirected and each status read differently, a bot's
 * owner could map the network the server sees through the webhook's error
 * (a port scanner). The owner sees their own server's logs.
 */
export const WEBHOOK_DELIVERY_FAILED = 'Webhook delivery failed';

/** A webhook that does not answer within this long counts as failed (and is retried). */
export const WEBHOOK_TIMEOUT_MS = 15_000;
/** Reply bodies above these are not read: Telegram's own caps for a method call's parameters. */
const MAX_JSON_REPLY_BYTES = 1024 * 1024;
const MAX_FORM_REPLY_BYTES = 50 * 1024 * 1024;

export type WebhookFetch = (url: string, init: RequestInit) => Promise<Response>;

/** A method call a webhook put in its response body, Telegram's way: `{"method": "...", ...params}`. */
export type ReplyCall = { method: string; params: Record<string, unknown> };

export type WebhookOutcome = { ok: true; call: ReplyCall | null } | { ok: false; error: string };

/**
 * POSTs one update to the bot's webhook, as Telegram does: JSON body, the
 * secret in X-Telegram-Bot-Api-Secret-Token, success = any 2xx. Redirects
 * are never followed (a 3xx is a failure: a redirect could point anywhere the
 * target check refused). Every failure reads the same (WEBHOOK_DELIVERY_FAILED).
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
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    return { ok: false, error: WEBHOOK_DELIVERY_FAILED };
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel();
    return { ok: false, error: WEBHOOK_DELIVERY_FAILED };
  }
  return { ok: true, call: await replyCall(response) };
}

/**
 * The method call in a webhook's reply, in any of the encodings Telegram
 * reads there: JSON, urlencoded or multipart form. Form values stay strings
 * (the method's schema coerces them). A file inside a reply is not stored:
 * uploads are the Worker's (workers/bot-api/uploads.ts) and this runs in the
 * bot's mailbox, so such a call fails as a bad parameter would, unseen, as
 * Telegram's reply calls do. Anything else, or too large, is no call (the
 * update still counts as delivered: the webhook answered 2xx).
 */
async function replyCall(response: Response): Promise<ReplyCall | null> {
  const type = (response.headers.get('content-type') ?? '').toLowerCase();
  const form = type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded');
  if (!form && !type.includes('json')) {
    await response.body?.cancel();
    return null;
  }
  const max = form ? MAX_FORM_REPLY_BYTES : MAX_JSON_REPLY_BYTES;
  if (Number(response.headers.get('content-length') ?? '0') > max) {
    await response.body?.cancel();
    return null;
  }
  try {
    const bytes = await readCappedBytes(response.body, max, () => new Error('webhook reply too large'));
    const fields = form ? await formFields(bytes, response.headers.get('content-type')!) : (JSON.parse(new TextDecoder().decode(bytes)) as unknown);
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return null;
    const { method, ...params } = fields as Record<string, unknown>;
    return typeof method === 'string' && method.length > 0 ? { method, params } : null;
  } catch {
    return null;
  }
}

/** The runtime's own form parser (multipart and urlencoded), over bytes already capped. */
async function formFields(bytes: Uint8Array, contentType: string): Promise<Record<string, unknown>> {
  const data = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
  const fields: Record<string, unknown> = {};
  for (const [key, value] of data.entries()) fields[key] = value;
  return fields;
}
