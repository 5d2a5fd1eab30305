import { SELF } from 'cloudflare:test';
import { describe, expect, test } from 'vitest';
import type { BotApiChatFullInfo, BotApiChatInviteLink, BotApiMessage } from '../../protocol/bot-api/types.js';
import type { Update } from '../../protocol/updates.js';
import { botFails, botOk, call, callError, delivered, newBot, updates } from './bot-api-helpers.js';
import { LARGE_CHAT_ID_OFFSET } from '../../services/bot-api/chat-ids.js';
import { BASE, signup, type Account } from './helpers.js';

/** Telegram's -100 form of a supergroup's or channel's id. */
const large = (chatId: number) => -(LARGE_CHAT_ID_OFFSET + chatId);

/** A supergroup of an owner and an admin with the default rights. */
async function supergroup(title = 'Public') {
  const [owner, admin] = [await signup(), await signup()];
  const { chat } = await call(owner, 'createSupergroup', { title, user_ids: [admin.user.id] });
  await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: admin.user.id, is_admin: true });
  return { owner, admin, chatId: chat.id };
}

let seq = 0;
const uniqueName = (stem: string) => `${stem}_${Date.now().toString(36)}${++seq}`;

async function joinRequestsOf(who: Account): Promise<Extract<Update, { type: 'chat_join_request' }>[]> {
  const diff = await call(who, 'getDifference', { pts: 0 });
  return diff.kind === 'difference' ? diff.updates.flatMap((u) => (u.update.type === 'chat_join_request' ? [u.update] : [])) : [];
}

