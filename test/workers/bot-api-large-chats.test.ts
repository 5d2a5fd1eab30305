/**
 * Bots in large chats, as Telegram shows them: supergroups and channels
 * named -100<id>, a basic group's migration as service messages and as the
 * 400 that names the supergroup, admin bots in channels with channel_post,
 * and privacy mode in supergroups, where a bot's copies are the only
 * per-member work.
 */
import { describe, expect, test } from 'vitest';
import type { BotApiChatMember, BotApiMessage, BotApiUpdate } from '../../protocol/bot-api/types.js';
import { env } from 'cloudflare:test';
import { chatRoom } from '../../durable-objects/stubs.js';
import { signup, type Account } from './helpers.js';
import { bot, botFails, botOk, call, callError, delivered, newBot, takeMessages, updates, type TestBot } from './bot-api-helpers.js';

/** Telegram's id of a supergroup or channel. */
const large = (chatId: number) => -(1_000_000_000_000 + chatId);

let seq = 0;
async function say(who: Account, chatId: number, text: string, extra: Record<string, unknown> = {}) {
  const { message } = await call(who, 'sendMessage', { peer: { chat_id: chatId }, random_id: `l${++seq}`, text, ...extra });
  await delivered(chatId);
  return message;
}

/** A supergroup of an owner, a member and the given bots. */
async function supergroupWith(bots: TestBot[]) {
  const owner = bots[0]?.owner ?? (await signup());
  const member = await signup();
  const { chat } = await call(owner, 'createSupergroup', { title: 'Big', user_ids: [member.user.id, ...bots.map((b) => b.id)] });
  await delivered(chat.id);
  return { owner, member, chatId: chat.id };
}

/** A channel of the bot's owner with one subscriber; the bot is added afterwards (and so becomes an admin). */
async function channelWithBot(b: TestBot) {
  const owner = b.owner;
  const subscriber = await signup();
  const { chat } = await call(owner, 'createChannel', { title: 'News', user_ids: [subscriber.user.id] });
  await call(owner, 'addChatMember', { chat_id: chat.id, user_id: b.id });
  await delivered(chat.id);
  await takeAll(b.token);
  return { owner, subscriber, chatId: chat.id };
}

/** Every update of the bot so far, confirmed. */
async function takeAll(token: string, params: Record<string, unknown> = {}): Promise<BotApiUpdate[]> {
  const list = await updates(token, params);
  if (list.length > 0) await updates(token, { offset: list.at(-1)!.update_id + 1 });
  return list;
}

describe('supergroups in the Bot API', () => {
  test('a supergroup is type "supergroup" named -100<id>; getChat, member count, admins and any member work by that id', async () => {
    const b = await newBot();
    const { owner, member, chatId } = await supergroupWith([b]);
    const id = large(chatId);
    expect(await botOk(b.token, 'getChat', { chat_id: id })).toMatchObject({ id, type: 'supergroup', title: 'Big', permissions: expect.any(Object) });
    // The kept count, though the bot is shown only the managers and itself.
    expect(await botOk(b.token, 'getChatMemberCount', { chat_id: id })).toBe(3);
    const admins = await botOk<BotApiChatMember[]>(b.token, 'getChatAdministrators', { chat_id: id });
    expect(admins.map((a) => [a.user.id, a.status])).toEqual([[owner.user.id, 'creator']]);
    // A plain member is not in the bot's snapshot: the room is asked for that one member.
    expect(await botOk(b.token, 'getChatMember', { chat_id: id, user_id: member.user.id })).toMatchObject({ status: 'member', user: { id: member.user.id } });
    const stranger = await signup();
    expect(await botOk(b.token, 'getChatMember', { chat_id: id, user_id: stranger.user.id })).toMatchObject({ status: 'left' });
    // Messages name the chat the same way.
    const sent = await botOk<BotApiMessage>(b.token, 'sendMessage', { chat_id: id, text: 'hello, big room' });
    expect(sent.chat).toEqual({ id, type: 'supergroup', title: 'Big' });
  });

  test('the -100 form names only supergroups and channels; a basic group keeps -<id>', async () => {
    const b = await newBot();
    const owner = b.owner;
    const { chat: group } = await call(owner, 'createGroup', { title: 'Small', user_ids: [b.id] });
    await delivered(group.id);
    expect(await botOk(b.token, 'getChat', { chat_id: -group.id })).toMatchObject({ id: -group.id, type: 'group' });
    expect((await botFails(b.token, 'getChat', { chat_id: large(group.id) })).description).toBe('Bad Request: chat not found');
    const { chat: big } = await call(owner, 'createSupergroup', { title: 'Big', user_ids: [] });
    expect((await botFails(b.token, 'sendMessage', { chat_id: large(big.id), text: 'x' })).description).toBe(
      'Forbidden: bot is not a member of the supergroup chat',
    );
  });

  test('a large supergroup answers getChatMemberCount from its kept count', async () => {
    const b = await newBot();
    const { chatId } = await supergroupWith([b]);
    const seeded = Array.from({ length: 5_000 }, (_, i) => 900_000_000 + chatId * 10_000 + i);
    await chatRoom(env, chatId).seedMembers(seeded, []);
    expect(await botOk(b.token, 'getChatMemberCount', { chat_id: large(chatId) })).toBe(5_003);
    expect(await botOk(b.token, 'getChat', { chat_id: large(chatId) })).toMatchObject({ type: 'supergroup' });
  });

  test('privacy mode in a supergroup: commands, mentions and replies to it; privacy-off bots see all; people get no copies', async () => {
    const owner = await signup();
    const quiet = await newBot(owner);
    const loud = await newBot(owner, { privacy: false });
    const { member, chatId } = await supergroupWith([quiet, loud]);
    await takeAll(quiet.token);
    await takeAll(loud.token);
    const before = await call(member, 'getState', {});
    await say(member, chatId, 'just chatting');
    await say(member, chatId, `/help@${quiet.username}`);
    await say(owner, chatId, `hey @${quiet.username}`);
    const mine = await botOk<BotApiMessage>(quiet.token, 'sendMessage', { chat_id: large(chatId), text: 'I am here' });
    await say(member, chatId, 'a reply', { reply_to_message_id: mine.message_id });
    await delivered(chatId);
    expect((await takeMessages(quiet.token)).map((m) => m.text)).toEqual([`/help@${quiet.username}`, `hey @${quiet.username}`, 'a reply']);
    // Bots never see bots, as in groups.
    expect((await takeMessages(loud.token)).map((m) => m.text)).toEqual(['just chatting', `/help@${quiet.username}`, `hey @${quiet.username}`, 'a reply']);
    // The member's own mailbox log did not grow: the messages are in the chat's log, read with getChannelDifference.
    expect(await call(member, 'getState', {})).toMatchObject({ pts: before.pts });
  });
});

