import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocol/errors.js';
import type { MessageMedia } from '../../../protocol/media.js';
import { ADMIN_RIGHTS, DEFAULT_CHAT_PERMISSIONS, type AdminRights, type Chat, type ChatPermissions } from '../../../protocol/messages.js';
import { chatRoomMigrations } from '../../../durable-objects/chat-room/migrations.js';
import { migrate } from '../../../durable-objects/sql/migrate.js';
import { MemorySqlStore } from '../../support/memory-sql.js';
import { CHAT_ID, T0, dump, groupSpec, rid, setup } from './harness.js';

const OWNER = 1;
const ADMIN = 2;
const MEMBER = 3;
const OTHER = 4;
const NEWCOMER = 5;

const code = (c: string) => expect.objectContaining({ code: c });
const none = Object.fromEntries(ADMIN_RIGHTS.map((r) => [r, false])) as AdminRights;
const only = (...rights: (keyof AdminRights)[]): AdminRights => ({ ...none, ...Object.fromEntries(rights.map((r) => [r, true])) });
const allowing = (changes: Partial<ChatPermissions>): ChatPermissions => ({ ...DEFAULT_CHAT_PERMISSIONS, ...changes });
const photo: MessageMedia = {
  kind: 'photo',
  file: { id: 'f'.repeat(32), size: 10, mime_type: 'image/jpeg', file_name: null },
  thumb: null,
  width: 10,
  height: 10,
  duration: null,
  grouped_id: null,
};

let n = 0;
const newInvite = () => {
  n += 1;
  return { token: `tok${String(n).padStart(19, '0')}`, tokenHash: n.toString(16).padStart(64, '0') };
};

async function community() {
  const t = setup();
  t.room.init(groupSpec(OWNER, [OWNER, ADMIN, MEMBER, OTHER]));
  await t.settle();
  return t;
}

