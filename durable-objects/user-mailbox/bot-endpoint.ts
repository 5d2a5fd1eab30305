import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import type { CallbackAnswer } from '../../protocol/keyboards.js';
import type { Message } from '../../protocol/messages.js';
import type { UpdateEnvelope } from '../../protocol/updates.js';
import type { BotApiUpdate } from '../../protocol/bot-api/types.js';
import { toBotUpdates } from '../../services/bot-api/translate/updates.js';
import { FloodLimits } from '../../services/bots/flood.js';
import type { Env } from '../env.js';
import type { SqlStore } from '../sql/store.js';
import { BotQueue, chatIdOf, POLL_CONFLICT, type BotBatch, type QueuedUpdate, type WebhookConfig } from './bot-queue.js';
import type { Mailbox } from './mailbox.js';
import { dohResolver, resolveAndCheck, webhookPolicy } from '../../services/bot-api/webhook-target.js';
import { postUpdate, WEBHOOK_DELIVERY_FAILED, type ReplyCall, type WebhookFetch, type WebhookOutcome } from './webhook.js';

/** How long a webhook target's check (and its DNS answer) is trusted. */
const TARGET_CHECK_TTL_MS = 60_000;

/** How long a pressed callback button waits for the bot's answer. */
export const CALLBACK_ANSWER_WAIT_MS = 15_000;
/** getUpdates' `timeout` is capped here (seconds), well inside a Worker request's life. */
export const MAX_POLL_TIMEOUT_S = 50;

export type BotEndpointDeps = {
  env: Env;
  store: SqlStore;
  mailbox: Mailbox;
  now: () => number;
  setAlarm: (atMs: number) => void;
  /** Keeps work alive past the current request (ctx.waitUntil). */
  background: (work: Promise<unknown>) => void;
  /** Pushes appended envelopes to the account's sockets. */
  push: (envelopes: UpdateEnvelope[]) => void;
  /** Runs a Bot API method as this bot (a method call in a webhook's reply). */
  runMethod: (call: ReplyCall) => Promise<void>;
  fetch?: WebhookFetch;
};

export type CallbackPress = { chat_id: number; from_id: number; message: Message; data: string };

/**
 * The bot side of a mailbox: long polls held open until an update arrives,
 * the webhook pump (direct after each append, the alarm for retries with
 * backoff), callback presses waiting for their answer, and flood limits.
 * Lives only in bot accounts' mailboxes, created on the first bot call.
 */
export class BotEndpoint {
  readonly queue: BotQueue;
  readonly flood: FloodLimits;
  private poll: { resolve: (superseded: boolean) => void } | undefined;
  private readonly presses = new Map<string, (answer: CallbackAnswer | null) => void>();
  private pumping: Promise<void> | undefined;
  /** The last target check (see targetAllowed). */
  private target: { url: string; ok: boolean; until: number } | undefined;
  /** Updates a webhook took while an earlier one failed: confirmed with it later, never posted twice (until an eviction). */
  private readonly deliveredAhead = new Set<number>();

  constructor(
    private readonly deps: BotEndpointDeps,
    readonly botId: number,
  ) {
    this.queue = new BotQueue(deps.store, botId);
    this.flood = new FloodLimits(deps.now);
  }

  /**
   * getUpdates: answers at once when updates are pending, else holds the
   * request until one arrives or `timeoutS` passes. A newer poll ends the
   * waiting one with Telegram's 409, so one bot instance polls at a time.
   */
  async getUpdates(q: { offset?: number; limit: number; timeoutS: number; allowed?: readonly string[] }): Promise<BotBatch> {
    this.endPoll(true);
    let batch = this.queue.poll(q);
    const deadline = this.deps.now() + Math.min(q.timeoutS, MAX_POLL_TIMEOUT_S) * 1000;
    while (batch.updates.length === 0) {
      const remaining = deadline - this.deps.now();
      if (remaining <= 0) break;
      if (await this.waitForAppend(remaining)) throw new EdgegramError(ErrorCode.CONFLICT, POLL_CONFLICT);
      batch = this.queue.poll({ limit: q.limit });
    }
    return batch;
  }

