/**
 * Large chats (supergroups) in the ChatRoom: an update is logged once in the
 * chat, numbered by the chat's pts, and handed to the fan-out shards; no
 * member's mailbox gets a copy of a message; the work of a send does not
 * grow with the member count; getChannelDifference pages the log.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocol/errors.js';
import { MAX_GROUP_MEMBERS } from '../../../protocol/messages.js';
import type { UpdateEnvelope } from '../../../protocol/updates.js';
import type { ChatSpec } from '../../../durable-objects/chat-room/api.js';
import { CHAT_LOG_RETENTION } from '../../../durable-objects/chat-room/large.js';
import { CHAT_ID, dump, groupSpec, outboxSize, rid, setup, T0 } from './harness.js';

const OWNER = 1;
const ADMIN = 2;
const ALICE = 3;
const BOB = 4;
const BOT = 90;

const code = (c: string) => expect.objectContaining({ code: c });
const supergroupSpec = (creatorId: number, memberIds: number[]): ChatSpec => ({ ...groupSpec(creatorId, memberIds, 'Big'), kind: 'supergroup' });

async function supergroup(extraMembers = 0) {
  const t = setup();
  t.room.init(supergroupSpec(OWNER, [OWNER, ADMIN, ALICE, BOB]));
  t.room.setAdmin(OWNER, ADMIN, true);
  if (extraMembers > 0) t.room.seedMembers(Array.from({ length: extraMembers }, (_, i) => 1_000 + i), []);
  await t.settle();
  t.world.calls.length = 0;
  t.world.broadcasts.length = 0;
  return t;
}

/** What the room handed to its fan-out shards, flattened. */
const broadcastEntries = (t: Awaited<ReturnType<typeof supergroup>>): UpdateEnvelope[] => t.world.broadcasts.flatMap((b) => b.envelopes);

