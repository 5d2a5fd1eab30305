import { describe, expect, it } from 'vitest';
import type { User } from '../../../protocol/common.js';
import type { ChatMember } from '../../../protocol/messages.js';
import { MemberList, MEMBERS_PAGE, SEARCH_DEBOUNCE_MS, type FetchMembers, type MembersPage } from '../../../web/src/model/member-list.js';

const CHAT_SIZE = 200_000;
const member = (id: number): ChatMember => ({ user_id: id, role: id === 1 ? 'creator' : id <= 3 ? 'admin' : 'member', joined_at: id });
const user = (id: number): User => ({ id, username: `user_${id}`, display_name: id % 10 === 7 ? `Seven ${id}` : `Person ${id}`, is_bot: false });

/** A supergroup of 200,000 as getChatMembers pages it, computed per page (never built whole); records every call. */
function fakeServer() {
  const calls: Array<{ query?: string; offset: number; limit: number }> = [];
  const matching = (query?: string) => (query ? (id: number) => user(id).display_name.toLowerCase().startsWith(query.toLowerCase()) : () => true);
  const fetch: FetchMembers = async (params) => {
    calls.push(params);
    const ids: number[] = [];
    const keep = matching(params.query);
    let skipped = 0;
    for (let id = 1; id <= CHAT_SIZE && ids.length < params.limit + 1; id++) {
      if (!keep(id)) continue;
      if (skipped++ < params.offset) continue;
      ids.push(id);
    }
    const page = ids.slice(0, params.limit);
    return {
      members: page.map(member),
      users: page.map(user),
      count: CHAT_SIZE,
      next_offset: ids.length > params.limit ? params.offset + params.limit : null,
    } satisfies MembersPage;
  };
  return { fetch, calls };
}

/** Timers the test fires by hand. */
function manualTimers() {
  let pending: (() => void) | undefined;
  let delay = 0;
  return {
    timers: {
      setTimeout: (run: () => void, ms: number) => ((pending = run), (delay = ms), 1),
      clearTimeout: () => (pending = undefined),
    },
    fire: () => {
      const run = pending;
      pending = undefined;
      run?.();
      return delay;
    },
  };
}

describe('the member list store (getChatMembers pages)', () => {
  it('loads one page at a time, admins first as the server orders them, and never the whole chat', async () => {
    const server = fakeServer();
    const seen: User[] = [];
    const list = new MemberList(server.fetch, (users) => seen.push(...users));
    await list.reload();
    expect(list.members.value).toHaveLength(MEMBERS_PAGE);
    expect(list.members.value.slice(0, 3).map((m) => m.role)).toEqual(['creator', 'admin', 'admin']);
    expect(list.count.value).toBe(CHAT_SIZE);
    expect(list.hasMore.value).toBe(true);
    expect(seen).toHaveLength(MEMBERS_PAGE);

    await list.loadMore();
    await list.loadMore();
    expect(list.members.value).toHaveLength(3 * MEMBERS_PAGE);
    expect(server.calls.map((c) => c.offset)).toEqual([0, MEMBERS_PAGE, 2 * MEMBERS_PAGE]);
  });

  it('asks once while a page is on its way', async () => {
    const server = fakeServer();
    const list = new MemberList(server.fetch, () => {});
    await Promise.all([list.reload(), list.loadMore(), list.loadMore()]);
    expect(server.calls).toHaveLength(1);
  });

  it('searches once typing pauses, drops the @, and pages the results', async () => {
    const server = fakeServer();
    const clock = manualTimers();
    const list = new MemberList(server.fetch, () => {}, clock.timers);
    await list.reload();
    list.search('@Sev');
    list.search('@Seven 1');
    expect(server.calls).toHaveLength(1);
    expect(clock.fire()).toBe(SEARCH_DEBOUNCE_MS);
    await new Promise((r) => setTimeout(r, 0));
    await list.loadMore();
    expect(server.calls.slice(1)).toEqual([
      { query: 'Seven 1', offset: 0, limit: MEMBERS_PAGE },
      { query: 'Seven 1', offset: MEMBERS_PAGE, limit: MEMBERS_PAGE },
    ]);
    expect(list.members.value).toHaveLength(2 * MEMBERS_PAGE);
    expect(list.members.value.every((m) => user(m.user_id).display_name.startsWith('Seven 1'))).toBe(true);
  });

  it('drops the answer to a search the user has since replaced', async () => {
    let release!: () => void;
    const server = fakeServer();
    const slowFirst: FetchMembers = (params) =>
      params.query === 'Person' ? new Promise((resolve) => (release = () => resolve(server.fetch(params)))) : server.fetch(params);
    const clock = manualTimers();
    const list = new MemberList(slowFirst, () => {}, clock.timers);
    list.search('Person');
    clock.fire();
    list.search('Seven');
    clock.fire();
    await new Promise((r) => setTimeout(r, 0));
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(list.members.value.length).toBeGreaterThan(0);
    expect(list.members.value.every((m) => user(m.user_id).display_name.startsWith('Seven'))).toBe(true);
    expect(list.loading.value).toBe(false);
  });

  it('applies joins, departures and new roles to the loaded rows without asking again', async () => {
    const members = [1, 2, 5].map(member);
    const fetch: FetchMembers = async () => ({ members, users: [1, 2, 5].map(user), count: 3, next_offset: null });
    const list = new MemberList(fetch, () => {});
    await list.reload();

    list.apply({ type: 'chat_member', chat_id: 9, actor_id: 1, member: { ...member(5), role: 'admin' }, left: false, old_role: 'member' });
    expect(list.members.value.find((m) => m.user_id === 5)?.role).toBe('admin');

    list.apply({ type: 'chat_member', chat_id: 9, actor_id: 1, member: member(2), left: true, old_role: 'admin' });
    expect(list.members.value.map((m) => m.user_id)).toEqual([1, 5]);
    expect(list.count.value).toBe(2);

    // The list reaches its end, so a newcomer (last in join order) shows at once.
    list.apply({ type: 'chat_member', chat_id: 9, actor_id: 1, member: member(8), left: false, old_role: null });
    expect(list.members.value.map((m) => m.user_id)).toEqual([1, 5, 8]);
    expect(list.count.value).toBe(3);
  });

  it('does not repeat a member a shifted page brings again', async () => {
    const pages: MembersPage[] = [
      { members: [1, 2].map(member), users: [], count: 4, next_offset: 2 },
      { members: [2, 3].map(member), users: [], count: 4, next_offset: null },
    ];
    const list = new MemberList(async () => pages.shift()!, () => {});
    await list.reload();
    await list.loadMore();
    expect(list.members.value.map((m) => m.user_id)).toEqual([1, 2, 3]);
    expect(list.hasMore.value).toBe(false);
  });
});
