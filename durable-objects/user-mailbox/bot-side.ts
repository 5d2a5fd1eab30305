import { runReplyCall } from '../../services/bot-api/dispatch.js';
import { botFatherAccountId, runBotFather } from '../../services/bots/botfather-runner.js';
import type { Env } from '../env.js';
import type { AlarmJobs } from '../alarm-jobs.js';
import type { SqlStore } from '../sql/store.js';
import type { UpdateEnvelope } from '../../protocol/updates.js';
import type { AccountJob } from './account-jobs.js';
import { BotEndpoint } from './bot-endpoint.js';
import { queuedBotId } from './bot-queue.js';
import type { Mailbox } from './mailbox.js';

/** A failed BotFather run is retried by the alarm after this long. */
const BOT_FATHER_RETRY_MS = 5_000;

/** The bot side's timed jobs. */
export type BotJob = 'webhook' | 'botfather';
/** The mailbox's timed jobs (see ../alarm-jobs.ts): the bot side's and the account's own (account-jobs.ts). */
export type MailboxJob = BotJob | AccountJob;

export type BotSideDeps = {
  ctx: DurableObjectState;
  env: Env;
  store: SqlStore;
  logic: Mailbox;
  jobs: AlarmJobs<MailboxJob>;
  /** Pushes appended envelopes to the account's sockets. */
  push: (envelopes: UpdateEnvelope[]) => void;
};

/**
 * What a mailbox does when its account is a bot: the BotEndpoint (polls,
 * webhook, callback presses, flood limits) and BotFather's server-side
 * conversation when the account is BotFather, each with its timed job on the
 * mailbox's alarm. A user's mailbox pays one small SQLite read per delivery
 * for it.
 */
export class BotSide {
  private endpoint: BotEndpoint | undefined;
  private botFatherRunning = false;
  private botFatherAgain = false;
  private queuedBot: boolean | undefined;

  constructor(private readonly deps: BotSideDeps) {}

  /** The bot side of this mailbox, created on its first bot call. */
  bot(): BotEndpoint {
    const { ctx, env, store, logic, jobs, push } = this.deps;
    this.endpoint ??= new BotEndpoint(
      {
        env,
        store,
        mailbox: logic,
        now: Date.now,
        setAlarm: (at) => jobs.schedule('webhook', at),
        background: (work) => ctx.waitUntil(work),
        push,
        runMethod: (call) => runReplyCall(env, logic.userId, call),
      },
      logic.userId,
    );
    return this.endpoint;
  }

  /** After the account's log grew: wake a waiting poll or the webhook, and BotFather's conversation. */
  afterAppend(): void {
    // Read once per instance: the queue's row is made only by bot(), which sets the endpoint.
    this.queuedBot ??= queuedBotId(this.deps.store) === this.deps.logic.userId;
    if (this.endpoint || this.queuedBot) this.bot().onAppended();
    this.deps.ctx.waitUntil(this.runBotFatherIfMine());
  }

  /** The jobs on the mailbox's alarm: webhook retries (and the backstop of a lost push), BotFather retries. */
  readonly jobs = {
    webhook: () => this.bot().alarm(),
    botfather: () => this.runBotFatherIfMine(),
  } satisfies Record<BotJob, () => Promise<void>>;

  private async runBotFatherIfMine(): Promise<void> {
    const userId = this.deps.logic.userId;
    let botFather: number | undefined;
    try {
      botFather = await botFatherAccountId(this.deps.env);
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
        await runBotFather(this.deps.env, this.bot().queue, Date.now);
      } while (this.botFatherAgain);
    } catch (err) {
      console.error('BotFather run failed; the alarm retries', err);
      this.deps.jobs.schedule('botfather', Date.now() + BOT_FATHER_RETRY_MS);
    } finally {
      this.botFatherRunning = false;
    }
  }
}
