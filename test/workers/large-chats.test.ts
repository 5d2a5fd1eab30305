/**
 * Large chats (supergroups and channels) over the real Worker, ChatRoom,
 * fan-out shards and mailboxes in workerd, with real WebSockets: online
 * members are pushed `channel_updates` frames numbered by the chat's pts,
 * offline members get nothing written and catch up with
 * getChannelDifference, dialogs come right from the chat, basic groups
 * convert (on request and when they outgrow 200), member lists page and
 * search, and bad input gets documented errors with nothing changed.
 */
import { env } from 'cloudflare:test';
import { describe, expect, test } from 'vitest';
import { MAX_GROUP_MEMBERS, type Message } from '../../protocol/messages.js';
import type { UpdateEnvelope } from '../../protocol/updates.js';
import { call, callError, delivered } from './bot-api-helpers.js';
import { api, connect, signup, uniqueUsername, type Account, type TestSocket } from './helpers.js';

const rid = () => crypto.randomUUID().replace(/-/g, '');

/** Frames until one matches, skipping others (results, presence events). */
async function frameWhere(socket: TestSocket, match: (frame: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  for (let i = 0; i < 50; i++) {
    const frame = await socket.next(5_000);
    if (match(frame)) return frame;
  }
  throw new Error('no matching frame');
}

/** A socket that is subscribed: getDialogs over it waits until the mailbox followed its large chats. */
async function online(who: Account): Promise<TestSocket> {
  const socket = await connect(who.token);
  socket.send({ t: 'call', id: 'dialogs', method: 'getDialogs', params: {} });
  await frameWhere(socket, (f) => f.t === 'result' && f.id === 'dialogs');
  return socket;
}

/** Accounts written straight into D1 (no password): enough people for a full basic group quickly. */
async function bulkAccounts(n: number): Promise<number[]> {
  const prefix = uniqueUsername('bulk').slice(0, 16);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = await env.DB.prepare(
      'INSERT INTO accounts (username, username_key, display_name, is_bot, created_at, online) VALUES (?1, lower(?1), ?2, 0, 0, 0) RETURNING id',
    )
      .bind(`${prefix}${i}`, `Bulk ${i}`)
      .first<{ id: number }>();
    ids.push(row!.id);
  }
  return ids;
}

