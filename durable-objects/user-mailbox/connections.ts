import { EdgegramError, ErrorCode, fail, toErrorBody } from '../../protocol/errors.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import { CloseCode, type DownFrame } from '../../protocol/ws.js';
import type { Env } from '../env.js';
import type { OwnMailbox } from '../../services/account-api/context.js';
import { dispatch } from '../../services/account-api/dispatch.js';
import type { ConnectGate } from './connect-gate.js';
import { readFrame } from './frames.js';
import type { PeerNotices } from './peer-notices.js';
import { broadcast, broadcastText, closeIfExpired, sendFrame, sessionTag, socketCaller, type SocketIdentity } from './sockets.js';

/**
 * Sockets one session (one signed-in device: its tabs and windows) and one
 * account may hold at once. Every socket receives every broadcast, so
 * without a cap one session could multiply the mailbox's fan-out at will;
 * past it a new socket is refused (429, try again later) and the open ones
 * keep working.
 */
export const MAX_SOCKETS_PER_SESSION = 16;
export const MAX_SOCKETS_PER_ACCOUNT = 64;

/** Header carrying the identity the Worker verified; the DO is reachable only from the Worker. */
export const IDENTITY_HEADER = 'x-edgegram-identity';

/** What the Worker forwards with an upgrade: the ticket's caller, and what the gate needs of the ticket. */
export type UpgradeIdentity = SocketIdentity & { ticket: { nonce: string; expiresAt: number } };

export type ConnectionsDeps = {
  ctx: DurableObjectState;
  env: Env;
  /** This mailbox's account: a ticket for another account is refused. */
  userId: number;
  gate: () => ConnectGate;
  own: OwnMailbox;
  notices: PeerNotices;
  /** The first socket opened: large chats refresh their dialogs and start pushing (large-chats.ts). */
  cameOnline: () => Promise<void>;
  /** The last socket closed: large chats stop pushing (and stop counting this account online). */
  wentOffline: () => Promise<void>;
};

/**
 * The hibernatable WebSockets of all the account's devices: the upgrade
 * (single-use ticket through the ConnectGate, identity in the attachment,
 * tagged by session), account API calls from frames, session ends, and the
 * account's presence, which follows whether any socket is open.
 */
export class Connections {
  constructor(private readonly deps: ConnectionsDeps) {}

  /** A WebSocket upgrade, forwarded by the Worker after it verified a connect ticket's signature. */
  accept(request: Request): Response {
    const identity = readIdentity(request.headers.get(IDENTITY_HEADER));
    if (!identity || request.headers.get('upgrade')?.toLowerCase() !== 'websocket' || identity.userId !== this.deps.userId) {
      return new Response('expected an upgrade from the edge worker', { status: 400 });
    }
    const { ticket, ...caller } = identity;
    const { ctx } = this.deps;
    const full =
      ctx.getWebSockets(sessionTag(caller.sessionId)).length >= MAX_SOCKETS_PER_SESSION ||
      ctx.getWebSockets().length >= MAX_SOCKETS_PER_ACCOUNT;
    if (full) {
      // Before the ticket is spent, so the client may retry with it once a socket closed.
      const error = fail.rateLimited(5);
      return Response.json({ error: toErrorBody(error) }, { status: error.status, headers: { 'retry-after': '5' } });
    }
    // Single use, and not for a session that ended since the ticket was minted.
    if (!this.deps.gate().admit({ ...ticket, sessionId: caller.sessionId }, Date.now())) {
      const error = new EdgegramError(ErrorCode.TICKET_INVALID, 'Connect ticket is unknown, expired or used');
      return Response.json({ error: toErrorBody(error) }, { status: error.status });
    }
    const wasOnline = ctx.getWebSockets().length > 0;
    const { 0: client, 1: server } = new WebSocketPair();
    ctx.acceptWebSocket(server, [sessionTag(caller.sessionId)]);
    server.serializeAttachment(caller);
    sendFrame(server, {
      t: 'hello',
      protocol_version: PROTOCOL_VERSION,
      user_id: caller.userId,
      session_id: caller.sessionId,
      device_id: caller.deviceId,
    });
    if (!wasOnline) {
      ctx.waitUntil(this.deps.notices.presence(true, Date.now()));
      ctx.waitUntil(this.deps.cameOnline());
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  /** One frame from a device: a ping, or an account API call answered on the same socket. */
  async message(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const caller = socketCaller(ws);
    if (!caller) return ws.close(1011, 'no identity');
    if (!closeIfExpired(ws, Date.now())) return;
    const read = readFrame(message);
    if (!read.ok) return sendFrame(ws, read.reply);
    const frame = read.frame;
    if (frame.t === 'ping') return sendFrame(ws, { t: 'pong' });
    const { id, method, params } = frame;
    try {
      const result = await dispatch({ env: this.deps.env, caller, own: this.deps.own, now: Date.now }, method, params);
      sendFrame(ws, { t: 'result', id, result });
    } catch (err) {
      if (!(err instanceof EdgegramError)) console.error(`call ${method} failed`, err);
      sendFrame(ws, { t: 'error', id, error: toErrorBody(err) });
    }
  }

  /** The device closed its socket; the close is echoed as the protocol wants. */
  async closed(ws: WebSocket, code: number, reason: string): Promise<void> {
    // 1005/1006 are reserved: they describe a close, they may not be sent in one.
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // already closed
    }
    await this.gone(ws);
  }

  /** A socket is gone (closed or broken): the last one going takes the account offline. */
  async gone(ws: WebSocket): Promise<void> {
    const open = this.deps.ctx.getWebSockets().filter((s) => s !== ws && s.readyState === WebSocket.OPEN);
    if (socketCaller(ws) && open.length === 0) {
      await Promise.all([this.deps.notices.presence(false, Date.now()), this.deps.wentOffline()]);
    }
  }

  /** Closes every socket of the given sessions at once (logout, terminate), and refuses their unused tickets. */
  closeSessions(sessionIds: string[]): void {
    this.deps.gate().sessionsEnded(sessionIds, Date.now());
    for (const id of sessionIds) {
      for (const ws of this.deps.ctx.getWebSockets(sessionTag(id))) {
        try {
          ws.close(CloseCode.SESSION_TERMINATED, 'session terminated');
        } catch {
          // already closing
        }
      }
    }
  }

  /** A frame to every device of the account. */
  broadcast(frame: DownFrame): void {
    broadcast(this.deps.ctx.getWebSockets(), frame);
  }

  /** A frame serialized elsewhere (see broadcastText). */
  broadcastText(text: string): void {
    broadcastText(this.deps.ctx.getWebSockets(), text);
  }
}

/**
 * The identity header, set by this project's Worker only (the DO has no
 * public route), still parsed rather than cast: a malformed one is refused.
 */
function readIdentity(header: string | null): UpgradeIdentity | undefined {
  let value: unknown;
  try {
    value = JSON.parse(header ?? 'null');
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<UpgradeIdentity>;
  const ok =
    typeof v.userId === 'number' &&
    typeof v.sessionId === 'string' &&
    typeof v.deviceId === 'string' &&
    (v.sessionExpiresAt === undefined || typeof v.sessionExpiresAt === 'number') &&
    typeof v.ticket?.nonce === 'string' &&
    typeof v.ticket.expiresAt === 'number';
  return ok ? (v as UpgradeIdentity) : undefined;
}
