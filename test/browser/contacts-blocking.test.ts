import { describe, expect, it } from 'vitest';
import { browserSuite } from './support/suite.js';
import { AppUser, uniqueUsername } from './support/app.js';
import { PHONE } from './support/browser.js';

const suite = browserSuite();
const { problems } = suite;

describe('contacts and blocking', () => {
  it('Ann adds Ben to her contacts and blocks him; Ben’s next message is refused with a clear reason; unblocked from her Contacts, it goes through', async () => {
    const ann = await AppUser.signUp(await suite.page(), uniqueUsername('ann'), 'Ann Archer');
    const ben = await AppUser.signUp(await suite.page(PHONE), uniqueUsername('ben'), 'Ben Baker');
    await ben.openChatWith(ann.username);
    await ben.send('Hi Ann');
    await ann.openDialog('Ben Baker');
    await ann.message('Hi Ann').waitFor();

    await ann.page.getByRole('button', { name: 'Chat info' }).click();
    const info = ann.page.getByRole('dialog', { name: 'User info' });
    await info.getByRole('button', { name: 'Add to contacts' }).click();
    await expect.poll(() => info.getByRole('button', { name: 'Add to contacts' }).count()).toBe(0);
    await info.getByRole('button', { name: 'Block user' }).click();
    await info.getByRole('button', { name: 'Unblock user' }).waitFor();
    await info.getByRole('button', { name: 'Close' }).click();

    await ben.send('Are you there?');
    const refused = ben.message('Are you there?').locator('.msg__error');
    await expect.poll(() => refused.textContent()).toContain('This person does not accept your messages');
    // Ann, who blocked him, is told how to write again.
    await ann.send('Wait');
    await expect.poll(() => ann.message('Wait').locator('.msg__error').textContent()).toContain('Unblock them to write to them');

    // Her Contacts list has Ben, under the name she gave, and her blocked users; she unblocks him there.
    await ann.page.getByRole('button', { name: 'Main menu' }).click();
    await ann.page.getByRole('menuitem', { name: 'Contacts' }).click();
    const contacts = ann.page.getByRole('dialog', { name: 'Contacts' });
    await expect.poll(() => contacts.getByRole('list', { name: 'Contacts' }).textContent()).toContain('Ben Baker');
    await contacts.getByRole('button', { name: 'Unblock Ben Baker' }).click();
    await expect.poll(() => contacts.getByRole('region', { name: 'Blocked users' }).count()).toBe(0);
    await contacts.getByRole('button', { name: 'Close' }).click();
    await ben.send('Hello again');
    await ann.message('Hello again').waitFor();
  });

  it('caused no uncaught errors and no Content Security Policy violations', () => {
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
