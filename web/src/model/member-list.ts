import { signal } from '@preact/signals';
import type { User } from '../../../protocol/common.js';
import type { ChatMember } from '../../../protocol/messages.js';
import type { MethodResult } from '../../../protocol/methods.js';
import type { ChatUpdate } from '../../../client/index.js';

export const MEMBERS_PAGE = 50;
/** A search waits for the typing to pause, so a name typed quickly is one request, not one per key. */
export const SEARCH_DEBOUNCE_MS = 300;

export type MembersPage = MethodResult<'getChatMembers'>;
/** One getChatMembers call for this chat (the store knows nothing else of the SDK, so tests hand it a fake). */
export type FetchMembers = (params: { query?: string; offset: number; limit: number }) => Promise<MembersPage>;

type MemberUpdate = Extract<ChatUpdate, { type: 'chat_member' }>;

interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * A chat's members as far as the user has scrolled: pages of getChatMembers
 * (the server's order: creator and admins first, then by join), the next
 * page asked for only when the view nears the end, so a chat of 200,000
 * costs what a chat of 20 does. A search replaces the list with its own
 * pages; an answer to a search the user has since changed is dropped.
 */
export class MemberList {
  readonly members = signal<readonly ChatMember[]>([]);
  /** The chat's member count, as the server last said (null before the first page). */
  readonly count = signal<number | null>(null);
  readonly loading = signal(false);
  readonly hasMore = signal(true);
  readonly error = signal<unknown>(undefined);
  readonly query = signal('');
  #nextOffset: number | null = 0;
  /** Bumped by every new search: an older request's answer is not for the list shown now. */
  #generation = 0;
  #debounce: unknown;

  constructor(
    private readonly fetch: FetchMembers,
    private readonly onUsers: (users: readonly User[]) => void,
    private readonly timers: Timers = { setTimeout: (run, ms) => setTimeout(run, ms), clearTimeout: (h) => clearTimeout(h as number) },
  ) {}

  /** The first page for the current query (again, replacing what was there). */
  reload(): Promise<void> {
    this.#generation++;
    this.members.value = [];
    this.#nextOffset = 0;
    this.hasMore.value = true;
    this.loading.value = false;
    return this.loadMore();
  }

  /** The next page, unless one is on its way or the list is complete. */
  async loadMore(): Promise<void> {
    const offset = this.#nextOffset;
    if (offset === null || this.loading.peek()) return;
    const generation = this.#generation;
    // "@bob" finds Bob too: the server matches names and usernames without the @.
    const query = this.query.peek().trim().replace(/^@/, '');
    this.loading.value = true;
    try {
      const page = await this.fetch({ ...(query ? { query } : {}), offset, limit: MEMBERS_PAGE });
      if (generation !== this.#generation) return;
      this.onUsers(page.users);
      this.#append(page.members);
      this.count.value = page.count;
      this.#nextOffset = page.next_offset;
      this.hasMore.value = page.next_offset !== null;
      this.error.value = undefined;
    } catch (error) {
      if (generation === this.#generation) this.error.value = error;
    } finally {
      if (generation === this.#generation) this.loading.value = false;
    }
  }

  /** The search box changed: the list follows once typing pauses. */
  search(query: string): void {
    this.query.value = query;
    this.timers.clearTimeout(this.#debounce);
    this.#debounce = this.timers.setTimeout(() => void this.reload(), SEARCH_DEBOUNCE_MS);
  }

  /**
   * A member joined, left or changed role. Applied to the loaded rows rather
   * than reloaded: the member index the pages come from is written after the
   * chat commits, so a page asked for now could still show the old state.
   */
  apply(update: MemberUpdate): void {
    const list = this.members.peek();
    const i = list.findIndex((m) => m.user_id === update.member.user_id);
    const count = this.count.peek();
    if (update.left) {
      if (i !== -1) this.members.value = list.filter((_, j) => j !== i);
      if (count !== null && update.old_role !== null) this.count.value = Math.max(0, count - 1);
    } else if (i !== -1) {
      const next = list.slice();
      next[i] = update.member;
      this.members.value = next;
    } else {
      if (count !== null && !update.old_role) this.count.value = count + 1;
      // A newcomer is last in join order: shown now only if the list already reaches the end.
      if (!this.hasMore.peek() && !this.query.peek().trim()) this.members.value = [...list, update.member];
    }
  }

  dispose(): void {
    this.timers.clearTimeout(this.#debounce);
    this.#generation++;
  }

  /** Adds a page; a member already shown (the list shifted between pages as people joined or left) is not repeated. */
  #append(page: readonly ChatMember[]): void {
    const shown = new Set(this.members.peek().map((m) => m.user_id));
    const fresh = page.filter((m) => !shown.has(m.user_id));
    if (fresh.length > 0) this.members.value = [...this.members.peek(), ...fresh];
  }
}
