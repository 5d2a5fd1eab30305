import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgegramClient } from '../../client/index.js';
import { startServer, type TestServer } from '../e2e/support/server.js';
import { AppUser, uniqueUsername } from './support/app.js';
import { launchChromium, openPage, PHONE, screenshot, type PageProblems } from './support/browser.js';
import { sdkUser } from './support/sdk-user.js';

/**
 * A bot, driven from the test through the Telegram Bot API exactly as a bot
 * program would drive it, talks to a person using the web client.
 */
let browser: Browser;
let server: TestServer;
let owner: EdgegramClient | undefined;
const problems: PageProblems[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  server = await startServer();
});

afterAll(async () => {
  owner?.disconnect();
  await browser?.close();
  await server?.stop();
});

interface Update {
  update_id: number;
  message?: { message_id: number; text?: string; chat: { id: number }; reply_to_message?: { message_id: number } };
  callback_query?: { id: string; data?: string; message?: { message_id: number; chat: { id: number } } };
}

/** A minimal Bot API client: the calls a bot program makes, over HTTP. */
class TestBot {
  #offset = 0;
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(`${this.baseUrl}/bot${this.token}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    const body = (await res.json()) as { ok: boolean; result: T; description?: string };
    if (!body.ok) throw new Error(`${method}: ${body.description}`);
    return body.result;
  }

  /** Long-polls until an update matching `want` arrives (others are consumed). */
  async next(want: (u: Update) => boolean): Promise<Update> {
    for (;;) {
      const updates = await this.call<Update[]>('getUpdates', { offset: this.#offset, timeout: 10 });
      for (const u of updates) {
        this.#offset = u.update_id + 1;
        if (want(u)) return u;
      }
    }
  }
}

describe('bots in the browser', () => {
  it('a bot’s command menu, inline buttons (callback, answer, edit), reply keyboards, ForceReply; reactions both ways; pins', async () => {
    const opened = await openPage(browser, server.baseUrl, { viewport: PHONE });
    problems.push(opened.problems);
    const { page } = opened;
    const alice = await AppUser.signUp(page, uniqueUsername('alice'), 'Alice Bots');
    owner = await sdkUser(server.baseUrl, uniqueUsername('owner'), 'Bot Owner');
    const botName = `${uniqueUsername('quiz').slice(0, 26)}_bot`;
    const { token } = await owner.api.createBot({ username: botName, display_name: 'Quiz Bot' });
    const bot = new TestBot(server.baseUrl, token);

    await bot.call('setMyCommands', {
      commands: [
        { command: 'start', description: 'Start the quiz' },
        { command: 'help', description: 'How it works' },
      ],
    });

    // Alice starts the bot from its command menu (the "/" button); the bot sees /start and answers with a keyboard.
    await alice.openChatWith(botName);
    await expect.poll(() => alice.header.textContent()).toContain('bot');
    await page.getByRole('button', { name: 'Bot commands' }).click();
    const commands = page.getByRole('menu', { name: 'Bot commands' });
    expect(await commands.getByRole('menuitem').allTextContents()).toEqual(['/start — Start the quiz', '/help — How it works']);
    await commands.getByRole('menuitem', { name: '/start — Start the quiz' }).click();
    const start = await bot.next((u) => u.message?.text === '/start');
    const chatId = start.message!.chat.id;
    const menu = await bot.call<{ message_id: number }>('sendMessage', {
      chat_id: chatId,
      text: 'Do you like it?',
      reply_markup: {
        inline_keyboard: [
          [
            { text: 'Yes', callback_data: 'yes' },
            { text: 'No', callback_data: 'no' },
          ],
          [{ text: 'Read more', url: 'https://example.com/more' }],
        ],
      },
    });
    const buttons = alice.message('Do you like it?').getByRole('group', { name: 'Bot buttons' });
    await buttons.getByRole('button', { name: 'Yes' }).waitFor();
    expect(await buttons.getByRole('link', { name: /Read more/ }).getAttribute('href')).toBe('https://example.com/more');
    await screenshot(page, 'bot-inline-keyboard-phone-light');

    // She presses Yes: the bot gets the callback, answers with a notice and edits its message.
    const callback = bot.next((u) => u.callback_query !== undefined);
    await buttons.getByRole('button', { name: 'Yes' }).click();
    const query = (await callback).callback_query!;
    expect(query.data).toBe('yes');
    expect(query.message?.message_id).toBe(menu.message_id);
    await bot.call('answerCallbackQuery', { callback_query_id: query.id, text: 'Glad you like it!' });
    await page.getByRole('alert').getByText('Glad you like it!').waitFor();
    await bot.call('editMessageText', { chat_id: chatId, message_id: menu.message_id, text: 'You said yes.' });
    await alice.message('You said yes.').waitFor();
    await expect.poll(() => alice.message('You said yes.').getByRole('group', { name: 'Bot buttons' }).count()).toBe(0);

    // An answer with show_alert is a dialog she dismisses.
    await bot.call('sendMessage', { chat_id: chatId, text: 'Careful now', reply_markup: { inline_keyboard: [[{ text: 'Danger', callback_data: 'danger' }]] } });
    const danger = bot.next((u) => u.callback_query?.data === 'danger');
    await alice.message('Careful now').getByRole('button', { name: 'Danger' }).click();
    await bot.call('answerCallbackQuery', { callback_query_id: (await danger).callback_query!.id, text: 'Boom!', show_alert: true });
    const alert = page.getByRole('dialog', { name: 'Bot says' });
    await alert.getByText('Boom!').waitFor();
    await alert.getByRole('button', { name: 'OK' }).click();
    await alert.waitFor({ state: 'detached' });

    // A one-time reply keyboard replaces the keyboard area; a button sends its text, then it folds away.
    await bot.call('sendMessage', {
      chat_id: chatId,
      text: 'Which size?',
      reply_markup: { keyboard: [[{ text: 'Small' }, { text: 'Large' }]], one_time_keyboard: true, input_field_placeholder: 'Choose a size' },
    });
    const keyboard = page.getByRole('group', { name: 'Bot keyboard' });
    await keyboard.getByRole('button', { name: 'Large' }).waitFor();
    expect(await alice.composer.getAttribute('placeholder')).toBe('Choose a size');
    await screenshot(page, 'bot-reply-keyboard-phone-light');
    const answer = bot.next((u) => u.message?.text === 'Large');
    await keyboard.getByRole('button', { name: 'Large' }).click();
    const large = (await answer).message!;
    await keyboard.waitFor({ state: 'detached' });
    await expect.poll(() => alice.deliveryOf('Large')).not.toBe('pending');

    // A persistent keyboard can be folded and shown again with the composer's keyboard button.
    await bot.call('sendMessage', { chat_id: chatId, text: 'Menu', reply_markup: { keyboard: [[{ text: 'Help' }]] } });
    await keyboard.getByRole('button', { name: 'Help' }).waitFor();
    await page.getByRole('button', { name: 'Hide bot keyboard' }).click();
    await keyboard.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Show bot keyboard' }).click();
    await keyboard.getByRole('button', { name: 'Help' }).waitFor();
    // And the bot removes it.
    await bot.call('sendMessage', { chat_id: chatId, text: 'Bye', reply_markup: { remove_keyboard: true } });
    await alice.message('Bye').waitFor();
    await keyboard.waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: /bot keyboard/ }).count()).toBe(0);

    // A ForceReply opens the composer replying to the bot's question, with its placeholder; her answer is a reply to it.
    const asked = await bot.call<{ message_id: number }>('sendMessage', {
      chat_id: chatId,
      text: 'How old are you?',
      reply_markup: { force_reply: true, input_field_placeholder: 'Your age' },
    });
    await expect.poll(() => page.locator('.composer__context-title').textContent()).toBe('Reply to Quiz Bot');
    expect(await alice.composer.getAttribute('placeholder')).toBe('Your age');
    const age = bot.next((u) => u.message?.text === '42');
    await alice.send('42');
    expect((await age).message!.reply_to_message?.message_id).toBe(asked.message_id);

    // Reactions: Alice reacts from a message's menu; the bot's reaction to hers shows up; she takes hers back.
    await alice.message('You said yes.').locator('.msg__bubble').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'React with 👍' }).click();
    const yesReactions = alice.message('You said yes.').getByRole('group', { name: 'Reactions' });
    await yesReactions.getByRole('button', { name: '👍 1', pressed: true }).waitFor();
    await bot.call('setMessageReaction', { chat_id: chatId, message_id: large.message_id, reaction: [{ type: 'emoji', emoji: '🔥' }] });
    await alice.message('Large').getByRole('button', { name: '🔥 1', pressed: false }).waitFor();
    await yesReactions.getByRole('button', { name: '👍 1' }).click();
    await yesReactions.waitFor({ state: 'detached' });

    // The bot pins a message: the pinned bar shows it, and a click brings it into view, highlighted.
    await bot.call('pinChatMessage', { chat_id: chatId, message_id: menu.message_id });
    const pinned = page.getByRole('button', { name: 'Pinned message: show it' });
    await expect.poll(() => pinned.textContent()).toContain('You said yes.');
    await pinned.click();
    await expect.poll(() => alice.message('You said yes.').getAttribute('class')).toContain('msg--highlighted');
    // Alice unpins it from its menu, then pins another message herself (either side of a private chat may).
    await alice.messageAction('You said yes.', 'Unpin');
    await pinned.waitFor({ state: 'detached' });
    await alice.messageAction('Which size?', 'Pin');
    await expect.poll(() => pinned.textContent()).toContain('Which size?');

    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
