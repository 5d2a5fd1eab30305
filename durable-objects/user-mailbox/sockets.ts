import { CloseCode, type DownFrame } from '../../protocol/ws.js';
import type { Caller } from '../../services/account-api/context.js';

/** Socket tags: every socket of a session can be found (and closed) by its session id. */
export function sessionTag(sessionId: string): string {
  return `session:${sessionId}`;
}

/** What a socket's attachment holds: its caller, and when its session expires. */
export type SocketIdentity = Caller & { sessionExpiresAt?: number };

/** Identity lives in the socket attachment so it survives hibernation. */
export function socketCaller(ws: WebSocket): SocketIdentity | undefined {
  const value = ws.deserializeAttachment() as SocketIdentity | null;
  return value ?? undefined;
}

/** Session expiry per socket, read from its attachment once per wake-up rather than on every push. */
const expiries = new WeakMap<WebSocket, number>();

function sessionExpiresAt(ws: WebSocket): number {
  let at = expiries.get(ws);
  if (at === undefined) {
    // Sockets accepted before expiry was recorded never expire here (their session's end still closes them).
    at = socketCaller(ws)?.sessionExpiresAt ?? Number.POSITIVE_INFINITY;
    expiries.set(ws, at);
  }
  return at;
}

/**
 * A socket outlives nothing: once its session has expired it is closed with
 * 4001 (as when the session is terminated) the next time it would send or
 * receive. Returns whether the socket is still usable.
 */
export function closeIfExpired(ws: WebSocket, now: number): boolean {
  if (now < sessionExpiresAt(ws)) return true;
  try {
    ws.close(CloseCode.SESSION_TERMINATED, 'session expired');
  } catch {
    // already closing
  }
  return false;
}

export function sendFrame(ws: WebSocket, frame: DownFrame): void {
  try {
    ws.send(JSON.stringify(frame));
  } catch {
    // The socket closed under us; the device will resync with getDifference.
  }
}

export function broadcast(sockets: WebSocket[], frame: DownFrame): void {
  // Most deliveries reach an account with no device online: nothing to serialize for.
  if (sockets.length === 0) return;
  broadcastText(sockets, JSON.stringify(frame));
}

/** A frame already serialized (a large chat's entries, serialized once by the chat for every member). */
export function broadcastText(sockets: Iterable<WebSocket>, text: string): void {
  const now = Date.now();
  for (const ws of sockets) {
    if (!closeIfExpired(ws, now)) continue;
    try {
      ws.send(text);
    } catch {
      // As above: a closed socket loses nothing that getDifference will not restore.
    }
  }
}
