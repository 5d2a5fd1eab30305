import { Bot as GrammyBot, GrammyError } from 'grammy';
import { Telegraf } from 'telegraf';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Message } from '../../protocol/messages.js';
import type { UpdateEnvelope } from '../../protocol/updates.js';
import {
  answerText,
  BOT_PHOTO,
  channelEcho,
  editedMenu,
  gotBytes,
  greeting,
  jpegBytes,
  migratedNote,
  reactionSeen,
  startGrammy,
  startGrammyGatekeeper,
  startGrammyLargeChats,
  startGrammyWebhook,
  startNtba,
  startTelegraf,
  startTelegrafWebhook,
  type RunningBot,
} from './support/bot-frameworks.js';
import { signUpDevice, uniqueName, type Device } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

/**
 * Real bot frameworks, unchanged but for their API root, against the real
 * local server; a user talks to each through the SDK over a real WebSocket.
 */
let server: TestServer;
let user: Device;

beforeAll(async () => {
  // The webhook bots listen on this machine, as a bot author's would under `npm start`.
  server = await startServer({ localWebhooks: true });
  user = await signUpDevice(server.baseUrl, 'botfan');
});

afterAll(async () => {
  user?.client.disconnect();
  await server?.stop();
});

async function newBot(prefix: string): Promise<{ id: number; token: string }> {
  const { bot, token } = await user.client.api.createBot({ username: `${uniqueName(prefix).slice(0, 27)}_bot`, display_name: prefix });
  return { id: bot.user.id, token };
}

const fromBot = (botId: number, afterId: number) => (e: UpdateEnvelope) =>
  e.update.type === 'new_message' && e.update.message.sender_id === botId && e.update.message.id > afterId;

/** Sends `text` to the bot and resolves with the bot's next message after it. */
async function ask(botId: number, text: string): Promise<Message> {
  const sent = await user.client.sendMessage({ user_id: botId }, text);
  const reply = await user.until(fromBot(botId, sent.id), 20_000);
  return (reply.update as { message: Message }).message;
}

/** The conversation every framework's bot must hold. */
async function converse(bot: RunningBot, botId: number, options: { photos: boolean }): Promise<void> {
  const hello = await ask(botId, '/start');
  expect(hello.text).toBe(greeting(bot.name));

  const echo = await ask(botId, 'hello there');
  expect(echo.text).toBe('echo: hello there');

  const menu = await ask(botId, '/menu');
  expect(menu.reply_markup).toEqual({
    inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }, { text: 'No', callback_data: 'no' }]],
  });
  const { answer } = await user.client.api.pressCallbackButton({ chat_id: menu.chat_id, message_id: menu.id, data: 'yes' });
  expect(answer).toMatchObject({ text: answerText(bot.name, 'yes'), show_alert: false });
  const edit = await user.until(
    (e) => e.update.type === 'edit_message' && e.update.message.id === menu.id && e.update.message.text === editedMenu('yes'),
    20_000,
  );
  expect((edit.update as { message: Message }).message.reply_markup).toBeUndefined();

  const before = await user.client.sendMessage({ user_id: botId }, '/temp');
  const temp = (await user.until(fromBot(botId, before.id), 20_000)).update as { message: Message };
  await user.until(
    (e) => e.update.type === 'delete_messages' && e.update.chat_id === temp.message.chat_id && e.update.ids.includes(temp.message.id),
    20_000,
  );
  if (options.photos) await photos(botId);
}

/** The bot uploads a photo (multipart) that the user downloads; the user's photo the bot downloads through getFile. */
async function photos(botId: number): Promise<void> {
  const photo = await ask(botId, '/photo');
  expect(photo.media).toMatchObject({ kind: 'photo', file: { mime_type: 'image/jpeg', size: BOT_PHOTO.length } });
  const link = await user.client.getFileUrl(photo.chat_id, photo.id);
  const downloaded = new Uint8Array(await (await fetch(link.url)).arrayBuffer());
  expect(downloaded).toEqual(BOT_PHOTO);

  const mine = jpegBytes(3333, 9);
  const file = await user.client.uploadFile(mine);
  const sent = await user.client.sendMedia({ user_id: botId }, { kind: 'photo', file }, { caption: 'a picture' });
  const told = (await user.until(fromBot(botId, sent.id), 20_000)).update as { message: Message };
  expect(told.message.text).toBe(gotBytes(mine.length));
}

describe('real bot frameworks over long polling', () => {
  for (const [name, start] of [
    ['grammY', startGrammy],
    ['Telegraf', startTelegraf],
    ['node-telegram-bot-api', startNtba],
  ] as const) {
    test(`${name}: /start, echo, inline keyboard and its callback answer, an edit, a delete, photos both ways`, async () => {
      const { id, token } = await newBot(name.slice(0, 6).replace(/\W/g, ''));
      const bot = await start(token, server.baseUrl);
      try {
        await converse(bot, id, { photos: true });
      } finally {
        await bot.stop();
      }
    });
  }
});

