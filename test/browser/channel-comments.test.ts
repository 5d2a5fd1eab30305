import { describe, expect, it } from 'vitest';
import { EdgegramClient } from '../../client/index.js';
import { browserSuite } from './support/suite.js';
import { AppUser, PASSWORD, uniqueUsername } from './support/app.js';
import { screenshot } from './support/browser.js';

const suite = browserSuite();
const { problems, sdkClients } = suite;

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
