import { env, SELF } from 'cloudflare:test';
import { describe, expect, test } from 'vitest';
import { hashInviteToken, INVITE_FAILURES_PER_ACCOUNT } from '../../services/account-api/invites.js';
import type { ChatInviteLink } from '../../protocol/invites.js';
import type { Update } from '../../protocol/updates.js';
import { botOk, call, callError, delivered, newBot, takeMessages } from './bot-api-helpers.js';
import { api, BASE, signup, type Account } from './helpers.js';

/** A group of owner, admin and member (the admin appointed). */
async function group(title = 'Invites') {
  const [owner, admin, member] = [await signup(), await signup(), await signup()];
  const { chat } = await call(owner, 'createGroup', { title, user_ids: [admin.user.id, member.user.id] });
  await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: admin.user.id, is_admin: true });
  return { owner, admin, member, chatId: chat.id };
}

async function newLink(who: Account, chatId: number, extra: { name?: string; expire_date?: number; member_limit?: number } = {}): Promise<ChatInviteLink> {
  return (await call(who, 'createChatInviteLink', { chat_id: chatId, ...extra })).link;
}

/** The raw HTTP answer to a call: status and body text, for byte-for-byte comparisons. */
async function raw(who: Account, method: string, params: unknown): Promise<{ status: number; text: string }> {
  const res = await api(`/v1/call/${method}`, { body: params, token: who.token });
  return { status: res.status, text: await res.text() };
}

async function updatesOf(who: Account): Promise<Update[]> {
  const diff = await call(who, 'getDifference', { pts: 0 });
  return diff.kind === 'difference' ? diff.updates.map((u) => u.update) : [];
}

