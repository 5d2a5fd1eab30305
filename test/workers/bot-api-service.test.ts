import { describe, expect, test } from 'vitest';
import type { BotApiUpdate } from '../../protocol/bot-api/types.js';
import { signup } from './helpers.js';
import { botOk, call, delivered, newBot, takeMessages, updates } from './bot-api-helpers.js';

const kinds = (list: BotApiUpdate[]) => list.map((u) => Object.keys(u).find((k) => k !== 'update_id'));

describe('service messages', () => {
  test('a privacy-mode bot gets joins, departures, a new title and a pin as messages', async () => {
    const b = await newBot();
    const owner = b.owner;
    const [alice, bob] = [await signup(), await signup()];
    const pinner = await newBot(owner);
    const { chat } = await call(owner, 'createGroup', { title: 'Club', user_ids: [b.id, alice.user.id, pinner.id] });
    await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: pinner.id, is_admin: true });
    await call(owner, 'addChatMember', { chat_id: chat.id, user_id: bob.user.id });
    await call(owner, 'removeChatMember', { chat_id: chat.id, user_id: alice.user.id });
    await call(bob, 'leaveChat', { chat_id: chat.id });
    await call(owner, 'editChatTitle', { chat_id: chat.id, title: 'Club 2' });
    await call(owner, 'editChatTitle', { chat_id: chat.id, title: 'Club 2' }); // unchanged: nothing to tell
    const { message } = await call(owner, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'p1', text: 'house rules' });
    // The account API has no pin; an admin bot of the owner's pins.
    expect(await botOk(pinner.token, 'pinChatMessage', { chat_id: -chat.id, message_id: message.id })).toBe(true);
    await delivered(chat.id);

    const service = (await takeMessages(b.token)).filter((m) => m.text === undefined);
    const user = (a: { id: number }) => expect.objectContaining({ id: a.id });
    expect(service).toEqual([
      expect.objectContaining({ message_id: 0, group_chat_created: true, from: user(owner.user) }),
      expect.objectContaining({ new_chat_members: [user(bob.user)], from: user(owner.user) }),
      expect.objectContaining({ left_chat_member: user(alice.user), from: user(owner.user) }),
      expect.objectContaining({ left_chat_member: user(bob.user), from: user(bob.user) }),
      expect.objectContaining({ new_chat_title: 'Club 2', chat: { id: -chat.id, type: 'group', title: 'Club 2' } }),
      expect.objectContaining({
        from: user(pinner),
        pinned_message: expect.objectContaining({ message_id: message.id, text: 'house rules' }),
      }),
    ]);
    // The pinning bot is not told of its own pin.
    expect((await takeMessages(pinner.token)).some((m) => m.pinned_message)).toBe(false);
    // Not part of the chat's history: the people's view is unchanged.
    const history = (await call(owner, 'getHistory', { chat_id: chat.id })).messages;
    expect(history.map((m) => m.text)).toEqual(['house rules']);
  });

  test('a bot added later gets my_chat_member and a message with itself among new_chat_members', async () => {
    const b = await newBot();
    const { chat } = await call(b.owner, 'createGroup', { title: 'Later', user_ids: [] });
    await call(b.owner, 'addChatMember', { chat_id: chat.id, user_id: b.id });
    await delivered(chat.id);
    const list = await updates(b.token);
    expect(kinds(list)).toEqual(['my_chat_member', 'message']);
    expect(list[1]!.message).toMatchObject({ message_id: 0, new_chat_members: [{ id: b.id, is_bot: true }] });
  });
});

describe('chat_member', () => {
  test('only admin bots get other members\u2019 changes; a bot\u2019s own change is my_chat_member', async () => {
    const owner = await signup();
    const admin = await newBot(owner);
    const plain = await newBot(owner);
    const { chat } = await call(owner, 'createGroup', { title: 'Members', user_ids: [admin.id, plain.id] });
    await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: admin.id, is_admin: true });
    await delivered(chat.id);
    for (const b of [admin, plain]) await updates(b.token, { allowed_updates: ['chat_member', 'my_chat_member'] });
    const newcomer = await signup();
    await call(owner, 'addChatMember', { chat_id: chat.id, user_id: newcomer.user.id });
    await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: plain.id, is_admin: true });
    await delivered(chat.id);

    const forAdmin = (await updates(admin.token)).filter((u) => u.chat_member);
    expect(forAdmin.map((u) => [u.chat_member!.new_chat_member.user.id, u.chat_member!.new_chat_member.status])).toEqual([
      [newcomer.user.id, 'member'],
      [plain.id, 'administrator'],
    ]);
    const forPlain = await updates(plain.token);
    // The newcomer joined while plain was no admin; its own promotion is my_chat_member.
    expect(kinds(forPlain).filter((k) => k === 'chat_member' || k === 'my_chat_member')).toEqual(['my_chat_member']);
    expect(forPlain.find((u) => u.my_chat_member)!.my_chat_member!.new_chat_member.status).toBe('administrator');
  });
});
