import { describe, expect, test } from 'vitest';
import { mostAllowed, untilRefused } from '../support/token-bucket.js';
import type { BotApiMessage, BotApiUpdate } from '../../protocol/bot-api/types.js';
import { signup } from './helpers.js';
import { bot, botFails, botOk, call, callError, delivered, newBot, takeMessages, updates, userWrites, type TestBot } from './bot-api-helpers.js';

type Account = Awaited<ReturnType<typeof signup>>;

let seq = 0;
async function say(who: Account, chatId: number, text: string, extra: Record<string, unknown> = {}) {
  const { message } = await call(who, 'sendMessage', { peer: { chat_id: chatId }, random_id: `g${++seq}`, text, ...extra });
  await delivered(chatId);
  return message;
}

/** A group of an owner, a member and the given bots. */
async function groupWith(bots: TestBot[]) {
  const owner = bots[0]?.owner ?? (await signup());
  const member = await signup();
  const { chat } = await call(owner, 'createGroup', { title: 'Crew', user_ids: [member.user.id, ...bots.map((b) => b.id)] });
  await delivered(chat.id);
  return { owner, member, chatId: chat.id };
}

describe('bots in groups', () => {
  test('privacy mode: only commands for it, mentions and replies to it reach the bot', async () => {
    const b = await newBot();
    const { owner, member, chatId } = await groupWith([b]);
    await say(member, chatId, 'just chatting');
    await say(member, chatId, '/help');
    await say(member, chatId, '/help@some_other_bot');
    await say(member, chatId, `/stats@${b.username.toUpperCase()} now`);
    await say(owner, chatId, `hey @${b.username}, look`);
    await say(owner, chatId, `an email a@${b.username}.com is no mention`);
    const mine = await botOk<BotApiMessage>(b.token, 'sendMessage', { chat_id: -chatId, text: 'I am here' });
    await say(member, chatId, 'replying to the bot', { reply_to_message_id: mine.message_id });
    const [created, ...got] = await takeMessages(b.token);
    // Service messages reach a bot whatever its privacy mode, as in Telegram: here, the group's creation.
    expect(created).toMatchObject({ message_id: 0, group_chat_created: true, from: { id: owner.user.id } });
    expect(got.map((m) => m.text)).toEqual(['/help', `/stats@${b.username.toUpperCase()} now`, `hey @${b.username}, look`, 'replying to the bot']);
    expect(got[0]!.chat).toEqual({ id: -chatId, type: 'group', title: 'Crew' });
    expect(got[3]!.reply_to_message).toMatchObject({ message_id: mine.message_id, text: 'I am here' });
  });

  test('an admin bot, or one that joined with privacy off, sees everything; bots never see bots', async () => {
    const owner = await signup();
    const loud = await newBot(owner, { privacy: false });
    const quiet = await newBot(owner);
    const { member, chatId } = await groupWith([loud, quiet]);
    await call(owner, 'setChatAdmin', { chat_id: chatId, user_id: quiet.id, is_admin: true });
    await delivered(chatId);
    await say(member, chatId, 'plain talk');
    await botOk(loud.token, 'sendMessage', { chat_id: -chatId, text: `/cmd@${quiet.username} from a bot` });
    await delivered(chatId);
    // Each first gets the service message of the group's creation (no text).
    expect((await takeMessages(loud.token)).map((m) => m.text)).toEqual([undefined, 'plain talk']);
    expect((await takeMessages(quiet.token)).map((m) => m.text)).toEqual([undefined, 'plain talk']);
    expect((await botOk<{ can_read_all_group_messages: boolean }>(loud.token, 'getMe')).can_read_all_group_messages).toBe(true);
  });

  test('my_chat_member tells the bot it was added and promoted', async () => {
    const b = await newBot();
    const owner = b.owner;
    const member = await signup();
    const { chat } = await call(owner, 'createGroup', { title: 'Later', user_ids: [member.user.id] });
    await call(owner, 'addChatMember', { chat_id: chat.id, user_id: b.id });
    await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: b.id, is_admin: true });
    await delivered(chat.id);
    const list = (await updates(b.token)).filter((u): u is Required<Pick<BotApiUpdate, 'my_chat_member'>> & BotApiUpdate => !!u.my_chat_member);
    expect(list.map((u) => [u.my_chat_member.old_chat_member.status, u.my_chat_member.new_chat_member.status])).toEqual([
      ['left', 'member'],
      ['member', 'administrator'],
    ]);
    expect(list[0]!.my_chat_member).toMatchObject({ chat: { id: -chat.id, type: 'group', title: 'Later' }, from: { id: owner.user.id } });
  });

  test('getChat, member count, administrators, getChatMember and leaveChat', async () => {
    const b = await newBot();
    const { owner, member, chatId } = await groupWith([b]);
    expect(await botOk(b.token, 'getChat', { chat_id: -chatId })).toMatchObject({ id: -chatId, type: 'group', title: 'Crew' });
    expect(await botOk(b.token, 'getChatMemberCount', { chat_id: -chatId })).toBe(3);
    expect(await botOk(b.token, 'getChatMembersCount', { chat_id: -chatId })).toBe(3);
    expect(await botOk(b.token, 'getChatAdministrators', { chat_id: -chatId })).toEqual([
      { status: 'creator', user: expect.objectContaining({ id: owner.user.id }), is_anonymous: false },
    ]);
    expect(await botOk(b.token, 'getChatMember', { chat_id: -chatId, user_id: member.user.id })).toMatchObject({ status: 'member' });
    const stranger = await signup();
    expect(await botOk(b.token, 'getChatMember', { chat_id: -chatId, user_id: stranger.user.id })).toMatchObject({ status: 'left' });
    expect(await botOk(b.token, 'leaveChat', { chat_id: -chatId })).toBe(true);
    expect(await botFails(b.token, 'sendMessage', { chat_id: -chatId, text: 'still here?' })).toMatchObject({
      error_code: 403,
      description: 'Forbidden: bot is not a member of the group chat',
    });
  });

  test('private chats: getChat names the user; getChatAdministrators and leaveChat are refused', async () => {
    const b = await newBot();
    const user = await signup({ displayName: 'Pat' });
    await userWrites(user, b.id, 'hi');
    expect(await botOk(b.token, 'getChat', { chat_id: user.user.id })).toMatchObject({
      id: user.user.id,
      type: 'private',
      first_name: 'Pat',
      username: user.username,
    });
    expect(await botFails(b.token, 'getChatAdministrators', { chat_id: user.user.id })).toMatchObject({
      description: 'Bad Request: there are no administrators in the private chat',
    });
    expect(await botFails(b.token, 'leaveChat', { chat_id: user.user.id })).toMatchObject({ error_code: 400 });
  });
});

