import { describe, expect, it } from 'vitest';
import type { EdgegramClient } from '../../client/index.js';
import { browserSuite } from './support/suite.js';
import { AppUser, uniqueUsername } from './support/app.js';
import { PHONE, screenshot } from './support/browser.js';
import { sdkUser } from './support/sdk-user.js';

const suite = browserSuite();
const { problems, sdkClients } = suite;

describe('supergroups', () => {
  let alice: AppUser;
  let bob: AppUser;
  let carol: EdgegramClient;
  let carolName: string;

  /** Alice makes a chat from the compose menu: `kind` names the menu item and the form. */
  async function create(kind: 'group' | 'supergroup', title: string, usernames: string[]): Promise<void> {
    await alice.page.getByRole('button', { name: 'New chat' }).click();
    await alice.page.getByRole('menuitem', { name: `New ${kind}` }).click();
    const form = alice.page.getByRole('dialog', { name: `New ${kind}` });
    await form.getByLabel(kind === 'group' ? 'Group name' : 'Supergroup name').fill(title);
    for (const name of usernames) {
      await form.getByLabel('Add members by username').fill(name);
      await form.getByLabel('Add members by username').press('Enter');
    }
    await expect.poll(() => form.getByRole('list', { name: 'Members to add' }).locator('li').count()).toBe(usernames.length);
    await form.getByRole('button', { name: `Create ${kind}` }).click();
    await expect.poll(() => alice.header.textContent()).toContain(title);
  }

  it('creates a supergroup of three whose messages arrive live, with "3 members, N online" in the header', async () => {
    alice = await AppUser.signUp(await suite.page(), uniqueUsername('alice'), 'Alice Archer');
    bob = await AppUser.signUp(await suite.page(PHONE), uniqueUsername('bob'), 'Bob Baker');
    carolName = uniqueUsername('carol');
    carol = await sdkUser(suite.server.baseUrl, carolName, 'Carol Cooper');
    sdkClients.push(carol);

    await create('supergroup', 'Edge hall', [bob.username, carolName]);
    await expect.poll(() => alice.header.textContent()).toMatch(/3 members, [1-3] online/);
    await alice.send('Welcome to the hall');
    await alice.message('Welcome to the hall').waitFor();

    // Bob was added while online: the post reaches him through the supergroup's own sync.
    await bob.dialogRow('Edge hall').waitFor();
    await bob.openDialog('Edge hall');
    await bob.message('Welcome to the hall').waitFor();
    await expect.poll(() => bob.header.textContent()).toMatch(/3 members, [2-3] online/);
    await bob.send('Hi from Bob');
    await alice.message('Hi from Bob').waitFor();

    // A third account, through the SDK: both browsers show its message without a reload.
    const hall = (await carol.api.getDialogs()).dialogs.find((d) => d.chat.title === 'Edge hall')!;
    expect(hall.chat.kind).toBe('supergroup');
    await carol.sendMessage({ chat_id: hall.chat.id }, 'Carol is here');
    await alice.message('Carol is here').waitFor();
    await bob.message('Carol is here').waitFor();
    await screenshot(bob.page, 'supergroup-member-phone');
  });

  it('lists the members page by page, owner first, and searches them', async () => {
    await alice.page.getByRole('button', { name: 'Chat info' }).click();
    const info = alice.page.getByRole('dialog', { name: 'Group info' });
    const list = info.getByRole('list', { name: 'Members' });
    await expect.poll(() => list.locator('.member-list__item').count()).toBe(3);
    expect(await list.locator('.member-list__item').first().textContent()).toContain('owner');
    expect(await info.locator('.members-panel__count').textContent()).toBe('3 members');

    await info.getByRole('searchbox', { name: 'Search members' }).fill('Car');
    await expect.poll(() => list.locator('.member-list__item').allTextContents()).toEqual([expect.stringContaining('Carol Cooper')]);
    await info.getByRole('searchbox', { name: 'Search members' }).fill('@nobody_here');
    await expect.poll(() => info.textContent()).toContain('No one found.');
    await screenshot(alice.page, 'supergroup-members-desktop');
    // (Escape in the search box clears it first, as in any search field; Close closes at once.)
    await info.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => info.count()).toBe(0);
  });

  it('converts a basic group: the old chat says so, goes read-only and leads to the supergroup', async () => {
    await create('group', 'Old crew', [bob.username]);
    await alice.send('Said before the upgrade');
    await bob.page.getByRole('button', { name: 'Back to chats' }).click(); // a phone shows one pane at a time
    await bob.openDialog('Old crew');
    await bob.message('Said before the upgrade').waitFor();

    await alice.page.getByRole('button', { name: 'Chat info' }).click();
    const info = alice.page.getByRole('dialog', { name: 'Group info' });
    await info.getByRole('button', { name: 'Convert to supergroup' }).click();
    // Alice is taken to the supergroup, which says where it came from.
    await alice.page.locator('.migration-bar', { hasText: 'Upgraded from a basic group' }).waitFor();
    await expect.poll(() => alice.header.textContent()).toMatch(/2 members/);

    // Bob still has the old group open: it turns into the notice, with no composer.
    const notice = bob.page.getByRole('status').filter({ hasText: 'This group was upgraded to a supergroup' });
    await notice.waitFor();
    expect(await bob.composer.count()).toBe(0);
    await screenshot(bob.page, 'migrated-group-phone');
    await notice.getByRole('button', { name: 'Open the supergroup' }).click();
    await bob.composer.waitFor();
    await bob.page.locator('.migration-bar').waitFor();
    await bob.send('First in the supergroup');
    await alice.message('First in the supergroup').waitFor();
  });
});
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
});

describe('the whole file', () => {
  it('caused no uncaught errors and no Content Security Policy violations', () => {
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
