import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { alertText, browserSuite } from './support/suite.js';
import { AppUser, PASSWORD, uniqueUsername } from './support/app.js';
import { PHONE } from './support/browser.js';
import { sdkUser } from './support/sdk-user.js';

const suite = browserSuite();
const { problems, sdkClients } = suite;
const page = (viewport?: { width: number; height: number }) => suite.page(viewport);

describe('accounts: bad input gets a clear message, never a blank page', () => {
  const dave = { username: uniqueUsername('dave'), name: 'Dave Grohl' };
  let davePage: Page;

  it('says so when the password is wrong, then signs in with the right one', async () => {
    sdkClients.push(await sdkUser(suite.server.baseUrl, dave.username, dave.name));
    davePage = await page();
    await davePage.getByLabel('Username').fill(dave.username);
    await davePage.getByLabel('Password').fill('not the password');
    await davePage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => alertText(davePage)).toBe('Wrong username or password.');
    expect(await davePage.locator('.sidebar').count()).toBe(0);

    await davePage.getByLabel('Password').fill(PASSWORD);
    await davePage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await new AppUser(davePage, dave.username, dave.name).waitOnline();
  });

  it('says so when the username is already taken', async () => {
    const p = await page(PHONE);
    await p.getByRole('tab', { name: 'Create account' }).click();
    await p.getByLabel('Username').fill(dave.username.toUpperCase());
    await p.getByLabel('Your name').fill('Another Dave');
    await p.getByLabel('Password').fill(PASSWORD);
    await p.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => alertText(p)).toBe('This username is already taken. Try another one.');
    // Input the server would refuse is explained before it is sent.
    await p.getByLabel('Username').fill('4bad');
    await p.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => alertText(p)).toContain('Usernames are 5–32 letters');
  });

  it('says so when nobody has the username searched for', async () => {
    await davePage.getByRole('searchbox', { name: 'Search chats, people and messages' }).fill('@nobody_has_this');
    await davePage.getByRole('button', { name: 'Find @nobody_has_this' }).click();
    await expect.poll(() => alertText(davePage)).toBe('No one has this username.');
    await davePage.getByRole('button', { name: 'Clear search' }).click();
  });

  it('lists the active sessions and terminates the others, which return to sign-in with a notice', async () => {
    const second = await page();
    await AppUser.logIn(second, dave.username, dave.name);
    await second.getByRole('button', { name: 'Main menu' }).click();
    await second.getByRole('menuitem', { name: 'Settings' }).click();
    const settings = second.getByRole('dialog', { name: 'Settings' });
    await expect.poll(() => settings.textContent()).toContain(`@${dave.username}`);
    await expect.poll(() => settings.getByRole('list', { name: 'Other sessions' }).locator('li').count()).toBe(2);
    expect(await settings.textContent()).toContain('This device');
    expect(await settings.textContent()).toContain("Dave Grohl's laptop");

    await settings.getByRole('button', { name: 'Terminate all other sessions' }).click();
    await expect.poll(() => settings.getByRole('list', { name: 'Other sessions' }).count()).toBe(0);
    // The first browser's session is over: it is back at sign-in, told why.
    await expect.poll(() => davePage.getByRole('status').first().textContent()).toContain('Your session ended');
    await davePage.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await expect.poll(() => sdkClients[0]!.state).toBe('terminated');

    // Log out from the menu; a reload stays signed out.
    await second.keyboard.press('Escape');
    await second.getByRole('button', { name: 'Main menu' }).click();
    await second.getByRole('menuitem', { name: 'Log out' }).click();
    await second.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await second.reload();
    await second.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  });
});