describe('flood limits', () => {
  test('about one message a second in a private chat: a burst beyond it is 429 with retry_after', async () => {
    const b = await newBot();
    const user = await signup();
    await userWrites(user, b.id, 'hi');
    // The tolerated burst (20) goes out; a refusal follows soon after it.
    let sent = 0;
    let refused: unknown = null;
    while (refused === null && sent < 60) {
      refused = await botFails(b.token, 'sendMessage', { chat_id: user.user.id, text: `m${sent}` }).catch(() => null);
      if (refused === null) sent++;
    }
    expect(sent).toBeGreaterThanOrEqual(20);
    expect(refused).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
  });

  test('20 messages a minute in a group', async () => {
    const b = await newBot();
    const { chatId } = await groupWith([b]);
    // 20 at once, one more every 3 s (what refilled while the sends ran counts: see token-bucket.ts), then 429.
    let n = 0;
    const sends = await untilRefused(async () => {
      const { status } = await bot(b.token, 'sendMessage', { chat_id: -chatId, text: `n${n++}` });
      if (status !== 200) expect(status).toBe(429);
      return status === 200;
    }, 60);
    expect(sends.refused).toBe(true);
    expect(sends.passed).toBeGreaterThanOrEqual(20);
    expect(sends.passed).toBeLessThanOrEqual(mostAllowed({ rate: 20 / 60, burst: 20 }, sends.elapsedMs));
    const refused = await botFails(b.token, 'sendMessage', { chat_id: -chatId, text: 'again' });
    expect(refused.description).toMatch(/^Too Many Requests: retry after \d+$/);
    expect(refused.parameters!.retry_after).toBeGreaterThanOrEqual(1);
  });
});

