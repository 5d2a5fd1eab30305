import { io, type Socket } from 'socket.io-client';
import type { Tracker } from '../generator/tracker.js';
import { TargetName } from '../lib/types.js';
import { RoomBasedTarget } from './room-based.js';
import { newSocketId, type Sock } from './target.js';

/**
 * Peer (c): the Socket.IO chat server, through the official client over the
 * WebSocket transport only (no long-polling upgrade dance). Sends use
 * Socket.IO's acknowledgement callback.
 */
export class SocketIoTarget extends RoomBasedTarget {
  readonly name = TargetName.socketIo;
  private readonly open = new Set<Socket>();

  constructor(
    private readonly url: string,
    private readonly tracker: Tracker,
  ) {
    super();
  }

  protected async closeSockets(): Promise<void> {
    for (const s of this.open) s.disconnect();
    this.open.clear();
  }

  protected connect(room: string, user: string): Promise<Sock> {
    const socket = io(this.url, {
      transports: ['websocket'],
      query: { room, user },
      forceNew: true,
      reconnection: false,
      timeout: 30_000,
    });
    const id = newSocketId();
    const { tracker } = this;
    socket.on('msg', (m: { text: string }) => tracker.delivered(m.text, id, performance.now()));
    this.open.add(socket);
    return new Promise<Sock>((resolve, reject) => {
      socket.once('connect', () =>
        resolve({
          id,
          send: (tag) => socket.emit('send', { text: tag }, () => tracker.acked(tag)),
          close: () => socket.disconnect(),
        }),
      );
      socket.once('connect_error', reject);
    });
  }
}
