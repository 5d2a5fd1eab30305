import { describe, expect, test } from 'vitest';
import { ADMIN_RIGHTS, type AdminRight } from '../../protocol/messages.js';
import { call, callError } from './bot-api-helpers.js';
import { api, connect, signup, type Account } from './helpers.js';

/**
 * Each admin right over the real Worker and ChatRoom: an admin holding only
 * that right may take its action, an admin holding every other right may
 * not (FORBIDDEN, or MESSAGE_NOT_MODIFIABLE for deleting), and the refusal
 * changes nothing.
 */

type Cast = { owner: Account; admin: Account; member: Account; extra: Account; chatId: number; memberMessage: number };

async function cast(kind: 'group' | 'channel' = 'group'): Promise<Cast> {
  const [owner, admin, member, extra] = [await signup(), await signup(), await signup(), await signup()];
  const create = kind === 'group' ? 'createGroup' : 'createChannel';
  const { chat } = await call(owner, create, { title: 'Rights', user_ids: [admin.user.id, member.user.id, extra.user.id] });
  const sender = kind === 'group' ? member : owner;
  const { message } = await call(sender, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'm1', text: 'a message' });
  return { owner, admin, member, extra, chatId: chat.id, memberMessage: message.id };
}

const allBut = (right: AdminRight) => Object.fromEntries(ADMIN_RIGHTS.filter((r) => r !== right && r !== 'is_anonymous').map((r) => [r, true]));

/** Each right's action, in a group (or a channel, for posting and editing posts). */
const ACTIONS: Partial<Record<AdminRight, { kind?: 'channel'; act: (c: Cast) => Promise<string | null> }>> = {
  can_change_info: { act: (c) => attempt(c.admin, 'editChatTitle', { chat_id: c.chatId, title: 'Renamed' }) },
  can_post_messages: { kind: 'channel', act: (c) => attempt(c.admin, 'sendMessage', { peer: { chat_id: c.chatId }, random_id: 'p', text: 'post' }) },
  can_edit_messages: { kind: 'channel', act: (c) => attempt(c.admin, 'editMessage', { chat_id: c.chatId, id: c.memberMessage, text: 'fixed' }) },
  can_delete_messages: { act: (c) => attempt(c.admin, 'deleteMessages', { chat_id: c.chatId, ids: [c.memberMessage], for_everyone: true }) },
  can_restrict_members: { act: (c) => attempt(c.admin, 'banChatMember', { chat_id: c.chatId, user_id: c.extra.user.id }) },
  can_invite_users: { act: (c) => attempt(c.admin, 'createChatInviteLink', { chat_id: c.chatId }) },
  can_pin_messages: { act: (c) => attempt(c.admin, 'pinMessage', { chat_id: c.chatId, message_id: c.memberMessage }) },
  can_promote_members: {
    act: (c) => attempt(c.admin, 'editChatAdmin', { chat_id: c.chatId, user_id: c.extra.user.id, rights: {} }),
  },
};

