import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocol/errors.js';
import { MAX_ACTIVE_INVITE_LINKS } from '../../../protocol/invites.js';
import { MAX_GROUP_MEMBERS, type Chat } from '../../../protocol/messages.js';
import { CHAT_ID, dump, groupSpec, setup, T0 } from './harness.js';

const CREATOR = 1;
const ADMIN = 2;
const MEMBER = 3;
const NEWCOMER = 4;
const OTHER = 5;

const code = (c: string) => expect.objectContaining({ code: c });
/** The chat a join answered (these links admit at once; none makes a request). */
const joined = (outcome: { chat: Chat } | { join_request: unknown }) => (outcome as { chat: Chat }).chat;

let n = 0;
/** A link as the method layer makes one (a well-formed token, its "hash" unique per call). */
function newInvite(extra: { expireDate?: number; memberLimit?: number; name?: string } = {}) {
  n += 1;
  return { token: `tok${String(n).padStart(19, '0')}`, tokenHash: n.toString(16).padStart(64, '0'), ...extra };
}

async function group() {
  const t = setup();
  t.room.init(groupSpec(CREATOR, [CREATOR, ADMIN, MEMBER]));
  t.room.setAdmin(CREATOR, ADMIN, true);
  await t.settle();
  return t;
}

describe('invite links in the ChatRoom', () => {
  it('a link joins a newcomer the way addMember does, counts its usage and is mirrored to the index', async () => {
    const { room, world, settle } = await group();
    const input = newInvite({ memberLimit: 5 });
    const link = room.createInvite(ADMIN, input);
    await settle();
    expect(world.invites.get(input.tokenHash)).toBe(CHAT_ID);

    const { chat } = room.joinByInvite(NEWCOMER, input.tokenHash) as { chat: Chat };
    expect(chat.member_ids).toContain(NEWCOMER);
    await settle();
    expect(world.updates(NEWCOMER).map((u) => u.type)).toEqual(['chat', 'chat_member']);
    expect(world.updates(CREATOR).at(-1)).toMatchObject({ type: 'chat_member', actor_id: NEWCOMER, member: { user_id: NEWCOMER }, left: false });
    expect(world.index.get(`${CHAT_ID}:${NEWCOMER}`)).toBe('member');
    expect(room.listInvites(CREATOR).find((l) => l.id === link.id)?.usage).toBe(1);
  });

  it('a usage limit of one admits exactly one joiner; the one who joined may use it again', () => {
    const { room } = setup();
    room.init(groupSpec(CREATOR, [CREATOR]));
    const input = newInvite({ memberLimit: 1 });
    room.createInvite(CREATOR, input);
    room.joinByInvite(NEWCOMER, input.tokenHash);
    expect(() => room.joinByInvite(OTHER, input.tokenHash)).toThrow(code(ErrorCode.INVITE_INVALID));
    expect(joined(room.joinByInvite(NEWCOMER, input.tokenHash)).member_ids).toEqual([CREATOR, NEWCOMER]);
    expect(room.listInvites(CREATOR)[0]!.usage).toBe(1);
  });

  it('an expired link admits nobody new, and a full group refuses with CHAT_FULL', () => {
    const { room, tick, store } = setup();
    const ids = Array.from({ length: MAX_GROUP_MEMBERS }, (_, i) => i + 1);
    room.init(groupSpec(1, ids));
    const soon = newInvite({ expireDate: T0 + 5_000 });
    room.createInvite(1, soon);
    const before = dump(store);
    expect(() => room.joinByInvite(1000, soon.tokenHash)).toThrow(code(ErrorCode.CHAT_FULL));
    expect(dump(store)).toEqual(before);
    room.removeMember(1, 200);
    tick(5_000);
    expect(() => room.joinByInvite(1000, soon.tokenHash)).toThrow(code(ErrorCode.INVITE_INVALID));
  });

  it('a revoked link is refused like a token the chat never made, and leaves the index', async () => {
    const { room, world, settle } = await group();
    const input = newInvite();
    const link = room.createInvite(CREATOR, input);
    expect(room.revokeInvite(ADMIN, link.id).is_revoked).toBe(true);
    await settle();
    expect(world.invites.has(input.tokenHash)).toBe(false);
    let revoked: unknown;
    let unknown: unknown;
    try {
      room.previewInvite(NEWCOMER, input.tokenHash);
    } catch (err) {
      revoked = err;
    }
    try {
      room.previewInvite(NEWCOMER, newInvite().tokenHash);
    } catch (err) {
      unknown = err;
    }
    expect(revoked).toEqual(unknown);
    expect(revoked).toMatchObject({ code: ErrorCode.INVITE_INVALID });
  });

  it('a plain member may neither create, list nor revoke links', async () => {
    const { room } = await group();
    const link = room.createInvite(CREATOR, newInvite());
    expect(() => room.createInvite(MEMBER, newInvite())).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => room.listInvites(MEMBER)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => room.revokeInvite(MEMBER, link.id)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => room.listInvites(NEWCOMER)).toThrow(code(ErrorCode.NOT_FOUND));
  });

  it(`a group has at most ${MAX_ACTIVE_INVITE_LINKS} active links; revoking one makes room`, () => {
    const { room } = setup();
    room.init(groupSpec(CREATOR, [CREATOR]));
    const links = Array.from({ length: MAX_ACTIVE_INVITE_LINKS }, () => room.createInvite(CREATOR, newInvite()));
    expect(() => room.createInvite(CREATOR, newInvite())).toThrow(code(ErrorCode.FORBIDDEN));
    room.revokeInvite(CREATOR, links[0]!.id);
    expect(room.createInvite(CREATOR, newInvite()).is_revoked).toBe(false);
  });

  it('the preview shows the title and the member count, and the chat id only to a member', async () => {
    const { room } = await group();
    const input = newInvite();
    room.createInvite(CREATOR, input);
    expect(room.previewInvite(NEWCOMER, input.tokenHash)).toEqual({ title: 'Team', kind: 'group', member_count: 3 });
    expect(room.previewInvite(MEMBER, input.tokenHash)).toEqual({ title: 'Team', kind: 'group', member_count: 3, chat_id: CHAT_ID });
  });
});
