import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocol/errors.js';
import type { Update } from '../../../protocol/updates.js';
import { CHAT_ID, dump, groupSpec, setup } from './harness.js';

const CREATOR = 1;
const ADMIN = 2;
const MEMBER = 3;
const ASKER = 4;
const OTHER = 5;

const code = (c: string) => expect.objectContaining({ code: c });
const requests = (updates: Update[]) => updates.filter((u) => u.type === 'chat_join_request');

let n = 0;
function newInvite(extra: { memberLimit?: number; createsJoinRequest?: boolean; name?: string } = {}) {
  n += 1;
  return { token: `req${String(n).padStart(19, '0')}`, tokenHash: (1000 + n).toString(16).padStart(64, '0'), ...extra };
}

/** A supergroup: its creator, an admin with the default rights (invite included) and a member. */
async function supergroup() {
  const t = setup();
  t.room.init({ ...groupSpec(CREATOR, [CREATOR, ADMIN, MEMBER]), kind: 'supergroup' });
  t.room.setAdmin(CREATOR, ADMIN, true);
  await t.settle();
  return t;
}

describe('join requests in the ChatRoom', () => {
  it('a link that creates requests admits nobody: the request waits, and only its approvers hear of it', async () => {
    const { room, world, settle } = await supergroup();
    const input = newInvite({ createsJoinRequest: true, name: 'Vetted' });
    const link = room.createInvite(ADMIN, input);
    expect(link).toMatchObject({ creates_join_request: true, pending_join_request_count: 0 });
    expect(room.previewInvite(ASKER, input.tokenHash)).toMatchObject({ request_needed: true });

    const outcome = room.joinByInvite(ASKER, input.tokenHash);
    expect(outcome).toEqual({ join_request: { chat_id: CHAT_ID, date: expect.any(Number) } });
    expect(() => room.getChat(ASKER)).toThrow();
    await settle();
    for (const approver of [CREATOR, ADMIN]) {
      expect(requests(world.updates(approver))).toEqual([
        expect.objectContaining({ user_id: ASKER, status: 'pending', pending_count: 1, invite_link: expect.objectContaining({ id: link.id, name: 'Vetted' }) }),
      ]);
    }
    // The token only in the link creator's copy, as chat_member's.
    expect(requests(world.updates(ADMIN))[0]).toMatchObject({ invite_link: { token: input.token } });
    expect(requests(world.updates(CREATOR))[0]).not.toHaveProperty('invite_link.token');
    expect(requests(world.updates(MEMBER))).toEqual([]);
    expect(room.listInvites(ADMIN)[0]).toMatchObject({ pending_join_request_count: 1, usage: 0 });

    // Asking again answers the waiting request and tells nobody twice.
    expect(room.joinByInvite(ASKER, input.tokenHash)).toEqual(outcome);
    await settle();
    expect(requests(world.updates(CREATOR))).toHaveLength(1);
  });

  it('approving admits the requester through the link (counted, named in chat_member); approvers see it answered', async () => {
    const { room, world, settle } = await supergroup();
    const input = newInvite({ createsJoinRequest: true });
    room.createInvite(ADMIN, input);
    room.joinByInvite(ASKER, input.tokenHash);
    expect(room.listJoinRequests(CREATOR)).toMatchObject({ count: 1, requests: [{ user_id: ASKER }] });

    room.approveJoinRequest(CREATOR, ASKER);
    await settle();
    expect(room.getChat(ASKER).chat.member_count).toBe(4);
    expect(world.updates(ASKER).map((u) => u.type)).toEqual(['chat', 'chat_member']);
    expect(world.updates(ASKER).at(-1)).toMatchObject({ type: 'chat_member', actor_id: CREATOR, invite_link: { creator_id: ADMIN } });
    expect(requests(world.updates(ADMIN)).at(-1)).toMatchObject({ user_id: ASKER, status: 'approved', actor_id: CREATOR, pending_count: 0 });
    expect(room.listInvites(ADMIN)[0]).toMatchObject({ usage: 1, pending_join_request_count: 0 });
    expect(room.listJoinRequests(ADMIN).count).toBe(0);
    expect(() => room.approveJoinRequest(CREATOR, ASKER)).toThrow(code(ErrorCode.NOT_FOUND));
  });

  it('declining drops the request and changes nothing else; the user may ask again', async () => {
    const { room, world, settle, store } = await supergroup();
    const input = newInvite({ createsJoinRequest: true });
    room.createInvite(CREATOR, input);
    room.joinByInvite(ASKER, input.tokenHash);

    // A member without the invite right may neither see nor answer requests.
    const before = dump(store);
    expect(() => room.declineJoinRequest(MEMBER, ASKER)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => room.approveJoinRequest(MEMBER, ASKER)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => room.listJoinRequests(MEMBER)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(() => room.approveJoinRequest(CREATOR, OTHER)).toThrow(code(ErrorCode.NOT_FOUND));
    expect(dump(store)).toEqual(before);

    room.declineJoinRequest(ADMIN, ASKER);
    await settle();
    expect(requests(world.updates(CREATOR)).at(-1)).toMatchObject({ status: 'declined', actor_id: ADMIN, pending_count: 0 });
    expect(() => room.getChat(ASKER)).toThrow();
    expect(room.joinByInvite(ASKER, input.tokenHash)).toHaveProperty('join_request');
  });

  it('a banned user cannot ask; a requester added by an admin has their request answered', async () => {
    const { room, world, settle } = await supergroup();
    const input = newInvite({ createsJoinRequest: true });
    room.createInvite(CREATOR, input);
    room.ban(CREATOR, OTHER, null);
    expect(() => room.joinByInvite(OTHER, input.tokenHash)).toThrow(code(ErrorCode.FORBIDDEN));

    room.joinByInvite(ASKER, input.tokenHash);
    room.addMember(ADMIN, ASKER);
    await settle();
    expect(requests(world.updates(CREATOR)).at(-1)).toMatchObject({ user_id: ASKER, status: 'approved', actor_id: ADMIN, pending_count: 0 });
    expect(room.listJoinRequests(CREATOR).count).toBe(0);
  });

  it('a usage limit cannot go with join requests, on creating or on editing', () => {
    const { room } = setup();
    room.init({ ...groupSpec(CREATOR, [CREATOR]), kind: 'supergroup' });
    expect(() => room.createInvite(CREATOR, newInvite({ createsJoinRequest: true, memberLimit: 3 }))).toThrow(code(ErrorCode.BAD_REQUEST));
    const limited = newInvite({ memberLimit: 3 });
    room.createInvite(CREATOR, limited);
    expect(() => room.editInvite(CREATOR, limited.tokenHash, { createsJoinRequest: true })).toThrow(code(ErrorCode.BAD_REQUEST));
    expect(room.editInvite(CREATOR, limited.tokenHash, { createsJoinRequest: true, memberLimit: null })).toMatchObject({ creates_join_request: true });
  });
});

describe('public chats in the ChatRoom', () => {
  it('only the creator of a supergroup or channel sets its username; a basic group must convert first', () => {
    const { room } = setup();
    room.init(groupSpec(CREATOR, [CREATOR, ADMIN]));
    expect(() => room.setUsername(CREATOR, 'team_chat')).toThrow(code(ErrorCode.BAD_REQUEST));
    const other = setup();
    other.room.init({ ...groupSpec(CREATOR, [CREATOR, ADMIN]), kind: 'supergroup' });
    other.room.setAdmin(CREATOR, ADMIN, true);
    const before = dump(other.store);
    expect(() => other.room.setUsername(ADMIN, 'team_chat')).toThrow(code(ErrorCode.FORBIDDEN));
    expect(dump(other.store)).toEqual(before);
    expect(other.room.setUsername(CREATOR, 'Team_Chat').username).toBe('Team_Chat');
    expect(other.room.getAdminLog(CREATOR)[0]).toMatchObject({ action: 'username_changed', details: { username: 'Team_Chat' } });
    expect(other.room.setUsername(CREATOR, null)).not.toHaveProperty('username');
  });

  it('a public chat shows outsiders what it is, found by its current name only, and anyone may join', () => {
    const { room } = setup();
    room.init({ ...groupSpec(CREATOR, [CREATOR]), kind: 'supergroup' });
    expect(() => room.publicPreview(ASKER, 'team_chat')).toThrow(code(ErrorCode.NOT_FOUND));
    expect(() => room.joinPublic(ASKER)).toThrow(code(ErrorCode.NOT_FOUND));
    room.setUsername(CREATOR, 'Team_Chat');
    expect(room.publicPreview(ASKER, 'team_chat')).toEqual({
      id: CHAT_ID, kind: 'supergroup', title: 'Team', username: 'Team_Chat', member_count: 1, is_member: false,
    });
    // A stale index entry (the chat renamed since) finds nothing.
    expect(() => room.publicPreview(ASKER, 'old_name')).toThrow(code(ErrorCode.NOT_FOUND));
    const joined = room.joinPublic(ASKER);
    expect(joined).toHaveProperty('chat.member_count', 2);
    expect(room.joinPublic(ASKER)).toHaveProperty('chat.id', CHAT_ID);
    expect(room.publicPreview(ASKER, 'Team_Chat').is_member).toBe(true);
  });

  it('with join_by_request on, joining by the name makes a request; only those who may invite switch it', async () => {
    const { room, world, settle } = await supergroup();
    room.setUsername(CREATOR, 'vetted_group');
    expect(() => room.setJoinByRequest(MEMBER, true)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(room.setJoinByRequest(ADMIN, true).join_by_request).toBe(true);
    expect(room.publicPreview(ASKER, 'vetted_group').join_by_request).toBe(true);
    expect(room.joinPublic(ASKER)).toHaveProperty('join_request.chat_id', CHAT_ID);
    await settle();
    expect(requests(world.updates(ADMIN)).at(-1)).toMatchObject({ user_id: ASKER, status: 'pending' });
    expect(requests(world.updates(ADMIN)).at(-1)).not.toHaveProperty('invite_link');
    room.approveJoinRequest(ADMIN, ASKER);
    expect(room.publicPreview(ASKER, 'vetted_group').is_member).toBe(true);
  });
});