describe('admin rights', () => {
  it('an admin with one right may do exactly that: pin, but not rename, ban or delete others’ messages', async () => {
    const { room } = await community();
    const member = room.editAdmin(OWNER, ADMIN, only('can_pin_messages'));
    expect(member).toMatchObject({ role: 'admin', rights: only('can_pin_messages'), promoted_by: OWNER });
    const sent = room.sendMessage(MEMBER, { random_id: rid(), text: 'hello' });

    expect(room.pin(ADMIN, sent.id).pinned_message_id).toBe(sent.id);
    expect(() => room.editTitle(ADMIN, 'Renamed')).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => room.editTitle(ADMIN, 'Renamed')).toThrow('Not enough rights to change chat info');
    expect(() => room.ban(ADMIN, OTHER, null)).toThrow('Not enough rights to restrict/ban chat members');
    expect(() => room.removeMember(ADMIN, OTHER)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => room.deleteMessages(ADMIN, [sent.id], true)).toThrow(code(ErrorCode.MESSAGE_NOT_MODIFIABLE));
    expect(() => room.addMember(ADMIN, NEWCOMER)).toThrow('Not enough rights to invite users');
  });

  it('a change of rights holds from the next call on', async () => {
    const { room } = await community();
    room.editAdmin(OWNER, ADMIN, only('can_change_info'));
    room.editTitle(ADMIN, 'First');
    room.editAdmin(OWNER, ADMIN, only('can_pin_messages'));
    expect(() => room.editTitle(ADMIN, 'Second')).toThrow(code(ErrorCode.FORBIDDEN));
    room.editAdmin(OWNER, ADMIN, null);
    expect(room.getChat(OWNER).members.find((m) => m.user_id === ADMIN)).toEqual(expect.objectContaining({ role: 'member' }));
    expect(room.getChat(OWNER).chat.title).toBe('First');
  });

  it('members hear of a rights change, with the rights, at once', async () => {
    const { room, world, settle } = await community();
    room.editAdmin(OWNER, ADMIN, only('can_delete_messages', 'can_invite_users'));
    await settle();
    expect(world.updates(MEMBER).at(-1)).toMatchObject({
      type: 'chat_member',
      member: { user_id: ADMIN, role: 'admin', rights: only('can_delete_messages', 'can_invite_users') },
      old_role: 'member',
    });
  });

  it('an admin may grant only rights it holds, and edit only the admins it appointed; nothing changes otherwise', async () => {
    const { room, store } = await community();
    room.editAdmin(OWNER, ADMIN, only('can_promote_members', 'can_pin_messages'));
    const before = dump(store);
    expect(() => room.editAdmin(ADMIN, MEMBER, only('can_pin_messages', 'can_change_info'))).toThrow(
      'You cannot grant rights you do not hold: can_change_info',
    );
    expect(dump(store)).toEqual(before);
    expect(room.editAdmin(ADMIN, MEMBER, only('can_pin_messages'))).toMatchObject({ role: 'admin', promoted_by: ADMIN });
    // OTHER is appointed by the owner: ADMIN may not touch them, nor dismiss itself.
    room.editAdmin(OWNER, OTHER, only('can_pin_messages'));
    expect(() => room.editAdmin(ADMIN, OTHER, null)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => room.removeMember(ADMIN, OTHER)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => room.editAdmin(ADMIN, ADMIN, null)).toThrow(code(ErrorCode.BAD_REQUEST));
    // Its own appointee it may dismiss.
    expect(room.editAdmin(ADMIN, MEMBER, null)).toMatchObject({ role: 'member' });
  });

  it('only the creator and admins with can_promote_members appoint admins', async () => {
    const { room } = await community();
    room.editAdmin(OWNER, ADMIN, only('can_pin_messages'));
    expect(() => room.editAdmin(ADMIN, MEMBER, only('can_pin_messages'))).toThrow('Not enough rights to promote members');
    expect(() => room.editAdmin(MEMBER, OTHER, only('can_pin_messages'))).toThrow(code(ErrorCode.FORBIDDEN));
  });

  it('a custom title is at most 16 characters and no emoji; the creator titles itself', async () => {
    const { room } = await community();
    room.editAdmin(OWNER, ADMIN, only('can_pin_messages'), 'Moderator');
    expect(room.getMember(OWNER, ADMIN)).toMatchObject({ title: 'Moderator' });
    expect(() => room.setAdminTitle(OWNER, ADMIN, 'x'.repeat(17))).toThrow(code(ErrorCode.BAD_REQUEST));
    expect(() => room.setAdminTitle(OWNER, ADMIN, 'Boss 🎉')).toThrow(code(ErrorCode.BAD_REQUEST));
    expect(room.setAdminTitle(OWNER, OWNER, 'Founder')).toMatchObject({ role: 'creator', title: 'Founder' });
    expect(() => room.setAdminTitle(OWNER, MEMBER, 'Nobody')).toThrow(code(ErrorCode.BAD_REQUEST));
  });

  it('a link stops working when its creator loses the invite right, and works again when it is back', async () => {
    const { room } = await community();
    room.editAdmin(OWNER, ADMIN, only('can_invite_users'));
    const input = newInvite();
    room.createInvite(ADMIN, input);
    room.editAdmin(OWNER, ADMIN, only('can_pin_messages'));
    expect(() => room.joinByInvite(NEWCOMER, input.tokenHash)).toThrow(code(ErrorCode.INVITE_INVALID));
    room.editAdmin(OWNER, ADMIN, only('can_invite_users'));
    expect((room.joinByInvite(NEWCOMER, input.tokenHash) as { chat: Chat }).chat.member_ids).toContain(NEWCOMER);
  });

  it('admins appointed before rights were granular keep what admins could do then, but not appointing admins', () => {
    const store = new MemorySqlStore();
    const upTo = chatRoomMigrations.findIndex((m) => m.name === 'admin rights, member permissions, slow mode');
    migrate(store, chatRoomMigrations.slice(0, upTo));
    store.exec(
      `INSERT INTO chat (id, kind, title, creator_id, created_at, next_message_id, next_event_seq) VALUES (?, 'group', 'Old', ?, ?, 1, 1)`,
      CHAT_ID,
      OWNER,
      T0,
    );
    store.exec("INSERT INTO members (user_id, role, joined_at) VALUES (?, 'creator', ?), (?, 'admin', ?), (?, 'member', ?)", OWNER, T0, ADMIN, T0, MEMBER, T0);
    const { room } = setup({ store }); // runs the migration
    const admin = room.getMember(OWNER, ADMIN)!;
    expect(admin.rights).toEqual({ ...ADMIN_RIGHTS.reduce((r, k) => ({ ...r, [k]: true }), {} as AdminRights), can_promote_members: false, is_anonymous: false });
    expect(room.getChat(OWNER).chat.permissions).toEqual(DEFAULT_CHAT_PERMISSIONS);
  });
});

