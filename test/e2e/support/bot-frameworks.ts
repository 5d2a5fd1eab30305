import { createServer, type Server } from 'node:http';
import { Bot as GrammyBot, InlineKeyboard, InputFile as GrammyFile, webhookCallback } from 'grammy';
import { InputFile as NtbaFile, Bot as NtbaBot, InlineKeyboardBuilder } from 'node-telegram-bot-api';
import { Markup, Telegraf } from 'telegraf';
import { freePort } from './server.js';

/**
 * The same small bot written with each framework, unchanged except for the
 * API root: /start greets, /menu shows an inline keyboard whose callback is
 * answered (and the menu edited), /temp sends a message and deletes it,
 * /photo uploads a photo, a photo from the user is downloaded through getFile
 * and its size told back, any other text is echoed.
 */
export type RunningBot = { name: string; stop(): Promise<void> };

export const greeting = (name: string) => `Welcome from ${name}`;
export const answerText = (name: string, data: string) => `${name} got ${data}`;
export const editedMenu = (data: string) => `You chose ${data}`;
export const gotBytes = (n: number) => `got ${n} bytes`;
export const reactionSeen = (emoji: readonly string[]) => `you reacted ${emoji.join(' ')}`;

/** A JPEG by its magic number, the rest a fixed pattern: enough for the server's type sniffing. */
export function jpegBytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff;
  out.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return out;
}
/** What every bot sends on /photo. */
export const BOT_PHOTO = jpegBytes(4096, 3);

/** A file getFile named, fetched the way frameworks build the link: `<root>/file/bot<token>/<file_path>`. */
async function download(apiRoot: string, token: string, filePath: string): Promise<number> {
  const res = await fetch(`${apiRoot}/file/bot${token}/${filePath}`);
  if (!res.ok) throw new Error(`download failed: ${res.status}`);
  return (await res.arrayBuffer()).byteLength;
}

