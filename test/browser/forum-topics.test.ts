import { describe, expect, it } from 'vitest';
import { browserSuite } from './support/suite.js';
import { AppUser, uniqueUsername } from './support/app.js';
import { PHONE, screenshot } from './support/browser.js';

const suite = browserSuite();
const { problems } = suite;

describe('forum topics', () => {
  it('an admin turns topics on and creates one; a member opens it and posts; the admin sees it there; a closed topic says so', async () => {
    const admin = await AppUser.signUp(await suite.page(), uniqueUsername('admin'), 'Ada Admin');
    const member = await AppUser.signUp(await suite.page(PHONE), uniqueUsername('member'), 'Milo Member');

    await admin.page.getByRole('button', { name: 'New chat' }).click();
    await admin.page.getByRole('menuitem', { name: 'New supergroup' }).click();
    const form = admin.page.getByRole('dialog', { name: 'New supergroup' });
    await form.getByLabel('Supergroup name').fill('Forum hall');
    await form.getByLabel('Add members by username').fill(member.username);
    await form.getByLabel('Add members by username').press('Enter');
    await form.getByRole('list', { name: 'Members to add' }).locator('li').waitFor();
    await form.getByRole('button', { name: 'Create supergroup' }).click();
    await expect.poll(() => admin.header.textContent()).toContain('Forum hall');
    await admin.send('Said before topics');
    await admin.message('Said before topics').waitFor();

    // Group info: Topics on. The chat now opens on its topic list, General first.
    await admin.page.getByRole('button', { name: 'Chat info' }).click();
    const info = admin.page.getByRole('dialog', { name: 'Group info' });
    // (The permissions' "Create topics" box is another one.)
    const topicsBox = info.getByRole('checkbox', { name: /^Topics/ });
    await topicsBox.check();
    await expect.poll(() => topicsBox.isChecked()).toBe(true);
    await info.getByRole('button', { name: 'Close' }).click();
    const adminTopics = admin.page.getByRole('list', { name: 'Topics' });
    await adminTopics.getByRole('button', { name: /General/ }).waitFor();

    await admin.page.getByRole('button', { name: 'New topic' }).click();
    await admin.page.getByLabel('Topic name').fill('Launch plans');
    await admin.page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => admin.header.textContent()).toContain('Launch plans');
    await admin.composer.waitFor();

    // The member: the topic list (no "New topic": members may not create topics here), then the topic.
    await member.dialogRow('Forum hall').click();
    const memberTopics = member.page.getByRole('list', { name: 'Topics' });
    await memberTopics.getByRole('button', { name: /Launch plans/ }).waitFor();
    expect(await member.page.getByRole('button', { name: 'New topic' }).count()).toBe(0);
    await memberTopics.getByRole('button', { name: /General/ }).click();
    await member.message('Said before topics').waitFor();
    await member.page.getByRole('button', { name: 'Back to the topics' }).click();
    await memberTopics.getByRole('button', { name: /Launch plans/ }).click();
    await member.composer.waitFor();
    await member.send('Ready when you are');
    await member.message('Ready when you are').waitFor();

    // The admin, in the topic, sees it arrive; General does not show it.
    await admin.message('Ready when you are').waitFor();
    // Read there, it is read in the chat list too: the topic's read position counts for the dialog.
    await expect.poll(() => admin.dialogRow('Forum hall').locator('.badge').count()).toBe(0);
    await screenshot(admin.page, 'forum-topic-desktop');

    // Closed: the member's composer says so instead of taking messages.
    await admin.page.getByRole('button', { name: 'Close topic' }).click();
    await admin.page.getByRole('button', { name: 'Reopen topic' }).waitFor();
    await expect.poll(() => member.page.locator('.composer--disabled').textContent()).toContain('This topic is closed');
    expect(await member.composer.count()).toBe(0);
    await screenshot(member.page, 'forum-topic-closed-phone');

    await admin.page.getByRole('button', { name: 'Back to the topics' }).click();
    await adminTopics.getByRole('button', { name: /General/ }).click();
    await admin.message('Said before topics').waitFor();
    expect(await admin.message('Ready when you are').count()).toBe(0);
  });

  it('caused no uncaught errors and no Content Security Policy violations', () => {
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
