import { describe, expect, test } from 'vitest';
import type { BotApiChatInviteLink } from '../../protocol/bot-api/types.js';
import { BASE, signup } from './helpers.js';
import { botFails, botOk, call, callError, delivered, newBot, updates } from './bot-api-helpers.js';

/** A group whose owner made the bot an admin that may invite (and nothing else). */
async function groupWithInviter() {
  const b = await newBot();
  const { chat } = await call(b.owner, 'createGroup', { title: 'Links', user_ids: [b.id] });
  await call(b.owner, 'editChatAdmin', { chat_id: chat.id, user_id: b.id, rights: { can_invite_users: true } });
  await delivered(chat.id);
  return { b, chatId: chat.id };
}

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/+') + 2);

describe("a bot's invite links (Telegram's methods)", () => {
  test('createChatInviteLink makes a working link; editChatInviteLink changes it; revokeChatInviteLink ends it', async () => {
    const { b, chatId } = await groupWithInviter();
    const expires = Math.floor(Date.now() / 1000) + 3600;
    const link = await botOk<BotApiChatInviteLink>(b.token, 'createChatInviteLink', { chat_id: -chatId, name: 'Newcomers', member_limit: 5, expire_date: expires });
    expect(link).toMatchObject({ creator: { id: b.id, is_bot: true }, name: 'Newcomers', member_limit: 5, expire_date: expires, is_primary: false, is_revoked: false, creates_join_request: false });
    expect(link.invite_link.startsWith(`${BASE}/+`)).toBe(true);

    const guest = await signup();
    expect((await call(guest, 'checkChatInviteLink', { token: tokenOf(link.invite_link) })).title).toBe('Links');

    const edited = await botOk<BotApiChatInviteLink>(b.token, 'editChatInviteLink', { chat_id: -chatId, invite_link: link.invite_link, name: 'Friends', member_limit: 0 });
    expect(edited).toMatchObject({ name: 'Friends', is_revoked: false });
    expect(edited.member_limit).toBeUndefined();

    const revoked = await botOk<BotApiChatInviteLink>(b.token, 'revokeChatInviteLink', { chat_id: -chatId, invite_link: link.invite_link });
    expect(revoked.is_revoked).toBe(true);
    expect(await callError(guest, 'joinChatByInviteLink', { token: tokenOf(link.invite_link) })).toBe('INVITE_INVALID');
  });

  test('exportChatInviteLink answers a primary link and revokes the primary link before it', async () => {
    const { b, chatId } = await groupWithInviter();
    const first = await botOk<string>(b.token, 'exportChatInviteLink', { chat_id: -chatId });
    const second = await botOk<string>(b.token, 'exportChatInviteLink', { chat_id: -chatId });
    expect(second).not.toBe(first);
    const guest = await signup();
    expect(await callError(guest, 'checkChatInviteLink', { token: tokenOf(first) })).toBe('INVITE_INVALID');
    const { chat } = await call(guest, 'joinChatByInviteLink', { token: tokenOf(second) });
    expect(chat!.member_ids).toContain(guest.user.id);
  });

  test('chat_member names the link a newcomer joined through: whole for the bot’s own link, cut short for the owner’s', async () => {
    const { b, chatId } = await groupWithInviter();
    const own = await botOk<BotApiChatInviteLink>(b.token, 'createChatInviteLink', { chat_id: -chatId, name: 'Bot link' });
    const { link: ownersLink } = await call(b.owner, 'createChatInviteLink', { chat_id: chatId, name: 'Owner link' });
    const [viaBot, viaOwner] = [await signup(), await signup()];
    await call(viaBot, 'joinChatByInviteLink', { token: tokenOf(own.invite_link) });
    await call(viaOwner, 'joinChatByInviteLink', { token: ownersLink.token });
    await delivered(chatId);
    const joins = (await updates(b.token, { allowed_updates: ['chat_member'] })).flatMap((u) => (u.chat_member ? [u.chat_member] : []));
    const byUser = (id: number) => joins.find((j) => j.new_chat_member.user.id === id && j.invite_link);
    const whole = byUser(viaBot.user.id)?.invite_link;
    expect(whole).toMatchObject({ name: 'Bot link', creator: { id: b.id } });
    // Updates name links on the app's origin (no request to take it from); the token is the link's.
    expect(tokenOf(whole!.invite_link)).toBe(tokenOf(own.invite_link));
    const cut = byUser(viaOwner.user.id)?.invite_link;
    expect(cut).toMatchObject({ name: 'Owner link', creator: { id: b.owner.user.id } });
    expect(cut?.invite_link).toMatch(/\/\+…$/);
    expect(cut?.invite_link).not.toContain(ownersLink.token);
  });

  test('refusals: another admin’s link, a malformed link, a usage limit on a link needing approval, and a bot without the invite right', async () => {
    const { b, chatId } = await groupWithInviter();
    const { link } = await call(b.owner, 'createChatInviteLink', { chat_id: chatId });
    const others = await botFails(b.token, 'revokeChatInviteLink', { chat_id: -chatId, invite_link: `${BASE}/+${link.token}` });
    expect(others).toMatchObject({ error_code: 400, description: 'Bad Request: INVITE_HASH_INVALID' });
    expect(await botFails(b.token, 'editChatInviteLink', { chat_id: -chatId, invite_link: 'https://example.org/nope' })).toMatchObject({ error_code: 400 });
    expect(await botFails(b.token, 'createChatInviteLink', { chat_id: -chatId, creates_join_request: true, member_limit: 5 })).toMatchObject({
      error_code: 400,
      description: "Bad Request: member limit can't be specified for links requiring administrator approval",
    });

    await call(b.owner, 'editChatAdmin', { chat_id: chatId, user_id: b.id, rights: { can_pin_messages: true } });
    expect(await botFails(b.token, 'exportChatInviteLink', { chat_id: -chatId })).toMatchObject({
      error_code: 400,
      description: 'Bad Request: not enough rights to manage chat invite link',
    });
  });
});