describe('public chats (the account API)', () => {
  test('the creator makes a supergroup public: its name resolves to the chat, anyone joins it, the old name frees', async () => {
    const { owner, admin, chatId } = await supergroup('Gardeners');
    const name = uniqueName('Gardeners');
    expect(await callError(admin, 'setChatUsername', { chat_id: chatId, username: name })).toBe('FORBIDDEN');
    const { chat } = await call(owner, 'setChatUsername', { chat_id: chatId, username: name });
    expect(chat.username).toBe(name);

    const stranger = await signup();
    const found = await call(stranger, 'resolveUsername', { username: name.toLowerCase() });
    expect(found).toEqual({ chat: { id: chatId, kind: 'supergroup', title: 'Gardeners', username: name, member_count: 2, is_member: false } });
    const joined = await call(stranger, 'joinChat', { chat_id: chatId });
    expect(joined.chat).toMatchObject({ id: chatId, member_count: 3 });
    expect((await call(stranger, 'resolveUsername', { username: name })).chat?.is_member).toBe(true);

    const renamed = uniqueName('Growers');
    await call(owner, 'setChatUsername', { chat_id: chatId, username: renamed });
    expect(await callError(stranger, 'resolveUsername', { username: name })).toBe('NOT_FOUND');
    expect((await call(stranger, 'resolveUsername', { username: renamed })).chat?.id).toBe(chatId);
    // Made private again: outsiders find nothing, and cannot join by id.
    await call(owner, 'setChatUsername', { chat_id: chatId, username: '' });
    expect(await callError(stranger, 'resolveUsername', { username: renamed })).toBe('NOT_FOUND');
    expect(await callError(await signup(), 'joinChat', { chat_id: chatId })).toBe('NOT_FOUND');
  });

  test('people, bots and chats share one namespace: a taken or invalid name is refused and nothing changes', async () => {
    const { owner, chatId } = await supergroup();
    const person = await signup();
    expect(await callError(owner, 'setChatUsername', { chat_id: chatId, username: person.username.toUpperCase() })).toBe('USERNAME_TAKEN');
    expect(await callError(owner, 'setChatUsername', { chat_id: chatId, username: 'no' })).toBe('USERNAME_INVALID');
    expect(await callError(owner, 'setChatUsername', { chat_id: chatId, username: 'club_bot' })).toBe('USERNAME_INVALID');
    expect((await call(owner, 'getChat', { chat_id: chatId })).chat.username).toBeUndefined();

    const name = uniqueName('Club');
    await call(owner, 'setChatUsername', { chat_id: chatId, username: name });
    const other = await supergroup();
    expect(await callError(other.owner, 'setChatUsername', { chat_id: other.chatId, username: name.toUpperCase() })).toBe('USERNAME_TAKEN');
    // A person cannot take a chat's name, by signing up or by renaming.
    await expect(signup({ username: name.toLowerCase() })).rejects.toThrow(/USERNAME_TAKEN/);
    expect(await callError(person, 'updateProfile', { username: name })).toBe('USERNAME_TAKEN');
    expect((await call(person, 'resolveUsername', { username: person.username })).user?.id).toBe(person.user.id);
    // A basic group is never public.
    const { chat: basic } = await call(owner, 'createGroup', { title: 'Basic', user_ids: [] });
    expect(await callError(owner, 'setChatUsername', { chat_id: basic.id, username: uniqueName('Basic') })).toBe('BAD_REQUEST');
  });

  test('the shared link /<username> opens the web client on the chat; other paths stay 404', async () => {
    const res = await SELF.fetch(`${BASE}/Some_Group_1`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/#/@Some_Group_1');
    expect((await SELF.fetch(`${BASE}/a.b`, { redirect: 'manual' })).status).toBe(404);
    expect((await SELF.fetch(`${BASE}/1abcdef`, { redirect: 'manual' })).status).toBe(404);
  });
});

describe('join requests (the account API)', () => {
  test('a link that needs approval: the request waits, approvers are told, an approval lets the user in', async () => {
    const { owner, admin, chatId } = await supergroup('Vetted');
    const { link } = await call(admin, 'createChatInviteLink', { chat_id: chatId, creates_join_request: true });
    expect(link).toMatchObject({ creates_join_request: true, pending_join_request_count: 0 });
    expect(await callError(admin, 'createChatInviteLink', { chat_id: chatId, creates_join_request: true, member_limit: 2 })).toBe('BAD_REQUEST');

    const asker = await signup();
    expect(await call(asker, 'checkChatInviteLink', { token: link.token })).toMatchObject({ title: 'Vetted', request_needed: true });
    const asked = await call(asker, 'joinChatByInviteLink', { token: link.token });
    expect(asked).toEqual({ join_request: { chat_id: chatId, date: expect.any(Number) } });
    expect(await callError(asker, 'getChat', { chat_id: chatId })).toMatch(/NOT_FOUND|FORBIDDEN/);
    await delivered(chatId);
    expect(await joinRequestsOf(owner)).toEqual([expect.objectContaining({ chat_id: chatId, user_id: asker.user.id, status: 'pending', pending_count: 1 })]);
    expect(await call(owner, 'getChatJoinRequests', { chat_id: chatId })).toMatchObject({ count: 1, requests: [{ user_id: asker.user.id }] });

    const member = await signup();
    await call(owner, 'addChatMember', { chat_id: chatId, user_id: member.user.id });
    expect(await callError(member, 'approveChatJoinRequest', { chat_id: chatId, user_id: asker.user.id })).toBe('FORBIDDEN');
    expect(await callError(member, 'getChatJoinRequests', { chat_id: chatId })).toBe('FORBIDDEN');

    expect(await call(admin, 'approveChatJoinRequest', { chat_id: chatId, user_id: asker.user.id })).toEqual({ ok: true });
    expect((await call(asker, 'getChat', { chat_id: chatId })).chat.id).toBe(chatId);
    expect(await callError(admin, 'approveChatJoinRequest', { chat_id: chatId, user_id: asker.user.id })).toBe('NOT_FOUND');
    expect((await call(admin, 'getChatInviteLinks', { chat_id: chatId })).links[0]).toMatchObject({ usage: 1, pending_join_request_count: 0 });
  });

  test('a public chat that approves new members: joining by the name makes a request; a decline lets nobody in', async () => {
    const { owner, chatId } = await supergroup('Approved only');
    const name = uniqueName('Approved');
    await call(owner, 'setChatUsername', { chat_id: chatId, username: name });
    await call(owner, 'setChatJoinByRequest', { chat_id: chatId, enabled: true });
    const asker = await signup();
    expect((await call(asker, 'resolveUsername', { username: name })).chat).toMatchObject({ join_by_request: true, is_member: false });
    expect(await call(asker, 'joinChat', { chat_id: chatId })).toHaveProperty('join_request.chat_id', chatId);
    expect(await call(owner, 'declineChatJoinRequest', { chat_id: chatId, user_id: asker.user.id })).toEqual({ ok: true });
    expect((await call(asker, 'resolveUsername', { username: name })).chat?.is_member).toBe(false);
    expect((await call(owner, 'getChatJoinRequests', { chat_id: chatId })).count).toBe(0);
  });
});

describe('public chats and join requests (the Bot API)', () => {
  test('an admin bot gets chat_join_request, approves one and declines another as Telegram answers', async () => {
    const b = await newBot();
    const { chat } = await call(b.owner, 'createSupergroup', { title: 'Bot vetted', user_ids: [b.id] });
    await call(b.owner, 'editChatAdmin', { chat_id: chat.id, user_id: b.id, rights: { can_invite_users: true } });
    const link = await botOk<BotApiChatInviteLink>(b.token, 'createChatInviteLink', { chat_id: large(chat.id), creates_join_request: true, name: 'Gate' });
    expect(link).toMatchObject({ creates_join_request: true, pending_join_request_count: 0 });
    const token = link.invite_link.slice(link.invite_link.lastIndexOf('/+') + 2);
    const [first, second] = [await signup(), await signup()];
    await call(first, 'joinChatByInviteLink', { token });
    await call(second, 'joinChatByInviteLink', { token });
    await delivered(chat.id);

    const requests = (await updates(b.token)).flatMap((u) => (u.chat_join_request ? [u.chat_join_request] : []));
    expect(requests.map((r) => r.from.id)).toEqual([first.user.id, second.user.id]);
    expect(requests[0]).toMatchObject({ chat: { id: large(chat.id), type: 'supergroup' }, user_chat_id: first.user.id, invite_link: { name: 'Gate', creates_join_request: true } });
    expect(requests[0]!.invite_link!.invite_link).toContain(token);

    expect(await botOk(b.token, 'approveChatJoinRequest', { chat_id: large(chat.id), user_id: first.user.id })).toBe(true);
    expect(await botOk(b.token, 'declineChatJoinRequest', { chat_id: large(chat.id), user_id: second.user.id })).toBe(true);
    expect(await botFails(b.token, 'approveChatJoinRequest', { chat_id: large(chat.id), user_id: second.user.id })).toMatchObject({
      error_code: 400,
      description: 'Bad Request: HIDE_REQUESTER_MISSING',
    });
    expect((await call(first, 'getChat', { chat_id: chat.id })).chat.id).toBe(chat.id);

    await call(b.owner, 'editChatAdmin', { chat_id: chat.id, user_id: b.id, rights: { can_pin_messages: true } });
    await call(second, 'joinChatByInviteLink', { token: (await call(b.owner, 'createChatInviteLink', { chat_id: chat.id, creates_join_request: true })).link.token });
    expect(await botFails(b.token, 'declineChatJoinRequest', { chat_id: large(chat.id), user_id: second.user.id })).toMatchObject({
      error_code: 400,
      description: 'Bad Request: CHAT_ADMIN_REQUIRED',
    });
  });

  test('a public chat is named "@username" in chat_id, and getChat shows its username', async () => {
    const b = await newBot();
    const { chat } = await call(b.owner, 'createChannel', { title: 'News', user_ids: [b.id] });
    const name = uniqueName('News');
    await call(b.owner, 'setChatUsername', { chat_id: chat.id, username: name });
    const info = await botOk<BotApiChatFullInfo>(b.token, 'getChat', { chat_id: `@${name}` });
    expect(info).toMatchObject({ id: large(chat.id), type: 'channel', username: name, active_usernames: [name] });
    const post = await botOk<BotApiMessage>(b.token, 'sendMessage', { chat_id: `@${name.toLowerCase()}`, text: 'hello, subscribers' });
    expect(post.chat).toMatchObject({ id: large(chat.id), username: name });
    expect(await botFails(b.token, 'sendMessage', { chat_id: '@nobody_by_this_name', text: 'x' })).toMatchObject({ error_code: 400, description: 'Bad Request: chat not found' });
  });
});
