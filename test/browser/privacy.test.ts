import { describe, expect, it } from 'vitest';
import { browserSuite } from './support/suite.js';
import { AppUser, uniqueUsername } from './support/app.js';
import { PHONE } from './support/browser.js';

const suite = browserSuite();
const { problems } = suite;

describe('privacy', () => {
  it('Ann sets "Last seen & online" to Nobody and Ben’s open chat stops showing her online at once', async () => {
    const ann = await AppUser.signUp(await suite.page(), uniqueUsername('ann'), 'Ann Private');
    const ben = await AppUser.signUp(await suite.page(PHONE), uniqueUsername('ben'), 'Ben Curious');
    await ben.openChatWith(ann.username);
    await ben.send('Hi Ann');
    await ann.openDialog('Ben Curious');
    await expect.poll(() => ben.header.textContent()).toContain('online');

    await ann.page.getByRole('button', { name: 'Main menu' }).click();
    await ann.page.getByRole('menuitem', { name: 'Settings' }).click();
    const privacy = ann.page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Privacy' });
    await privacy.getByLabel('Last seen & online').selectOption('nobody');
    await expect.poll(() => ben.header.textContent()).toContain('last seen a long time ago');
    expect(await ben.header.textContent()).not.toMatch(/\bonline\b/);

    // Back to everybody: Ben sees her online again.
    await privacy.getByLabel('Last seen & online').selectOption('everybody');
    await expect.poll(() => ben.header.textContent()).toContain('online');
  });

  it('caused no uncaught errors and no Content Security Policy violations', () => {
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
