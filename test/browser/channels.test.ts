import { describe, expect, it } from 'vitest';
import { browserSuite } from './support/suite.js';
import { AppUser, uniqueUsername, PASSWORD } from './support/app.js';
import { PHONE, screenshot } from './support/browser.js';
import { EdgegramClient } from '../../client/index.js';

const suite = browserSuite();
const { problems, sdkClients } = suite;

describe('channels', () => {
  let owner: AppUser;
  let reader: AppUser;
  const views = (who: AppUser, text: string) => who.message(text).locator('.msg__views').textContent();

  it('the owner creates a channel with a first subscriber and posts; the post counts the owner’s view', async () => {
    reader = await AppUser.signUp(await suite.page(PHONE), uniqueUsername('reader'), 'Rita Reader');
    owner = await AppUser.signUp(await suite.page(), uniqueUsername('owner'), 'Olga Owner');
    await owner.page.getByRole('button', { name: 'New chat' }).click();
    await owner.page.getByRole('menuitem', { name: 'New channel' }).click();
    const form = owner.page.getByRole('dialog', { name: 'New channel' });
    await form.getByLabel('Channel name').fill('Edge Weekly');
    await form.getByPlaceholder('@username').fill(reader.username);
    await form.getByPlaceholder('@username').press('Enter');
    await form.getByRole('list', { name: 'Subscribers to add' }).getByText('Rita Reader').waitFor();
    await form.getByRole('button', { name: 'Create channel' }).click();
    await expect.poll(() => owner.header.textContent()).toContain('2 subscribers');

    await owner.send('Issue one is out');
    await owner.message('Issue one is out').waitFor();
    await expect.poll(() => views(owner, 'Issue one is out')).toBe('1');
    await screenshot(owner.page, 'channel-owner-desktop');
  });

  it('a subscriber reads the post, counts as a viewer, may react but not post or reply', async () => {
    await reader.openDialogWithoutComposer('Edge Weekly');
    await reader.message('Issue one is out').waitFor();
    await expect.poll(() => views(reader, 'Issue one is out')).toBe('2');
    expect(await reader.composer.count()).toBe(0);
    expect(await reader.page.locator('.composer--disabled').textContent()).toContain('Only the owner and admins post in this channel');
    expect(await reader.header.textContent()).toContain('2 subscribers');
    const items = await reader.messageMenuItems('Issue one is out');
    expect(items).not.toContain('Reply');
    expect(items).not.toContain('Pin');
    expect(items).toContain('Copy text');
    await screenshot(reader.page, 'channel-subscriber-phone');

    // The owner sees the subscriber's view the next time the post is loaded.
    await owner.page.reload();
    await owner.waitOnline();
    await owner.openDialog('Edge Weekly');
    await expect.poll(() => views(owner, 'Issue one is out')).toBe('2');
  });

  it('posts come from the channel; with "Sign messages" on, a post shows its author to every reader', async () => {
    // Unsigned: the post is the channel's, on the incoming side for its author too, without a name.
    expect(await owner.message('Issue one is out').getAttribute('class')).toContain('msg--in');
    expect(await owner.message('Issue one is out').locator('.msg__signature').count()).toBe(0);

    await owner.page.getByRole('button', { name: 'Chat info' }).click();
    const info = owner.page.getByRole('dialog', { name: 'Channel info' });
    await info.getByLabel('Sign messages').check();
    await expect.poll(() => info.getByLabel('Sign messages').isChecked()).toBe(true);
    // Closed once the change is saved (the switch is enabled again), by its button: an Escape can land mid-save.
    await expect.poll(() => info.getByLabel('Sign messages').isEnabled()).toBe(true);
    await info.getByRole('button', { name: 'Close' }).click();
    await info.waitFor({ state: 'hidden' });
    await owner.send('Issue two, signed');
    await expect.poll(() => owner.message('Issue two, signed').locator('.msg__signature').textContent()).toBe('Olga Owner');
    await reader.message('Issue two, signed').waitFor();
    expect(await reader.message('Issue two, signed').locator('.msg__signature').textContent()).toBe('Olga Owner');
    // The owner may still edit the post, though it names no sender.
    expect(await owner.messageMenuItems('Issue two, signed')).toContain('Edit');
  });
});
describe('channel comments', () => {
  it('an admin links a discussion group; a subscriber reads a post’s comments, joins to write one; the owner sees the count', async () => {
    const owner = await AppUser.signUp(await suite.page(), uniqueUsername('owner'), 'Olga Owner');
    const reader = await AppUser.signUp(await suite.page(), uniqueUsername('reader'), 'Rita Reader');
    // The chats are made on the owner's other device; linking them is done in the app.
    const ownerSdk = new EdgegramClient({ baseUrl: suite.server.baseUrl, device: { name: 'Olga laptop', platform: 'node' } });
    ownerSdk.on('error', () => {});
    sdkClients.push(ownerSdk);
    await ownerSdk.login({ username: owner.username, password: PASSWORD });
    await ownerSdk.connect();
    const { user: readerUser } = await ownerSdk.api.resolveUsername({ username: reader.username });
    await ownerSdk.api.createChannel({ title: 'Daily Digest', user_ids: [readerUser!.id] });
    await ownerSdk.api.createSupergroup({ title: 'Digest Comments', user_ids: [] });

    await owner.openDialog('Daily Digest');
    await owner.page.getByRole('button', { name: 'Chat info' }).click();
    const info = owner.page.getByRole('dialog', { name: 'Channel info' });
    const discussion = info.getByRole('region', { name: 'Discussion' });
    await discussion.getByLabel('Discussion group').selectOption({ label: 'Digest Comments' });
    await discussion.getByRole('button', { name: 'Link group' }).click();
    await expect.poll(() => discussion.textContent()).toContain('Comments on posts go to Digest Comments');
    await owner.page.keyboard.press('Escape');

    await owner.send('Issue one is out');
    const ownerComments = () => owner.message('Issue one is out').locator('.msg__comments').textContent();
    await expect.poll(ownerComments).toContain('Leave a comment');

    // The subscriber is not in the discussion group: they read it through the channel.
    await reader.openDialogWithoutComposer('Daily Digest');
    const readerButton = reader.message('Issue one is out').locator('.msg__comments');
    await expect.poll(() => readerButton.textContent()).toContain('Leave a comment');
    await readerButton.click();
    await expect.poll(() => reader.header.textContent()).toContain('No comments yet');
    // The post's copy in the group heads the thread, under the channel's name.
    await reader.message('Issue one is out').waitFor();
    expect(await reader.composer.count()).toBe(0);
    await reader.page.getByRole('button', { name: 'Join the discussion to comment' }).click();
    await reader.send('Great read, thanks');
    await expect.poll(() => reader.header.textContent()).toContain('1 comment');
    await expect.poll(() => reader.deliveryOf('Great read, thanks')).not.toBe('pending');
    await screenshot(reader.page, 'channel-comments-thread');

    // Back in the channel, the post counts the comment, for the subscriber and for the owner.
    await reader.page.getByRole('button', { name: 'Back to the channel' }).click();
    await expect.poll(() => readerButton.textContent()).toContain('1 comment');
    await owner.page.reload();
    await owner.waitOnline();
    await owner.openDialog('Daily Digest');
    await expect.poll(ownerComments).toContain('1 comment');
    await screenshot(owner.page, 'channel-comments-post');
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});

describe('the whole file', () => {
  it('caused no uncaught errors and no Content Security Policy violations', () => {
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