describe('a basic group becoming a supergroup, as a bot sees it', () => {
  test('service messages with migrate_to_chat_id and migrate_from_chat_id, then the old id answers with the new one', async () => {
    const b = await newBot();
    const owner = b.owner;
    const { chat: group } = await call(owner, 'createGroup', { title: 'Growing', user_ids: [b.id] });
    await delivered(group.id);
    await takeAll(b.token);
    const { chat: supergroup } = await call(owner, 'migrateChat', { chat_id: group.id });
    await delivered(group.id);
    await delivered(supergroup.id);
    const got = await takeMessages(b.token);
    const to = got.find((m) => m.migrate_to_chat_id !== undefined);
    const from = got.find((m) => m.migrate_from_chat_id !== undefined);
    expect(to).toMatchObject({ migrate_to_chat_id: large(supergroup.id), chat: { id: -group.id, type: 'group' }, from: { id: owner.user.id } });
    expect(from).toMatchObject({ migrate_from_chat_id: -group.id, chat: { id: large(supergroup.id), type: 'supergroup' }, from: { id: owner.user.id } });
    // The old group refuses, in Telegram's words and with the parameter libraries follow.
    const refused = await bot(b.token, 'sendMessage', { chat_id: -group.id, text: 'still here?' });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: group chat was upgraded to a supergroup chat',
      parameters: { migrate_to_chat_id: large(supergroup.id) },
    });
    const sent = await botOk<BotApiMessage>(b.token, 'sendMessage', { chat_id: refused.body.parameters!.migrate_to_chat_id, text: 'moved' });
    expect(sent.chat).toMatchObject({ id: large(supergroup.id), type: 'supergroup' });
  });
});