  /** After the log grew: wake the waiting poll, push to the webhook. */
  onAppended(): void {
    this.endPoll(false);
    if (this.queue.webhook()) this.kick();
  }

  setWebhook(config: WebhookConfig & { allowed?: readonly string[]; dropPending: boolean }): void {
    this.queue.setWebhook(config);
    this.endPoll(true);
    this.kick();
  }

  deleteWebhook(dropPending: boolean): void {
    this.queue.deleteWebhook(dropPending);
  }

  /** The alarm: a retry is due (or the backstop after a lost direct push). */
  async alarm(): Promise<void> {
    await this.pumping;
    await this.runPump(true);
  }

  /** A user pressed a callback button: queue the callback_query and wait for the bot's answer. */
  async press(press: CallbackPress, waitMs = CALLBACK_ANSWER_WAIT_MS): Promise<CallbackAnswer | null> {
    const id = callbackQueryId();
    const now = this.deps.now();
    this.queue.recordCallbackQuery(id, press.from_id, now);
    const answered = new Promise<CallbackAnswer | null>((resolve) => {
      const timer = setTimeout(() => settle(null), waitMs);
      const settle = (answer: CallbackAnswer | null) => {
        clearTimeout(timer);
        this.presses.delete(id);
        resolve(answer);
      };
      this.presses.set(id, settle);
    });
    const envelope = this.deps.mailbox.append({ type: 'callback_query', id, ...press }, now);
    this.deps.push([envelope]);
    this.onAppended();
    return answered;
  }

  /** answerCallbackQuery: false when the query is unknown, already answered or too old. */
  answer(id: string, answer: CallbackAnswer): boolean {
    if (!this.queue.answerCallbackQuery(id, this.deps.now())) return false;
    this.presses.get(id)?.(answer);
    return true;
  }

  private endPoll(superseded: boolean): void {
    const poll = this.poll;
    this.poll = undefined;
    poll?.resolve(superseded);
  }

