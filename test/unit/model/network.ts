import type { ChatTransport } from '../../../durable-objects/chat-room/room.js';
import type { ChatEvent } from '../../../durable-objects/user-mailbox/delivery.js';
import { Mailbox } from '../../../durable-objects/user-mailbox/mailbox.js';
import type { EphemeralEvent, UpdateEnvelope } from '../../../protocol/updates.js';
import { MemorySqlStore } from '../../support/memory-sql.js';

/** How one ChatRoom → mailbox RPC ends. */
export type RpcOutcome =
  /** Applied by the mailbox, acknowledged. */
  | 'ok'
  /** Never reached the mailbox. */
  | 'failBefore'
  /** Applied by the mailbox (and pushed to its devices), but the acknowledgement was lost. */
  | 'ackLost';

type PendingRpc = { userId: number; events: ChatEvent[]; resolve: () => void; reject: (err: Error) => void };

/**
 * The space between the Durable Objects: one real Mailbox per account (each
 * over its own SQLite store, as each DO has its own), and the deliver RPCs
 * of every ChatRoom held in flight until the model decides when and how each
 * one ends. So deliveries to different accounts, from different chats and
 * from the alarm, interleave however the model picks.
 */
export class Network implements ChatTransport {
  readonly mailboxes = new Map<number, Mailbox>();
  readonly mailboxStores = new Map<number, MemorySqlStore>();
  readonly inFlight: PendingRpc[] = [];
  /** The D1 user-to-chat index as the outbox leaves it: "chat:account" → role. */
  readonly index = new Map<string, string>();
  /** Called with the envelopes a mailbox appended, as the DO pushes them to its sockets. */
  onAppended: (userId: number, envelopes: UpdateEnvelope[]) => void = () => {};

  constructor(accounts: readonly number[]) {
    for (const id of accounts) {
      const store = new MemorySqlStore();
      this.mailboxStores.set(id, store);
      this.mailboxes.set(id, new Mailbox(store, id));
    }
  }

  mailbox(userId: number): Mailbox {
    const box = this.mailboxes.get(userId);
    if (!box) throw new Error(`no mailbox for ${userId}`);
    return box;
  }

  deliver(userId: number, events: ChatEvent[]): Promise<void> {
    return new Promise((resolve, reject) => this.inFlight.push({ userId, events, resolve, reject }));
  }

  /** Ends the `pick`-th RPC in flight (modulo their number) the given way; false if none is in flight. */
  complete(pick: number, outcome: RpcOutcome): boolean {
    if (this.inFlight.length === 0) return false;
    const [rpc] = this.inFlight.splice(pick % this.inFlight.length, 1);
    const { userId, events, resolve, reject } = rpc!;
    if (outcome === 'failBefore') {
      reject(new Error(`mailbox ${userId} unreachable`));
      return true;
    }
    let appended: UpdateEnvelope[];
    try {
      appended = this.mailbox(userId).deliver(events);
    } catch (err) {
      reject(err as Error); // the mailbox's own storage failed: nothing applied
      return true;
    }
    if (appended.length > 0) this.onAppended(userId, appended);
    if (outcome === 'ackLost') reject(new Error(`ack from mailbox ${userId} lost`));
    else resolve();
    return true;
  }

  async pushEphemeral(_userIds: number[], _event: EphemeralEvent): Promise<void> {}

  /** The model's chats are small: nothing is logged for large chats. */
  broadcast(): { calls: number; done: Promise<number[]> } {
    return { calls: 0, done: Promise.resolve([]) };
  }
  async unsubscribe(): Promise<void> {}
  async broadcastEvent(): Promise<void> {}

  /** Parking reports are not part of the model's properties (nothing is dropped either way). */
  async reportParking(): Promise<void> {}

  /** The model has one chat: no discussion group to tell. */
  async tellRoom(to: number): Promise<void> {
    throw new Error(`the model has no chat ${to}`);
  }

  /** Only the membership part of the index is modelled; other kinds of change (file refs) are accepted and ignored. */
  async writeIndex(changes: Parameters<ChatTransport['writeIndex']>[0]): Promise<void> {
    await Promise.resolve();
    for (const c of changes) {
      if (c.op !== 'delete' && c.op !== 'upsert') continue;
      const key = `${c.chatId}:${c.accountId}`;
      if (c.op === 'delete') this.index.delete(key);
      else this.index.set(key, c.role);
    }
  }
}
