import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { expect } from 'vitest';
import { chatRoomStub } from '../../durable-objects/stubs.js';
import type { MethodInput, MethodName, MethodResult } from '../../protocol/methods.js';
import type { BotApiMessage, BotApiResponseParameters, BotApiUpdate } from '../../protocol/bot-api/types.js';
import { api, BASE, signup, uniqueUsername, type Account } from './helpers.js';

/** Calls an account method over HTTP and returns its result, failing on an error. */
export async function call<M extends MethodName>(who: Account, method: M, params: MethodInput<M>): Promise<MethodResult<M>> {
  const res = await api(`/v1/call/${method}`, { body: params, token: who.token });
  if (res.status !== 200) throw new Error(`${method}: ${res.status} ${await res.text()}`);
  return (await res.json()) as MethodResult<M>;
}

/** Calls an account method expecting an error; returns its code. */
export async function callError(who: Account, method: string, params: unknown): Promise<string> {
  const res = await api(`/v1/call/${method}`, { body: params, token: who.token });
  expect(res.status).toBeGreaterThanOrEqual(400);
  const body = (await res.json()) as { error: { code: string } };
  return body.error.code;
}

export type TestBot = { id: number; username: string; token: string; owner: Account };

/** A user and a bot it owns, created through the account API. */
export async function newBot(owner?: Account, options: { privacy?: boolean } = {}): Promise<TestBot> {
  const who = owner ?? (await signup());
  const username = `${uniqueUsername('t').slice(0, 28)}_bot`;
  const { bot, token } = await call(who, 'createBot', { username, display_name: 'Test Bot' });
  if (options.privacy === false) await call(who, 'setBotPrivacy', { bot_id: bot.user.id, enabled: false });
  return { id: bot.user.id, username, token, owner: who };
}

export type Encoding = 'json' | 'form' | 'query' | 'multipart';
export type BotReply<T = unknown> = {
  status: number;
  body: { ok: boolean; result?: T; error_code?: number; description?: string; parameters?: BotApiResponseParameters };
};

/** One Bot API request, encoded the way the given framework style would. */
export async function bot<T = unknown>(
  token: string,
  method: string,
  params: Record<string, unknown> = {},
  encoding: Encoding = 'json',
): Promise<BotReply<T>> {
  const url = new URL(`${BASE}/bot${token}/${method}`);
  const init: RequestInit = { method: 'POST' };
  const asString = (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v));
  if (encoding === 'json') {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(params);
  } else if (encoding === 'form') {
    init.headers = { 'content-type': 'application/x-www-form-urlencoded' };
    init.body = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, asString(v)])).toString();
  } else if (encoding === 'multipart') {
    const form = new FormData();
    for (const [k, v] of Object.entries(params)) form.set(k, asString(v));
    init.body = form;
  } else {
    init.method = 'GET';
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, asString(v));
  }
  const res = await SELF.fetch(url, init);
  return { status: res.status, body: (await res.json()) as BotReply<T>['body'] };
}

/** A Bot API call that must succeed; returns its result. */
export async function botOk<T = unknown>(token: string, method: string, params: Record<string, unknown> = {}, encoding?: Encoding): Promise<T> {
  const reply = await bot<T>(token, method, params, encoding);
  if (!reply.body.ok) throw new Error(`${method}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.result as T;
}

/** A Bot API call that must fail; returns Telegram's error shape. */
export async function botFails(token: string, method: string, params: Record<string, unknown> = {}, encoding?: Encoding) {
  const reply = await bot(token, method, params, encoding);
  expect(reply.body.ok).toBe(false);
  expect(reply.status).toBe(reply.body.error_code);
  return reply.body as { ok: false; error_code: number; description: string; parameters?: BotApiResponseParameters };
}

async function outboxSize(chatId: number): Promise<number> {
  return runInDurableObject(chatRoomStub(env, chatId), (_instance, state) => {
    return state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM outbox_events').one().n;
  });
}

/** Waits for a chat's direct delivery to drain its outbox. */
export async function delivered(chatId: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await outboxSize(chatId)) === 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`outbox of chat ${chatId} did not drain`);
}

/** A user writes to the bot (creating their private chat); returns the message after delivery. */
export async function userWrites(user: Account, botId: number, text: string, extra: Record<string, unknown> = {}) {
  const { message } = await call(user, 'sendMessage', {
    peer: { user_id: botId },
    random_id: crypto.randomUUID().replace(/-/g, ''),
    text,
    ...extra,
  });
  await delivered(message.chat_id);
  return message;
}

/** getUpdates with no waiting; the updates it returned. */
export async function updates(token: string, params: Record<string, unknown> = {}): Promise<BotApiUpdate[]> {
  return botOk<BotApiUpdate[]>(token, 'getUpdates', { timeout: 0, ...params });
}

/** Reads the bot's pending updates and confirms them; returns their messages. */
export async function takeMessages(token: string): Promise<BotApiMessage[]> {
  const list = await updates(token);
  if (list.length > 0) await updates(token, { offset: list[list.length - 1]!.update_id + 1 });
  return list.flatMap((u) => (u.message ? [u.message] : []));
}
