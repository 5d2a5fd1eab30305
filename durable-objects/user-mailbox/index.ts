import { DurableObject } from 'cloudflare:workers';
import { database } from '../../d1/db.js';
import { setPresence } from '../../d1/queries/accounts.js';
import { EdgegramError, ErrorCode, toErrorBody } from '../../protocol/errors.js';
import type { Dialog } from '../../protocol/messages.js';
import type { User } from '../../protocol/common.js';
import type { MethodResult } from '../../protocol/methods.js';
import type { CallbackAnswer } from '../../protocol/keyboards.js';
import type { EphemeralEvent, SyncState } from '../../protocol/updates.js';
import { CloseCode, PING_FRAME, PONG_FRAME } from '../../protocol/ws.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import type { Env } from '../env.js';
import type { Caller, OwnMailbox } from '../methods/context.js';
import { dispatch } from '../methods/dispatch.js';
import { capture, type Outcome } from '../outcome.js';
import { migrate } from '../sql/migrate.js';
import { durableSqlStore } from '../sql/store.js';
import { mailbox as mailboxStub } from '../stubs.js';
import type { BotBatch, WebhookConfig, WebhookInfo } from './bot-queue.js';
import type { CallbackPress } from './bot-endpoint.js';
import { BotSide } from './bot-side.js';
import type { ChatEvent } from './delivery.js';
import { readFrame } from './frames.js';
import { ConnectGate, TICKET_LIFETIME_MS } from './connect-gate.js';
import { Mailbox } from './mailbox.js';
import { mailboxMigrations } from './migrations.js';
import { broadcast, closeIfExpired, sendFrame, sessionTag, socketCaller, type SocketIdentity } from './sockets.js';

/**
 * A profile change reaches at most this many chat peers live (those of the
 * most recently active chats first): a bound on one call's fan-out for an
 * account in many large groups, well inside the platform's subrequest limit
 * per invocation (1,000 on the free plan; a call over the socket also spends
 * a few on D1). The rest see it on their next fetch.
 */
export const PROFILE_FANOUT_LIMIT = 500;

/** Header carrying the identity the Worker verified; the DO is reachable only from the Worker. */
export const IDENTITY_HEADER = 'x-edgegram-identity';

/** What the Worker forwards with an upgrade: the ticket's caller, and what the gate needs of the ticket. */
export type UpgradeIdentity = SocketIdentity & { ticket: { nonce: string; expiresAt: number } };

/**
 * One account's mailbox: its update log and dialogs (logic in mailbox.ts),
 * and the hibernatable WebSockets of all its devices.
 */