describe('supergroups over real sockets', () => {
  test('an online member is pushed each message once, in chat pts order; the account log gets nothing', async () => {
    const [owner, alice, bob] = [await signup(), await signup(), await signup()];
    const { chat } = await call(owner, 'createSupergroup', { title: 'Edge people', user_ids: [alice.user.id, bob.user.id] });
    expect(chat).toMatchObject({ kind: 'supergroup', member_count: 3, pts: expect.any(Number) });
    await delivered(chat.id);
    const socket = await online(alice);
    const alicePts = (await call(alice, 'getState', {})).pts;

    const sent: Message[] = [];
    for (let i = 0; i < 3; i++) {
      sent.push((await call(owner, 'sendMessage', { peer: { chat_id: chat.id }, random_id: rid(), text: `hello ${i}` })).message);
    }
    const pushed: UpdateEnvelope[] = [];
    while (pushed.length < 3) {
      const frame = await frameWhere(socket, (f) => f.t === 'channel_updates' && f.chat_id === chat.id);
      pushed.push(...(frame.updates as UpdateEnvelope[]));
    }
    expect(pushed.map((e) => e.update.type === 'new_message' && e.update.message.id)).toEqual(sent.map((m) => m.id));
    for (let i = 0; i < pushed.length; i++) expect(pushed[i]!.pts).toBe(chat.pts! + 1 + i);
    // Nothing entered the account's own stream.
    expect((await call(alice, 'getState', {})).pts).toBe(alicePts);
    socket.ws.close();
  });

  test('an offline member catches up with getChannelDifference (paged) and agrees with getHistory; dialogs are right', async () => {
    const [owner, carol] = [await signup(), await signup()];
    const { chat } = await call(owner, 'createSupergroup', { title: 'Catch-up', user_ids: [carol.user.id] });
    const from = chat.pts!;
    for (let i = 0; i < 7; i++) await call(owner, 'sendMessage', { peer: { chat_id: chat.id }, random_id: rid(), text: `m${i}` });
    const seen: number[] = [];
    let pts = from;
    for (;;) {
      const page = await call(carol, 'getChannelDifference', { chat_id: chat.id, pts, limit: 3 });
      if (page.kind === 'empty') break;
      expect(page.kind).toBe('difference');
      if (page.kind !== 'difference') break;
      for (const e of page.updates) if (e.update.type === 'new_message') seen.push(e.update.message.id);
      pts = page.pts;
    }
    const { messages } = await call(carol, 'getHistory', { chat_id: chat.id, limit: 100 });
    expect(seen).toEqual(messages.map((m) => m.id));
    const { dialogs } = await call(carol, 'getDialogs', {});
    expect(dialogs.find((d) => d.chat.id === chat.id)).toMatchObject({ unread_count: 7, top_message: { text: 'm6' } });
    await call(carol, 'readHistory', { chat_id: chat.id, max_id: messages.at(-3)!.id });
    const after = await call(carol, 'getDialogs', {});
    expect(after.dialogs.find((d) => d.chat.id === chat.id)?.unread_count).toBe(2);
  });

  test('an @username mention and a reply are counted on the named member\'s dialog until read', async () => {
    const [owner, dana, eli] = [await signup(), await signup(), await signup()];
    const { chat } = await call(owner, 'createSupergroup', { title: 'Mentions', user_ids: [dana.user.id, eli.user.id] });
    const { message: q } = await call(eli, 'sendMessage', { peer: { chat_id: chat.id }, random_id: rid(), text: 'anyone?' });
    await call(owner, 'sendMessage', { peer: { chat_id: chat.id }, random_id: rid(), text: `ping @${dana.username} please` });
    const { message: reply } = await call(dana, 'sendMessage', {
      peer: { chat_id: chat.id },
      random_id: rid(),
      text: 'me!',
      reply_to_message_id: q.id,
    });
    await delivered(chat.id);
    const mentions = async (who: Account) =>
      (await call(who, 'getDialogs', {})).dialogs.find((d) => d.chat.id === chat.id)?.unread_mentions_count;
    expect(await mentions(dana)).toBe(1);
    expect(await mentions(eli)).toBe(1);
    expect(await mentions(owner)).toBe(0);
    await call(eli, 'readHistory', { chat_id: chat.id, max_id: reply.id });
    await delivered(chat.id);
    expect(await mentions(eli)).toBe(0);
  });

  test('bad input: a non-member and a basic group get NOT_FOUND, a pts ahead gets PTS_INVALID; nothing changes', async () => {
    const [owner, outsider] = [await signup(), await signup()];
    const { chat } = await call(owner, 'createSupergroup', { title: 'Closed', user_ids: [] });
    const { chat: group } = await call(owner, 'createGroup', { title: 'Basic', user_ids: [] });
    expect(await callError(outsider, 'getChannelDifference', { chat_id: chat.id, pts: 0 })).toBe('NOT_FOUND');
    expect(await callError(owner, 'getChannelDifference', { chat_id: group.id, pts: 0 })).toBe('NOT_FOUND');
    expect(await callError(owner, 'getChannelDifference', { chat_id: chat.id, pts: 10_000 })).toBe('PTS_INVALID');
    expect(await callError(owner, 'getChannelDifference', { chat_id: chat.id, pts: -1 })).toBe('BAD_REQUEST');
    expect(await callError(outsider, 'getChatMembers', { chat_id: chat.id })).toBe('NOT_FOUND');
    const again = await call(owner, 'getChat', { chat_id: chat.id });
    expect(again.chat.pts).toBe(chat.pts);
  });

  test('member lists: admins first, paged, searchable by name and username; online count', async () => {
    const owner = await signup({ displayName: 'Olga Owner' });
    const people = [await signup({ displayName: 'Zed Ant' }), await signup({ displayName: 'Amy Zest' }), await signup({ displayName: 'Bo Z' })];
    const { chat } = await call(owner, 'createSupergroup', { title: 'People', user_ids: people.map((p) => p.user.id) });
    await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: people[2]!.user.id, is_admin: true });
    await delivered(chat.id);
    const first = await call(people[0]!, 'getChatMembers', { chat_id: chat.id, limit: 2 });
    expect(first.members.map((m) => [m.user_id, m.role])).toEqual([
      [owner.user.id, 'creator'],
      [people[2]!.user.id, 'admin'],
    ]);
    expect(first).toMatchObject({ count: 4, next_offset: 2 });
    const rest = await call(people[0]!, 'getChatMembers', { chat_id: chat.id, offset: 2, limit: 2 });
    expect(rest.members.map((m) => m.user_id)).toEqual([people[0]!.user.id, people[1]!.user.id]);
    expect(rest.next_offset).toBeNull();
    // "ze" starts a word of "Zed Ant" and of "Amy Zest"; not inside "Olga".
    const found = await call(people[0]!, 'getChatMembers', { chat_id: chat.id, query: 'ze' });
    expect(found.users.map((u) => u.display_name).sort()).toEqual(['Amy Zest', 'Zed Ant']);
    const byUsername = await call(people[0]!, 'getChatMembers', { chat_id: chat.id, query: people[1]!.username.slice(0, 6).toUpperCase() });
    expect(byUsername.users.map((u) => u.id)).toContain(people[1]!.user.id);

    expect((await call(owner, 'getChatOnlineCount', { chat_id: chat.id })).online).toBe(0);
    const socket = await online(people[1]!);
    expect((await call(owner, 'getChatOnlineCount', { chat_id: chat.id })).online).toBe(1);
    socket.ws.close();
  });
});