describe('commands', () => {
  test('setMyCommands, getMyCommands by scope and language, deleteMyCommands', async () => {
    const b = await newBot();
    const commands = [
      { command: 'start', description: 'Start' },
      { command: 'help', description: 'Help me' },
    ];
    expect(await botOk(b.token, 'setMyCommands', { commands }, 'form')).toBe(true);
    expect(await botOk(b.token, 'getMyCommands')).toEqual(commands);
    expect(await botOk(b.token, 'getMyCommands', { language_code: 'de' })).toEqual([]);
    await botOk(b.token, 'setMyCommands', { commands: [{ command: 'hilfe', description: 'Hilfe' }], language_code: 'de' });
    expect(await botOk(b.token, 'getMyCommands', { language_code: 'de' })).toEqual([{ command: 'hilfe', description: 'Hilfe' }]);
    expect(await botOk(b.token, 'deleteMyCommands')).toBe(true);
    expect(await botOk(b.token, 'getMyCommands')).toEqual([]);
    expect(await botFails(b.token, 'setMyCommands', { commands: [{ command: 'Bad Command', description: 'x' }] })).toMatchObject({
      description: 'Bad Request: BOT_COMMAND_INVALID',
    });
  });

  test('a user reads a bot’s menu with getBotCommands: the private-chats list, else the default one', async () => {
    const b = await newBot();
    const user = await signup();
    expect(await call(user, 'getBotCommands', { bot_id: b.id })).toEqual({ commands: [] });
    const general = [{ command: 'start', description: 'Start over' }];
    await botOk(b.token, 'setMyCommands', { commands: general });
    await botOk(b.token, 'setMyCommands', { commands: [{ command: 'ban', description: 'Ban' }], scope: { type: 'all_group_chats' } });
    expect(await call(user, 'getBotCommands', { bot_id: b.id })).toEqual({ commands: general });
    const privateOnes = [{ command: 'order', description: 'Order a pizza' }];
    await botOk(b.token, 'setMyCommands', { commands: privateOnes, scope: { type: 'all_private_chats' } });
    expect(await call(user, 'getBotCommands', { bot_id: b.id })).toEqual({ commands: privateOnes });
    expect(await callError(user, 'getBotCommands', { bot_id: user.user.id })).toBe('NOT_FOUND');
  });

  test('getBotCommands finds the menu as Telegram does: this chat, all private chats, default; each in the language first', async () => {
    const b = await newBot();
    const user = await signup();
    const other = await signup();
    const menu = (command: string) => [{ command, description: command }];
    await botOk(b.token, 'setMyCommands', { commands: menu('start'), language_code: 'de' });
    await botOk(b.token, 'setMyCommands', { commands: menu('help') });
    expect(await call(user, 'getBotCommands', { bot_id: b.id, language_code: 'de' })).toEqual({ commands: menu('start') });
    expect(await call(user, 'getBotCommands', { bot_id: b.id, language_code: 'fr' })).toEqual({ commands: menu('help') });
    await botOk(b.token, 'setMyCommands', { commands: menu('order'), scope: { type: 'all_private_chats' } });
    expect(await call(user, 'getBotCommands', { bot_id: b.id, language_code: 'de' })).toEqual({ commands: menu('order') });
    await botOk(b.token, 'setMyCommands', { commands: menu('vip'), scope: { type: 'chat', chat_id: user.user.id } });
    expect(await call(user, 'getBotCommands', { bot_id: b.id })).toEqual({ commands: menu('vip') });
    expect(await call(other, 'getBotCommands', { bot_id: b.id })).toEqual({ commands: menu('order') });
    expect(await callError(user, 'getBotCommands', { bot_id: b.id, language_code: 'German' })).toBe('BAD_REQUEST');
  });
});

describe('anonymous admins, as bots see them', () => {
  test("an anonymous admin's message comes from @GroupAnonymousBot with sender_chat the group and the admin's title as author_signature", async () => {
    const b = await newBot(undefined, { privacy: false });
    const { owner, member, chatId } = await groupWith([b]);
    await call(owner, 'editChatAdmin', { chat_id: chatId, user_id: member.user.id, rights: { is_anonymous: true, can_pin_messages: true }, title: 'Host' });
    await takeMessages(b.token);
    await say(member, chatId, 'an announcement');
    const [seen] = (await takeMessages(b.token)).filter((m) => m.text === 'an announcement');
    expect(seen).toMatchObject({
      from: { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' },
      sender_chat: { id: -chatId, type: 'group', title: 'Crew' },
      author_signature: 'Host',
    });
    // The owner (not anonymous) still writes as themself.
    await say(owner, chatId, 'signed by me');
    const [mine] = (await takeMessages(b.token)).filter((m) => m.text === 'signed by me');
    expect(mine?.from?.id).toBe(owner.user.id);
    expect(mine).not.toHaveProperty('sender_chat');
  });
});
