import WebSocket from 'ws';
import type { Tracker } from '../generator/tracker.js';
import { tagsIn } from '../generator/tracker.js';
import type { TargetName } from '../lib/types.js';
import { RoomBasedTarget } from './room-based.js';
import { newSocketId, type Sock } from './target.js';

/**
 * Peers (a) minimal DO, (b) Node ws and (d) Bun over raw WebSockets, all
 * speaking the bench room protocol (bench/peers/protocol.ts): one room per
 * chat, one socket per (room, member, device).
 */
export class RoomsTarget extends RoomBasedTarget {
  private readonly open = new Set<WebSocket>();

  constructor(
    readonly name: TargetName,
    readonly url: string,
    private readonly tracker: Tracker,
    private readonly prefix: string,
  ) {
    super();
  }

  protected async closeSockets(): Promise<void> {
    const closing = [...this.open].map((ws) => new Promise<void>((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      ws.once('close', () => resolve());
      ws.close();
      setTimeout(resolve, 2000).unref();
    }));
    this.open.clear();
    await Promise.all(closing);
  }

  protected connect(room: string, user: string): Promise<Sock> {
    const base = this.url.replace(/^http/, 'ws');
    const ws = new WebSocket(`${base}/connect?room=${room}&user=${user}`, { perMessageDeflate: false });
    const id = newSocketId();
    const { tracker, prefix } = this;
    ws.on('message', (data) => {
      const at = performance.now();
      const raw = data.toString();
      if (raw.startsWith('{"t":"ack"')) {
        const start = raw.indexOf('"id":"') + 6;
        tracker.acked(raw.slice(start, raw.indexOf('"', start)));
        return;
      }
      for (const tag of tagsIn(raw, prefix)) tracker.delivered(tag, id, at);
    });
    this.open.add(ws);
    return new Promise<Sock>((resolve, reject) => {
      ws.once('open', () =>
        resolve({
          id,
          send: (tag) => ws.send(`{"t":"send","id":"${tag}","text":"${tag}"}`),
          close: () => ws.close(),
        }),
      );
      ws.once('error', reject);
    }).then((sock) => {
      // After the handshake an error only means the socket is gone: its messages count as undelivered.
      ws.on('error', () => {});
      return sock as Sock;
    });
  }
}
