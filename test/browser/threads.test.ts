import { describe, expect, it } from 'vitest';
import type { EdgegramClient } from '../../client/index.js';
import { browserSuite } from './support/suite.js';
import { AppUser, uniqueUsername } from './support/app.js';
import { PHONE, screenshot } from './support/browser.js';
import { sdkUser } from './support/sdk-user.js';

const suite = browserSuite();
const { problems, sdkClients } = suite;

describe('threads', () => {
  let alice: AppUser;
  let bob: EdgegramClient;
  let chatId: number;
  let rootId: number;
  const repliesButton = () => alice.message('Where shall we meet?').locator('.msg__replies');

  it('a root shows its reply count; the thread opens with the root, its replies and a composer that answers it', async () => {
    alice = await AppUser.signUp(await suite.page(), uniqueUsername('alice'), 'Alice Thread');
    bob = await sdkUser(suite.server.baseUrl, uniqueUsername('bob'), 'Bob Replier');
    sdkClients.push(bob);
    const { user: aliceUser } = await bob.api.resolveUsername({ username: alice.username });
    const { chat } = await bob.api.createGroup({ title: 'Meetup', user_ids: [aliceUser!.id] });
    chatId = chat.id;
    const root = await bob.sendMessage({ chat_id: chatId }, 'Where shall we meet?');
    rootId = root.id;
    await bob.sendMessage({ chat_id: chatId }, 'At the station', { reply_to_message_id: rootId });
    await bob.sendMessage({ chat_id: chatId }, 'Unrelated news');

    await alice.openDialog('Meetup');
    await expect.poll(() => repliesButton().textContent()).toContain('1 reply');
    await screenshot(alice.page, 'thread-root-desktop');
    await repliesButton().click();

    await expect.poll(() => alice.header.textContent()).toContain('1 reply');
    expect(await alice.page.evaluate<string>('location.hash')).toBe(`#/chat/${chatId}/thread/${rootId}`);
    await alice.message('Where shall we meet?').waitFor();
    await alice.message('At the station').waitFor();
    expect(await alice.message('Unrelated news').count()).toBe(0);

    await alice.send('See you there');
    await expect.poll(() => alice.header.textContent()).toContain('2 replies');
    await expect.poll(() => alice.deliveryOf('See you there')).not.toBe('pending');
    const [sent] = (await bob.api.getHistory({ chat_id: chatId, thread_id: rootId })).messages.filter((m) => m.text === 'See you there');
    expect(sent).toMatchObject({ reply_to_message_id: rootId, thread_id: rootId });
    await screenshot(alice.page, 'thread-open-desktop');
  });

  it('a live reply reaches the open thread; Escape goes back to the chat, where the count followed', async () => {
    await bob.sendMessage({ chat_id: chatId }, 'Bring snacks', { reply_to_message_id: rootId });
    await alice.message('Bring snacks').waitFor();
    await expect.poll(() => alice.header.textContent()).toContain('3 replies');

    await alice.page.keyboard.press('Escape');
    expect(await alice.page.evaluate<string>('location.hash')).toBe(`#/chat/${chatId}`);
    await expect.poll(() => repliesButton().textContent()).toContain('3 replies');
    // The replies are messages of the chat too, each quoting the root.
    await alice.message('Bring snacks').waitFor();
  });

  it('any message can start a thread from its menu', async () => {
    await alice.messageAction('Unrelated news', 'Reply in thread');
    await expect.poll(() => alice.header.textContent()).toContain('No replies yet');
    await alice.send('Tell me more');
    await expect.poll(() => alice.header.textContent()).toContain('1 reply');
    await alice.page.getByRole('button', { name: 'Back to the chat' }).click();
    await expect.poll(() => alice.message('Unrelated news').locator('.msg__replies').textContent()).toContain('1 reply');
    expect(await alice.messageMenuItems('Bring snacks')).toContain('View thread');

    // A thread has its own address: another device opens it directly, on a phone.
    const phone = await AppUser.logIn(await suite.page(PHONE), alice.username, 'Alice Thread');
    await phone.page.goto(`${suite.server.baseUrl}/#/chat/${chatId}/thread/${rootId}`);
    await phone.message('Bring snacks').waitFor();
    await expect.poll(() => phone.header.textContent()).toContain('3 replies');
    expect(await phone.message('Unrelated news').count()).toBe(0);
    // Senders this device's chat list never named are looked up, not shown as "Unknown".
    await expect.poll(() => phone.message('Bring snacks').textContent()).toContain('Bob Replier');
    await screenshot(phone.page, 'thread-phone');
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