describe('reactions with a real bot framework', () => {
  test('grammY: ctx.react sets a reaction the user sees; a user\u2019s reaction reaches the bot as message_reaction', async () => {
    const { id, token } = await newBot('react');
    const bot = await startGrammy(token, server.baseUrl);
    try {
      const sent = await user.client.sendMessage({ user_id: id }, '/react');
      const reacted = await user.until(
        (e) => e.update.type === 'message_reactions' && e.update.message_id === sent.id && e.update.user_id === id,
        20_000,
      );
      expect(reacted.update).toMatchObject({ old_reactions: [], new_reactions: ['👍'], results: [{ emoji: '👍', count: 1 }] });
      const [shown] = (await user.client.call('getMessages', { chat_id: sent.chat_id, ids: [sent.id] })).messages;
      expect(shown!.reactions).toEqual({ results: [{ emoji: '👍', count: 1 }], chosen: [] });

      const hello = await ask(id, '/start');
      await user.client.api.sendReaction({ chat_id: hello.chat_id, message_id: hello.id, reaction: ['🔥', '❤'] });
      const told = (await user.until(fromBot(id, hello.id), 20_000)).update as { message: Message };
      expect(told.message.text).toBe(reactionSeen(['🔥', '❤']));
    } finally {
      await bot.stop();
    }
  });
});

describe('real bot frameworks over a webhook', () => {
  test('grammY behind a webhook: the whole conversation, photos both ways', async () => {
    const { id, token } = await newBot('ghook');
    const bot = await startGrammyWebhook(token, server.baseUrl, 'e2e_grammy_secret');
    try {
      const info = (await (await fetch(`${server.baseUrl}/bot${token}/getWebhookInfo`)).json()) as { result: { url: string } };
      expect(info.result.url).toBe(bot.url);
      await converse(bot, id, { photos: true });
    } finally {
      await bot.stop();
    }
  });


  test('Telegraf behind a webhook, answering inside its HTTP responses', async () => {
    const { id, token } = await newBot('hooked');
    const bot = await startTelegrafWebhook(token, server.baseUrl, 'e2e_secret');
    try {
      const info = (await (await fetch(`${server.baseUrl}/bot${token}/getWebhookInfo`)).json()) as { result: { url: string } };
      expect(info.result.url).toBe(bot.url);
      // Telegraf answers a photo upload inside the webhook response as multipart: Edgegram runs a reply's call from its
      // fields but stores no file from a reply (uploads are the Worker's), so photos are shown by polling and by grammY's webhook.
      await converse(bot, id, { photos: false });
    } finally {
      await bot.stop();
    }
  });
});

/** Telegram's id of a supergroup or channel. */
const largeChatId = (chatId: number) => -(1_000_000_000_000 + chatId);

