import type { TargetName } from '../lib/types.js';

/**
 * What the scenarios drive, the same way for Edgegram and every peer. A
 * socket is one device; a chat is Edgegram's chat or a peer's room. Sockets
 * report what they receive to the generator's Tracker.
 */
export interface Sock {
  /** Unique per connection within the generator (one connection may appear in several chats). */
  readonly id: number;
  /** Sends one message carrying `tag`; the Tracker hears its ack (or failure). */
  send(tag: string): void;
  close(): void;
}

export type ChatSpec = {
  /** Sockets per member, in member order; member 0's first socket sends. */
  devices: number[];
  /**
   * Members drawn from a shared population (many small chats): Edgegram
   * reuses each account's one open socket across its chats; rooms get a
   * socket per (room, member).
   */
  shared?: boolean;
  /** Which members of the shared population (with `shared`); otherwise fresh members are used. */
  memberIds?: number[];
};

export interface Chat {
  /** All sockets, by member: `members[i]` are member i's devices. */
  readonly members: Sock[][];
  /** Deliveries one message from `sender` should produce (every socket of the chat except the sending one). */
  expectedFrom(sender: Sock): number;
}

export interface Target {
  readonly name: TargetName;
  /** Sign-ups and other one-time setup; returns what it cost, for the report. */
  prepare(): Promise<Record<string, number>>;
  openChat(spec: ChatSpec): Promise<Chat>;
  /** `n` idle connections spread over `owners` accounts (Edgegram mailboxes) or rooms. */
  openIdle(n: number, owners: number): Promise<Sock[]>;
  /** Closes every socket this target opened since the last call. */
  closeAll(): Promise<void>;
  /** SQLite rows the server has written so far (the runtime's billing count), where it can say: rows per delivery. */
  sqlRowsWritten?(): Promise<number>;
}

export function expectedDeliveries(members: Sock[][], sender: Sock): number {
  let n = 0;
  for (const devices of members) for (const s of devices) if (s.id !== sender.id) n++;
  return n;
}

let lastSocketId = 0;
export function newSocketId(): number {
  return ++lastSocketId;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function inParallel<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
