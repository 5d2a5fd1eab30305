import { DurableObject } from 'cloudflare:workers';
import { database } from '../../d1/db.js';
import { setPresence } from '../../d1/queries/accounts.js';
import { EdgegramError, ErrorCode, toErrorBody } from '../../protocol/errors.js';
import type { Dialog } from '../../protocol/messages.js';
import type { MethodResult } from '../../protocol/methods.js';
import type { EphemeralEvent, SyncState } from '../../protocol/updates.js';
import { CloseCode, MAX_FRAME_BYTES, PING_FRAME, PONG_FRAME, UpFrame } from '../../protocol/ws.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import type { Env } from '../env.js';
import type { Caller, OwnMailbox } from '../methods/context.js';
import { dispatch } from '../methods/dispatch.js';
import { capture, type Outcome } from '../outcome.js';
import { durableSqlStore } from '../sql/store.js';
import { mailbox as mailboxStub } from '../stubs.js';
import type { ChatEvent } from './delivery.js';
import { Mailbox } from './mailbox.js';
import { broadcast, sendFrame, sessionTag, socketCaller } from './sockets.js';

/** Header carrying the identity the Worker verified; the DO is reachable only from the Worker. */
export const IDENTITY_HEADER = 'x-edgegram-identity';

/**
 * One account's mailbox: its update log and dialogs (logic in mailbox.ts),
 * and the hibernatable WebSockets of all its devices.
 */
export class UserMailbox extends DurableObject<Env> {
  private logic: Mailbox | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
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

  /** WebSocket upgrade, forwarded by the Worker after it redeemed a connect ticket. */
  override async fetch(request: Request): Promise<Response> {
    const caller = JSON.parse(request.headers.get(IDENTITY_HEADER) ?? 'null') as Caller | null;
    if (!caller || request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('expected an upgrade from the edge worker', { status: 400 });
    }
    this.mailboxFor(caller.userId);
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
    const text = typeof message === 'string' ? message : null;
    if (text === null || text.length > MAX_FRAME_BYTES) {
      return sendFrame(ws, { t: 'error', id: null, error: badFrame('Frames must be JSON text under 256 KiB') });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return sendFrame(ws, { t: 'error', id: null, error: { code: ErrorCode.MALFORMED_JSON, message: 'Frame is not valid JSON' } });
    }
    const frame = UpFrame.safeParse(json);
    if (!frame.success) {
      const rawId = (json as { id?: unknown } | null)?.id;
      const id = typeof rawId === 'string' && rawId.length > 0 ? rawId.slice(0, 64) : null;
      return sendFrame(ws, { t: 'error', id, error: badFrame('Unknown or malformed frame') });
    }
    if (frame.data.t === 'ping') return sendFrame(ws, { t: 'pong' });
    const { id, method, params } = frame.data;
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
      if (appended.length > 0) broadcast(this.ctx.getWebSockets(), { t: 'updates', updates: appended });
      return { applied: appended.length };
    });
  }

  /** Ephemeral events (typing, presence): pushed to online devices, never stored. */
  async pushEvent(userId: number, event: EphemeralEvent): Promise<void> {
    this.mailboxFor(userId);
    broadcast(this.ctx.getWebSockets(), { t: 'event', event });
  }

  // ---- RPC from the Worker ----

  /** Closes every socket of the given sessions at once (logout, terminate). */
  async closeSessions(sessionIds: string[]): Promise<void> {
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

  /** Inside the DO, the caller's own mailbox is this one: no RPC hop. */
  private localOwn(userId: number): OwnMailbox {
    const logic = this.mailboxFor(userId);
    return {
      getState: async () => logic.state(),
      getDifference: async (pts, limit) => logic.getDifference(pts, limit),
      getDialogs: async (options) => logic.getDialogs(options),
    };
  }
}

function badFrame(message: string) {
  return { code: ErrorCode.BAD_REQUEST, message };
}
