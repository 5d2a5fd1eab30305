import { describe, expect, it } from 'vitest';
import type { PhotoInput } from '../../../durable-objects/chat-room/photo.js';
import { ErrorCode } from '../../../protocol/errors.js';
import type { MediaFile } from '../../../protocol/media.js';
import { CHAT_ID, T0, groupSpec, privateSpec, setup } from './harness.js';

const OWNER = 1;
const ADMIN = 2;
const MEMBER = 3;
const BOT = 9;

const code = (c: string) => expect.objectContaining({ code: c });
const file = (ch: string): MediaFile => ({ id: ch.repeat(32), size: 100, mime_type: 'image/jpeg', file_name: null });
const picture = (big: string, small = big): PhotoInput => ({ big: file(big), small: file(small), width: 640, height: 640 });
const ref = (ch: string) => `${ch.repeat(32)}:${CHAT_ID}:0`;

async function group() {
  const t = setup();
  t.room.init({ ...groupSpec(OWNER, [OWNER, ADMIN, MEMBER, BOT]), bots: [{ user_id: BOT, username: 'helper_bot', privacy: true }] });
  t.room.setAdmin(OWNER, ADMIN, true);
  await t.settle();
  return t;
}

describe('the chat’s photo', () => {
  it('is set by one who may change info, shown to every member, held by a ref under message 0, and noted in recent actions', async () => {
    const { room, world, settle } = await group();
    const chat = room.setPhoto(ADMIN, picture('a', 'b'));
    expect(chat.photo).toEqual({ ...picture('a', 'b'), date: T0 });
    await settle();
    expect(world.updates(MEMBER).at(-1)).toMatchObject({ type: 'chat', chat: { photo: { big: { id: 'a'.repeat(32) } } } });
    expect([...world.fileRefs].filter((r) => r.endsWith(':0')).sort()).toEqual([ref('a'), ref('b')]);
    expect(world.updates(BOT).some((u) => u.type === 'service' && u.action.kind === 'photo_changed' && u.actor_id === ADMIN)).toBe(true);
    expect(room.getAdminLog(OWNER).map((e) => e.action)).toContain('photo_changed');
    expect(room.getPhoto(MEMBER)?.big.id).toBe('a'.repeat(32));
  });

  it('replacing it moves the refs: the old files are released, a file kept by both stays', async () => {
    const { room, world, settle } = await group();
    room.setPhoto(OWNER, picture('a', 'b'));
    room.setPhoto(OWNER, picture('c', 'b'));
    await settle();
    expect([...world.fileRefs].filter((r) => r.endsWith(':0')).sort()).toEqual([ref('b'), ref('c')]);
  });

  it('removing it clears the chat’s photo and its refs, tells members and bots; removing none changes nothing', async () => {
    const { room, world, settle } = await group();
    room.setPhoto(OWNER, picture('a'));
    await settle();
    expect(room.deletePhoto(ADMIN).photo).toBeUndefined();
    await settle();
    expect(world.fileRefs.has(ref('a'))).toBe(false);
    expect(world.updates(MEMBER).at(-1)).toMatchObject({ type: 'chat' });
    expect((world.updates(MEMBER).at(-1) as { chat: object }).chat).not.toHaveProperty('photo');
    expect(world.updates(BOT).at(-1)).toMatchObject({ type: 'service', action: { kind: 'photo_deleted' } });
    const before = world.updates(MEMBER).length;
    expect(room.deletePhoto(ADMIN).photo).toBeUndefined();
    await settle();
    expect(world.updates(MEMBER)).toHaveLength(before);
    expect(room.getAdminLog(OWNER).filter((e) => e.action === 'photo_deleted')).toHaveLength(1);
  });

  it('is refused to a member without can_change_info, and to a member when the group’s permissions allow it is not', async () => {
    const { room, world, settle } = await group();
    room.setPermissions(OWNER, { ...room.getChat(OWNER).chat.permissions!, can_change_info: false });
    await settle();
    const before = world.updates(MEMBER).length;
    expect(() => room.setPhoto(MEMBER, picture('a'))).toThrow('Not enough rights to change chat info');
    expect(() => room.deletePhoto(MEMBER)).toThrow(code(ErrorCode.FORBIDDEN));
    await settle();
    expect(world.updates(MEMBER)).toHaveLength(before);
    expect(world.fileRefs.size).toBe(0);
    expect(room.getChat(OWNER).chat.photo).toBeUndefined();
  });

  it('members may when the group lets them change info', async () => {
    const { room } = await group();
    room.setPermissions(OWNER, { ...room.getChat(OWNER).chat.permissions!, can_change_info: true });
    expect(room.setPhoto(MEMBER, picture('a')).photo?.big.id).toBe('a'.repeat(32));
  });

  it('private chats have none; a non-member neither sets nor reads it; a malformed photo is refused', async () => {
    const t = setup();
    t.room.init(privateSpec(OWNER, MEMBER));
    expect(() => t.room.setPhoto(OWNER, picture('a'))).toThrow(code(ErrorCode.BAD_REQUEST));
    const { room } = await group();
    expect(() => room.setPhoto(77, picture('a'))).toThrow(code(ErrorCode.NOT_FOUND));
    expect(() => room.getPhoto(77)).toThrow(code(ErrorCode.NOT_FOUND));
    expect(() => room.setPhoto(OWNER, { ...picture('a'), big: { ...file('a'), id: 'not a file id' } })).toThrow(code(ErrorCode.BAD_REQUEST));
  });

  it('a group converted into a supergroup keeps its photo, which the supergroup holds by its own refs', async () => {
    const { room, world, settle } = await group();
    room.setPhoto(OWNER, picture('a', 'b'));
    const moving = room.markMigrated(OWNER, 500);
    expect(moving.photo?.big.id).toBe('a'.repeat(32));
    const t = setup();
    t.room.init({ ...groupSpec(OWNER, moving.memberIds), chatId: 500, kind: 'supergroup', migratedFrom: CHAT_ID, photo: moving.photo! });
    await Promise.all([settle(), t.settle()]);
    expect(t.room.getChat(MEMBER).chat.photo).toEqual(moving.photo);
    expect([...t.world.fileRefs].sort()).toEqual([`${'a'.repeat(32)}:500:0`, `${'b'.repeat(32)}:500:0`]);
    // The old group, read-only now, still shows (and holds) it.
    expect([...world.fileRefs].filter((r) => r.endsWith(':0')).sort()).toEqual([ref('a'), ref('b')]);
    const u = setup();
    expect(() => u.room.init({ ...groupSpec(OWNER, [OWNER]), photo: { ...moving.photo!, big: { ...file('a'), size: -1 } } })).toThrow(code(ErrorCode.BAD_REQUEST));
  });

  it('in a supergroup the change is one log entry for everyone', async () => {
    const t = setup();
    t.room.init({ ...groupSpec(OWNER, [OWNER, MEMBER]), kind: 'supergroup' });
    await t.settle();
    t.world.broadcasts.length = 0;
    t.room.setPhoto(OWNER, picture('a'));
    await t.settle();
    const entries = t.world.broadcasts.flatMap((b) => b.envelopes);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.update).toMatchObject({ type: 'chat', chat: { photo: { big: { id: 'a'.repeat(32) } } } });
  });
});
