import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgegramClient } from '../../client/index.js';
import { parseMarkdown } from '../../web/src/lib/markdown.js';
import { startServer, type TestServer } from '../e2e/support/server.js';
import { AppUser, uniqueUsername } from './support/app.js';
import { DESKTOP, launchChromium, openPage, PHONE, screenshot, SCREENSHOTS, type PageProblems } from './support/browser.js';
import { sdkUser } from './support/sdk-user.js';

/**
 * Pictures of the main screens at phone and desktop sizes, light and dark,
 * written to test-results/screenshots/ for a person to look at. The data is
 * seeded through the SDK (as other people's devices would send it).
 */
let browser: Browser;
let server: TestServer;
const clients: EdgegramClient[] = [];
const problems: PageProblems[] = [];
const alice = { username: uniqueUsername('alice'), name: 'Alice Liddell' };

async function send(client: EdgegramClient, peer: { user_id: number } | { chat_id: number }, markdown: string, replyTo?: number) {
  const { text, entities } = parseMarkdown(markdown);
  return client.sendMessage(peer, text, { entities, ...(replyTo && { reply_to_message_id: replyTo }) });
}

beforeAll(async () => {
  browser = await launchChromium();
  server = await startServer();
  const [a, bob, carol, dave] = await Promise.all([
    sdkUser(server.baseUrl, alice.username, alice.name),
    sdkUser(server.baseUrl, uniqueUsername('bob'), 'Bob Builder'),
    sdkUser(server.baseUrl, uniqueUsername('carol'), 'Carol Danvers'),
    sdkUser(server.baseUrl, uniqueUsername('dave'), 'Dave Grohl'),
  ]);
  clients.push(a!, bob!, carol!, dave!);
  const A = { user_id: a!.user!.id };
  const { chat: group } = await dave!.api.createGroup({ title: 'Weekend hike ⛰️', user_ids: [a!.user!.id, bob!.user!.id, carol!.user!.id] });
  await send(dave!, { chat_id: group.id }, 'Saturday, 8:00 at the **north trailhead**?');
  await send(carol!, { chat_id: group.id }, "I'm in! Bringing snacks 🍫");
  await send(bob!, { chat_id: group.id }, 'Count me in. Forecast: https://weather.example.com/trail');
  await send(carol!, A, 'Did you see the photos from last week?');
  await send(carol!, A, 'The lake one is my favourite');
  await send(dave!, A, 'Thanks for the help yesterday 🙌');

  const first = await send(bob!, A, 'Hey Alice! Are we still on for the _Edgegram_ demo?');
  await send(a!, { user_id: bob!.user!.id }, 'Yes! I just pushed the **web client** 🎉');
  await send(a!, { user_id: bob!.user!.id }, 'It runs `wrangler dev` locally and talks to the Durable Objects over one WebSocket.');
  await send(bob!, A, 'Nice. Does it do **bold**, __italic__, ~~strike~~ and `code`?');
  const code = await send(a!, { user_id: bob!.user!.id }, 'All of them, plus blocks:\n```ts\nclient.sendMessage(peer, text, { entities })\n```');
  await send(bob!, A, 'Sweet 😎', code.id);
  const edited = await send(a!, { user_id: bob!.user!.id }, 'See you at 3');
  await a!.api.editMessage({
    chat_id: edited.chat_id,
    id: edited.id,
    text: 'See you at 3 pm, @' + bob!.user!.username,
    entities: parseMarkdown('See you at 3 pm, @' + bob!.user!.username).entities,
  });
  await a!.forwardMessages(first.chat_id, [first.id], { chat_id: group.id });
  await bob!.api.readHistory({ chat_id: first.chat_id, max_id: edited.id });
  await send(bob!, A, 'Perfect, see you there!');
  // Alice's own SDK session stays connected: her status on the other side reads "online".
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await browser?.close();
  await server?.stop();
});

const VARIANTS = [
  { device: 'desktop', viewport: DESKTOP, theme: 'light' },
  { device: 'desktop', viewport: DESKTOP, theme: 'dark' },
  { device: 'phone', viewport: PHONE, theme: 'light' },
  { device: 'phone', viewport: PHONE, theme: 'dark' },
] as const;

describe('screenshots of the main screens', () => {
  for (const { device, viewport, theme } of VARIANTS) {
    it(`${device}, ${theme}`, async () => {
      const opened = await openPage(browser, server.baseUrl, { viewport, colorScheme: theme });
      problems.push(opened.problems);
      const page: Page = opened.page;
      const shot = (screen: string) => screenshot(page, `${screen}-${device}-${theme}`);
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      await shot('sign-in');

      const user = await AppUser.logIn(page, alice.username, alice.name);
      await user.dialogRow('Bob Builder').waitFor();
      await user.dialogRow('Weekend hike').waitFor();
      await shot('chat-list');

      await user.openDialog('Bob Builder');
      await user.message('Perfect, see you there!').waitFor();
      await shot('chat');

      await user.messageAction('Sweet', 'Reply');
      await user.composer.pressSequentially('Typing a **reply**…');
      await shot('reply');
      await page.keyboard.press('Escape');

      await user.page.locator('.message-list .msg__bubble').last().click({ button: 'right' });
      await page.getByRole('menu', { name: 'Message actions' }).waitFor();
      await shot('message-menu');
      await page.keyboard.press('Escape');

      if (device === 'phone') await page.getByRole('button', { name: 'Back to chats' }).click();
      await user.openDialog('Weekend hike');
      await user.message('north trailhead').waitFor();
      await shot('group');
      await page.getByRole('button', { name: 'Chat info' }).click();
      await page.getByRole('dialog', { name: 'Group info' }).locator('.member-list__item').nth(3).waitFor();
      await shot('group-info');
      await page.keyboard.press('Escape');

      await page.context().setOffline(true);
      await user.banner.waitFor();
      if (device === 'phone') await page.getByRole('button', { name: 'Back to chats' }).click();
      await user.openDialog('Dave Grohl');
      await user.send(`Typed offline (${device}, ${theme})`);
      await user.message('Typed offline').last().waitFor();
      await shot('offline');
      await page.context().setOffline(false);
      await expect.poll(() => user.deliveryOf(`Typed offline (${device}, ${theme})`)).not.toBe('pending');

      if (device === 'phone') await page.getByRole('button', { name: 'Back to chats' }).click();
      await page.getByRole('button', { name: 'Main menu' }).click();
      await shot('main-menu');
      await page.getByRole('menuitem', { name: 'Settings' }).click();
      await page.getByRole('dialog', { name: 'Settings' }).locator('.session-row').first().waitFor();
      await shot('settings');
      await page.getByRole('button', { name: 'Edit profile' }).click();
      const profile = page.getByRole('dialog', { name: 'Edit profile' });
      // A refused username, to show how an error looks beside the field.
      await profile.getByLabel('Username').fill('taken_bot');
      await profile.getByRole('button', { name: 'Save' }).click();
      await profile.getByRole('alert').waitFor();
      await shot('profile');
      // Closing it goes back to Settings, where it was opened from.
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: 'Settings' }).waitFor();
      await opened.context.close();
    });
  }

  it('caused no uncaught errors and no Content Security Policy violations', () => {
    console.log(`screenshots: ${SCREENSHOTS}`);
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