describe('supergroups: logged once, pushed through the shards', () => {
  it("a message is one log entry and one broadcast, and no member's mailbox gets a copy", async () => {
    const t = await supergroup();
    const sent = t.room.sendMessage(ALICE, { random_id: rid(), text: 'hello everyone' });
    await t.settle();
    expect(outboxSize(t.store)).toBe(0);
    expect(t.world.calls).toEqual([]);
    const entries = broadcastEntries(t);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ pts_count: 1, update: { type: 'new_message', message: { id: sent.id, text: 'hello everyone' } } });
    // The shared copy is nobody's: the sender's idempotency key stays in the sender's ack.
    expect(entries[0]!.update.type === 'new_message' && entries[0]!.update.message.random_id).toBeUndefined();
    expect(sent.random_id).toBeDefined();
  });

  it('the work of a send is the same with 4 members and with 20,000 (rows written, calls made)', async () => {
    const cost = async (extra: number) => {
      const t = await supergroup(extra);
      t.room.workStats(true);
      const before = t.store.exec<{ n: number }>('SELECT total_changes() AS n')[0]!.n;
      t.room.sendMessage(ALICE, { random_id: rid(), text: 'x' });
      await t.settle();
      const rows = t.store.exec<{ n: number }>('SELECT total_changes() AS n')[0]!.n - before;
      const meter = t.room.workStats(true);
      return { rows, deliveries: t.world.calls.length, broadcasts: t.world.broadcasts.length, meter };
    };
    const small = await cost(0);
    const large = await cost(20_000);
    expect(large).toEqual(small);
    expect(large.deliveries).toBe(0);
    expect(large.broadcasts).toBe(1);
    // The room's own meter agrees: every row is the transaction's (a bucket more than half full is not written: rate-limit.ts), one call per shard.
    expect(large.meter).toMatchObject({ commits: 1, maxRows: large.rows, maxCalls: 16 });
  });

  it('each update takes the next chat pts; a deletion of n messages advances it by n', async () => {
    const t = await supergroup();
    const a = t.room.sendMessage(ALICE, { random_id: rid(), text: 'a' });
    const b = t.room.sendMessage(BOB, { random_id: rid(), text: 'b' });
    t.room.editMessage(ALICE, a.id, 'a2', undefined);
    t.room.deleteMessages(OWNER, [a.id, b.id], true);
    await t.settle();
    const entries = broadcastEntries(t);
    const p0 = entries[0]!.pts;
    expect(entries.map((e) => [e.update.type, e.pts, e.pts_count])).toEqual([
      ['new_message', p0, 1],
      ['new_message', p0 + 1, 1],
      ['edit_message', p0 + 2, 1],
      ['delete_messages', p0 + 4, 2],
    ]);
    expect(t.room.getChat(ALICE).chat.pts).toBe(entries.at(-1)!.pts);
  });

  it('getChannelDifference pages the log in order, says "more", and ends empty at the chat pts', async () => {
    const t = await supergroup();
    const start = t.room.getChat(BOB).chat.pts!;
    for (let i = 0; i < 25; i++) t.room.sendMessage(ALICE, { random_id: rid(), text: `m${i}` });
    const first = t.room.getChannelDifference(BOB, start, 10);
    expect(first).toMatchObject({ kind: 'difference', more: true, pts: start + 10 });
    const texts: string[] = [];
    let pts = start;
    for (;;) {
      const page = t.room.getChannelDifference(BOB, pts, 10);
      if (page.kind !== 'difference') {
        expect(page).toEqual({ kind: 'empty', pts });
        break;
      }
      let expected = pts;
      for (const e of page.updates) {
        expect(e.pts).toBe(expected + e.pts_count);
        expected = e.pts;
        if (e.update.type === 'new_message') texts.push(e.update.message.text);
      }
      pts = page.pts;
    }
    expect(texts).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`));
  });

  it('too far behind (past the retained log) is "too long" with the current pts', async () => {
    const t = await supergroup();
    t.store.exec('UPDATE chat SET pts = ?', CHAT_LOG_RETENTION * 2);
    t.room.sendMessage(ALICE, { random_id: rid(), text: 'late' });
    expect(t.room.getChannelDifference(BOB, 5)).toEqual({ kind: 'too_long', pts: CHAT_LOG_RETENTION * 2 + 1 });
  });

  it('a non-member gets NOT_FOUND, a pts ahead of the chat PTS_INVALID, and a small chat NOT_FOUND; nothing is written', async () => {
    const t = await supergroup();
    const before = dump(t.store);
    expect(() => t.room.getChannelDifference(777, 0)).toThrow(code(ErrorCode.NOT_FOUND));
    expect(() => t.room.getChannelDifference(ALICE, 10_000)).toThrow(code(ErrorCode.PTS_INVALID));
    expect(dump(t.store)).toEqual(before);
    const small = setup();
    small.room.init(groupSpec(OWNER, [OWNER, ALICE]));
    expect(() => small.room.getChannelDifference(ALICE, 0)).toThrow(code(ErrorCode.NOT_FOUND));
  });

  it('unread counts come from the read pointer, and the dialog from the chat', async () => {
    const t = await supergroup();
    for (let i = 0; i < 3; i++) t.room.sendMessage(ALICE, { random_id: rid(), text: `a${i}` });
    const last = t.room.sendMessage(BOB, { random_id: rid(), text: 'from bob' });
    expect(t.room.largeDialog(ALICE)).toMatchObject({ unread_count: 1, top_message: { id: last.id } });
    expect(t.room.largeDialog(BOB)).toMatchObject({ unread_count: 3 });
    t.room.readHistory(BOB, last.id - 1);
    expect(t.room.largeDialog(BOB)).toMatchObject({ unread_count: 0, read_inbox_max_id: last.id - 1 });
    expect(() => t.room.largeDialog(777)).toThrow(code(ErrorCode.NOT_FOUND));
  });

  it('a join is O(1): the newcomer and bots hear of it, not every member, and the count moves', async () => {
    const t = await supergroup(5_000);
    t.room.addMember(ADMIN, 50);
    await t.settle();
    expect(t.world.calls.map((c) => c.userId)).toEqual([50]);
    expect(broadcastEntries(t)).toEqual([]);
    expect(t.room.getChat(50).chat).toMatchObject({ member_count: 5_005, member_ids: [OWNER, ADMIN, 50] });
    expect(t.world.mailbox(50).getDialog(CHAT_ID)?.is_member).toBe(true);
  });

  it('a member who leaves is unsubscribed from their shard and reads nothing more', async () => {
    const t = await supergroup();
    t.room.leave(BOB);
    await t.settle();
    expect(t.world.unsubscribed).toEqual([{ chatId: CHAT_ID, userId: BOB }]);
    expect(() => t.room.getChannelDifference(BOB, 0)).toThrow(code(ErrorCode.NOT_FOUND));
    expect(t.world.mailbox(BOB).getDialog(CHAT_ID)?.is_member).toBe(false);
  });

  it('a title change or a new admin is logged once for everyone', async () => {
    const t = await supergroup();
    t.room.editTitle(ADMIN, 'Bigger');
    t.room.setAdmin(OWNER, ALICE, true);
    await t.settle();
    const chats = broadcastEntries(t).filter((e) => e.update.type === 'chat');
    expect(chats).toHaveLength(2);
    const last = chats.at(-1)!.update;
    expect(last.type === 'chat' && last.chat).toMatchObject({ title: 'Bigger', member_ids: [OWNER, ADMIN, ALICE] });
  });

  it('bots get their own copies by privacy mode; people get none', async () => {
    const t = setup();
    t.room.init({ ...supergroupSpec(OWNER, [OWNER, ALICE, BOT]), bots: [{ user_id: BOT, username: 'helper_bot', privacy: true }] });
    await t.settle();
    t.world.calls.length = 0;
    t.room.sendMessage(ALICE, { random_id: rid(), text: 'chatter' });
    t.room.sendMessage(ALICE, { random_id: rid(), text: '/start@helper_bot' });
    await t.settle();
    const toBot = t.world.eventsSentTo(BOT).flatMap((e) => (e.update.type === 'new_message' ? [e.update.message.text] : []));
    expect(toBot).toEqual(['/start@helper_bot']);
    expect(t.world.calls.every((c) => c.userId === BOT)).toBe(true);
  });

  it('a mention or a reply reaches the person named (not the sender, not bots, not outsiders), and reading clears it', async () => {
    const t = await supergroup();
    const bobs = t.room.sendMessage(BOB, { random_id: rid(), text: 'question' });
    t.world.calls.length = 0;
    const answer = t.room.sendMessage(ALICE, {
      random_id: rid(),
      text: 'answer for you two',
      reply_to_message_id: bobs.id,
      mentioned_user_ids: [ADMIN, ALICE, 777],
    });
    await t.settle();
    expect(t.world.calls.map((c) => c.userId).sort()).toEqual([ADMIN, BOB]);
    expect(t.world.eventsSentTo(BOB).map((e) => e.update)).toEqual([{ type: 'mention', chat_id: CHAT_ID, message_id: answer.id }]);
    expect(t.world.mailbox(BOB).getDialog(CHAT_ID)?.unread_mentions_count).toBe(1);
    t.room.readHistory(BOB, answer.id);
    await t.settle();
    expect(t.world.mailbox(BOB).getDialog(CHAT_ID)?.unread_mentions_count).toBe(0);
  });

  it("a change everyone sees reaches bots as their own chat copy (their mailbox gets no log entries)", async () => {
    const t = setup();
    t.room.init({ ...supergroupSpec(OWNER, [OWNER, ALICE, BOT]), bots: [{ user_id: BOT, username: 'helper_bot', privacy: true }] });
    await t.settle();
    t.world.calls.length = 0;
    t.room.editTitle(OWNER, 'Renamed');
    await t.settle();
    expect(t.world.mailbox(BOT).getDialog(CHAT_ID)?.chat).toMatchObject({ title: 'Renamed', member_ids: [OWNER, BOT] });
    expect(t.world.calls.every((c) => c.userId === BOT)).toBe(true);
  });

  it('typing goes to everyone online through the shards, once per window per chat, never per member', async () => {
    const t = await supergroup(5_000);
    t.room.setTyping(ALICE, 'typing');
    t.room.setTyping(BOB, 'typing');
    await t.settle();
    expect(t.world.chatEvents).toEqual([{ chatId: CHAT_ID, event: { type: 'typing', chat_id: CHAT_ID, user_id: ALICE, action: 'typing' } }]);
    expect(t.world.ephemeral).toEqual([]);
  });

  it('seeded members are members (they read the log) without a single event, except those announced to', async () => {
    const t = await supergroup();
    const ids = Array.from({ length: 300 }, (_, i) => 2_000 + i);
    expect(t.room.seedMembers(ids, [2_000])).toEqual({ member_count: 304 });
    await t.settle();
    expect(t.world.calls.map((c) => c.userId)).toEqual([2_000]);
    expect(t.room.getChannelDifference(2_299, 0).kind).not.toBe('too_long');
  });

  it('reading the member list: every member of a supergroup may; a channel subscriber may not', async () => {
    const t = await supergroup();
    expect(t.room.memberListAccess(BOB)).toEqual({ member_count: 4, large: true });
    const c = setup();
    c.room.init({ ...groupSpec(OWNER, [OWNER, ALICE], 'News'), kind: 'channel' });
    expect(() => c.room.memberListAccess(ALICE)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(c.room.memberListAccess(OWNER)).toEqual({ member_count: 2, large: true });
  });
});

describe('a basic group becoming a supergroup', () => {
  it('only the creator may convert it; afterwards it is read-only, naming where it went', async () => {
    const t = setup();
    t.room.init(groupSpec(OWNER, [OWNER, ADMIN, ALICE]));
    t.room.setAdmin(OWNER, ADMIN, true);
    const old = t.room.sendMessage(ALICE, { random_id: rid(), text: 'before' });
    expect(() => t.room.markMigrated(ALICE, 500)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => t.room.markMigrated(ADMIN, 500)).toThrow(code(ErrorCode.FORBIDDEN));
    const moving = t.room.markMigrated(OWNER, 500);
    expect(moving).toMatchObject({ toChatId: 500, creatorId: OWNER, memberIds: [OWNER, ADMIN, ALICE], adminIds: [ADMIN] });
    // Asked again (a retry after a crash): the same answer, not a second supergroup.
    expect(t.room.markMigrated(OWNER, 501).toChatId).toBe(500);
    await t.settle();
    const refused = expect.objectContaining({ code: ErrorCode.CHAT_MIGRATED, extra: { migrated_to: 500 } });
    expect(() => t.room.sendMessage(ALICE, { random_id: rid(), text: 'after' })).toThrow(refused);
    expect(() => t.room.addMember(OWNER, BOB)).toThrow(refused);
    expect(() => t.room.editTitle(OWNER, 'New')).toThrow(refused);
    // History stays readable, and every member was told.
    expect(t.room.getHistory(ALICE, { direction: 'before', limit: 10 }).map((m) => m.id)).toEqual([old.id]);
    const told = t.world.updates(ALICE).filter((u) => u.type === 'chat').at(-1);
    expect(told?.type === 'chat' && told.chat.migrated_to).toBe(500);
  });

  it('a full basic group refuses the next member with CHAT_FULL (the method layer then converts it)', () => {
    const t = setup();
    const members = Array.from({ length: MAX_GROUP_MEMBERS }, (_, i) => i + 1);
    t.room.init(groupSpec(1, members));
    expect(() => t.room.addMember(1, 5_000)).toThrow(expect.objectContaining({ code: ErrorCode.CHAT_FULL, message: expect.stringMatching(/^A group holds/) }));
  });

  it('the supergroup made from it remembers where it came from and keeps its admins', async () => {
    const t = setup();
    t.room.init({ ...supergroupSpec(OWNER, [OWNER, ADMIN, ALICE]), admins: [ADMIN], migratedFrom: 41 });
    expect(t.room.getChat(ALICE).chat).toMatchObject({ kind: 'supergroup', migrated_from: 41, member_ids: [OWNER, ADMIN, ALICE] });
    expect(t.room.getChat(ALICE).members.find((m) => m.user_id === ADMIN)?.role).toBe('admin');
    void T0;
  });
});