describe('the chat’s description', () => {
  it('is set, shown and cleared by those who may change info; lines are kept, controls refused', async () => {
    const { room, world, settle } = await community();
    expect(room.editDescription(OWNER, '  Our rules:\nbe kind  ').description).toBe('Our rules:\nbe kind');
    expect(() => room.editDescription(MEMBER, 'mine now')).toThrow('Not enough rights to change chat info');
    expect(() => room.editDescription(OWNER, 'bell\u0007')).toThrow(code(ErrorCode.BAD_REQUEST));
    expect(() => room.editDescription(OWNER, 'x'.repeat(256))).toThrow(code(ErrorCode.BAD_REQUEST));
    await settle();
    expect(world.updates(MEMBER).at(-1)).toMatchObject({ type: 'chat', chat: { description: 'Our rules:\nbe kind' } });
    expect(room.editDescription(OWNER, '').description).toBeUndefined();
  });
});

describe('ownership', () => {
  it('the creator hands the chat over and stays an admin with every right', async () => {
    const { room, world, settle } = await community();
    const chat = room.transferOwnership(OWNER, MEMBER);
    expect(chat.creator_id).toBe(MEMBER);
    expect(room.getMember(MEMBER, MEMBER)).toMatchObject({ role: 'creator' });
    expect(room.getMember(MEMBER, OWNER)).toMatchObject({ role: 'admin', promoted_by: MEMBER, rights: { can_promote_members: true, can_change_info: true } });
    await settle();
    expect(world.updates(OTHER).filter((u) => u.type === 'chat_member').slice(-2)).toMatchObject([
      { member: { user_id: MEMBER, role: 'creator' }, old_role: 'member' },
      { member: { user_id: OWNER, role: 'admin' }, old_role: 'creator' },
    ]);
    expect(() => room.transferOwnership(OWNER, OTHER)).toThrow(code(ErrorCode.FORBIDDEN));
  });
});

