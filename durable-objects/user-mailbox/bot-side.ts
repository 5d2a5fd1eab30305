import { runReplyCall } from '../bot-api/dispatch.js';
import { botFatherAccountId, runBotFather } from '../bots/botfather-runner.js';
import type { Env } from '../env.js';
import { durableSqlStore, type SqlStore } from '../sql/store.js';
import type { UpdateEnvelope } from '../../protocol/updates.js';
import { BotEndpoint } from './bot-endpoint.js';
import { queuedBotId } from './bot-queue.js';
import type { Mailbox } from './mailbox.js';

/** A failed BotFather run is retried by the alarm after this long. */
const BOT_FATHER_RETRY_MS = 5_000;

/**
 * What a mailbox does when its account is a bot: the BotEndpoint (polls,
 * webhook, callback presses, flood limits), BotFather's server-side
 * conversation when the account is BotFather, and the DO alarm they share.
 * A user's mailbox pays one small SQLite read per delivery for it.
 */
export class BotSide {
  private endpoint: BotEndpoint | undefined;
  private readonly store: SqlStore;
  private botFatherRunning = false;
  private botFatherAgain = false;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly mailboxFor: (userId: number) => Mailbox,
    private readonly push: (envelopes: UpdateEnvelope[]) => void,
  ) {
    this.store = durableSqlStore(ctx.storage);
  }

  /** The bot side of `botId`'s mailbox, created on its first bot call. */
  bot(botId: number): BotEndpoint {
    const mailbox = this.mailboxFor(botId);
    if (this.endpoint) return this.endpoint;
    this.endpoint = new BotEndpoint(
      {
        env: this.env,
        store: this.store,
        mailbox,
        now: Date.now,
        setAlarm: (at) => this.armAlarm(at),
        background: (work) => this.ctx.waitUntil(work),
        push: this.push,
        runMethod: (call) => runReplyCall(this.env, botId, call),
      },
      botId,
    );
    return this.endpoint;
  }

  /** After the account's log grew: wake a waiting poll or the webhook, and BotFather's conversation. */
  afterAppend(userId: number): void {
    if (this.endpoint || queuedBotId(this.store) === userId) this.bot(userId).onAppended();
    this.ctx.waitUntil(this.runBotFatherIfMine(userId));
  }

  /** The shared alarm: webhook retries and BotFather retries. */
  async alarm(): Promise<void> {
    const botId = queuedBotId(this.store);
    if (botId === undefined) return;
    await this.bot(botId).alarm();
    await this.runBotFatherIfMine(botId);
  }

  private async runBotFatherIfMine(userId: number): Promise<void> {
    let botFather: number | undefined;
    try {
      botFather = await botFatherAccountId(this.env);
    } catch (err) {
      console.warn('BotFather lookup failed', err);
      return;
    }
    if (userId !== botFather) return;
    // One run at a time; an append during a run makes it go round again.
    if (this.botFatherRunning) {
      this.botFatherAgain = true;
      return;
    }
    this.botFatherRunning = true;
    try {
      do {
        this.botFatherAgain = false;
        await runBotFather(this.env, this.bot(userId).queue, Date.now);
      } while (this.botFatherAgain);
    } catch (err) {
      console.error('BotFather run failed; the alarm retries', err);
      this.armAlarm(Date.now() + BOT_FATHER_RETRY_MS);
    } finally {
      this.botFatherRunning = false;
    }
  }

  /** One alarm per object: keep the earliest wanted time. */
  private armAlarm(at: number): void {
    this.ctx.waitUntil(
      (async () => {
        const current = await this.ctx.storage.getAlarm();
        // A past time is the alarm running now: it does not cover a later retry.
        if (current === null || current > at || current <= Date.now()) await this.ctx.storage.setAlarm(at);
      })().catch((err: unknown) => console.error('setAlarm failed', err)),
    );
  }
}
