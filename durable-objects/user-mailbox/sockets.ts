import type { DownFrame } from '../../protocol/ws.js';
import type { Caller } from '../methods/context.js';

/** Socket tags: every socket of a session can be found (and closed) by its session id. */
export function sessionTag(sessionId: string): string {
  return `session:${sessionId}`;
}

/** Identity lives in the socket attachment so it survives hibernation. */
export function socketCaller(ws: WebSocket): Caller | undefined {
  const value = ws.deserializeAttachment() as Caller | null;
  return value ?? undefined;
}

export function sendFrame(ws: WebSocket, frame: DownFrame): void {
  try {
    ws.send(JSON.stringify(frame));
  } catch {
    // The socket closed under us; the device will resync with getDifference.
  }
}

export function broadcast(sockets: Iterable<WebSocket>, frame: DownFrame): void {
  const text = JSON.stringify(frame);
  for (const ws of sockets) {
    try {
      ws.send(text);
    } catch {
      // As above: a closed socket loses nothing that getDifference will not restore.
    }
  }
}
