import { DEFAULT_CHAT_PERMISSIONS } from '../../../protocol/messages.js';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocol/errors.js';
import type { ChatRoomLogic } from '../../../durable-objects/chat-room/room.js';
import { CHAT_ID, T0, dump, groupSpec, privateSpec, rid, setup } from './harness.js';

const A = 1;
const B = 2;
const STRANGER = 9;

/** Every verb a caller can try, as that caller. */
const verbs = (room: ChatRoomLogic, who: number): [string, () => unknown][] => [
  ['sendMessage', () => room.sendMessage(who, { random_id: rid(), text: 'hi' })],
  ['editMessage', () => room.editMessage(who, 1, 'x', undefined)],
  ['deleteMessages for everyone', () => room.deleteMessages(who, [1], true)],
  ['deleteMessages for me', () => room.deleteMessages(who, [1], false)],
  ['getHistory', () => room.getHistory(who, { direction: 'before', limit: 10 })],
  ['getMessages', () => room.getMessages(who, [1])],
  ['readHistory', () => room.readHistory(who, 1)],
  ['setTyping', () => room.setTyping(who, 'typing')],
  ['getChat', () => room.getChat(who)],
  ['addMember', () => room.addMember(who, 77)],
  ['removeMember', () => room.removeMember(who, A)],
  ['leave', () => room.leave(who)],
  ['editTitle', () => room.editTitle(who, 'New')],
  ['setAdmin', () => room.setAdmin(who, A, true)],
];

describe('access', () => {
  it('an uninitialized chat is NOT_FOUND for everything and writes nothing', async () => {
    const { room, store, world, alarms, settle } = setup();
    const before = dump(store);
    for (const [name, call] of verbs(room, A)) {
      expect(call, name).toThrow(expect.objectContaining({ code: ErrorCode.NOT_FOUND, message: 'Chat not found' }));
    }
    await settle();
    expect(dump(store)).toEqual(before);
    expect(world.calls).toEqual([]);
    expect(alarms).toEqual([]);
  });

  it('a non-member gets NOT_FOUND for read/send/edit/delete, exactly as for a missing chat, and nothing is written', async () => {
    for (const spec of [privateSpec(A, B), groupSpec(A, [A, B])]) {
      const { room, store, world, settle } = setup();
      room.init(spec);
      room.sendMessage(A, { random_id: rid(), text: 'secret' });
      await settle();
      const before = dump(store);
      const callsBefore = world.calls.length;
      for (const [name, call] of verbs(room, STRANGER)) {
        expect(call, `${spec.kind} ${name}`).toThrow(
          expect.objectContaining({ code: ErrorCode.NOT_FOUND, message: 'Chat not found' }),
        );
      }
      await settle();
      expect(dump(store)).toEqual(before);
      expect(world.calls).toHaveLength(callsBefore);
      expect(world.ephemeral).toEqual([]);
    }
  });

  it('init creates the chat once and returns the existing chat afterwards', async () => {
    const { room, world, settle } = setup();
    const chat = room.init(groupSpec(A, [A, B], 'Team'));
    expect(chat).toEqual({
      id: CHAT_ID,
      kind: 'group',
      title: 'Team',
      member_ids: [A, B],
      member_count: 2,
      creator_id: A,
      created_at: T0,
      permissions: DEFAULT_CHAT_PERMISSIONS,
      slow_mode_seconds: 0,
    });
    expect(room.init(groupSpec(B, [B, 5], 'Other'))).toEqual(chat);
    await settle();
    // Each member's first (and only) event is the `chat` update.
    for (const u of [A, B]) expect(world.updates(u)).toEqual([{ type: 'chat', chat }]);
    expect([...world.index]).toEqual([
      [`${CHAT_ID}:${A}`, 'creator'],
      [`${CHAT_ID}:${B}`, 'member'],
    ]);
  });

  it('a private chat has no title and no creator; the dialog appears in both mailboxes', async () => {
    const { room, world, settle } = setup();
    const chat = room.init({ ...privateSpec(A, B), creatorId: A, title: 'ignored' });
    expect(chat).toMatchObject({ kind: 'private', title: null, creator_id: null, member_ids: [A, B] });
    await settle();
    expect(world.mailbox(B).getDialogs()).toHaveLength(1);
  });

  it('a private chat with oneself ("Saved Messages") works with one member', () => {
    const { room } = setup();
    room.init(privateSpec(A, A));
    expect(room.sendMessage(A, { random_id: rid(), text: 'note' }).id).toBe(1);
    expect(room.getChat(A).chat.member_ids).toEqual([A]);
  });

  it('an invalid spec is refused: a group needs a title and its creator among the members', () => {
    const { room } = setup();
    expect(() => room.init(groupSpec(A, [B]))).toThrow(expect.objectContaining({ code: ErrorCode.BAD_REQUEST }));
    expect(() => room.init(groupSpec(A, [A], '  '))).toThrow(expect.objectContaining({ code: ErrorCode.BAD_REQUEST }));
    expect(() => room.init({ ...privateSpec(A, B), memberIds: [A, B, 3] })).toThrow(
      expect.objectContaining({ code: ErrorCode.BAD_REQUEST }),
    );
  });
});
