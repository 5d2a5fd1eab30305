import { describe, expect, test } from 'vitest';
import type { Update } from '../../protocol/updates.js';
import { call, callError, delivered } from './bot-api-helpers.js';
import { signup, type Account } from './helpers.js';

/** The account's logged updates of one type, oldest first. */
async function updatesOf<T extends Update['type']>(who: Account, type: T): Promise<Extract<Update, { type: T }>[]> {
  const diff = await call(who, 'getDifference', { pts: 0 });
  if (diff.kind !== 'difference') throw new Error(diff.kind);
  return diff.updates.map((u) => u.update).filter((u): u is Extract<Update, { type: T }> => u.type === type);
}

async function group(): Promise<{ owner: Account; alice: Account; bob: Account; chatId: number }> {
  const [owner, alice, bob] = [await signup(), await signup(), await signup()];
  const { chat } = await call(owner, 'createGroup', { title: 'G', user_ids: [alice.user.id, bob.user.id] });
  return { owner, alice, bob, chatId: chat.id };
}

describe('reactions', () => {
  test("a member's set replaces their previous one; counts and the reader's own choice show in getHistory", async () => {
    const { owner, alice, bob, chatId } = await group();
    const { message } = await call(owner, 'sendMessage', { peer: { chat_id: chatId }, random_id: 'm1', text: 'vote' });

    const first = await call(alice, 'sendReaction', { chat_id: chatId, message_id: message.id, reaction: ['👍', '🔥'] });
    expect(first.reactions).toEqual({ results: [{ emoji: '👍', count: 1 }, { emoji: '🔥', count: 1 }], chosen: ['👍', '🔥'] });
    await call(bob, 'sendReaction', { chat_id: chatId, message_id: message.id, reaction: ['🔥'] });
    const replaced = await call(alice, 'sendReaction', { chat_id: chatId, message_id: message.id, reaction: ['🔥', '🔥'] });
    expect(replaced.reactions).toEqual({ results: [{ emoji: '🔥', count: 2 }], chosen: ['🔥'] });

    const [seenByBob] = (await call(bob, 'getHistory', { chat_id: chatId })).messages;
    expect(seenByBob!.reactions).toEqual({ results: [{ emoji: '🔥', count: 2 }], chosen: ['🔥'] });
    const [seenByOwner] = (await call(owner, 'getMessages', { chat_id: chatId, ids: [message.id] })).messages;
    expect(seenByOwner!.reactions).toEqual({ results: [{ emoji: '🔥', count: 2 }], chosen: [] });

    const cleared = await call(alice, 'sendReaction', { chat_id: chatId, message_id: message.id, reaction: [] });
    expect(cleared.reactions).toEqual({ results: [{ emoji: '🔥', count: 1 }], chosen: [] });
  });

  test('every member gets a message_reactions update with the change and the new counts; an unchanged set sends none', async () => {
    const { owner, alice, chatId } = await group();
    const { message } = await call(owner, 'sendMessage', { peer: { chat_id: chatId }, random_id: 'm1', text: 'hi' });
    await call(alice, 'sendReaction', { chat_id: chatId, message_id: message.id, reaction: ['❤'] });
    await call(alice, 'sendReaction', { chat_id: chatId, message_id: message.id, reaction: ['❤'] });
    await call(alice, 'sendReaction', { chat_id: chatId, message_id: message.id, reaction: ['👎'] });
    await delivered(chatId);
    const seen = await updatesOf(owner, 'message_reactions');
    expect(seen).toEqual([
      {
        type: 'message_reactions',
        chat_id: chatId,
        message_id: message.id,
        user_id: alice.user.id,
        old_reactions: [],
        new_reactions: ['❤'],
        results: [{ emoji: '❤', count: 1 }],
      },
      expect.objectContaining({ old_reactions: ['❤'], new_reactions: ['👎'], results: [{ emoji: '👎', count: 1 }] }),
    ]);
    expect(await updatesOf(alice, 'message_reactions')).toHaveLength(2);
  });

  test('an emoji outside the standard set, too many, a message the member cannot see and a non-member are refused', async () => {
    const { owner, alice, chatId } = await group();
    const outsider = await signup();
    const { message } = await call(owner, 'sendMessage', { peer: { chat_id: chatId }, random_id: 'm1', text: 'hi' });
    const base = { chat_id: chatId, message_id: message.id };
    expect(await callError(alice, 'sendReaction', { ...base, reaction: ['🦖'] })).toBe('BAD_REQUEST');
    expect(await callError(alice, 'sendReaction', { ...base, reaction: ['👍', '👎', '🔥', '❤'] })).toBe('BAD_REQUEST');
    expect(await callError(alice, 'sendReaction', { ...base, message_id: 999, reaction: ['👍'] })).toBe('NOT_FOUND');
    expect(await callError(outsider, 'sendReaction', { ...base, reaction: ['👍'] })).toBe('NOT_FOUND');
    await call(alice, 'deleteMessages', { chat_id: chatId, ids: [message.id], for_everyone: false });
    expect(await callError(alice, 'sendReaction', { ...base, reaction: ['👍'] })).toBe('NOT_FOUND');
  });
});

