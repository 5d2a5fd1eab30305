import { describe, expect, test } from 'vitest';
import type { BotApiMessage } from '../../protocol/bot-api/types.js';
import { signup } from './helpers.js';
import { botFails, botOk, call, callError, delivered, newBot, userWrites } from './bot-api-helpers.js';

/** A group of an owner, a member and a bot, with the bot made admin unless told otherwise. */
async function moderatedGroup(options: { admin?: boolean } = {}) {
  const b = await newBot();
  const owner = b.owner;
  const member = await signup();
  const { chat } = await call(owner, 'createGroup', { title: 'Mods', user_ids: [member.user.id, b.id] });
  if (options.admin !== false) await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: b.id, is_admin: true });
  await delivered(chat.id);
  return { b, owner, member, chatId: chat.id };
}

describe('bans', () => {
  test('an admin bot bans a member: removed, and cannot be added back until unbanned', async () => {
    const { b, owner, member, chatId } = await moderatedGroup();
    expect(await botOk(b.token, 'banChatMember', { chat_id: -chatId, user_id: member.user.id })).toBe(true);
    const { chat } = await call(owner, 'getChat', { chat_id: chatId });
    expect(chat.member_ids).not.toContain(member.user.id);
    expect(await callError(owner, 'addChatMember', { chat_id: chatId, user_id: member.user.id })).toBe('FORBIDDEN');
    expect(await botOk(b.token, 'unbanChatMember', { chat_id: -chatId, user_id: member.user.id, only_if_banned: true })).toBe(true);
    await call(owner, 'addChatMember', { chat_id: chatId, user_id: member.user.id });
    // kickChatMember is the old name.
    expect(await botOk(b.token, 'kickChatMember', { chat_id: -chatId, user_id: member.user.id })).toBe(true);
  });

  test('a bot that is not an admin may not ban', async () => {
    const plain = await moderatedGroup({ admin: false });
    expect(await botFails(plain.b.token, 'banChatMember', { chat_id: -plain.chatId, user_id: plain.member.user.id })).toMatchObject({
      description: 'Bad Request: not enough rights to restrict/ban chat member',
    });
  });

  test('the owner cannot be banned, nor anyone in a private chat', async () => {
    const { b, owner, chatId } = await moderatedGroup();
    expect(await botFails(b.token, 'banChatMember', { chat_id: -chatId, user_id: owner.user.id })).toMatchObject({
      description: "Bad Request: can't remove chat owner",
    });
    const user = await signup();
    await userWrites(user, b.id, 'hi');
    expect(await botFails(b.token, 'banChatMember', { chat_id: user.user.id, user_id: user.user.id })).toMatchObject({ error_code: 400 });
  });
});

describe('pins', () => {
  test('pinChatMessage pins for everyone; getChat shows it; unpin clears it', async () => {
    const { b, owner, member, chatId } = await moderatedGroup();
    const sent = await botOk<BotApiMessage>(b.token, 'sendMessage', { chat_id: -chatId, text: 'Rules: be nice' });
    expect(await botOk(b.token, 'pinChatMessage', { chat_id: -chatId, message_id: sent.message_id })).toBe(true);
    await delivered(chatId);
    expect((await call(member, 'getChat', { chat_id: chatId })).chat.pinned_message_id).toBe(sent.message_id);
    expect(await botOk(b.token, 'getChat', { chat_id: -chatId })).toMatchObject({ pinned_message: { message_id: sent.message_id, text: 'Rules: be nice' } });
    expect(await botFails(b.token, 'pinChatMessage', { chat_id: -chatId, message_id: 999 })).toMatchObject({
      description: 'Bad Request: message to pin not found',
    });
    expect(await botOk(b.token, 'unpinChatMessage', { chat_id: -chatId })).toBe(true);
    expect((await call(owner, 'getChat', { chat_id: chatId })).chat.pinned_message_id).toBeUndefined();
  });

  test('a bot that is not an admin may not pin in a group; in a private chat it may', async () => {
    const { b, chatId } = await moderatedGroup({ admin: false });
    const sent = await botOk<BotApiMessage>(b.token, 'sendMessage', { chat_id: -chatId, text: '/x' });
    expect(await botFails(b.token, 'pinChatMessage', { chat_id: -chatId, message_id: sent.message_id })).toMatchObject({
      description: 'Bad Request: not enough rights to manage pinned messages in the chat',
    });
    const user = await signup();
    const hello = await userWrites(user, b.id, 'pin me');
    expect(await botOk(b.token, 'pinChatMessage', { chat_id: user.user.id, message_id: hello.id })).toBe(true);
    expect(await botOk(b.token, 'getChat', { chat_id: user.user.id })).toMatchObject({ pinned_message: { text: 'pin me' } });
  });
});