/** Polls the chat's newest messages until one has `text` (large chats reach the SDK through their own sync, not the log `until` reads). */
async function seenInHistory(chatId: number, text: string): Promise<Message> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { messages } = await user.client.api.getHistory({ chat_id: chatId, limit: 20 });
    const found = messages.find((m) => m.text === text);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`"${text}" never appeared in chat ${chatId}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('grammY in large chats', () => {
  test('a channel post reaches bot.on("channel_post") and its ctx.reply posts in the channel; a migrated group answers with migrate_to_chat_id', async () => {
    const { id, token } = await newBot('large');
    const bot = await startGrammyLargeChats(token, server.baseUrl);
    try {
      const { chat: channel } = await user.client.api.createChannel({ title: 'E2E news', user_ids: [] });
      await user.client.api.addChatMember({ chat_id: channel.id, user_id: id });
      await user.client.api.sendMessage({ peer: { chat_id: channel.id }, random_id: uniqueName('post'), text: 'first post' });
      const answer = await seenInHistory(channel.id, channelEcho('first post'));
      // Sent as the channel: the post names no sender, whoever (here the bot) wrote it.
      expect(answer.sender_id).toBeNull();

      const { chat: group } = await user.client.api.createGroup({ title: 'E2E growing', user_ids: [id] });
      const { chat: supergroup } = await user.client.api.migrateChat({ chat_id: group.id });
      expect((await seenInHistory(supergroup.id, migratedNote(-group.id))).sender_id).toBe(id);
      // grammY surfaces Telegram's parameters on its error, so a bot can follow the group where it went.
      const refused = await bot.api.sendMessage(-group.id, 'anyone here?').catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(GrammyError);
      expect((refused as GrammyError).parameters.migrate_to_chat_id).toBe(largeChatId(supergroup.id));
      const moved = await bot.api.sendMessage((refused as GrammyError).parameters.migrate_to_chat_id!, 'found you');
      expect(moved.chat).toMatchObject({ id: largeChatId(supergroup.id), type: 'supergroup' });
    } finally {
      await bot.stop();
    }
  });
});

describe('admin rights with real bot frameworks', () => {
  test('grammY promotes with a narrow right and a title, is refused a right it lacks, and sets the group’s permissions; Telegraf restricts and reads it back', async () => {
    const { id: botId, token } = await newBot('mod');
    const member = await signUpDevice(server.baseUrl, 'modded');
    try {
      const memberId = member.client.user!.id;
      const { chat } = await user.client.api.createGroup({ title: 'E2E moderated', user_ids: [botId, memberId] });
      // The bot may appoint admins and pin, and nothing else.
      await user.client.api.editChatAdmin({ chat_id: chat.id, user_id: botId, rights: { can_promote_members: true, can_pin_messages: true, can_restrict_members: true } });
      const grammy = new GrammyBot(token, { client: { apiRoot: server.baseUrl } }).api;
      const chatId = -chat.id;

      expect(await grammy.promoteChatMember(chatId, memberId, { can_pin_messages: true })).toBe(true);
      expect(await grammy.setChatAdministratorCustomTitle(chatId, memberId, 'Pinner')).toBe(true);
      const promoted = await grammy.getChatMember(chatId, memberId);
      expect(promoted).toMatchObject({ status: 'administrator', can_pin_messages: true, can_change_info: false, can_be_edited: true, custom_title: 'Pinner' });

      const refused = await grammy.promoteChatMember(chatId, memberId, { can_change_info: true }).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(GrammyError);
      expect((refused as GrammyError).error_code).toBe(400);
      expect(await grammy.getChatMember(chatId, memberId)).toMatchObject({ can_pin_messages: true, can_change_info: false });

      // Dismissed (every flag omitted), then restricted and read back through Telegraf.
      expect(await grammy.promoteChatMember(chatId, memberId, {})).toBe(true);
      const telegraf = new Telegraf(token, { telegram: { apiRoot: server.baseUrl } }).telegram;
      await telegraf.restrictChatMember(chatId, memberId, { permissions: { can_send_messages: true, can_add_web_page_previews: false } });
      const restricted = await telegraf.getChatMember(chatId, memberId);
      expect(restricted).toMatchObject({ status: 'restricted', can_send_messages: true, can_send_photos: false, can_add_web_page_previews: false });
      const linkRefused = await member.client.sendMessage({ chat_id: chat.id }, 'see https://example.org').catch((err: unknown) => err);
      expect(linkRefused).toMatchObject({ code: 'FORBIDDEN' });

      // Title and description need can_change_info, which the bot was not given; the owner grants it.
      const noRight = await grammy.setChatDescription(chatId, 'About us').catch((err: unknown) => err);
      expect(noRight).toBeInstanceOf(GrammyError);
      await user.client.api.editChatAdmin({
        chat_id: chat.id,
        user_id: botId,
        rights: { can_promote_members: true, can_pin_messages: true, can_restrict_members: true, can_change_info: true },
      });
      expect(await grammy.setChatDescription(chatId, 'About us')).toBe(true);
      expect(await grammy.setChatTitle(chatId, 'E2E moderated, renamed')).toBe(true);
      expect(await grammy.getChat(chatId)).toMatchObject({ title: 'E2E moderated, renamed', description: 'About us' });

      await grammy.setChatPermissions(chatId, { can_send_messages: true, can_pin_messages: true });
      expect((await grammy.getChat(chatId)).permissions).toMatchObject({ can_send_messages: true, can_pin_messages: true, can_send_photos: false });
    } finally {
      member.client.disconnect();
    }
  });
});

describe('join requests with real bot frameworks', () => {
  test('Telegraf makes a link that needs approval on a public chat named "@username"; grammY approves a request from chat_join_request; Telegraf declines one', async () => {
    const { id: botId, token } = await newBot('gate');
    const [first, second] = [await signUpDevice(server.baseUrl, 'asker'), await signUpDevice(server.baseUrl, 'asker')];
    let gatekeeper: (RunningBot & { seen: number[] }) | undefined;
    try {
      const { chat } = await user.client.api.createSupergroup({ title: 'E2E gated', user_ids: [botId] });
      await user.client.api.editChatAdmin({ chat_id: chat.id, user_id: botId, rights: { can_invite_users: true } });
      const name = `gated_${Date.now().toString(36)}`;
      await user.client.api.setChatUsername({ chat_id: chat.id, username: name });
      const telegraf = new Telegraf(token, { telegram: { apiRoot: server.baseUrl } }).telegram;
      const link = await telegraf.createChatInviteLink(`@${name}`, { creates_join_request: true, name: 'Gate' });
      expect(link).toMatchObject({ creates_join_request: true, name: 'Gate', pending_join_request_count: 0 });
      const linkToken = link.invite_link.slice(link.invite_link.lastIndexOf('/+') + 2);

      gatekeeper = await startGrammyGatekeeper(token, server.baseUrl);
      expect(await first.client.api.joinChatByInviteLink({ token: linkToken })).toHaveProperty('join_request.chat_id', chat.id);
      const deadline = Date.now() + 20_000;
      while (!(await first.client.api.getChat({ chat_id: chat.id }).then(() => true, () => false))) {
        if (Date.now() > deadline) throw new Error('the gatekeeper never let the first asker in');
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(gatekeeper.seen).toEqual([first.client.user!.id]);
      await gatekeeper.stop();
      gatekeeper = undefined;

      await second.client.api.joinChatByInviteLink({ token: linkToken });
      expect(await telegraf.declineChatJoinRequest(`@${name}`, second.client.user!.id)).toBe(true);
      expect((await user.client.api.getChatJoinRequests({ chat_id: chat.id })).count).toBe(0);
      await expect(second.client.api.getChat({ chat_id: chat.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await gatekeeper?.stop();
      first.client.disconnect();
      second.client.disconnect();
    }
  });
});

describe('forum topics and chat photos with real bot frameworks', () => {
  test('grammY creates a topic, posts into it with message_thread_id and closes it; Telegraf sets and deletes the chat photo', async () => {
    const { id: botId, token } = await newBot('forum');
    const { chat } = await user.client.api.createSupergroup({ title: 'E2E forum', user_ids: [botId] });
    await user.client.api.toggleForum({ chat_id: chat.id, enabled: true });
    await user.client.api.editChatAdmin({ chat_id: chat.id, user_id: botId, rights: { can_manage_topics: true, can_change_info: true } });
    const chatId = largeChatId(chat.id);

    const grammy = new GrammyBot(token, { client: { apiRoot: server.baseUrl } }).api;
    expect(await grammy.getChat(chatId)).toMatchObject({ is_forum: true });
    const topic = await grammy.createForumTopic(chatId, 'Releases');
    expect(topic).toMatchObject({ name: 'Releases', message_thread_id: expect.any(Number) });
    const posted = await grammy.sendMessage(chatId, 'v1.0 is out', { message_thread_id: topic.message_thread_id });
    expect(posted).toMatchObject({ message_thread_id: topic.message_thread_id, is_topic_message: true });
    const { messages } = await user.client.api.getHistory({ chat_id: chat.id, message_thread_id: topic.message_thread_id });
    expect(messages.map((m) => m.text)).toContain('v1.0 is out');
    expect(await grammy.closeForumTopic(chatId, topic.message_thread_id)).toBe(true);

    const telegraf = new Telegraf(token, { telegram: { apiRoot: server.baseUrl } }).telegram;
    expect(await telegraf.setChatPhoto(chatId, { source: Buffer.from(jpegBytes(5000, 21)), filename: 'logo.jpg' })).toBe(true);
    const withPhoto = await telegraf.getChat(chatId);
    expect(withPhoto).toMatchObject({ photo: { small_file_id: expect.any(String), big_file_id: expect.any(String) } });
    expect((await user.client.api.getChat({ chat_id: chat.id })).chat.photo).toBeDefined();
    expect(await telegraf.deleteChatPhoto(chatId)).toBe(true);
    expect((await user.client.api.getChat({ chat_id: chat.id })).chat.photo).toBeUndefined();
  });
});

describe('@BotFather through the SDK', () => {
  test('/newbot: a name, a username, and the token works on getMe', async () => {
    const botFather = (await user.client.api.resolveUsername({ username: 'BotFather' })).user!;
    expect((await ask(botFather.id, '/newbot')).text).toMatch(/choose a name/);
    expect((await ask(botFather.id, 'E2E Helper')).text).toMatch(/choose a username/);
    const username = `${uniqueName('bf').slice(0, 25)}_bot`;
    const done = await ask(botFather.id, username);
    const code = done.entities.find((e) => e.type === 'code')!;
    const token = done.text.slice(code.offset, code.offset + code.length);
    const me = (await (await fetch(`${server.baseUrl}/bot${token}/getMe`)).json()) as { ok: boolean; result: { username: string } };
    expect(me).toMatchObject({ ok: true, result: { username, first_name: 'E2E Helper', is_bot: true } });
  });
});