describe('groups: members and admin actions by rights', () => {
  it('creates a group, appoints an admin, removes and adds members, renames, and a member leaves', async () => {
    const alice = await AppUser.signUp(await page(), uniqueUsername('alice'), 'Alice Liddell');
    const bob = await AppUser.signUp(await page(PHONE), uniqueUsername('bob'), 'Bob Builder');
    const carolName = uniqueUsername('carol');
    const carol = await sdkUser(suite.server.baseUrl, carolName, 'Carol Danvers');
    sdkClients.push(carol);

    // Create: a title and members by username.
    await alice.page.getByRole('button', { name: 'New chat' }).click();
    await alice.page.getByRole('menuitem', { name: 'New group' }).click();
    await alice.page.getByLabel('Group name').fill('Edge crew');
    for (const name of [bob.username, carolName]) {
      await alice.page.getByLabel('Add members by username').fill(name);
      await alice.page.keyboard.press('Enter');
    }
    await expect.poll(() => alice.page.getByRole('list', { name: 'Members to add' }).locator('li').count()).toBe(2);
    await alice.page.getByRole('button', { name: 'Create group' }).click();
    await expect.poll(() => alice.header.textContent()).toContain('3 members');
    await alice.send('Welcome to the crew');
    await bob.dialogRow('Edge crew').waitFor();

    // A plain member is not offered Pin: in a group only the creator and admins may pin.
    await bob.openDialog('Edge crew');
    expect(await bob.messageMenuItems('Welcome to the crew')).not.toContain('Pin');
    expect(await alice.messageMenuItems('Welcome to the crew')).toContain('Pin');

    // The creator sees every action: appoint Bob admin.
    await alice.page.getByRole('button', { name: 'Chat info' }).click();
    const info = alice.page.getByRole('dialog', { name: 'Group info' });
    const memberRow = (name: string) => info.locator('.member-list__item', { hasText: name });
    await memberRow('Carol Danvers').waitFor();
    expect(await memberRow('Alice Liddell').textContent()).toContain('owner');
    await info.getByRole('button', { name: 'Actions for Bob Builder' }).click();
    await alice.page.getByRole('menuitem', { name: 'Make admin' }).click();
    // The rights an admin gets unless told otherwise: everything but appointing admins.
    const editor = info.getByRole('region', { name: 'Admin rights of Bob Builder' });
    expect(await editor.getByLabel('Add new admins').isChecked()).toBe(false);
    expect(await editor.getByLabel('Pin messages').isChecked()).toBe(true);
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => memberRow('Bob Builder').textContent()).toContain('admin');
    // Bob's menu follows his appointment without a reload.
    await expect.poll(() => bob.messageMenuItems('Welcome to the crew')).toContain('Pin');
    await bob.page.getByRole('button', { name: 'Back to chats' }).click();

    // Remove Carol; she learns she is no longer a member.
    await info.getByRole('button', { name: 'Actions for Carol Danvers' }).click();
    await alice.page.getByRole('menuitem', { name: 'Remove from group' }).click();
    await expect.poll(() => memberRow('Carol Danvers').count()).toBe(0);
    await expect
      .poll(async () => (await carol.api.getDialogs()).dialogs.find((d) => d.chat.title === 'Edge crew')?.is_member)
      .toBe(false);

    // Rename: Bob's list follows.
    await info.getByLabel('Group name').fill('Edge crew 2');
    await info.getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => alice.header.textContent()).toContain('Edge crew 2');
    await bob.dialogRow('Edge crew 2').waitFor();
    await alice.page.keyboard.press('Escape');
    await expect.poll(() => info.count()).toBe(0);

    // Bob, an admin, may add members but has no actions on the creator.
    await bob.openDialog('Edge crew 2');
    await bob.page.getByRole('button', { name: 'Chat info' }).click();
    const bobInfo = bob.page.getByRole('dialog', { name: 'Group info' });
    await bobInfo.locator('.member-list__item', { hasText: 'Alice Liddell' }).waitFor();
    expect(await bobInfo.getByRole('button', { name: 'Actions for Alice Liddell' }).count()).toBe(0);
    await bobInfo.getByLabel('Add member by username').fill(carolName);
    await bobInfo.getByRole('button', { name: 'Add', exact: true }).click();
    await bobInfo.locator('.member-list__item', { hasText: 'Carol Danvers' }).waitFor();
    await expect.poll(() => alice.header.textContent()).toContain('3 members');

    // Bob leaves: his composer gives way to a notice; Alice sees two members.
    await bobInfo.getByRole('button', { name: 'Leave group' }).click();
    // Leaving returns to the chat list; the group stays there, read-only.
    await bob.dialogRow('Edge crew 2').click();
    await expect.poll(() => bob.page.locator('.composer--disabled').textContent()).toContain('no longer a member');
    await expect.poll(() => alice.header.textContent()).toContain('2 members');
  });
});

describe('a lost connection', () => {
  it('is shown while the network is down and when the server is gone, and the app stays on screen', async () => {
    const eve = await AppUser.signUp(await page(PHONE), uniqueUsername('eve'), 'Eve Online');
    await eve.page.context().setOffline(true);
    await expect.poll(() => eve.banner.textContent()).toBe('Waiting for network…');
    await eve.page.context().setOffline(false);
    // "Online" shows for a moment and then the banner goes: under load the poll may only see it gone.
    const shown = async () => ((await eve.banner.count()) === 0 ? 'gone' : await eve.banner.textContent({ timeout: 1_000 }).catch(() => 'gone'));
    await expect.poll(shown).toMatch(/^(Online|gone)$/);
    await expect.poll(() => eve.banner.count(), { timeout: 10_000 }).toBe(0);

    await suite.server.stop();
    await expect.poll(() => eve.banner.textContent(), { timeout: 20_000 }).toBe('Connecting…');
    expect(await eve.page.locator('.sidebar').isVisible()).toBe(true);
  });

  it('caused no uncaught errors and no Content Security Policy violations', () => {
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
