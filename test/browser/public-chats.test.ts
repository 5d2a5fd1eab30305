import { describe, expect, it } from 'vitest';
import { EdgegramClient } from '../../client/index.js';
import { browserSuite } from './support/suite.js';
import { AppUser, PASSWORD, uniqueUsername } from './support/app.js';
import { PHONE, screenshot } from './support/browser.js';

const suite = browserSuite();
const { problems } = suite;

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

  it('caused no uncaught errors and no Content Security Policy violations', () => {
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
