import { describe, expect, it } from 'vitest';
import { alertText, browserSuite } from './support/suite.js';
import { AppUser, uniqueUsername } from './support/app.js';
import { PHONE } from './support/browser.js';

const suite = browserSuite();
const { problems } = suite;
const page = (viewport?: { width: number; height: number }) => suite.page(viewport);

describe('profile editing', () => {
  it('a user edits their profile and the peer in another browser sees the new name live', async () => {
    const alice = await AppUser.signUp(await page(), uniqueUsername('alice'), 'Alice Liddell');
    const bob = await AppUser.signUp(await page(PHONE), uniqueUsername('bob'), 'Bob Builder');
    await alice.openChatWith(bob.username);
    await alice.send('Hello Bob');
    await bob.openDialog('Alice Liddell');
    await expect.poll(() => bob.header.textContent()).toContain('Alice Liddell');

    // From the main menu, by keyboard: the name field has focus when the dialog opens.
    await alice.page.getByRole('button', { name: 'Main menu' }).click();
    await alice.page.getByRole('menuitem', { name: 'My profile' }).click();
    const profile = alice.page.getByRole('dialog', { name: 'Edit profile' });
    await expect.poll(() => profile.locator('input[name="display_name"]:focus').count()).toBe(1);
    expect(await profile.getByLabel('Username').inputValue()).toBe(alice.username);

    // Someone else's username (in other case) is refused with a clear message, and the field is marked.
    await profile.getByLabel('Username').fill(bob.username.toUpperCase());
    await profile.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => alertText(alice.page)).toBe('This username is already taken. Try another one.');
    expect(await profile.getByLabel('Username').getAttribute('aria-invalid')).toBe('true');
    // A name the rules forbid is explained before it is sent.
    await profile.getByLabel('Username').fill('alice_the_bot');
    await profile.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => alertText(alice.page)).toContain('do not end in “bot”');

    const newUsername = uniqueUsername('kingsleigh');
    await profile.getByLabel('Username').fill(newUsername);
    await profile.getByLabel('Bio').fill('Curiouser and curiouser');
    await profile.getByLabel('Name', { exact: true }).fill('Alice Kingsleigh');
    await alice.page.keyboard.press('Enter'); // submits the form
    await expect.poll(() => profile.count()).toBe(0);

    // Bob's chat list and open chat header follow without a reload.
    await expect.poll(() => bob.header.textContent()).toContain('Alice Kingsleigh');
    await bob.page.keyboard.press('Escape');
    await bob.dialogRow('Alice Kingsleigh').waitFor();
    // Her profile shows the new username and bio; the old username no longer finds her.
    await bob.search(`@${alice.username}`);
    await bob.page.getByRole('button', { name: `Find @${alice.username}` }).click();
    await expect.poll(() => alertText(bob.page)).toBe('No one has this username.');
    await bob.page.getByRole('button', { name: 'Clear search' }).click();

    // Alice's own settings show it, and still do after a reload (the saved session was updated).
    await alice.page.reload();
    await alice.waitOnline();
    await alice.page.getByRole('button', { name: 'Main menu' }).click();
    await alice.page.getByRole('menuitem', { name: 'Settings' }).click();
    const settings = alice.page.getByRole('dialog', { name: 'Settings' });
    await expect.poll(() => settings.textContent()).toContain(`@${newUsername}`);
    expect(await settings.textContent()).toContain('Alice Kingsleigh');
    expect(await settings.textContent()).toContain('Curiouser and curiouser');
  });

  it('another device of the same account shows the new name without a reload', async () => {
    const username = uniqueUsername('carol');
    const laptop = await AppUser.signUp(await page(), username, 'Carol Danvers');
    const phone = await AppUser.logIn(await page(PHONE), username, 'Carol Danvers');
    // This time from Settings: saving goes back there, showing the new name.
    await laptop.page.getByRole('button', { name: 'Main menu' }).click();
    await laptop.page.getByRole('menuitem', { name: 'Settings' }).click();
    await laptop.page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Edit profile' }).click();
    const profile = laptop.page.getByRole('dialog', { name: 'Edit profile' });
    await profile.getByLabel('Name', { exact: true }).fill('Captain Marvel');
    await profile.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => laptop.page.getByRole('dialog', { name: 'Settings' }).textContent()).toContain('Captain Marvel');

    await phone.page.getByRole('button', { name: 'Main menu' }).click();
    await phone.page.getByRole('menuitem', { name: 'Settings' }).click();
    await expect.poll(() => phone.page.getByRole('dialog', { name: 'Settings' }).textContent()).toContain('Captain Marvel');
  });

  it('caused no uncaught errors and no Content Security Policy violations', () => {
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