export class UserMailbox extends DurableObject<Env> {
  private logic: Mailbox | undefined;
  /** Bot accounts only: Bot API queue, webhook, callback presses (see bot-side.ts). */
  private readonly bots: BotSide;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
    this.bots = new BotSide(ctx, env, (userId) => this.mailboxFor(userId), (updates) =>
      broadcast(this.ctx.getWebSockets(), { t: 'updates', updates }),
    );
  }

  private gate: ConnectGate | undefined;

  /** Its tables come with the mailbox's migrations, which the constructor of any Mailbox runs. */
  private connectGate(): ConnectGate {
    if (!this.gate) {
      migrate(durableSqlStore(this.ctx.storage), mailboxMigrations);
      this.gate = new ConnectGate(durableSqlStore(this.ctx.storage), TICKET_LIFETIME_MS);
    }
    return this.gate;
  }

  /** The logic, bound to the account this object belongs to (checked on every entry). */
  private mailboxFor(userId: number): Mailbox {
    if (this.logic) {
      if (this.logic.userId !== userId) throw new Error(`mailbox of ${this.logic.userId} addressed as ${userId}`);
      return this.logic;
    }
    this.logic = new Mailbox(durableSqlStore(this.ctx.storage), userId);
    return this.logic;
  }

  /** WebSocket upgrade, forwarded by the Worker after it verified a connect ticket's signature. */
  override async fetch(request: Request): Promise<Response> {
    const identity = JSON.parse(request.headers.get(IDENTITY_HEADER) ?? 'null') as UpgradeIdentity | null;
    if (!identity || request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('expected an upgrade from the edge worker', { status: 400 });
    }
    const { ticket, ...caller } = identity;
    this.mailboxFor(caller.userId);
    // Single use, and not for a session that ended since the ticket was minted.
    if (!this.connectGate().admit({ ...ticket, sessionId: caller.sessionId }, Date.now())) {
      const error = new EdgegramError(ErrorCode.TICKET_INVALID, 'Connect ticket is unknown, expired or used');
      return Response.json({ error: toErrorBody(error) }, { status: error.status });
    }
    const wasOnline = this.ctx.getWebSockets().length > 0;
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [sessionTag(caller.sessionId)]);
    server.serializeAttachment(caller);
    sendFrame(server, {
      t: 'hello',
      protocol_version: PROTOCOL_VERSION,
      user_id: caller.userId,
      session_id: caller.sessionId,
      device_id: caller.deviceId,
    });
    if (!wasOnline) this.ctx.waitUntil(this.announcePresence(caller.userId, true));
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const caller = socketCaller(ws);
    if (!caller) return ws.close(1011, 'no identity');
    if (!closeIfExpired(ws, Date.now())) return;
    const read = readFrame(message);
    if (!read.ok) return sendFrame(ws, read.reply);
    const frame = read.frame;
    if (frame.t === 'ping') return sendFrame(ws, { t: 'pong' });
    const { id, method, params } = frame;
    try {
      const result = await dispatch(
        { env: this.env, caller, own: this.localOwn(caller.userId), now: Date.now },
        method,
        params,
      );
      sendFrame(ws, { t: 'result', id, result });
    } catch (err) {
      if (!(err instanceof EdgegramError)) console.error(`call ${method} failed`, err);
      sendFrame(ws, { t: 'error', id, error: toErrorBody(err) });
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    // 1005/1006 are reserved: they describe a close, they may not be sent in one.
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // already closed
    }
    await this.afterSocketGone(ws);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.afterSocketGone(ws);
  }

  private async afterSocketGone(ws: WebSocket): Promise<void> {
    const caller = socketCaller(ws);
    const open = this.ctx.getWebSockets().filter((s) => s !== ws && s.readyState === WebSocket.OPEN);
    if (caller && open.length === 0) await this.announcePresence(caller.userId, false);
  }

  /** Online on the first socket, offline (with last seen) when the last one goes; peers are told. */
  private async announcePresence(userId: number, online: boolean): Promise<void> {
    const at = Date.now();
    const logic = this.mailboxFor(userId);
    await setPresence(database(this.env.DB), userId, online, at);
    const event: EphemeralEvent = { type: 'user_status', status: { user_id: userId, online, last_seen: at } };
    await Promise.allSettled(logic.privatePeers().map((peer) => mailboxStub(this.env, peer).pushEvent(peer, event)));
  }

  // ---- RPC from ChatRooms ----

  /** Applies chat events (deduplicated) and pushes the new envelopes to every device. */
  async deliver(userId: number, events: ChatEvent[]): Promise<Outcome<{ applied: number }>> {
    return capture(() => {
      const appended = this.mailboxFor(userId).deliver(events);
      if (appended.length > 0) {
        broadcast(this.ctx.getWebSockets(), { t: 'updates', updates: appended });
        this.bots.afterAppend(userId);
      }
      return { applied: appended.length };
    });
  }

  /** Ephemeral events (typing, presence): pushed to online devices, never stored. */
  async pushEvent(userId: number, event: EphemeralEvent): Promise<void> {
    this.mailboxFor(userId);
    broadcast(this.ctx.getWebSockets(), { t: 'event', event });
  }

  /**
   * This account's profile changed (updateProfile, already committed to D1):
   * its own devices and the online devices of everyone it shares a chat with
   * get a `user` event. Ephemeral, like presence: the name is not copied into
   * any mailbox or chat, so there is nothing to keep consistent; whoever
   * misses the event (offline, or past the fan-out cap) reads the new
   * profile from D1 with their next getUsers or getDialogs.
   */
  async announceProfile(userId: number, user: User): Promise<void> {
    const peers = this.mailboxFor(userId).chatPeers(PROFILE_FANOUT_LIMIT);
    const event: EphemeralEvent = { type: 'user', user };
    broadcast(this.ctx.getWebSockets(), { t: 'event', event });
    await Promise.allSettled(peers.map((peer) => mailboxStub(this.env, peer).pushEvent(peer, event)));
  }

  // ---- RPC from the Worker ----

  /** Closes every socket of the given sessions at once (logout, terminate), and refuses their unused tickets. */
  async closeSessions(sessionIds: string[]): Promise<void> {
    this.connectGate().sessionsEnded(sessionIds, Date.now());
    for (const id of sessionIds) {
      for (const ws of this.ctx.getWebSockets(sessionTag(id))) {
        try {
          ws.close(CloseCode.SESSION_TERMINATED, 'session terminated');
        } catch {
          // already closing
        }
      }
    }
  }

  async getState(userId: number): Promise<Outcome<SyncState>> {
    return capture(() => this.mailboxFor(userId).state());
  }

  async getDifference(userId: number, pts: number, limit?: number): Promise<Outcome<MethodResult<'getDifference'>>> {
    return capture(() => this.mailboxFor(userId).getDifference(pts, limit));
  }

  async getDialogs(
    userId: number,
    options: { offsetDate?: number; offsetChatId?: number; limit?: number },
  ): Promise<Outcome<Dialog[]>> {
    return capture(() => this.mailboxFor(userId).getDialogs(options));
  }

  // ---- RPC from the Bot API (bot accounts only) ----

  /** getUpdates: held open up to `timeoutS` until an update arrives. */
  async botGetUpdates(
    botId: number,
    q: { offset?: number; limit: number; timeoutS: number; allowed?: string[] },
  ): Promise<Outcome<BotBatch>> {
    return capture(() => this.bots.bot(botId).getUpdates(q));
  }

  async botSetWebhook(
    botId: number,
    config: WebhookConfig & { allowed?: string[]; dropPending: boolean },
  ): Promise<Outcome<void>> {
    return capture(() => this.bots.bot(botId).setWebhook(config));
  }

  async botDeleteWebhook(botId: number, dropPending: boolean): Promise<Outcome<void>> {
    return capture(() => this.bots.bot(botId).deleteWebhook(dropPending));
  }

  async botWebhookInfo(botId: number): Promise<Outcome<WebhookInfo>> {
    return capture(() => this.bots.bot(botId).queue.info());
  }

  /** A user pressed a callback button: queues the callback_query, waits for the answer (null: none in time). */
  async botPressCallback(botId: number, press: CallbackPress): Promise<Outcome<CallbackAnswer | null>> {
    return capture(() => this.bots.bot(botId).press(press));
  }

  /** false: the query is unknown, already answered or too old. */
  async botAnswerCallback(botId: number, queryId: string, answer: CallbackAnswer): Promise<Outcome<boolean>> {
    return capture(() => this.bots.bot(botId).answer(queryId, answer));
  }

  /** Counts one message against the bot's flood limits: 0, or seconds to wait. */
  async botTakeSend(botId: number, chatId: number, isGroup: boolean): Promise<number> {
    return this.bots.bot(botId).flood.take(chatId, isGroup);
  }

  /** Webhook retries and BotFather's backstop; at-least-once safe (delivery confirms per update). */
  override async alarm(): Promise<void> {
    await this.bots.alarm();
  }

  /** Inside the DO, the caller's own mailbox is this one: no RPC hop. */
  private localOwn(userId: number): OwnMailbox {
    const logic = this.mailboxFor(userId);
    return {
      getState: async () => logic.state(),
      getDifference: async (pts, limit) => logic.getDifference(pts, limit),
      getDialogs: async (options) => logic.getDialogs(options),
      announceProfile: (user) => this.announceProfile(userId, user),
    };
  }
}