describe('bots in channels', () => {
  test('a bot added to a channel is an admin; a bot cannot be a subscriber, and only the creator adds one', async () => {
    const b = await newBot();
    const owner = b.owner;
    const admin = await signup();
    const { chat } = await call(owner, 'createChannel', { title: 'News', user_ids: [admin.user.id] });
    await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: admin.user.id, is_admin: true });
    expect(await callError(admin, 'addChatMember', { chat_id: chat.id, user_id: b.id })).toBe('FORBIDDEN');
    await call(owner, 'addChatMember', { chat_id: chat.id, user_id: b.id });
    await delivered(chat.id);
    const mine = (await takeAll(b.token)).flatMap((u) => (u.my_chat_member ? [u.my_chat_member] : []));
    expect(mine.map((m) => [m.old_chat_member.status, m.new_chat_member.status])).toEqual([['left', 'administrator']]);
    expect(mine[0]!.chat).toEqual({ id: large(chat.id), type: 'channel', title: 'News' });
    expect(await callError(owner, 'setChatAdmin', { chat_id: chat.id, user_id: b.id, is_admin: false })).toBe('BAD_REQUEST');
    // Invited at creation, a bot starts as an admin too.
    const other = await newBot(owner);
    const { chat: second } = await call(owner, 'createChannel', { title: 'More news', user_ids: [other.id] });
    expect(await botOk(other.token, 'getChatMember', { chat_id: large(second.id), user_id: other.id })).toMatchObject({ status: 'administrator' });
  });

  test('posts reach an admin bot as channel_post, edits as edited_channel_post, with sender_chat the channel', async () => {
    const b = await newBot();
    const { owner, chatId } = await channelWithBot(b);
    const post = await say(owner, chatId, 'Breaking news');
    await call(owner, 'editMessage', { chat_id: chatId, id: post.id, text: 'Breaking news, corrected' });
    await delivered(chatId);
    const list = await takeAll(b.token);
    const channel = { id: large(chatId), type: 'channel', title: 'News' };
    expect(list.map((u) => Object.keys(u).filter((k) => k !== 'update_id'))).toEqual([['channel_post'], ['edited_channel_post']]);
    expect(list[0]!.channel_post).toMatchObject({ message_id: post.id, text: 'Breaking news', chat: channel, sender_chat: channel });
    // Sent as the channel, as in Telegram: no `from`, and no signature while the channel does not sign.
    expect(list[0]!.channel_post).not.toHaveProperty('from');
    expect(list[0]!.channel_post).not.toHaveProperty('author_signature');
    expect(list[1]!.edited_channel_post).toMatchObject({ message_id: post.id, text: 'Breaking news, corrected', edit_date: expect.any(Number) });
  });

  test("a signing channel's posts carry author_signature; forwarded, a post names the channel (MessageOriginChannel)", async () => {
    const b = await newBot();
    const { owner, subscriber, chatId } = await channelWithBot(b);
    await call(owner, 'toggleSignatures', { chat_id: chatId, enabled: true });
    const post = await say(owner, chatId, 'Signed');
    const [update] = await takeAll(b.token);
    expect(update!.channel_post).toMatchObject({ message_id: post.id, sender_chat: { id: large(chatId) }, author_signature: owner.user.display_name });
    expect(update!.channel_post).not.toHaveProperty('from');

    // A subscriber forwards the post to the bot: the bot learns the channel and the signature, never the author's account.
    const { messages } = await call(subscriber, 'forwardMessages', { from_chat_id: chatId, ids: [post.id], to: { user_id: b.id }, random_ids: [`f${++seq}`] });
    expect(messages[0]!.fwd_from).toMatchObject({ sender_id: null, chat_id: chatId, chat_title: 'News', post_author: owner.user.display_name });
    await delivered(messages[0]!.chat_id);
    const forwarded = (await takeMessages(b.token)).find((m) => m.forward_origin);
    expect(forwarded?.forward_origin).toEqual({
      type: 'channel',
      date: expect.any(Number),
      chat: { id: large(chatId), type: 'channel', title: 'News' },
      message_id: post.id,
      author_signature: owner.user.display_name,
    });
    expect(forwarded?.from?.id).toBe(subscriber.user.id);
  });

  test('allowed_updates picks channel posts apart from messages', async () => {
    const b = await newBot();
    const { owner, chatId } = await channelWithBot(b);
    await say(owner, chatId, 'only for channel_post readers');
    expect(await updates(b.token, { allowed_updates: ['message'] })).toEqual([]);
    const list = await updates(b.token, { allowed_updates: ['channel_post'] });
    expect(list.map((u) => u.channel_post?.text)).toEqual(['only for channel_post readers']);
  });

  test('an admin bot posts to the channel by its -100 id and edits its post; subscribers read it', async () => {
    const b = await newBot();
    const { subscriber, chatId } = await channelWithBot(b);
    const posted = await botOk<BotApiMessage>(b.token, 'sendMessage', { chat_id: large(chatId), text: 'From the bot' });
    expect(posted).toMatchObject({ chat: { id: large(chatId), type: 'channel' }, sender_chat: { id: large(chatId) }, text: 'From the bot' });
    const edited = await botOk<BotApiMessage>(b.token, 'editMessageText', { chat_id: large(chatId), message_id: posted.message_id, text: 'From the bot (edited)' });
    expect(edited.text).toBe('From the bot (edited)');
    await delivered(chatId);
    const { messages } = await call(subscriber, 'getHistory', { chat_id: chatId, limit: 10 });
    expect(messages.map((m) => m.text)).toContain('From the bot (edited)');
    // The bot's own post is no update for it.
    expect(await takeAll(b.token)).toEqual([]);
  });
});
