import { describe, expect, it } from 'vitest';
import { browserSuite } from './support/suite.js';
import { AppUser, uniqueUsername, PASSWORD } from './support/app.js';
import { PHONE, screenshot } from './support/browser.js';
import { pngBytes } from './support/in-page.js';
import { EdgegramClient } from '../../client/index.js';

const suite = browserSuite();
const { problems } = suite;

describe('running a group: admin rights, permissions, slow mode', () => {
  let owner: AppUser;
  let member: AppUser;

  it('an admin granted only "Pin messages" is offered exactly that: pin, but no rename, no adding, no permissions', async () => {
    owner = await AppUser.signUp(await suite.page(), uniqueUsername('owner'), 'Olive Owner');
    member = await AppUser.signUp(await suite.page(PHONE), uniqueUsername('member'), 'Max Member');
    await owner.page.getByRole('button', { name: 'New chat' }).click();
    await owner.page.getByRole('menuitem', { name: 'New group' }).click();
    await owner.page.getByLabel('Group name').fill('Moderated');
    await owner.page.getByLabel('Add members by username').fill(member.username);
    await owner.page.keyboard.press('Enter');
    await owner.page.getByRole('list', { name: 'Members to add' }).locator('li').waitFor();
    await owner.page.getByRole('button', { name: 'Create group' }).click();
    await expect.poll(() => owner.header.textContent()).toContain('2 members');
    await owner.send('House rules: be kind');
    await member.openDialog('Moderated');
    await member.message('House rules: be kind').waitFor();
    expect(await member.messageMenuItems('House rules: be kind')).not.toContain('Pin');

    await owner.page.getByRole('button', { name: 'Chat info' }).click();
    const info = owner.page.getByRole('dialog', { name: 'Group info' });
    await info.getByRole('button', { name: 'Actions for Max Member' }).click();
    await owner.page.getByRole('menuitem', { name: 'Make admin' }).click();
    const editor = info.getByRole('region', { name: 'Admin rights of Max Member' });
    for (const box of await editor.getByRole('checkbox').all()) if (await box.isChecked()) await box.uncheck();
    await editor.getByLabel('Pin messages').check();
    await editor.getByLabel('Custom title').fill('Pinner');
    await screenshot(owner.page, 'admin-rights-desktop');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => info.locator('.member-list__item', { hasText: 'Max Member' }).textContent()).toContain('admin');

    // The member's app follows at once, without a reload: Pin appears, nothing else does.
    await expect.poll(() => member.messageMenuItems('House rules: be kind')).toContain('Pin');
    await member.page.getByRole('button', { name: 'Chat info' }).click();
    const theirs = member.page.getByRole('dialog', { name: 'Group info' });
    await theirs.locator('.member-list__item', { hasText: 'Olive Owner' }).waitFor();
    expect(await theirs.getByLabel('Group name').count()).toBe(0);
    expect(await theirs.getByLabel('Add member by username').count()).toBe(0);
    expect(await theirs.getByRole('region', { name: 'Permissions' }).count()).toBe(0);
    expect(await theirs.getByRole('button', { name: 'Actions for Olive Owner' }).count()).toBe(0);
    await theirs.getByRole('button', { name: 'Close' }).click();
    // The owner describes the group; the member reads it in Group info.
    await info.getByLabel('Description').fill('A calm place.\nRead the pinned rules.');
    await info.getByRole('button', { name: 'Save description' }).click();
    // Recent actions, for the owner: the appointment and the description, newest first.
    const recent = info.getByRole('region', { name: 'Recent actions' });
    await expect.poll(() => recent.locator('.admin-log__entry').first().textContent()).toContain('Olive Owner changed the description');
    expect(await recent.textContent()).toContain('changed the admin rights of Max Member');
    await member.page.getByRole('button', { name: 'Chat info' }).click();
    await expect.poll(() => theirs.locator('.profile__about').textContent()).toBe('A calm place.\nRead the pinned rules.');
    await theirs.getByRole('button', { name: 'Close' }).click();
    await member.messageAction('House rules: be kind', 'Pin');
    await expect.poll(() => owner.page.locator('.pinned-bar').textContent()).toContain('House rules: be kind');
    await info.getByRole('button', { name: 'Close' }).click();
  });

  it('slow mode is explained to a member with a countdown, and the send button waits for it', async () => {
    await owner.page.getByRole('button', { name: 'Chat info' }).click();
    const info = owner.page.getByRole('dialog', { name: 'Group info' });
    // Back to a plain member: admins are not held to slow mode.
    await info.getByRole('button', { name: 'Actions for Max Member' }).click();
    await owner.page.getByRole('menuitem', { name: 'Edit admin rights' }).click();
    await info.getByRole('button', { name: 'Dismiss admin' }).click();
    await expect.poll(() => info.locator('.member-list__item', { hasText: 'Max Member' }).textContent()).not.toContain('admin');
    await info.getByLabel('Slow mode').selectOption('30');
    await expect.poll(() => info.getByLabel('Slow mode').inputValue()).toBe('30');
    await info.getByRole('button', { name: 'Close' }).click();

    await expect.poll(async () => (await member.messageMenuItems('House rules: be kind')).includes('Pin')).toBe(false);
    await member.send('first, then wait');
    const status = member.page.locator('.composer__slow-mode');
    await expect.poll(() => status.textContent()).toMatch(/Slow mode is on: you can send your next message in 0:[0-3]\d/);
    const first = await status.locator('time').textContent();
    await member.composer.fill('too soon');
    expect(await member.page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(true);
    // It counts down.
    await expect.poll(() => status.locator('time').textContent(), { timeout: 5_000 }).not.toBe(first);
    await screenshot(member.page, 'slow-mode-phone');
    // The owner is not held to it.
    await owner.send('owners are not slowed');
    await owner.send('not at all');
    await owner.message('not at all').waitFor();
  });

  it('several pinned messages: the bar steps through them, newest first, and "Unpin all" clears it', async () => {
    await owner.messageAction('owners are not slowed', 'Pin');
    const bar = owner.page.locator('.pinned-bar');
    await expect.poll(() => bar.textContent()).toContain('Pinned message 1 of 2');
    expect(await bar.textContent()).toContain('owners are not slowed');
    await bar.click();
    await expect.poll(() => bar.textContent()).toContain('Pinned message 2 of 2');
    expect(await bar.textContent()).toContain('House rules: be kind');
    // The member's app shows both too.
    await expect.poll(() => member.page.locator('.pinned-bar').textContent()).toContain('of 2');
    await screenshot(owner.page, 'pinned-messages-desktop');
    await owner.page.getByRole('button', { name: 'Unpin all' }).click();
    await expect.poll(() => bar.count()).toBe(0);
    await expect.poll(() => member.page.locator('.pinned-bar').count()).toBe(0);
  });

  it('the owner sets the group photo in Group info; the member sees it in the header and the chat list; removing it brings the initials back', async () => {
    await owner.page.getByRole('button', { name: 'Chat info' }).click();
    const info = owner.page.getByRole('dialog', { name: 'Group info' });
    const picture = await pngBytes(owner.page, 320, 320, '#e53935');
    await info.getByLabel('Chat photo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: picture });
    await expect.poll(() => info.locator('.profile .avatar__photo').evaluate((img) => img.complete && img.naturalWidth)).toBe(320);
    const recent = info.getByRole('region', { name: 'Recent actions' });
    await expect.poll(() => recent.locator('.admin-log__entry').first().textContent()).toContain('Olive Owner changed the group photo');
    await info.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => owner.dialogRow('Moderated').locator('.avatar__photo').evaluate((img) => img.complete && img.naturalWidth)).toBeGreaterThan(0);

    // The member's app follows without a reload: the header, then the chat list (a phone shows one at a time).
    await expect.poll(() => member.header.locator('.avatar__photo').evaluate((img) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    await member.page.getByRole('button', { name: 'Back to chats' }).click();
    const row = member.dialogRow('Moderated');
    await expect.poll(() => row.locator('.avatar__photo').evaluate((img) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    await screenshot(member.page, 'chat-photo-phone');

    await owner.page.getByRole('button', { name: 'Chat info' }).click();
    await info.getByRole('button', { name: 'Remove photo' }).click();
    await expect.poll(() => recent.locator('.admin-log__entry').first().textContent()).toContain('Olive Owner removed the group photo');
    await expect.poll(() => info.locator('.profile .avatar__photo').count()).toBe(0);
    await info.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => row.locator('.avatar__photo').count()).toBe(0);
    expect(await row.locator('.avatar__initials').textContent()).toBeTruthy();
  });
});
describe('public chats and join requests', () => {
  let owner: AppUser;
  const name = uniqueUsername('garden');

  it('the owner makes a supergroup public in its info; a stranger finds it by the username and joins', async () => {
    owner = await AppUser.signUp(await suite.page(), uniqueUsername('owner'), 'Gail Gardener');
    // The owner's other device makes the supergroup; the web app shows it at once.
    const laptop = new EdgegramClient({ baseUrl: suite.server.baseUrl, device: { name: 'Laptop', platform: 'node' } });
    laptop.on('error', () => {});
    await laptop.login({ username: owner.username, password: PASSWORD });
    await laptop.connect();
    await laptop.api.createSupergroup({ title: 'Open Garden', user_ids: [] });
    laptop.disconnect();
    await owner.openDialog('Open Garden');
    await owner.page.getByRole('button', { name: 'Chat info' }).click();
    const info = owner.page.getByRole('dialog', { name: 'Group info' });
    const section = info.getByRole('region', { name: 'Public link' });
    await section.getByLabel('Public username').fill(name);
    await section.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => section.locator('.public-link__url').textContent()).toBe(`${suite.server.baseUrl}/${name}`);
    await info.getByRole('button', { name: 'Close' }).click();

    const visitor = await AppUser.signUp(await suite.page(PHONE), uniqueUsername('visitor'), 'Vic Visitor');
    await visitor.search(`@${name}`);
    await visitor.page.getByRole('button', { name: `Find @${name}` }).click();
    const card = visitor.page.getByRole('region', { name: 'Public chat' });
    await expect.poll(() => card.textContent()).toContain('Open Garden');
    expect(await card.textContent()).toContain(`@${name}`);
    await screenshot(visitor.page, 'public-chat-phone');
    await card.getByRole('button', { name: 'Join group' }).click();
    await visitor.composer.waitFor();
    await expect.poll(() => visitor.header.textContent()).toContain('2 members');
    await visitor.send('Found you by name');
    await owner.message('Found you by name').waitFor();
  });

  it('with approval on, someone opening the public link asks to join; the owner adds them from the requests', async () => {
    await owner.page.getByRole('button', { name: 'Chat info' }).click();
    const info = owner.page.getByRole('dialog', { name: 'Group info' });
    await info.getByRole('region', { name: 'Public link' }).getByLabel('Approve new members').check();
    await expect.poll(() => info.getByLabel('Approve new members').isChecked()).toBe(true);

    const askerPage = await suite.page(PHONE);
    const asker = await AppUser.signUp(askerPage, uniqueUsername('asker'), 'Ada Asker');
    await askerPage.goto(`${suite.server.baseUrl}/${name}`);
    const card = askerPage.getByRole('region', { name: 'Public chat' });
    await card.getByRole('button', { name: 'Request to join' }).click();
    await expect.poll(() => card.getByRole('status').textContent()).toContain('Request sent');

    // The owner's open info shows the request as it arrives, and adds Ada.
    const requests = info.getByRole('region', { name: 'Join requests' });
    await expect.poll(() => requests.textContent()).toContain('Ada Asker');
    expect(await requests.textContent()).toContain('Join requests (1)');
    await screenshot(owner.page, 'join-requests-desktop');
    await requests.getByRole('button', { name: 'Add Ada Asker' }).click();
    await expect.poll(() => requests.count()).toBe(0);
    await info.getByRole('button', { name: 'Close' }).click();

    // Approved while Ada still looks at the card: the group opens by itself.
    await asker.composer.waitFor();
    await expect.poll(() => asker.header.textContent()).toContain('Open Garden');
    await asker.send('Thanks for letting me in');
    await owner.message('Thanks for letting me in').waitFor();
  });
});

describe('the whole file', () => {
  it('caused no uncaught errors and no Content Security Policy violations', () => {
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