describe('member permissions', () => {
  it("the chat's permissions hold for plain members and not for admins", async () => {
    const { room } = await community();
    room.editAdmin(OWNER, ADMIN, only('can_restrict_members'));
    room.setPermissions(ADMIN, allowing({ can_send_media: false, can_send_links: false, can_pin_messages: true }));
    expect(() => room.sendMessage(MEMBER, { random_id: rid(), text: 'look', media: photo })).toThrow('Not enough rights to send media to the chat');
    expect(() => room.sendMessage(MEMBER, { random_id: rid(), text: 'see https://example.org' })).toThrow('Not enough rights to send links to the chat');
    const plain = room.sendMessage(MEMBER, { random_id: rid(), text: 'plain words' });
    // Pinning is now every member's.
    expect(room.pin(MEMBER, plain.id).pinned_message_id).toBe(plain.id);
    // Admins are not held to the members' permissions.
    room.sendMessage(ADMIN, { random_id: rid(), text: 'https://example.org' });
    expect(room.getChat(MEMBER).chat.permissions).toMatchObject({ can_send_media: false, can_pin_messages: true });
  });

  it('a restriction narrows the chat’s permissions for one member', async () => {
    const { room } = await community();
    room.setPermissions(OWNER, allowing({ can_pin_messages: true }));
    room.restrict(OWNER, MEMBER, allowing({ can_pin_messages: false, can_invite_users: true }), null);
    const sent = room.sendMessage(OTHER, { random_id: rid(), text: 'hi' });
    expect(() => room.pin(MEMBER, sent.id)).toThrow('Not enough rights to pin messages');
    expect(room.pin(OTHER, sent.id).pinned_message_id).toBe(sent.id);
    // can_invite_users allowed by the restriction is still not the chat's: a restriction never widens.
    expect(() => room.addMember(MEMBER, NEWCOMER)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(room.getMember(OWNER, MEMBER)?.restriction).toMatchObject({ can_pin_messages: false, can_send_messages: true, until: null });
  });

  it('members without rights cannot change the permissions', async () => {
    const { room } = await community();
    expect(() => room.setPermissions(MEMBER, DEFAULT_CHAT_PERMISSIONS)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => room.setSlowMode(MEMBER, 10)).toThrow(code(ErrorCode.FORBIDDEN));
  });
});

describe('slow mode', () => {
  it('a member waits between messages, told how long; admins do not', async () => {
    const { room, tick } = await community();
    room.setSlowMode(OWNER, 30);
    room.sendMessage(MEMBER, { random_id: rid(), text: 'one' });
    tick(10_000);
    expect(() => room.sendMessage(MEMBER, { random_id: rid(), text: 'two' })).toThrow(
      expect.objectContaining({ code: ErrorCode.SLOW_MODE_WAIT, extra: expect.objectContaining({ retry_after: 20 }) }),
    );
    room.sendMessage(OWNER, { random_id: rid(), text: 'admins are free' });
    room.sendMessage(OWNER, { random_id: rid(), text: 'twice' });
    tick(20_000);
    room.sendMessage(MEMBER, { random_id: rid(), text: 'two, later' });
  });

  it('is kept durably: a restarted chat still makes the member wait', async () => {
    const { room, reopen, tick } = await community();
    room.setSlowMode(OWNER, 60);
    room.sendMessage(MEMBER, { random_id: rid(), text: 'one' });
    tick(1_000);
    const restarted = reopen();
    expect(() => restarted.sendMessage(MEMBER, { random_id: rid(), text: 'two' })).toThrow(code(ErrorCode.SLOW_MODE_WAIT));
  });

  it('takes only Telegram’s steps', async () => {
    const { room } = await community();
    expect(() => room.setSlowMode(OWNER, 45)).toThrow(code(ErrorCode.BAD_REQUEST));
    expect(room.setSlowMode(OWNER, 3600).slow_mode_seconds).toBe(3600);
  });
});

describe('anonymous admins', () => {
  it("an admin with is_anonymous writes as the group: no sender for anyone, its title as the signature; the sender's own copy is still its own", async () => {
    const { room, world, settle } = await community();
    room.editAdmin(OWNER, ADMIN, only('is_anonymous', 'can_delete_messages'), 'Moderator');
    const sent = room.sendMessage(ADMIN, { random_id: rid(), text: 'Please keep it civil' });
    expect(sent).toMatchObject({ sender_id: null, sender_chat_id: CHAT_ID, post_author: 'Moderator', random_id: expect.any(String) });
    await settle();
    const seenBy = (u: number) => world.updates(u).filter((x) => x.type === 'new_message').at(-1);
    expect(seenBy(MEMBER)).toMatchObject({ message: { sender_id: null, sender_chat_id: CHAT_ID, post_author: 'Moderator' } });
    expect(seenBy(MEMBER)).not.toHaveProperty('message.random_id');
    expect(room.getHistory(OWNER, { direction: 'before', limit: 1 })[0]).toMatchObject({ sender_id: null, post_author: 'Moderator' });

    // Still the admin's message to the room: the sender edits it, nobody else does.
    expect(room.editMessage(ADMIN, sent.id, 'Please keep it civil, everyone', undefined).sender_id).toBeNull();
    expect(() => room.editMessage(OWNER, sent.id, 'hijacked', undefined)).toThrow(code(ErrorCode.MESSAGE_NOT_MODIFIABLE));

    // Without the right (or as a plain member) messages name their sender again.
    room.editAdmin(OWNER, ADMIN, only('can_delete_messages'));
    expect(room.sendMessage(ADMIN, { random_id: rid(), text: 'signed' })).toMatchObject({ sender_id: ADMIN });
    expect(room.sendMessage(MEMBER, { random_id: rid(), text: 'me too' })).not.toHaveProperty('sender_chat_id');
  });

  it('in a supergroup the one logged copy names no sender either', async () => {
    const t = setup();
    t.room.init({ ...groupSpec(OWNER, [OWNER, ADMIN, MEMBER]), kind: 'supergroup' });
    t.room.editAdmin(OWNER, ADMIN, only('is_anonymous'));
    t.room.sendMessage(ADMIN, { random_id: rid(), text: 'from the group' });
    await t.settle();
    const logged = t.world.broadcasts.flatMap((b) => b.envelopes).map((e) => e.update).filter((u) => u.type === 'new_message');
    expect(logged.at(-1)).toMatchObject({ message: { sender_id: null, sender_chat_id: CHAT_ID, text: 'from the group' } });
    expect(logged.at(-1)).not.toHaveProperty('message.post_author');
  });
});
