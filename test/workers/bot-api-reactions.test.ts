import { describe, expect, test } from 'vitest';
import type { BotApiMessage, BotApiUpdate } from '../../protocol/bot-api/types.js';
import { signup } from './helpers.js';
import { botFails, botOk, call, delivered, newBot, updates, userWrites } from './bot-api-helpers.js';

const thumbsUp = [{ type: 'emoji', emoji: '👍' }];
const reactionsOf = (list: BotApiUpdate[]) => list.flatMap((u) => (u.message_reaction ? [u.message_reaction] : []));

describe('setMessageReaction', () => {
  test("a bot's reaction shows in the user's history and reaches the user as a message_reactions update", async () => {
    const b = await newBot();
    const user = await signup();
    const hello = await userWrites(user, b.id, 'react to me');
    expect(await botOk(b.token, 'setMessageReaction', { chat_id: user.user.id, message_id: hello.id, reaction: thumbsUp })).toBe(true);
    await delivered(hello.chat_id);
    const [seen] = (await call(user, 'getMessages', { chat_id: hello.chat_id, ids: [hello.id] })).messages;
    expect(seen!.reactions).toEqual({ results: [{ emoji: '👍', count: 1 }], chosen: [] });
    const diff = await call(user, 'getDifference', { pts: 0 });
    const logged = diff.kind === 'difference' ? diff.updates.map((u) => u.update).filter((u) => u.type === 'message_reactions') : [];
    expect(logged).toEqual([expect.objectContaining({ user_id: b.id, old_reactions: [], new_reactions: ['👍'] })]);

    // Form-encoded, as some frameworks send it; an empty list clears.
    expect(await botOk(b.token, 'setMessageReaction', { chat_id: user.user.id, message_id: hello.id, reaction: [] }, 'form')).toBe(true);
    const [cleared] = (await call(user, 'getMessages', { chat_id: hello.chat_id, ids: [hello.id] })).messages;
    expect(cleared!.reactions).toBeUndefined();
  });

  test("Telegram's refusals: more than one, a custom or unknown emoji, a message the bot cannot see", async () => {
    const b = await newBot();
    const user = await signup();
    const hello = await userWrites(user, b.id, 'hi');
    const at = { chat_id: user.user.id, message_id: hello.id };
    expect(await botFails(b.token, 'setMessageReaction', { ...at, reaction: [...thumbsUp, { type: 'emoji', emoji: '🔥' }] })).toMatchObject({
      description: 'Bad Request: REACTIONS_TOO_MANY',
    });
    for (const reaction of [[{ type: 'custom_emoji', custom_emoji_id: '5368324170671202286' }], [{ type: 'emoji', emoji: '🦖' }], [{ emoji: '👍' }]]) {
      expect(await botFails(b.token, 'setMessageReaction', { ...at, reaction })).toMatchObject({ description: 'Bad Request: REACTION_INVALID' });
    }
    expect(await botFails(b.token, 'setMessageReaction', { ...at, message_id: 999, reaction: thumbsUp })).toMatchObject({
      description: 'Bad Request: message to react not found',
    });
  });
});

describe('message_reaction updates', () => {
  test('in a private chat, only when listed in allowed_updates, with the old and new reaction', async () => {
    const b = await newBot();
    const user = await signup();
    const chatId = (await userWrites(user, b.id, '/start')).chat_id;
    const mine = await botOk<BotApiMessage>(b.token, 'sendMessage', { chat_id: user.user.id, text: 'rate me' });
    // The default allowed_updates leave reactions out, as Telegram's do.
    await call(user, 'sendReaction', { chat_id: chatId, message_id: mine.message_id, reaction: ['❤'] });
    await delivered(chatId);
    expect(reactionsOf(await updates(b.token))).toEqual([]);

    const all = await updates(b.token, { allowed_updates: ['message', 'message_reaction'] });
    await call(user, 'sendReaction', { chat_id: chatId, message_id: mine.message_id, reaction: ['🔥', '👍'] });
    await delivered(chatId);
    const got = reactionsOf(await updates(b.token, { offset: (all.at(-1)?.update_id ?? 0) + 1 }));
    expect(got.at(-1)).toEqual({
      chat: { id: user.user.id, type: 'private', first_name: user.user.display_name, username: user.user.username },
      message_id: mine.message_id,
      user: { id: user.user.id, is_bot: false, first_name: user.user.display_name, username: user.user.username },
      date: expect.any(Number),
      old_reaction: [{ type: 'emoji', emoji: '❤' }],
      new_reaction: [
        { type: 'emoji', emoji: '🔥' },
        { type: 'emoji', emoji: '👍' },
      ],
    });
  });

  test('in a group, only admin bots get them, and never for a reaction another bot set', async () => {
    const owner = await signup();
    const admin = await newBot(owner);
    const plain = await newBot(owner);
    const { chat } = await call(owner, 'createGroup', { title: 'Votes', user_ids: [admin.id, plain.id] });
    await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: admin.id, is_admin: true });
    for (const b of [admin, plain]) await updates(b.token, { allowed_updates: ['message_reaction'] });
    const { message } = await call(owner, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'v1', text: 'vote' });
    await call(owner, 'sendReaction', { chat_id: chat.id, message_id: message.id, reaction: ['🎉'] });
    await botOk(plain.token, 'setMessageReaction', { chat_id: -chat.id, message_id: message.id, reaction: thumbsUp });
    await delivered(chat.id);

    const seen = reactionsOf(await updates(admin.token));
    expect(seen.map((r) => [r.user.id, r.new_reaction])).toEqual([[owner.user.id, [{ type: 'emoji', emoji: '🎉' }]]]);
    expect(seen[0]!.chat).toEqual({ id: -chat.id, type: 'group', title: 'Votes' });
    expect(reactionsOf(await updates(plain.token))).toEqual([]);
    const [counted] = (await call(owner, 'getMessages', { chat_id: chat.id, ids: [message.id] })).messages;
    expect(counted!.reactions!.results).toEqual([
      { emoji: '🎉', count: 1 },
      { emoji: '👍', count: 1 },
    ]);
  });
});
