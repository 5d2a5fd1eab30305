import { signal } from '@preact/signals';
import type { EdgegramClient } from '../../../client/index.js';
import type { User, UserStatus } from '../../../protocol/common.js';

const BATCH = 100;

/** How a deleted account (User.deleted) is named everywhere. */
export const DELETED_ACCOUNT_NAME = 'Deleted Account';

/** Everyone the app has heard of, and the online status of those it watches. */
export class Users {
  readonly byId = signal<ReadonlyMap<number, User>>(new Map());
  readonly statuses = signal<ReadonlyMap<number, UserStatus>>(new Map());
  #queued = new Set<number>();
  #flushing: Promise<void> | undefined;

  constructor(private readonly client: EdgegramClient) {}

  get(id: number): User | undefined {
    return this.byId.value.get(id);
  }

  add(users: readonly User[]): void {
    let next: Map<number, User> | undefined;
    for (const raw of users) {
      // A deleted account comes with empty names: it is shown as Telegram shows it.
      const user = raw.deleted ? { ...raw, display_name: DELETED_ACCOUNT_NAME } : raw;
      const known = this.byId.peek().get(user.id);
      if (known && sameProfile(known, user)) continue;
      next ??= new Map(this.byId.peek());
      next.set(user.id, user);
    }
    if (next) this.byId.value = next;
  }

  /** A `user` event: someone's new profile, pushed by the server (see UserMailbox.announceProfile). */
  onProfile(user: User): void {
    this.add([user]);
  }

  setStatus(status: UserStatus): void {
    const next = new Map(this.statuses.peek());
    next.set(status.user_id, status);
    this.statuses.value = next;
  }

  /** Fetches these users and their statuses (batched, one call per 100). */
  fetch(ids: Iterable<number>): Promise<void> {
    for (const id of ids) this.#queued.add(id);
    this.#flushing ??= Promise.resolve().then(() => this.#flush());
    return this.#flushing;
  }

  /** Fetches only the users not known yet. */
  ensure(ids: Iterable<number>): void {
    const unknown = [...ids].filter((id) => !this.byId.peek().has(id));
    if (unknown.length > 0) void this.fetch(unknown);
  }

  async #flush(): Promise<void> {
    const ids = [...this.#queued];
    this.#queued.clear();
    this.#flushing = undefined;
    for (let i = 0; i < ids.length; i += BATCH) {
      try {
        const { users, statuses } = await this.client.api.getUsers({ ids: ids.slice(i, i + BATCH) });
        this.add(users);
        const next = new Map(this.statuses.peek());
        for (const status of statuses) next.set(status.user_id, status);
        this.statuses.value = next;
      } catch {
        // Names fall back to placeholders; the next dialog refresh asks again.
      }
    }
  }
}

function sameProfile(a: User, b: User): boolean {
  return a.display_name === b.display_name && a.username === b.username && a.about === b.about && a.deleted === b.deleted && a.photo?.id === b.photo?.id;
}