function grammyBot(token: string, apiRoot: string, name: string): GrammyBot {
  const bot = new GrammyBot(token, { client: { apiRoot } });
  bot.command('start', (ctx) => ctx.reply(greeting(name)));
  bot.command('menu', (ctx) => ctx.reply('Pick one', { reply_markup: new InlineKeyboard().text('Yes', 'yes').text('No', 'no') }));
  bot.command('temp', async (ctx) => {
    const sent = await ctx.reply('temporary');
    await ctx.api.deleteMessage(sent.chat.id, sent.message_id);
  });
  bot.command('photo', (ctx) => ctx.replyWithPhoto(new GrammyFile(BOT_PHOTO, 'bot.jpg')));
  bot.command('react', (ctx) => ctx.react('👍'));
  bot.on('message_reaction', (ctx) => ctx.reply(reactionSeen(ctx.reactions().emojiAdded)));
  bot.on('message:photo', async (ctx) => {
    const file = await ctx.getFile();
    await ctx.reply(gotBytes(await download(apiRoot, token, file.file_path!)));
  });
  bot.on('callback_query:data', async (ctx) => {
    await ctx.answerCallbackQuery({ text: answerText(name, ctx.callbackQuery.data) });
    await ctx.editMessageText(editedMenu(ctx.callbackQuery.data));
  });
  bot.on('message:text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`, { reply_parameters: { message_id: ctx.message.message_id } }));
  bot.catch((err) => console.error(`${name} bot error`, err));
  return bot;
}

// message_reaction comes only when asked for, as in Telegram.
const GRAMMY_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member', 'message_reaction'] as const;

export async function startGrammy(token: string, apiRoot: string): Promise<RunningBot> {
  const name = 'grammY';
  const bot = grammyBot(token, apiRoot, name);
  const allowed_updates = GRAMMY_UPDATES;
  const started = new Promise<void>((resolve) => void bot.start({ timeout: 10, allowed_updates, onStart: () => resolve() }));
  await started;
  return { name, stop: () => bot.stop() };
}

export const channelEcho = (text: string) => `seen: ${text}`;
export const migratedNote = (fromChatId: number) => `moved here from ${fromChatId}`;

/**
 * grammY in large chats, with its default allowed_updates: it answers a
 * channel post in the channel (ctx.reply to the -100 id) and notes a group's
 * migration in the supergroup it became. The test drives `api` too, to see
 * grammY read migrate_to_chat_id from an error.
 */
export async function startGrammyLargeChats(token: string, apiRoot: string): Promise<RunningBot & { api: GrammyBot['api'] }> {
  const name = 'grammY (large chats)';
  const bot = new GrammyBot(token, { client: { apiRoot } });
  bot.on('channel_post:text', (ctx) => ctx.reply(channelEcho(ctx.channelPost.text)));
  bot.on('message:migrate_from_chat_id', (ctx) => ctx.reply(migratedNote(ctx.message.migrate_from_chat_id)));
  bot.catch((err) => console.error(`${name} bot error`, err));
  await new Promise<void>((resolve) => void bot.start({ timeout: 10, onStart: () => resolve() }));
  return { name, api: bot.api, stop: () => bot.stop() };
}

/**
 * grammY as a gatekeeper, with its default allowed_updates (chat_join_request
 * is among them, as in Telegram): every request is answered with
 * ctx.approveChatJoinRequest. `seen` collects the requesters.
 */
export async function startGrammyGatekeeper(token: string, apiRoot: string): Promise<RunningBot & { seen: number[] }> {
  const name = 'grammY (gatekeeper)';
  const bot = new GrammyBot(token, { client: { apiRoot } });
  const seen: number[] = [];
  bot.on('chat_join_request', async (ctx) => {
    seen.push(ctx.chatJoinRequest.from.id);
    await ctx.approveChatJoinRequest(ctx.chatJoinRequest.from.id);
  });
  bot.catch((err) => console.error(`${name} bot error`, err));
  await new Promise<void>((resolve) => void bot.start({ timeout: 10, onStart: () => resolve() }));
  return { name, seen, stop: () => bot.stop() };
}

function telegrafBot(token: string, apiRoot: string, name: string): Telegraf {
  const bot = new Telegraf(token, { telegram: { apiRoot } });
  bot.start((ctx) => ctx.reply(greeting(name)));
  bot.command('menu', (ctx) => ctx.reply('Pick one', Markup.inlineKeyboard([Markup.button.callback('Yes', 'yes'), Markup.button.callback('No', 'no')])));
  bot.command('temp', async (ctx) => {
    const sent = await ctx.telegram.sendMessage(ctx.chat.id, 'temporary');
    await ctx.telegram.deleteMessage(ctx.chat.id, sent.message_id);
  });
  bot.command('photo', (ctx) => ctx.replyWithPhoto({ source: Buffer.from(BOT_PHOTO), filename: 'bot.jpg' }));
  bot.on('photo', async (ctx) => {
    const link = await ctx.telegram.getFileLink(ctx.message.photo.at(-1)!.file_id);
    const res = await fetch(link);
    await ctx.reply(gotBytes((await res.arrayBuffer()).byteLength));
  });
  bot.action(/^(yes|no)$/, async (ctx) => {
    await ctx.answerCbQuery(answerText(name, ctx.match[0]));
    await ctx.editMessageText(editedMenu(ctx.match[0]));
  });
  bot.on('text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
  bot.catch((err) => console.error(`${name} bot error`, err));
  return bot;
}

export async function startTelegraf(token: string, apiRoot: string): Promise<RunningBot> {
  const name = 'Telegraf';
  const bot = telegrafBot(token, apiRoot, name);
  await new Promise<void>((resolve, reject) => {
    bot.launch({ dropPendingUpdates: false }, () => resolve()).catch(reject);
  });
  return {
    name,
    stop: async () => bot.stop('test over'),
  };
}

/**
 * grammY behind a webhook on this machine (its `http` adapter): Edgegram POSTs
 * each update here with the secret header; grammY answers 200 and makes its
 * API calls itself (it uses webhook replies only when told to).
 */
export async function startGrammyWebhook(token: string, apiRoot: string, secret: string): Promise<RunningBot & { url: string }> {
  const name = 'grammY (webhook)';
  const bot = grammyBot(token, apiRoot, name);
  const port = await freePort();
  const server: Server = createServer(webhookCallback(bot, 'http', { secretToken: secret }));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${port}/hook`;
  await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: GRAMMY_UPDATES });
  return {
    name,
    url,
    stop: async () => {
      await bot.api.deleteWebhook();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Telegraf behind a webhook on this machine: Edgegram POSTs each update here
 * (with the secret header), and Telegraf answers the first API call of each
 * update inside the HTTP response ("webhook reply"), which Edgegram executes.
 */
export async function startTelegrafWebhook(token: string, apiRoot: string, secret: string): Promise<RunningBot & { url: string }> {
  const name = 'Telegraf (webhook)';
  const bot = telegrafBot(token, apiRoot, name);
  const port = await freePort();
  const server: Server = createServer(bot.webhookCallback('/hook', { secretToken: secret }));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${port}/hook`;
  await bot.telegram.setWebhook(url, { secret_token: secret });
  return {
    name,
    url,
    stop: async () => {
      await bot.telegram.deleteWebhook();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startNtba(token: string, apiRoot: string): Promise<RunningBot> {
  const name = 'node-telegram-bot-api';
  const bot = new NtbaBot(token, { apiRoot });
  bot.command('start', (ctx) => ctx.reply(greeting(name)));
  bot.command('menu', (ctx) => ctx.reply('Pick one', { reply_markup: new InlineKeyboardBuilder().text('Yes', 'yes').text('No', 'no').build() }));
  bot.command('temp', async (ctx) => {
    const sent = await ctx.reply('temporary');
    await ctx.api.deleteMessage({ chat_id: sent.chat.id, message_id: sent.message_id });
  });
  bot.command('photo', (ctx) => ctx.api.sendPhoto({ chat_id: ctx.message!.chat.id, photo: new NtbaFile(BOT_PHOTO, { filename: 'bot.jpg' }) }));
  bot.on('callback_query', async (ctx) => {
    const data = ctx.callbackQuery!.data!;
    await ctx.answerCallbackQuery({ text: answerText(name, data) });
    const message = ctx.callbackQuery!.message!;
    await ctx.api.editMessageText({ chat_id: message.chat.id, message_id: message.message_id, text: editedMenu(data) });
  });
  bot.on('message', async (ctx) => {
    const photo = ctx.message!.photo?.at(-1);
    if (!photo) return ctx.reply(`echo: ${ctx.message!.text}`);
    const file = await ctx.api.getFile({ file_id: photo.file_id });
    return ctx.reply(gotBytes(await download(apiRoot, token, file.file_path!)));
  });
  bot.catch((err) => console.error(`${name} bot error`, err));
  const running = bot.startPolling(undefined, { timeout: 10 });
  // The first getUpdates is on its way once getMe answers; poll until the loop is up.
  await bot.api.getMe();
  return {
    name,
    stop: async () => {
      bot.stop();
      await running.catch(() => undefined);
    },
  };
}