describe('a basic group becoming a supergroup', () => {
  test('on request by its creator: members move, the old group is read-only and names the new one, history stays', async () => {
    const [owner, admin, member] = [await signup(), await signup(), await signup()];
    const { chat: group } = await call(owner, 'createGroup', { title: 'Growing', user_ids: [admin.user.id, member.user.id] });
    await call(owner, 'setChatAdmin', { chat_id: group.id, user_id: admin.user.id, is_admin: true });
    const { message: old } = await call(member, 'sendMessage', { peer: { chat_id: group.id }, random_id: rid(), text: 'before' });
    expect(await callError(admin, 'migrateChat', { chat_id: group.id })).toBe('FORBIDDEN');

    const { chat: big } = await call(owner, 'migrateChat', { chat_id: group.id });
    expect(big).toMatchObject({ kind: 'supergroup', title: 'Growing', migrated_from: group.id, member_count: 3 });
    const asAdmin = await call(admin, 'getChat', { chat_id: big.id });
    expect(asAdmin.members.find((m) => m.user_id === admin.user.id)?.role).toBe('admin');
    expect((await call(member, 'getChat', { chat_id: group.id })).chat.migrated_to).toBe(big.id);

    const refused = await api(`/v1/call/sendMessage`, {
      body: { peer: { chat_id: group.id }, random_id: rid(), text: 'after' },
      token: member.token,
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'CHAT_MIGRATED', migrated_to: big.id } });
    expect((await call(member, 'getHistory', { chat_id: group.id })).messages.map((m) => m.id)).toEqual([old.id]);
    // Asked again: the same supergroup.
    expect((await call(owner, 'migrateChat', { chat_id: group.id })).chat.id).toBe(big.id);
    await delivered(group.id);
    const { dialogs } = await call(member, 'getDialogs', {});
    expect(dialogs.map((d) => d.chat.id)).toEqual(expect.arrayContaining([group.id, big.id]));
  });

  test(`adding member ${MAX_GROUP_MEMBERS + 1} converts the group by itself, and the newcomer joins the supergroup`, async () => {
    const owner = await signup();
    const others = await bulkAccounts(MAX_GROUP_MEMBERS - 1);
    const { chat: group } = await call(owner, 'createGroup', { title: 'Full house', user_ids: others });
    expect(group.member_count).toBe(MAX_GROUP_MEMBERS);
    const newcomer = await signup();
    const { chat } = await call(owner, 'addChatMember', { chat_id: group.id, user_id: newcomer.user.id });
    expect(chat).toMatchObject({ kind: 'supergroup', migrated_from: group.id, member_count: MAX_GROUP_MEMBERS + 1 });
    const { message } = await call(newcomer, 'sendMessage', { peer: { chat_id: chat.id }, random_id: rid(), text: 'I made it big' });
    expect(message.chat_id).toBe(chat.id);
  }, 60_000);
});

describe('the seeding route', () => {
  test('does not exist unless the local-only DEV_SEEDING binding is set (it is not here, nor in wrangler.toml)', async () => {
    const owner = await signup();
    const res = await api('/v1/dev/seed-chat', { body: { kind: 'supergroup', title: 'x', members: 5, sessions: 0 }, token: owner.token });
    expect(res.status).toBe(404);
  });
});
