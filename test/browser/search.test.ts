import { describe, expect, it } from 'vitest';
import { browserSuite } from './support/suite.js';
import { AppUser, uniqueUsername } from './support/app.js';
import { screenshot } from './support/browser.js';
import { sdkUser } from './support/sdk-user.js';

const suite = browserSuite();
const { problems, sdkClients } = suite;

describe('message search', () => {
  let lastBella: AppUser | undefined;
  it('finds an old message from the sidebar and opens the chat at it, far above the newest page', async () => {
    const bella = await AppUser.signUp(await suite.page(), uniqueUsername('bella'), 'Bella Search');
    lastBella = bella;
    const samName = uniqueUsername('sam');
    const sam = await sdkUser(suite.server.baseUrl, samName, 'Sam Sender');
    sdkClients.push(sam);
    const peer = { user_id: (await sam.api.resolveUsername({ username: bella.username })).user!.id };
    const target = await sam.sendMessage(peer, 'The launch code is tangerine');
    // More than a page of newer messages, so the match is not in the window the chat opens with.
    for (let i = 1; i <= 60; i++) await sam.sendMessage(peer, `filler number ${i}`);
    await bella.dialogRow('Sam Sender').waitFor();

    await bella.search('TANGER');
    const results = bella.page.getByRole('region', { name: 'Message results' });
    const result = results.locator(`[data-message-id="${target.id}"]`);
    await result.waitFor();
    expect(await result.textContent()).toContain('The launch code is tangerine');
    expect(await results.locator('.message-result').count()).toBe(1);
    await screenshot(bella.page, 'search-messages-desktop');

    await result.click();
    const bubble = bella.message('The launch code is tangerine');
    await bubble.waitFor();
    await expect.poll(() => bubble.evaluate((el) => el.closest('.msg--highlighted') !== null || el.classList.contains('msg--highlighted'))).toBe(true);
    await expect.poll(() => bubble.isVisible()).toBe(true);
    // The chat opened at the match, not at the bottom: the match is on screen.
    await expect.poll(() => bubble.evaluate((el) => {
      const list = el.closest('.message-list')!.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return box.top >= list.top && box.bottom <= list.bottom;
    })).toBe(true);
    expect(await bella.page.evaluate<string>('location.hash')).toMatch(/^#\/chat\/\d+$/);

    await bella.search('nothing-like-this');
    await expect.poll(() => results.textContent()).toContain('No messages with');
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });

  it('searches inside the open chat: matches newest first, Enter steps to older ones, Escape closes the search only', async () => {
    const bella = lastBella!;
    await bella.page.getByRole('button', { name: 'Search messages' }).click();
    const box = bella.page.getByRole('searchbox', { name: 'Search this chat' });
    await box.fill('filler 5');
    const status = bella.page.locator('.chat-search__status');
    // "5" as a word prefix: filler number 5 and 50 to 59.
    await expect.poll(() => status.textContent()).toBe('1 of 11');
    const flashed = () => bella.page.locator('.msg--highlighted .msg__content').textContent();
    await expect.poll(flashed).toContain('filler number 59');
    await box.press('Enter');
    await expect.poll(() => status.textContent()).toBe('2 of 11');
    await expect.poll(flashed).toContain('filler number 58');
    await bella.page.getByRole('button', { name: 'Newer match' }).click();
    await expect.poll(() => status.textContent()).toBe('1 of 11');
    await box.fill('nowhere-to-be-found');
    await expect.poll(() => status.textContent()).toBe('No results');
    await screenshot(bella.page, 'search-in-chat-desktop');
    await box.press('Escape');
    await expect.poll(() => box.count()).toBe(0);
    expect(await bella.page.evaluate<string>('location.hash')).toMatch(/^#\/chat\/\d+$/);
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
