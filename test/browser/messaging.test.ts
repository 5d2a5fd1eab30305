import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../e2e/support/server.js';
import type { EdgegramClient } from '../../client/index.js';
import { AppUser, uniqueUsername } from './support/app.js';
import { DESKTOP, launchChromium, openPage, PHONE, type PageProblems } from './support/browser.js';
import { sdkUser } from './support/sdk-user.js';

/**
 * Two people in two browser contexts (separate storage: separate devices)
 * use the web client against the real local server.
 */
let browser: Browser;
let server: TestServer;
let alice: AppUser;
let bob: AppUser;
let aliceContext: BrowserContext;
const problems: PageProblems[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  server = await startServer();
});

const sdkClients: EdgegramClient[] = [];

afterAll(async () => {
  for (const client of sdkClients) client.disconnect();
  await browser?.close();
  await server?.stop();
});

describe('two people chatting in the browser', () => {
  it('sign up, find each other by username and chat both ways, with typing and read ticks', async () => {
    const a = await openPage(browser, server.baseUrl, { viewport: DESKTOP });
    const b = await openPage(browser, server.baseUrl, { viewport: PHONE });
    problems.push(a.problems, b.problems);
    aliceContext = a.context;
    alice = await AppUser.signUp(a.page, uniqueUsername('alice'), 'Alice Liddell');
    bob = await AppUser.signUp(b.page, uniqueUsername('bob'), 'Bob Builder');

    // Alice finds Bob by username; the chat opens with his name and presence.
    await alice.openChatWith(bob.username);
    await expect.poll(() => alice.header.textContent()).toContain('Bob Builder');
    await expect.poll(() => alice.header.textContent()).toContain('online');

    await alice.send('Hello Bob, **this** is Alice');
    await alice.message('Hello Bob, this is Alice').waitFor();
    expect(await alice.message('Hello Bob').locator('strong').textContent()).toBe('this');
    await expect.poll(() => alice.deliveryOf('Hello Bob')).toBe('delivered');

    // Bob sees the new chat with an unread badge, and opens it.
    const row = bob.dialogRow('Alice Liddell');
    await row.waitFor();
    expect(await row.locator('.badge').textContent()).toBe('1');
    expect(await row.textContent()).toContain('Hello Bob, this is Alice');
    await bob.openDialog('Alice Liddell');
    await bob.message('Hello Bob, this is Alice').waitFor();

    // Bob's reading turns Alice's ticks blue.
    await expect.poll(() => alice.deliveryOf('Hello Bob')).toBe('read');
    await expect.poll(() => row.locator('.badge').count()).toBe(0);

    // Bob types: Alice sees it in the chat header and in her chat list.
    await bob.composer.click();
    await bob.composer.pressSequentially('Hi Alice!', { delay: 20 });
    await expect.poll(() => alice.header.textContent()).toContain('typing…');
    await expect.poll(() => alice.dialogRow('Bob Builder').textContent()).toContain('typing…');
    await bob.page.keyboard.press('Enter');

    await alice.message('Hi Alice!').waitFor();
    await expect.poll(() => alice.header.textContent()).not.toContain('typing…');
    // Alice has the chat open at the bottom: she reads it at once, and Bob's ticks turn blue.
    await expect.poll(() => bob.deliveryOf('Hi Alice!')).toBe('read');

    // Shift+Enter makes a new line; Enter sends.
    await alice.composer.click();
    await alice.composer.pressSequentially('first line');
    await alice.page.keyboard.press('Shift+Enter');
    await alice.composer.pressSequentially('second line');
    await alice.page.keyboard.press('Enter');
    await bob.message('first line').waitFor();
    expect(await bob.message('first line').locator('.msg__content').innerText()).toBe('first line\nsecond line');

    // Today's messages sit under one "Today" separator.
    await expect.poll(() => bob.page.locator('.message-list .day__label').allTextContents()).toEqual(['Today']);
  });

  it('shows what was missed while offline, and delivers what was typed offline after reconnecting', async () => {
    await aliceContext.setOffline(true);
    await expect.poll(() => alice.banner.textContent()).toContain('Waiting for network');

    await bob.send('Are you there?');
    await bob.send('Hello?');

    // Typed while offline: shown at once, pending (clock icon), not delivered.
    await alice.send('Sent while offline');
    await alice.message('Sent while offline').waitFor();
    expect(await alice.deliveryOf('Sent while offline')).toBe('pending');
    expect(await alice.message('Are you there?').count()).toBe(0);
    await bob.page.waitForTimeout(1_000);
    expect(await bob.message('Sent while offline').count()).toBe(0);

    await aliceContext.setOffline(false);
    // Back online: the missed messages arrive through sync, the queued one goes out once.
    await alice.message('Are you there?').waitFor();
    await alice.message('Hello?').waitFor();
    await bob.message('Sent while offline').waitFor();
    await expect.poll(() => alice.deliveryOf('Sent while offline')).not.toBe('pending');
    expect(await alice.message('Sent while offline').count()).toBe(1);
    expect(await bob.message('Sent while offline').count()).toBe(1);
    await expect.poll(() => alice.banner.count(), { timeout: 10_000 }).toBe(0);
  });

  it('replies, edits, deletes for everyone and for me, forwards; the chat list follows activity', async () => {
    // Reply from the context menu: the quote shows on both sides.
    await alice.messageAction('Are you there?', 'Reply');
    await expect.poll(() => alice.page.locator('.composer__context').textContent()).toContain('Are you there?');
    await alice.send('Yes, right here');
    const reply = bob.message('Yes, right here');
    await reply.waitFor();
    expect(await reply.locator('.reply-quote').textContent()).toContain('Are you there?');

    // Edit: the peer sees the new text, marked edited. (Once Alice's own copy is confirmed: under
    // load Bob can show the reply before Alice's ack arrives, and a pending message has no id yet.)
    await expect.poll(() => alice.deliveryOf('Yes, right here')).not.toBe('pending');
    await alice.messageAction('Yes, right here', 'Edit');
    // As a person would: type once the composer holds the message (it loads it after rendering; a
    // fill before that was overwritten by it under load, and the unchanged text saved no edit).
    await expect.poll(() => alice.composer.inputValue()).toBe('Yes, right here');
    await alice.composer.fill('Yes, __right__ here!');
    await alice.page.keyboard.press('Enter');
    await bob.message('Yes, right here!').waitFor();
    expect(await bob.message('Yes, right here!').locator('em').textContent()).toBe('right');
    expect(await bob.message('Yes, right here!').textContent()).toContain('edited');

    // Delete for everyone: gone on both sides.
    await alice.send('Oops, wrong chat');
    await bob.message('Oops, wrong chat').waitFor();
    await alice.messageAction('Oops, wrong chat', 'Delete');
    await alice.page.getByRole('button', { name: 'Delete for me and Bob Builder' }).click();
    await expect.poll(() => alice.message('Oops, wrong chat').count()).toBe(0);
    await expect.poll(() => bob.message('Oops, wrong chat').count()).toBe(0);

    // Delete for me: gone from Bob's history, for good (a reload asks the server),
    // while Alice keeps it.
    await bob.messageAction('first line', 'Delete');
    await bob.page.getByRole('button', { name: 'Delete for me', exact: true }).click();
    await expect.poll(() => bob.message('first line').count()).toBe(0);
    await bob.page.reload();
    await bob.waitOnline();
    await bob.message('Yes, right here!').waitFor();
    expect(await bob.message('first line').count()).toBe(0);
    expect(await alice.message('first line').count()).toBe(1);

    // Forward into a new group, which the forward then opens.
    await alice.page.getByRole('button', { name: 'Main menu' }).click();
    await alice.page.getByRole('menuitem', { name: 'New group' }).click();
    await alice.page.getByLabel('Group name').fill('Weekend plans');
    await alice.page.getByLabel('Add members by username').fill(bob.username);
    await alice.page.getByRole('button', { name: 'Add', exact: true }).click();
    await alice.page.getByRole('list', { name: 'Members to add' }).getByText('Bob Builder').waitFor();
    await alice.page.getByRole('button', { name: 'Create group' }).click();
    await expect.poll(() => alice.header.textContent()).toContain('Weekend plans');
    await expect.poll(() => alice.header.textContent()).toContain('2 members');

    await alice.openDialog('Bob Builder');
    await alice.messageAction('Hello?', 'Forward');
    await alice.page.getByRole('dialog').getByRole('button', { name: 'Weekend plans' }).click();
    await expect.poll(() => alice.header.textContent()).toContain('Weekend plans');
    const forwarded = alice.message('Hello?');
    await forwarded.waitFor();
    expect(await forwarded.textContent()).toContain('Forwarded from Bob Builder');
    await bob.page.getByRole('button', { name: 'Back to chats' }).click();
    await bob.dialogRow('Weekend plans').waitFor();

    // The chat list is ordered by activity: the group, newest, heads it until the
    // private chat gets a message.
    const bobsChats = async () => (await bob.page.locator('.dialog-row .dialog-row__title').allTextContents()).slice(0, 2);
    await expect.poll(bobsChats).toEqual(['Weekend plans', 'Alice Liddell']);
    await alice.openDialog('Bob Builder');
    await alice.send('Back to our chat');
    await expect.poll(bobsChats).toEqual(['Alice Liddell', 'Weekend plans']);
  });


  it('works from the keyboard: arrows through messages, menus and dialogs close with Escape', async () => {
    const page = alice.page;
    const focus = page.locator(':focus');
    const focused = async () => (await focus.getAttribute('class')) ?? '';
    await alice.openDialog('Bob Builder');
    await alice.composer.focus();
    // Shift+Tab leaves the composer for the newest message; arrows move between messages.
    await page.keyboard.press('Shift+Tab');
    await expect.poll(focused).toContain('msg');
    const newest = await focus.getAttribute('data-key');
    await page.keyboard.press('ArrowUp');
    expect(await focus.getAttribute('data-key')).not.toBe(newest);
    // Enter opens the message's menu on its first item; Escape closes it and focus returns.
    await page.keyboard.press('Enter');
    await expect.poll(() => focus.textContent()).toBe('Reply');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('menu').count()).toBe(0);
    await expect.poll(focused).toContain('msg');

    // A dialog opened from the main menu closes with Escape, back to the button that opened the menu.
    await page.getByRole('button', { name: 'Main menu' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'New message' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'New message' });
    await dialog.waitFor();
    await expect.poll(() => focus.getAttribute('name')).toBe('username');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);

    // Escape in the chat closes it.
    await alice.composer.focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => alice.composer.count()).toBe(0);
  });
});