  /** Resolves true if a newer poll superseded this one, false on an append or the timeout. */
  private waitForAppend(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), ms);
      const done = (superseded: boolean) => {
        clearTimeout(timer);
        if (this.poll === entry) this.poll = undefined;
        resolve(superseded);
      };
      const entry = { resolve: done };
      this.poll = entry;
    });
  }

  private kick(): void {
    if (this.pumping) return;
    this.pumping = this.runPump(false).finally(() => (this.pumping = undefined));
    this.deps.background(this.pumping);
  }

  /**
   * Delivers pending updates to the webhook, up to max_connections at once
   * (see webhookWindow: in parallel across chats, in order within a chat).
   * The queue confirms in order, so an update is confirmed once it and every
   * update before it got a 2xx; one delivered beyond a failure is remembered
   * (in memory) and not posted again. A failure records the error and arms
   * the alarm with exponential backoff. Direct pushes respect the backoff;
   * the alarm is the retry.
   */
  private async runPump(retryDue: boolean): Promise<void> {
    const fetchImpl: WebhookFetch = this.deps.fetch ?? ((url, init) => fetch(url, init));
    for (;;) {
      const hook = this.queue.webhook();
      if (!hook) return;
      const due = this.queue.nextAttemptAt();
      if (!retryDue && due !== null && due > this.deps.now()) return this.deps.setAlarm(due);
      retryDue = false;
      const batch = this.queue.pending(WEBHOOK_LOOKAHEAD);
      if (batch.updates.length === 0) return;
      // Judged again before every round: a URL stored under other rules, or a name that now resolves elsewhere.
      if (!(await this.targetAllowed(hook.url, fetchImpl))) {
        return this.deps.setAlarm(this.queue.failed(this.deps.now(), WEBHOOK_DELIVERY_FAILED));
      }
      const window = webhookWindow(batch.updates, this.deliveredAhead, hook.maxConnections);
      const outcomes = await this.post(hook, { updates: window, chats: batch.chats }, fetchImpl);
      if (this.queue.webhook()?.url !== hook.url) return; // replaced or deleted meanwhile
      let confirmUpTo: number | null = null;
      let failure: string | null = null;
      let gap = false;
      for (const q of batch.updates) {
        const outcome = outcomes.get(q.update_id);
        if (outcome && !outcome.ok) failure ??= outcome.error;
        const ok = this.deliveredAhead.has(q.update_id) || outcome?.ok === true;
        if (!ok) gap = true; // failed, or not in this window
        else if (!gap) confirmUpTo = q.update_id;
        else this.deliveredAhead.add(q.update_id);
      }
      if (confirmUpTo !== null) {
        this.queue.delivered(confirmUpTo);
        for (const id of this.deliveredAhead) if (id <= confirmUpTo) this.deliveredAhead.delete(id);
      }
      for (const q of window) {
        const outcome = outcomes.get(q.update_id);
        if (outcome?.ok && outcome.call) {
          await this.deps.runMethod(outcome.call).catch((err: unknown) => console.warn('webhook reply method failed', err));
        }
      }
      if (failure !== null) return this.deps.setAlarm(this.queue.failed(this.deps.now(), failure));
    }
  }

  /** Whether the webhook's target may be posted to (webhook-target.ts), remembered for a minute per URL. */
  private async targetAllowed(url: string, fetchImpl: WebhookFetch): Promise<boolean> {
    const now = this.deps.now();
    if (this.target?.url === url && this.target.until > now) return this.target.ok;
    const resolver = dohResolver((input, init) => fetchImpl(String(input instanceof Request ? input.url : input), init ?? {}));
    const verdict = await resolveAndCheck(url, webhookPolicy(this.deps.env), resolver);
    if (!verdict.ok) console.warn(JSON.stringify({ event: 'webhook_target_refused', bot_id: this.botId, reason: verdict.reason }));
    this.target = { url, ok: verdict.ok, until: now + TARGET_CHECK_TTL_MS };
    return verdict.ok;
  }

  /** POSTs a window's updates concurrently; an update that translates to nothing counts as delivered. */
  private async post(hook: WebhookConfig, window: BotBatch, fetchImpl: WebhookFetch): Promise<Map<number, WebhookOutcome>> {
    const outcomes = new Map<number, WebhookOutcome>();
    let translated: Map<number, BotApiUpdate>;
    try {
      translated = new Map((await toBotUpdates(this.deps.env, this.botId, window)).map((u) => [u.update_id, u]));
    } catch (err) {
      console.error(`bot ${this.botId}: translating updates for the webhook failed`, err);
      for (const q of window.updates) outcomes.set(q.update_id, { ok: false, error: 'Internal error while preparing the update' });
      return outcomes;
    }
    await Promise.all(
      window.updates.map(async (q) => {
        const update = translated.get(q.update_id);
        outcomes.set(q.update_id, update ? await postUpdate(hook, update, fetchImpl) : { ok: true, call: null });
      }),
    );
    return outcomes;
  }
}

/** How far ahead of the confirmed offset the pump looks for updates of other chats. */
const WEBHOOK_LOOKAHEAD = 100;

/**
 * The updates to POST at once: at most `maxConnections`, at most one per
 * chat, and none after an earlier one of the same chat that is not in the
 * window, so each chat's updates arrive in order (what a bot's conversation
 * state relies on) while a slow chat does not hold up the others.
 */
export function webhookWindow(pending: readonly QueuedUpdate[], deliveredAhead: ReadonlySet<number>, maxConnections: number): QueuedUpdate[] {
  const window: QueuedUpdate[] = [];
  const blocked = new Set<number>();
  for (const q of pending) {
    if (window.length >= Math.max(1, maxConnections)) break;
    if (deliveredAhead.has(q.update_id)) continue;
    const chat = chatIdOf(q.update);
    if (!blocked.has(chat)) window.push(q);
    blocked.add(chat);
  }
  return window;
}

/** Telegram's callback query ids are opaque decimal strings. */
function callbackQueryId(): string {
  const [hi, lo] = crypto.getRandomValues(new Uint32Array(2));
  return ((BigInt(hi! & 0x7fffffff) << 32n) | BigInt(lo!)).toString();
}