/** null when the call went through, else its error code. */
async function attempt(who: Account, method: string, params: Record<string, unknown>): Promise<string | null> {
  const res = await api(`/v1/call/${method}`, { body: params, token: who.token });
  if (res.status === 200) return null;
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe('each admin right, with and without it', () => {
  for (const [right, { kind, act }] of Object.entries(ACTIONS) as [AdminRight, NonNullable<(typeof ACTIONS)[AdminRight]>][]) {
    test(`${right}: granted alone it works; every other right without it does not`, async () => {
      const withIt = await cast(kind);
      await call(withIt.owner, 'editChatAdmin', { chat_id: withIt.chatId, user_id: withIt.admin.user.id, rights: { [right]: true } });
      expect(await act(withIt)).toBeNull();

      const without = await cast(kind);
      await call(without.owner, 'editChatAdmin', { chat_id: without.chatId, user_id: without.admin.user.id, rights: allBut(right) });
      const before = await call(without.owner, 'getChat', { chat_id: without.chatId });
      expect(await act(without)).toMatch(/^(FORBIDDEN|MESSAGE_NOT_MODIFIABLE)$/);
      expect(await call(without.owner, 'getChat', { chat_id: without.chatId })).toEqual(before);
    });
  }
});

describe('rights in force', () => {
  test("an admin's open socket hears of its new rights, and the next call is held to them", async () => {
    const c = await cast();
    await call(c.owner, 'editChatAdmin', { chat_id: c.chatId, user_id: c.admin.user.id, rights: { can_pin_messages: true } });
    const socket = await connect(c.admin.token);
    try {
      await call(c.owner, 'editChatAdmin', { chat_id: c.chatId, user_id: c.admin.user.id, rights: { can_change_info: true } });
      let seen = '';
      for (let i = 0; i < 20 && !(seen.includes('"chat_member"') && seen.includes('"can_change_info":true')); i++) {
        seen = JSON.stringify(await socket.next());
      }
      expect(seen).toContain('"can_change_info":true');
      expect(seen).toContain('"can_pin_messages":false');
      expect(await callError(c.admin, 'pinMessage', { chat_id: c.chatId, message_id: c.memberMessage })).toBe('FORBIDDEN');
    } finally {
      socket.ws.close();
    }
  });

  test('ownership moves only with the owner’s password; a wrong one changes nothing', async () => {
    const c = await cast();
    expect(await callError(c.owner, 'transferChatOwnership', { chat_id: c.chatId, user_id: c.member.user.id, password: 'wrong' })).toBe(
      'INVALID_CREDENTIALS',
    );
    expect((await call(c.owner, 'getChat', { chat_id: c.chatId })).chat.creator_id).toBe(c.owner.user.id);
    const { chat } = await call(c.owner, 'transferChatOwnership', { chat_id: c.chatId, user_id: c.member.user.id, password: c.owner.password });
    expect(chat.creator_id).toBe(c.member.user.id);
  });

  test('slow mode answers SLOW_MODE_WAIT with the seconds left', async () => {
    const c = await cast();
    await call(c.owner, 'setChatSlowMode', { chat_id: c.chatId, seconds: 60 });
    await call(c.member, 'sendMessage', { peer: { chat_id: c.chatId }, random_id: 's1', text: 'one' });
    const refused = await callError(c.member, 'sendMessage', { peer: { chat_id: c.chatId }, random_id: 's2', text: 'two' });
    expect(refused).toBe('SLOW_MODE_WAIT');
  });
});

describe('a converted group keeps how it was run', () => {
  test('the supergroup has the same admins with the same rights and titles, the description, the permissions and slow mode', async () => {
    const c = await cast();
    await call(c.owner, 'editChatAdmin', { chat_id: c.chatId, user_id: c.admin.user.id, rights: { can_pin_messages: true, is_anonymous: true }, title: 'Pinner' });
    await call(c.owner, 'editChatDescription', { chat_id: c.chatId, description: 'Kept across' });
    await call(c.owner, 'setChatPermissions', {
      chat_id: c.chatId,
      permissions: { can_send_messages: true, can_send_media: false, can_send_links: true, can_send_polls: true, can_invite_users: true, can_pin_messages: false, can_change_info: false, can_manage_topics: false },
    });
    await call(c.owner, 'setChatSlowMode', { chat_id: c.chatId, seconds: 30 });
    const { chat: supergroup } = await call(c.owner, 'migrateChat', { chat_id: c.chatId });
    expect(supergroup).toMatchObject({ kind: 'supergroup', description: 'Kept across', slow_mode_seconds: 30 });
    expect(supergroup.permissions).toMatchObject({ can_send_media: false, can_invite_users: true, can_pin_messages: false });
    const { members } = await call(c.owner, 'getChat', { chat_id: supergroup.id });
    const admin = members.find((m) => m.user_id === c.admin.user.id);
    expect(admin).toMatchObject({ role: 'admin', title: 'Pinner', promoted_by: c.owner.user.id });
    expect(admin?.rights).toMatchObject({ can_pin_messages: true, is_anonymous: true, can_change_info: false, can_restrict_members: false });
    // The narrow right holds there: pinning yes, renaming no.
    expect(await attempt(c.admin, 'editChatTitle', { chat_id: supergroup.id, title: 'Renamed' })).toBe('FORBIDDEN');
  });
});