describe('a long history', () => {
  it('scrolls back through older pages, keeps its place when messages arrive, jumps to a quoted message and back to the latest', async () => {
    const opened = await openPage(browser, server.baseUrl, { viewport: DESKTOP });
    problems.push(opened.problems);
    const reader = await AppUser.signUp(opened.page, uniqueUsername('reader'), 'Rita Reader');
    const writer = await sdkUser(server.baseUrl, uniqueUsername('writer'), 'Walt Writer');
    sdkClients.push(writer);
    const peer = { user_id: (await writer.api.resolveUsername({ username: reader.username })).user!.id };
    for (let i = 1; i <= 120; i++) await writer.sendMessage(peer, `Message ${i}`);

    // The writer is connected: an online dot on their chat, gone when they disconnect.
    const writerRow = reader.dialogRow('Walt Writer');
    await expect.poll(() => writerRow.locator('.avatar__online').count()).toBe(1);
    expect(await writerRow.textContent()).toContain(', online');
    writer.disconnect();
    await expect.poll(() => writerRow.locator('.avatar__online').count(), { timeout: 15_000 }).toBe(0);
    expect(await writerRow.textContent()).not.toContain('online');
    await writer.connect();

    await reader.openDialog('Walt Writer');
    await reader.message('Message 120').waitFor();
    const list = reader.page.locator('.message-list');
    const exact = (text: string) =>
      reader.page.locator('.msg', { has: reader.page.locator('.msg__content', { hasText: new RegExp(`^${text}$`) }) });

    // Scrolling up loads older pages (getHistory before) until the first message.
    await expect
      .poll(
        async () => {
          await list.evaluate((el) => (el.scrollTop = 0));
          return exact('Message 1').count();
        },
        { timeout: 30_000 },
      )
      .toBe(1);

    // Reading in the middle: a new message arrives below and nothing on screen moves.
    await exact('Message 40').scrollIntoViewIfNeeded();
    const before = await exact('Message 40').boundingBox();
    await writer.sendMessage(peer, 'A new message');
    await reader.page.getByRole('button', { name: 'Jump to latest messages' }).waitFor();
    await reader.message('A new message').waitFor({ state: 'attached' });
    await reader.page.waitForTimeout(300);
    expect((await exact('Message 40').boundingBox())?.y).toBeCloseTo(before!.y, 0);

    // Jump to the latest, then to a quoted old message: the window moves there, and
    // scrolling down loads the newer pages again (getHistory after).
    await reader.page.getByRole('button', { name: 'Jump to latest messages' }).click();
    await expect.poll(() => reader.message('A new message').isVisible()).toBe(true);
    await writer.sendMessage(peer, 'Remember this one?', { reply_to_message_id: 5 });
    await reader.message('Remember this one?').waitFor();
    await reader.page.reload();
    await reader.waitOnline();
    await reader.openDialog('Walt Writer');
    await reader.message('Remember this one?').locator('.reply-quote').click();
    await expect.poll(() => exact('Message 5').isVisible()).toBe(true);
    expect(await reader.message('Remember this one?').count()).toBe(0);
    await expect
      .poll(
        async () => {
          await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
          return reader.message('Remember this one?').count();
        },
        { timeout: 30_000 },
      )
      .toBe(1);
  });

  it('caused no uncaught errors and no Content Security Policy violations', () => {
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
