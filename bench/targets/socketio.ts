import { io, type Socket } from 'socket.io-client';
import type { Tracker } from '../generator/tracker.js';
import { TargetName } from '../lib/types.js';
import { expectedDeliveries, inParallel, newSocketId, type Chat, type ChatSpec, type Sock, type Target } from './target.js';

/**
 * Peer (c): the Socket.IO chat server, through the official client over the
 * WebSocket transport only (no long-polling upgrade dance). Sends use
 * Socket.IO's acknowledgement callback.
 */
export class SocketIoTarget implements Target {
  readonly name = TargetName.socketIo;
  private readonly open = new Set<Socket>();
  private rooms = 0;
  private idleRooms: number | undefined;
  private idle = 0;

  constructor(
    private readonly url: string,
    private readonly tracker: Tracker,
  ) {}

  async prepare(): Promise<Record<string, number>> {
    return {};
  }

  async openChat(spec: ChatSpec): Promise<Chat> {
    const room = `r${++this.rooms}`;
    const slots = spec.devices.flatMap((count, member) => Array.from({ length: count }, () => member));
    const socks = await inParallel(slots, 32, (member) => this.connect(room, `u${spec.memberIds?.[member] ?? member}`));
    const members: Sock[][] = spec.devices.map(() => []);
    slots.forEach((member, i) => members[member]!.push(socks[i]!));
    return { members, expectedFrom: (sender) => expectedDeliveries(members, sender) };
  }

  async openIdle(n: number, owners: number): Promise<Sock[]> {
    // Later steps add sockets to the same rooms.
    if (this.idleRooms === undefined) {
      this.idleRooms = this.rooms;
      this.rooms += owners;
    }
    const base = this.idleRooms;
    const first = this.idle;
    this.idle += n;
    return inParallel(Array.from({ length: n }, (_, i) => first + i), 64, (i) => this.connect(`r${base + 1 + (i % owners)}`, `u${i}`));
  }

  async closeAll(): Promise<void> {
    this.idleRooms = undefined;
    this.idle = 0;
    for (const s of this.open) s.disconnect();
    this.open.clear();
  }

  private connect(room: string, user: string): Promise<Sock> {
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