describe('restricted members', () => {
  test('a restricted member may not send; a text-only restriction allows text; lifting it shows as a chat_member update', async () => {
    const { owner, alice, chatId } = await group();
    const peer = { chat_id: chatId };
    const { member } = await call(owner, 'restrictChatMember', {
      chat_id: chatId,
      user_id: alice.user.id,
      can_send_messages: false,
      can_send_media: true,
    });
    // No messages means no media either.
    expect(member.restriction).toMatchObject({ can_send_messages: false, can_send_media: false, until: null });
    expect(await callError(alice, 'sendMessage', { peer, random_id: 'a1', text: 'hi' })).toBe('FORBIDDEN');

    await call(owner, 'restrictChatMember', { chat_id: chatId, user_id: alice.user.id, can_send_messages: true, can_send_media: false });
    await call(alice, 'sendMessage', { peer, random_id: 'a2', text: 'text is fine' });
    const members = (await call(alice, 'getChat', { chat_id: chatId })).members;
    expect(members.find((m) => m.user_id === alice.user.id)?.restriction).toMatchObject({ can_send_messages: true, can_send_media: false, until: null });

    const lifted = await call(owner, 'restrictChatMember', { chat_id: chatId, user_id: alice.user.id, can_send_messages: true, can_send_media: true });
    expect(lifted.member.restriction).toBeUndefined();
    // Lifting again, or repeating a restriction, changes nothing and announces nothing.
    await call(owner, 'restrictChatMember', { chat_id: chatId, user_id: alice.user.id, can_send_messages: true, can_send_media: true });
    await delivered(chatId);
    const changes = (await updatesOf(owner, 'chat_member')).filter((u) => u.member.user_id === alice.user.id);
    expect(changes.map((c) => c.member.restriction?.can_send_messages ?? 'none')).toEqual([false, true, 'none']);
  });

  test('a restriction with an end date ends by itself', async () => {
    const { owner, alice, chatId } = await group();
    await call(owner, 'restrictChatMember', {
      chat_id: chatId,
      user_id: alice.user.id,
      can_send_messages: false,
      can_send_media: false,
      until: Date.now() + 300,
    });
    expect(await callError(alice, 'sendMessage', { peer: { chat_id: chatId }, random_id: 'a1', text: 'hi' })).toBe('FORBIDDEN');
    await new Promise((r) => setTimeout(r, 350));
    await call(alice, 'sendMessage', { peer: { chat_id: chatId }, random_id: 'a1', text: 'hi' });
  });

  test('promoting a restricted member lifts the restriction for good', async () => {
    const { owner, alice, chatId } = await group();
    await call(owner, 'restrictChatMember', { chat_id: chatId, user_id: alice.user.id, can_send_messages: false, can_send_media: false });
    await call(owner, 'setChatAdmin', { chat_id: chatId, user_id: alice.user.id, is_admin: true });
    await call(owner, 'setChatAdmin', { chat_id: chatId, user_id: alice.user.id, is_admin: false });
    const members = (await call(owner, 'getChat', { chat_id: chatId })).members;
    expect(members.find((m) => m.user_id === alice.user.id)?.restriction).toBeUndefined();
    await call(alice, 'sendMessage', { peer: { chat_id: chatId }, random_id: 'a1', text: 'free again' });
  });

  test('only the creator and admins restrict, only plain members can be restricted, and not in private chats', async () => {
    const { owner, alice, bob, chatId } = await group();
    const args = { chat_id: chatId, can_send_messages: false, can_send_media: false };
    expect(await callError(alice, 'restrictChatMember', { ...args, user_id: bob.user.id })).toBe('FORBIDDEN');
    await call(owner, 'setChatAdmin', { chat_id: chatId, user_id: alice.user.id, is_admin: true });
    expect(await callError(bob, 'restrictChatMember', { ...args, user_id: alice.user.id })).toBe('FORBIDDEN');
    expect(await callError(alice, 'restrictChatMember', { ...args, user_id: owner.user.id })).toBe('FORBIDDEN');
    await call(alice, 'restrictChatMember', { ...args, user_id: bob.user.id });
    const { message } = await call(owner, 'sendMessage', { peer: { user_id: bob.user.id }, random_id: 'p1', text: 'dm' });
    expect(await callError(owner, 'restrictChatMember', { ...args, chat_id: message.chat_id, user_id: bob.user.id })).toBe('BAD_REQUEST');
    // The group restriction does not follow bob into his private chat.
    await call(bob, 'sendMessage', { peer: { user_id: owner.user.id }, random_id: 'p2', text: 'still here' });
  });
});
