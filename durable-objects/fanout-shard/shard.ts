import { migrate, type Migration } from '../sql/migrate.js';
import type { SqlStore } from '../sql/store.js';

/**
 * One fan-out shard of one large chat: the online members it pushes the
 * chat's new log entries to. A large chat has FANOUT_SHARDS of them, a
 * member belongs to shard `user_id % FANOUT_SHARDS`, so the chat makes one
 * call per shard per message however many members it has, and each shard
 * works for its own online members only (about online / FANOUT_SHARDS).
 *
 * A subscription is a row (it outlives an eviction). It is made by the
 * member's mailbox when a device of theirs comes online (after the chat
 * confirmed the membership) and dropped when a push finds the mailbox with
 * no device online or no longer in the chat, or when the chat tells the
 * shard the member left. Pushes to one member leave in the order they came.
 */
export const FANOUT_SHARDS = 16;

export function shardOf(userId: number): number {
  return userId % FANOUT_SHARDS;
}

/**
 * How a shard reaches a member's mailbox with the frame the chat serialized
 * once; false: nobody is online there (or they are no longer in the chat).
 */
export type PushTarget = (userId: number, chatId: number, frame: string, entries: boolean) => Promise<boolean>;

/** Pushes to this many mailboxes at once; the rest wait their turn. */
const PARALLEL_PUSHES = 64;

const shardMigrations: readonly Migration[] = [
  {
    name: 'subscribers',
    sql: `CREATE TABLE subscribers (user_id INTEGER PRIMARY KEY, since INTEGER NOT NULL);`,
  },
];

export class FanoutShardLogic {
  /** Loaded once per instance; every change writes through to the table. */
  private readonly subscribers: Set<number>;
  /** The previous push: the next one starts after it, so each member gets the chat's entries in order. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: SqlStore,
    private readonly target: PushTarget,
    private readonly now: () => number,
  ) {
    migrate(store, shardMigrations);
    this.subscribers = new Set(store.exec<{ user_id: number }>('SELECT user_id FROM subscribers').map((r) => r.user_id));
  }

  subscribe(userId: number): void {
    if (this.subscribers.has(userId)) return;
    this.store.exec('INSERT OR IGNORE INTO subscribers (user_id, since) VALUES (?, ?)', userId, this.now());
    this.subscribers.add(userId);
  }

  unsubscribe(userId: number): void {
    if (!this.subscribers.delete(userId)) return;
    this.store.exec('DELETE FROM subscribers WHERE user_id = ?', userId);
  }

  get online(): number {
    return this.subscribers.size;
  }

  /** Queues a push of `updates` to every subscriber; resolves when it is done. */
  /** `entries`: the frame carries log entries (the dialog goes stale), not an ephemeral event (typing). */
  push(chatId: number, frame: string, entries = true): Promise<{ pushed: number; dropped: number }> {
    const run = this.tail.then(() => this.pushNow(chatId, frame, entries));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async pushNow(chatId: number, frame: string, entries: boolean): Promise<{ pushed: number; dropped: number }> {
    const everyone = [...this.subscribers];
    let pushed = 0;
    const gone: number[] = [];
    for (let i = 0; i < everyone.length; i += PARALLEL_PUSHES) {
      const batch = everyone.slice(i, i + PARALLEL_PUSHES);
      const results = await Promise.allSettled(batch.map((uid) => this.target(uid, chatId, frame, entries)));
      results.forEach((r, j) => {
        if (r.status === 'fulfilled' && r.value) pushed++;
        // A failed call keeps the subscription: the mailbox may be restarting; a refusal drops it.
        else if (r.status === 'fulfilled') gone.push(batch[j]!);
      });
    }
    for (const uid of gone) this.unsubscribe(uid);
    return { pushed, dropped: gone.length };
  }
}
