import { expectedDeliveries, inParallel, type Chat, type ChatSpec, type Sock, type Target } from './target.js';
import type { TargetName } from '../lib/types.js';

/**
 * What the peers that speak in rooms share (the bench room protocol and
 * Socket.IO): one room per chat, one socket per (room, member, device), and
 * idle sockets spread over a fixed set of rooms. Subclasses only connect.
 */
export abstract class RoomBasedTarget implements Target {
  abstract readonly name: TargetName;
  private rooms = 0;
  private idleRooms: number | undefined;
  private idle = 0;

  protected abstract connect(room: string, user: string): Promise<Sock>;
  protected abstract closeSockets(): Promise<void>;

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
    await this.closeSockets();
  }
}
