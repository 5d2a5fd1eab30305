import { describe, expect, it } from 'vitest';
import { browserSuite } from './support/suite.js';
import { AppUser, uniqueUsername } from './support/app.js';
import { PHONE, screenshot } from './support/browser.js';

const suite = browserSuite();
const { problems } = suite;
const page = (viewport?: { width: number; height: number }) => suite.page(viewport);

describe('invite links', () => {
  let alice: AppUser;
  let link: string;

  it('the creator makes an invite link in the group info and copies it', async () => {
    alice = await AppUser.signUp(await page(), uniqueUsername('alice'), 'Alice Liddell');
    await alice.page.getByRole('button', { name: 'New chat' }).click();
    await alice.page.getByRole('menuitem', { name: 'New group' }).click();
    await alice.page.getByLabel('Group name').fill('Link crew');
    await alice.page.getByRole('button', { name: 'Create group' }).click();
    await expect.poll(() => alice.header.textContent()).toContain('1 member');

    await alice.page.getByRole('button', { name: 'Chat info' }).click();
    const info = alice.page.getByRole('dialog', { name: 'Group info' });
    await info.getByRole('button', { name: 'Create invite link' }).click();
    const field = info.getByRole('textbox', { name: 'Invite link' });
    await field.waitFor();
    link = await field.inputValue();
    expect(link).toMatch(new RegExp(`^${suite.server.baseUrl}/\\+[A-Za-z0-9_-]{22}$`));
    await info.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => alice.page.evaluate<string>('navigator.clipboard.readText()')).toBe(link);
    await screenshot(alice.page, 'invite-link-desktop');
    await alice.page.keyboard.press('Escape');
  });

  it('someone who opens the link sees the group, joins, and both then read each other', async () => {
    const bobPage = await page(PHONE);
    const bob = await AppUser.signUp(bobPage, uniqueUsername('bob'), 'Bob Builder');
    await bobPage.goto(link);
    const card = bobPage.getByRole('region', { name: 'Invite link' });
    await expect.poll(() => card.textContent()).toContain('Link crew');
    expect(await card.textContent()).toContain('1 member');
    await screenshot(bobPage, 'invite-join-phone');
    await card.getByRole('button', { name: 'Join group' }).click();
    await bob.composer.waitFor();
    await expect.poll(() => bob.header.textContent()).toContain('2 members');

    await bob.send('Hello from the link');
    await alice.openDialog('Link crew');
    await alice.message('Hello from the link').waitFor();
    await alice.send('Welcome, Bob');
    await bob.message('Welcome, Bob').waitFor();

    // The link counts its use.
    await alice.page.getByRole('button', { name: 'Chat info' }).click();
    const info = alice.page.getByRole('dialog', { name: 'Group info' });
    await expect.poll(() => info.locator('.invite-links__item').textContent()).toContain('1 joined');

    // Opening it again as a member goes straight to the chat.
    await bobPage.goto(link);
    await expect.poll(() => new URL(bobPage.url()).hash).toMatch(/^#\/chat\/\d+$/);

    // Revoked: the next person, who opens the link before signing up, is told after it that it no longer works.
    await info.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => info.locator('.invite-links__item').count()).toBe(0);
    const carolPage = await page();
    await carolPage.goto(link);
    await AppUser.signUp(carolPage, uniqueUsername('carol'), 'Carol Danvers');
    await expect.poll(() => carolPage.getByRole('alert').first().textContent()).toContain('This invite link is invalid');
    expect(await carolPage.getByRole('button', { name: 'Join group' }).count()).toBe(0);
  });

  it('caused no uncaught errors and no Content Security Policy violations', () => {
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