/** A well-formed token nobody made. */
const unknownToken = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe('invite links (the account API)', () => {
  test('the creator and admins create, list and revoke links; a member may not, an outsider learns nothing', async () => {
    const { owner, admin, member, chatId } = await group();
    const outsider = await signup();
    const before = Date.now();
    const link = await newLink(owner, chatId, { name: 'Friends', member_limit: 10, expire_date: before + 3_600_000 });
    expect(link).toMatchObject({ creator_id: owner.user.id, name: 'Friends', member_limit: 10, usage: 0, is_revoked: false });
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const byAdmin = await newLink(admin, chatId);
    expect(byAdmin.creator_id).toBe(admin.user.id);

    expect(await callError(member, 'createChatInviteLink', { chat_id: chatId })).toBe('FORBIDDEN');
    expect(await callError(member, 'getChatInviteLinks', { chat_id: chatId })).toBe('FORBIDDEN');
    expect(await callError(member, 'revokeChatInviteLink', { chat_id: chatId, link_id: link.id })).toBe('FORBIDDEN');
    // An outsider gets exactly the answer for a chat that does not exist.
    const refused = await raw(outsider, 'getChatInviteLinks', { chat_id: chatId });
    expect(refused.status).toBe(404);
    expect(refused.text).toBe((await raw(outsider, 'getChatInviteLinks', { chat_id: 2_000_000_000 })).text);

    expect((await call(admin, 'getChatInviteLinks', { chat_id: chatId })).links.map((l) => l.id)).toEqual([byAdmin.id, link.id]);
    const revoked = (await call(admin, 'revokeChatInviteLink', { chat_id: chatId, link_id: link.id })).link;
    expect(revoked.is_revoked).toBe(true);
    // Active links first.
    expect((await call(owner, 'getChatInviteLinks', { chat_id: chatId })).links.map((l) => [l.id, l.is_revoked])).toEqual([
      [byAdmin.id, false],
      [link.id, true],
    ]);
  });

  test('D1 keeps only the SHA-256 of a token, never the token', async () => {
    const { owner, chatId } = await group();
    const link = await newLink(owner, chatId);
    const rows = await env.DB.prepare('SELECT * FROM invite_links WHERE chat_id = ?').bind(chatId).all<Record<string, unknown>>();
    expect(rows.results).toEqual([expect.objectContaining({ token_hash: await hashInviteToken(link.token), chat_id: chatId })]);
    expect(JSON.stringify(rows.results)).not.toContain(link.token);
  });

  test('checking a link shows the title and member count, nothing else, and does not join', async () => {
    const { owner, member, chatId } = await group('Secret plans');
    const link = await newLink(owner, chatId);
    const stranger = await signup();
    const preview = await call(stranger, 'checkChatInviteLink', { token: link.token });
    expect(preview).toEqual({ title: 'Secret plans', kind: 'group', member_count: 3 });
    expect(await callError(stranger, 'getChat', { chat_id: chatId })).toBe('NOT_FOUND');
    // A member is told which chat it is, to open it.
    expect(await call(member, 'checkChatInviteLink', { token: link.token })).toEqual({ title: 'Secret plans', kind: 'group', member_count: 3, chat_id: chatId });
  });

  test('joining by a link adds the member as an added member is: the others see the join, the joiner gets the dialog, bots the service message', async () => {
    const { owner, admin, chatId } = await group();
    const groupBot = await newBot(owner);
    await call(owner, 'addChatMember', { chat_id: chatId, user_id: groupBot.id });
    await call(owner, 'setChatAdmin', { chat_id: chatId, user_id: groupBot.id, is_admin: true });
    await delivered(chatId);
    await takeMessages(groupBot.token);
    const link = await newLink(admin, chatId);
    const bob = await signup();

    const { chat } = await call(bob, 'joinChatByInviteLink', { token: link.token });
    expect(chat!.id).toBe(chatId);
    expect(chat!.member_ids).toContain(bob.user.id);
    await delivered(chatId);

    expect((await updatesOf(owner)).at(-1)).toMatchObject({ type: 'chat_member', chat_id: chatId, actor_id: bob.user.id, left: false, member: { user_id: bob.user.id, role: 'member' } });
    expect((await updatesOf(bob)).map((u) => u.type)).toEqual(['chat', 'chat_member']);
    expect((await call(bob, 'getDialogs', {})).dialogs.map((d) => d.chat.id)).toContain(chatId);
    const index = await env.DB.prepare('SELECT role FROM chat_members WHERE chat_id = ? AND account_id = ?').bind(chatId, bob.user.id).first();
    expect(index).toEqual({ role: 'member' });
    expect(await takeMessages(groupBot.token)).toEqual([expect.objectContaining({ new_chat_members: [expect.objectContaining({ id: bob.user.id })] })]);

    // Bob is a member like any other: he writes and the owner reads it.
    const { message } = await call(bob, 'sendMessage', { peer: { chat_id: chatId }, random_id: 'hi', text: 'hello all' });
    expect((await call(owner, 'getMessages', { chat_id: chatId, ids: [message.id] })).messages[0]?.text).toBe('hello all');
    expect((await call(owner, 'getChatInviteLinks', { chat_id: chatId })).links[0]?.usage).toBe(1);
  });

  test('joining twice is idempotent: one join, one use', async () => {
    const { owner, chatId } = await group();
    const link = await newLink(owner, chatId, { member_limit: 1 });
    const bob = await signup();
    const first = await call(bob, 'joinChatByInviteLink', { token: link.token });
    await delivered(chatId);
    const ownerUpdates = (await updatesOf(owner)).length;
    const second = await call(bob, 'joinChatByInviteLink', { token: link.token });
    expect(second.chat!.member_ids).toEqual(first.chat!.member_ids);
    await delivered(chatId);
    expect((await updatesOf(owner)).length).toBe(ownerUpdates);
    expect((await call(owner, 'getChatInviteLinks', { chat_id: chatId })).links[0]?.usage).toBe(1);
  });

  test('a usage limit of one admits exactly one of two joiners racing for it', async () => {
    const { owner, chatId } = await group();
    const link = await newLink(owner, chatId, { member_limit: 1 });
    const [bob, carol] = [await signup(), await signup()];
    const answers = await Promise.all([bob, carol].map((who) => raw(who, 'joinChatByInviteLink', { token: link.token })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 404]);
    expect(answers.find((a) => a.status === 404)!.text).toContain('INVITE_INVALID');
    const { chat } = await call(owner, 'getChat', { chat_id: chatId });
    expect(chat.member_ids.filter((id) => id === bob.user.id || id === carol.user.id)).toHaveLength(1);
  });

  test('a banned user cannot join by a link', async () => {
    const { owner, chatId } = await group();
    const groupBot = await newBot(owner);
    const banned = await signup();
    await call(owner, 'addChatMember', { chat_id: chatId, user_id: groupBot.id });
    await call(owner, 'setChatAdmin', { chat_id: chatId, user_id: groupBot.id, is_admin: true });
    await botOk(groupBot.token, 'banChatMember', { chat_id: -chatId, user_id: banned.user.id });
    const link = await newLink(owner, chatId);
    expect(await callError(banned, 'joinChatByInviteLink', { token: link.token })).toBe('FORBIDDEN');
    expect((await call(owner, 'getChat', { chat_id: chatId })).chat.member_ids).not.toContain(banned.user.id);
  });

  test('revoked, expired and used-up links are refused with INVITE_INVALID; a revoked token answers exactly as an unknown one', async () => {
    const { owner, chatId } = await group();
    const bob = await signup();
    const revoked = await newLink(owner, chatId);
    await call(owner, 'revokeChatInviteLink', { chat_id: chatId, link_id: revoked.id });
    const expiring = await newLink(owner, chatId, { expire_date: Date.now() + 300 });
    const usedUp = await newLink(owner, chatId, { member_limit: 1 });
    await call(await signup(), 'joinChatByInviteLink', { token: usedUp.token });
    await new Promise((r) => setTimeout(r, 400));

    const unknown = await raw(bob, 'joinChatByInviteLink', { token: unknownToken() });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toEqual({ error: { code: 'INVITE_INVALID', message: expect.any(String) } });
    for (const link of [revoked, expiring, usedUp]) {
      for (const method of ['joinChatByInviteLink', 'checkChatInviteLink']) {
        expect(await raw(bob, method, { token: link.token }), `${method} ${link.id}`).toEqual(unknown);
      }
    }
    expect((await call(owner, 'getChat', { chat_id: chatId })).chat.member_ids).not.toContain(bob.user.id);
  });

  test('an expire date in the past is refused', async () => {
    const { owner, chatId } = await group();
    expect(await callError(owner, 'createChatInviteLink', { chat_id: chatId, expire_date: Date.now() - 1_000 })).toBe('BAD_REQUEST');
  });

  test(`after ${INVITE_FAILURES_PER_ACCOUNT.limit} failed look-ups an account must wait, even with a good link`, async () => {
    const { owner, chatId } = await group();
    const link = await newLink(owner, chatId);
    const guesser = await signup();
    for (let i = 0; i < INVITE_FAILURES_PER_ACCOUNT.limit; i++) {
      expect(await callError(guesser, 'checkChatInviteLink', { token: unknownToken() })).toBe('INVITE_INVALID');
    }
    expect(await callError(guesser, 'checkChatInviteLink', { token: link.token })).toBe('RATE_LIMITED');
    expect(await callError(guesser, 'joinChatByInviteLink', { token: link.token })).toBe('RATE_LIMITED');
    // Good look-ups cost nothing: someone else follows the link as often as they like.
    const follower = await signup();
    for (let i = 0; i < INVITE_FAILURES_PER_ACCOUNT.limit + 1; i++) await call(follower, 'checkChatInviteLink', { token: link.token });
  });

  test('the shared link /+<token> leads into the web client, the token moved into the fragment', async () => {
    const token = unknownToken();
    const res = await SELF.fetch(`${BASE}/+${token}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/#/join/${token}`);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect((await SELF.fetch(`${BASE}/+bad%20token`, { redirect: 'manual' })).status).toBe(404);
  });
});
