import { DurableObject } from 'cloudflare:workers';
import type { User } from '../../protocol/common.js';
import type { CallbackAnswer } from '../../protocol/keyboards.js';
import type { Dialog } from '../../protocol/messages.js';
import type { MethodResult } from '../../protocol/methods.js';
import type { EphemeralEvent, SyncState } from '../../protocol/updates.js';
import { PING_FRAME, PONG_FRAME } from '../../protocol/ws.js';
import { AlarmJobs } from '../alarm-jobs.js';
import type { Env } from '../env.js';
import type { OwnMailbox } from '../../services/account-api/context.js';
import { capture, type Outcome } from '../outcome.js';
import { migrate } from '../sql/migrate.js';
import { durableSqlStore, type SqlStore } from '../sql/store.js';
import { mailboxOwner } from '../stubs.js';
import type { CallbackPress } from './bot-endpoint.js';
import type { BotBatch, WebhookConfig, WebhookInfo } from './bot-queue.js';
import { AccountJobs, type AccountJob } from './account-jobs.js';
import { BotSide, type MailboxJob } from './bot-side.js';
import { ConnectGate, TICKET_LIFETIME_MS } from './connect-gate.js';
import { Connections } from './connections.js';
import type { ChatEvent } from './delivery.js';
import { isLargeKind, LargeChats } from './large-chats.js';
import { Mailbox } from './mailbox.js';
import { mailboxMigrations } from './migrations.js';
import { PeerNotices } from './peer-notices.js';

/** The parts of a mailbox, made on the first event that needs them (a hibernated socket's wake-up may need none). */
type Parts = {
  logic: Mailbox;
  large: LargeChats;
  connections: Connections;
  notices: PeerNotices;
  bots: BotSide;
  jobs: AlarmJobs<MailboxJob>;
  account: AccountJobs;
  own: OwnMailbox;
};

/**
 * One account's mailbox, a thin adapter over its parts:
 * - the update log and dialogs (`Mailbox`, mailbox.ts);
 * - the devices' WebSockets and the account's presence (connections.ts);
 * - notices to other accounts' mailboxes: presence, profile (peer-notices.ts);
 * - the bot side, for bot accounts: Bot API queue, webhook, polls, callback
 *   presses, flood limits, BotFather (bot-side.ts);
 * - one alarm shared by their timed jobs (../alarm-jobs.ts).
 * The account is the object's own name (`user:<id>`); every RPC naming
 * another account is refused.
 */
