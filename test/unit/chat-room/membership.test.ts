import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocol/errors.js';
import { MAX_GROUP_MEMBERS } from '../../../protocol/messages.js';
import { CHAT_ID, groupSpec, newMessageIds, privateSpec, rid, setup } from './harness.js';

const CREATOR = 1;
const ADMIN = 2;
const MEMBER = 3;
const NEWCOMER = 4;

/** A group: 1 creator, 2 admin, 3 member. */
async function group() {
  const t = setup();
  t.room.init(groupSpec(CREATOR, [CREATOR, ADMIN, MEMBER]));
  t.tick();
  t.room.setAdmin(CREATOR, ADMIN, true);
  await t.settle();
  return t;
}

const code = (c: string) => expect.objectContaining({ code: c });

describe('group membership', () => {
  it("an added member's first event is the `chat` update, and every member hears of the change", async () => {
    const { room, world, settle } = await group();
    room.sendMessage(MEMBER, { random_id: rid(), text: 'before you came' });
    const chat = room.addMember(ADMIN, NEWCOMER);
    expect(chat.member_ids).toEqual([CREATOR, ADMIN, MEMBER, NEWCOMER]);
    await settle();
    const updates = world.updates(NEWCOMER);
    expect(updates.map((u) => u.type)).toEqual(['chat', 'chat_member']);
    expect(updates[0]).toEqual({ type: 'chat', chat });
    expect(updates[1]).toMatchObject({ actor_id: ADMIN, left: false, member: { user_id: NEWCOMER, role: 'member' } });
    for (const u of [CREATOR, ADMIN, MEMBER]) expect(world.updates(u).slice(-2).map((x) => x.type)).toEqual(['chat', 'chat_member']);
    // Earlier history is readable but does not count as unread for the newcomer.
    expect(room.getHistory(NEWCOMER, { direction: 'before', limit: 10 }).map((m) => m.text)).toEqual(['before you came']);
    expect(room.readHistory(NEWCOMER, 0)).toEqual({ still_unread_count: 0 });
    expect(world.mailbox(NEWCOMER).getDialog(CHAT_ID)).toMatchObject({ is_member: true, unread_count: 0 });
  });

  it('a 201st member is refused with CHAT_FULL', () => {
    const { room } = setup();
    const ids = Array.from({ length: MAX_GROUP_MEMBERS }, (_, i) => i + 1);
    room.init(groupSpec(1, ids));
    expect(() => room.addMember(1, 1000)).toThrow(code(ErrorCode.CHAT_FULL));
    room.removeMember(1, 200);
    expect(room.addMember(1, 1000).member_ids).toHaveLength(MAX_GROUP_MEMBERS);
  });

  it('adding someone already in the group is a CONFLICT', async () => {
    const { room } = await group();
    expect(() => room.addMember(CREATOR, MEMBER)).toThrow(code(ErrorCode.CONFLICT));
  });

  it('a removed member stops receiving at once and gets NOT_FOUND on reads and sends', async () => {
    const { room, world, settle } = await group();
    room.sendMessage(CREATOR, { random_id: rid(), text: 'still here' });
    room.removeMember(ADMIN, MEMBER);
    room.sendMessage(CREATOR, { random_id: rid(), text: 'after' });
    await settle();
    const seen = world.updates(MEMBER);
    // Its final events are the snapshot without it and its own removal.
    expect(seen.slice(-2)).toMatchObject([
      { type: 'chat', chat: { member_ids: [CREATOR, ADMIN] } },
      { type: 'chat_member', actor_id: ADMIN, left: true, member: { user_id: MEMBER } },
    ]);
    expect(newMessageIds(seen)).toEqual([1]);
    expect(world.mailbox(MEMBER).getDialog(CHAT_ID)?.is_member).toBe(false);
    for (const call of [
      () => room.getHistory(MEMBER, { direction: 'before', limit: 5 }),
      () => room.sendMessage(MEMBER, { random_id: rid(), text: 'hello?' }),
      () => room.readHistory(MEMBER, 2),
    ]) {
      expect(call).toThrow(code(ErrorCode.NOT_FOUND));
    }
  });

  it('only the creator and admins add or remove; admins cannot remove the creator or other admins', async () => {
    const { room } = await group();
    room.addMember(CREATOR, NEWCOMER);
    room.setAdmin(CREATOR, NEWCOMER, true);
    expect(() => room.addMember(MEMBER, 9)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => room.removeMember(MEMBER, ADMIN)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => room.removeMember(ADMIN, CREATOR)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => room.removeMember(ADMIN, NEWCOMER)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => room.removeMember(ADMIN, 9)).toThrow(code(ErrorCode.NOT_FOUND));
    expect(room.removeMember(CREATOR, NEWCOMER).member_ids).toEqual([CREATOR, ADMIN, MEMBER]);
  });

  it('only the creator appoints and dismisses admins', async () => {
    const { room, world, settle } = await group();
    expect(() => room.setAdmin(ADMIN, MEMBER, true)).toThrow(code(ErrorCode.FORBIDDEN));
    room.setAdmin(CREATOR, MEMBER, true);
    room.setAdmin(CREATOR, ADMIN, false);
    await settle();
    expect(room.getChat(MEMBER).members.map((m) => [m.user_id, m.role])).toEqual([
      [CREATOR, 'creator'],
      [ADMIN, 'member'],
      [MEMBER, 'admin'],
    ]);
    expect(world.updates(CREATOR).at(-1)).toMatchObject({
      type: 'chat_member',
      member: { user_id: ADMIN, role: 'member' },
      left: false,
    });
    expect(world.index.get(`${CHAT_ID}:${MEMBER}`)).toBe('admin');
  });

  it('creator and admins rename the group; every member gets the new snapshot', async () => {
    const { room, world, settle } = await group();
    expect(() => room.editTitle(MEMBER, 'Mine')).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => room.editTitle(ADMIN, ' ')).toThrow(code(ErrorCode.BAD_REQUEST));
    expect(room.editTitle(ADMIN, '  Renamed ').title).toBe('Renamed');
    await settle();
    expect(world.mailbox(MEMBER).getDialog(CHAT_ID)?.chat.title).toBe('Renamed');
  });

  it('a member who leaves gets its final events, then nothing more', async () => {
    const { room, world, settle } = await group();
    room.leave(MEMBER);
    room.sendMessage(CREATOR, { random_id: rid(), text: 'bye' });
    await settle();
    expect(world.updates(MEMBER).at(-1)).toMatchObject({ type: 'chat_member', left: true, member: { user_id: MEMBER } });
    expect(newMessageIds(world.updates(MEMBER))).toEqual([]);
    expect(() => room.getChat(MEMBER)).toThrow(code(ErrorCode.NOT_FOUND));
    expect(world.index.has(`${CHAT_ID}:${MEMBER}`)).toBe(false);
  });

  it('when the creator leaves, the longest-standing admin becomes creator', async () => {
    const { room, world, settle } = await group();
    room.leave(CREATOR);
    await settle();
    const { chat, members } = room.getChat(ADMIN);
    expect(chat.creator_id).toBe(ADMIN);
    expect(members.map((m) => [m.user_id, m.role])).toEqual([
      [ADMIN, 'creator'],
      [MEMBER, 'member'],
    ]);
    expect(world.updates(MEMBER).slice(-2)).toMatchObject([
      { type: 'chat_member', member: { user_id: CREATOR }, left: true },
      { type: 'chat_member', member: { user_id: ADMIN, role: 'creator' }, left: false },
    ]);
    expect(world.index.get(`${CHAT_ID}:${ADMIN}`)).toBe('creator');
  });

  it('private chats refuse membership operations with BAD_REQUEST', () => {
    const { room } = setup();
    room.init(privateSpec(1, 2));
    for (const call of [
      () => room.addMember(1, 3),
      () => room.removeMember(1, 2),
      () => room.leave(1),
      () => room.editTitle(1, 'Us'),
      () => room.setAdmin(1, 2, true),
    ]) {
      expect(call).toThrow(code(ErrorCode.BAD_REQUEST));
    }
  });
});