export class UserMailbox extends DurableObject<Env> {
  private readonly userId: number;
  private readonly store: SqlStore;
  private made: Parts | undefined;
  private gate: ConnectGate | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.userId = mailboxOwner(ctx.id);
    this.store = durableSqlStore(ctx.storage);
    // Answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
  }

  private parts(): Parts {
    if (this.made) return this.made;
    const { ctx, env, store } = this;
    const logic = new Mailbox(store, this.userId);
    const jobs = new AlarmJobs<MailboxJob>(
      store,
      (at) => ctx.waitUntil(ctx.storage.setAlarm(at).catch((err: unknown) => console.error('setAlarm failed', err))),
      Date.now,
    );
    const broadcastOwn = (frame: Parameters<Connections['broadcast']>[0]) => connections.broadcast(frame);
    const notices = new PeerNotices(env, logic, (event) => broadcastOwn({ t: 'event', event }));
    const requestChanged = (chatId: number, isRequest: boolean) =>
      broadcastOwn({ t: 'event', event: { type: 'message_request', chat_id: chatId, is_request: isRequest } });
    logic.onRequestAnswered = (chatId) => requestChanged(chatId, false);
    const large = new LargeChats(env, this.userId, logic);
    const own: OwnMailbox = {
      getState: async () => logic.state(),
      getDifference: async (pts, limit) => logic.getDifference(pts, limit),
      getDialogs: async (options) => {
        await large.ready(ctx.getWebSockets().length > 0);
        return logic.getDialogs(options);
      },
      announceProfile: (user) => notices.profile(user),
      announcePresenceRule: () => notices.presenceRuleChanged(),
      privateChatWith: async (peerId) => logic.privateChatWith(peerId),
      setBlocked: async (peerId, blocked) => logic.setBlocked(peerId, blocked),
      closeSessions: async (sessionIds) => connections.closeSessions(sessionIds),
      scheduleAccountJob: async (job, at) => account.schedule(job, at),
      acceptMessageRequest: async (chatId) => {
        if (logic.requests.accept(chatId)) requestChanged(chatId, false);
      },
    };
    const connections = new Connections({
      ctx,
      env,
      userId: this.userId,
      gate: () => this.connectGate(),
      own,
      notices,
      cameOnline: () => large.cameOnline(),
      wentOffline: () => large.wentOffline(),
    });
    const bots = new BotSide({ ctx, env, store, logic, jobs, push: (updates) => broadcastOwn({ t: 'updates', updates }) });
    const account = new AccountJobs({
      env,
      userId: this.userId,
      jobs,
      closeSessions: (ids) => connections.closeSessions(ids),
      announceProfile: (user) => notices.profile(user),
      getDialogs: (options) => own.getDialogs(options),
    });
    this.made = { logic, large, connections, notices, bots, jobs, own, account };
    return this.made;
  }

  /** The parts, for an RPC about `userId`: always this mailbox's own account. */
  private own(userId: number): Parts {
    if (userId !== this.userId) throw new Error(`mailbox of ${this.userId} addressed as ${userId}`);
    return this.parts();
  }

  /** Its tables come with the mailbox's migrations; a socket's wake-up needs no more than this. */
  private connectGate(): ConnectGate {
    if (!this.gate) {
      migrate(this.store, mailboxMigrations);
      this.gate = new ConnectGate(this.store, TICKET_LIFETIME_MS);
    }
    return this.gate;
  }

  // ---- the devices' WebSockets (connections.ts) ----

  /** WebSocket upgrade, forwarded by the Worker after it verified a connect ticket's signature. */
  override async fetch(request: Request): Promise<Response> {
    return this.parts().connections.accept(request);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    await this.parts().connections.message(ws, message);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    await this.parts().connections.closed(ws, code, reason);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.parts().connections.gone(ws);
  }

  // ---- RPC from ChatRooms and other mailboxes ----

  /** Applies chat events (deduplicated) and pushes the new envelopes to every device. */
  async deliver(userId: number, events: ChatEvent[]): Promise<Outcome<{ applied: number }>> {
    return capture(() => {
      const { logic, large, connections, bots } = this.own(userId);
      const appended = logic.deliver(events);
      if (appended.length > 0) {
        connections.broadcast({ t: 'updates', updates: appended });
        bots.afterAppend();
        // Joined a large chat while online: its pushes start now (else when a device next comes online).
        if (this.ctx.getWebSockets().length > 0) {
          for (const { update: u } of appended) {
            if (u.type === 'chat' && isLargeKind(u.chat.kind) && u.chat.member_ids.includes(userId)) {
              this.ctx.waitUntil(large.joined(u.chat.id));
            }
          }
        }
      }
      return { applied: appended.length };
    });
  }

  /**
   * A large chat's new entries, from its fan-out shard: to every device as
   * a `channel_updates` frame. False (the shard forgets this account) when
   * no device is online or the account is not in the chat.
   */
  async pushChannel(userId: number, chatId: number, frame: string, entries = true): Promise<boolean> {
    const { large, connections } = this.own(userId);
    const online = this.ctx.getWebSockets().length > 0;
    return large.pushed(chatId, online, entries, () => connections.broadcastText(frame));
  }

  /** Ephemeral events (typing, presence, profiles): pushed to online devices, never stored. */
  async pushEvent(userId: number, event: EphemeralEvent): Promise<void> {
    this.own(userId).connections.broadcast({ t: 'event', event });
  }

  /** This account's profile changed: its devices and its chat peers are told (peer-notices.ts). */
  async announceProfile(userId: number, user: User): Promise<void> {
    await this.own(userId).notices.profile(user);
  }

  // ---- RPC from the Worker ----

  /** Closes every socket of the given sessions at once (logout, terminate), and refuses their unused tickets. */
  /** This account's "last seen" rule changed: its peers are told what they may now see (peer-notices.ts). */
  async announcePresenceRule(userId: number): Promise<void> {
    await this.own(userId).notices.presenceRuleChanged();
  }

  async closeSessions(sessionIds: string[]): Promise<void> {
    this.parts().connections.closeSessions(sessionIds);
  }

  /** deleteAccount or requestDataExport armed one of this account's jobs: the alarm runs it at `at` (account-jobs.ts). */
  async scheduleAccountJob(userId: number, job: AccountJob, at: number): Promise<void> {
    this.own(userId).account.schedule(job, at);
  }

  async getState(userId: number): Promise<Outcome<SyncState>> {
    return capture(() => this.own(userId).logic.state());
  }

  async getDifference(userId: number, pts: number, limit?: number): Promise<Outcome<MethodResult<'getDifference'>>> {
    return capture(() => this.own(userId).logic.getDifference(pts, limit));
  }

  /** The private chat with `peerId`, if this account has it (a send by user id skips D1 with it). */
  async privateChatWith(userId: number, peerId: number): Promise<Outcome<number | undefined>> {
    return capture(() => this.own(userId).logic.privateChatWith(peerId));
  }

  /**
   * `fromUserId` started a private chat with this account that its
   * "messages" rule leaves them out of (the sender's call asked D1): the chat
   * is listed among this account's message requests.
   */
  async markMessageRequest(userId: number, chatId: number, fromUserId: number): Promise<Outcome<void>> {
    return capture(() => {
      const { logic, connections } = this.own(userId);
      if (logic.requests.mark(chatId, fromUserId, Date.now())) {
        connections.broadcast({ t: 'event', event: { type: 'message_request', chat_id: chatId, is_request: true } });
      }
    });
  }

  async acceptMessageRequest(userId: number, chatId: number): Promise<Outcome<void>> {
    return capture(() => this.own(userId).own.acceptMessageRequest(chatId));
  }

  /** This account blocked (or unblocked) `peerId`: its presence stops (or starts) reaching them. */
  async setBlocked(userId: number, peerId: number, blocked: boolean): Promise<Outcome<void>> {
    return capture(() => this.own(userId).logic.setBlocked(peerId, blocked));
  }

  async getDialogs(
    userId: number,
    options: { offsetDate?: number; offsetChatId?: number; limit?: number },
  ): Promise<Outcome<Dialog[]>> {
    // The same path as a socket's call: large chats' dialogs are made fresh first (large-chats.ts).
    return capture(async () => {
      const { large, logic } = this.own(userId);
      await large.ready(this.ctx.getWebSockets().length > 0);
      return logic.getDialogs(options);
    });
  }

  // ---- RPC from the Bot API (bot accounts only) ----

  /** getUpdates: held open up to `timeoutS` until an update arrives. */
  async botGetUpdates(
    botId: number,
    q: { offset?: number; limit: number; timeoutS: number; allowed?: string[] },
  ): Promise<Outcome<BotBatch>> {
    return capture(() => this.own(botId).bots.bot().getUpdates(q));
  }

  async botSetWebhook(
    botId: number,
    config: WebhookConfig & { allowed?: string[]; dropPending: boolean },
  ): Promise<Outcome<void>> {
    return capture(() => this.own(botId).bots.bot().setWebhook(config));
  }

  async botDeleteWebhook(botId: number, dropPending: boolean): Promise<Outcome<void>> {
    return capture(() => this.own(botId).bots.bot().deleteWebhook(dropPending));
  }

  async botWebhookInfo(botId: number): Promise<Outcome<WebhookInfo>> {
    return capture(() => this.own(botId).bots.bot().queue.info());
  }

  /** A user pressed a callback button: queues the callback_query, waits for the answer (null: none in time). */
  async botPressCallback(botId: number, press: CallbackPress): Promise<Outcome<CallbackAnswer | null>> {
    return capture(() => this.own(botId).bots.bot().press(press));
  }

  /** false: the query is unknown, already answered or too old. */
  async botAnswerCallback(botId: number, queryId: string, answer: CallbackAnswer): Promise<Outcome<boolean>> {
    return capture(() => this.own(botId).bots.bot().answer(queryId, answer));
  }

  /** Counts one message against the bot's flood limits: 0, or seconds to wait. */
  async botTakeSend(botId: number, chatId: number, isGroup: boolean): Promise<number> {
    return this.own(botId).bots.bot().flood.take(chatId, isGroup);
  }

  /** The timed jobs that are due (webhook retries, BotFather, the account's deletion); each at-least-once safe. */
  override async alarm(): Promise<void> {
    const { jobs, bots, account } = this.parts();
    await jobs.run({ ...bots.jobs, ...account.jobs });
  }
}
