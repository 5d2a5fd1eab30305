import { readFile } from 'node:fs/promises';
import type { Browser, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgegramClient } from '../../client/index.js';
import type { Message } from '../../protocol/messages.js';
import { startServer, type TestServer } from '../e2e/support/server.js';
import { AppUser, uniqueUsername } from './support/app.js';
import { DESKTOP, launchChromium, openPage, screenshot, type PageProblems } from './support/browser.js';
import { dataTransferOf, focusedLabel, pasteFiles, pngBytes } from './support/in-page.js';
import { sdkUser } from './support/sdk-user.js';

/**
 * Media in the web client: Alice in the browser, Bob on the SDK (so each
 * send is checked by what the server stored, not only by what the page shows).
 */
let browser: Browser;
let server: TestServer;
let bob: EdgegramClient | undefined;
const problems: PageProblems[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  server = await startServer();
});

afterAll(async () => {
  bob?.disconnect();
  await browser?.close();
  await server?.stop();
});

/** Messages Bob receives, by text/kind, as the SDK hands them over. */
function collect(client: EdgegramClient): Message[] {
  const seen: Message[] = [];
  client.on('message', (m) => seen.push(m));
  return seen;
}

describe('media in the browser', () => {
  it('sends photos (picker, paste), files (drop), voice notes; cancels an upload; says when a file is too large; shows, opens and downloads what arrives', async () => {
    const opened = await openPage(browser, server.baseUrl, { viewport: DESKTOP });
    problems.push(opened.problems);
    const { page } = opened;
    const alice = await AppUser.signUp(page, uniqueUsername('alice'), 'Alice Media');
    const bobName = uniqueUsername('bob');
    bob = await sdkUser(server.baseUrl, bobName, 'Bob Media');
    const received = collect(bob);
    await alice.openChatWith(bobName);

    // ── A photo through the attach button's file picker, with a caption. ──
    const photo = await pngBytes(page, 640, 480, '#3390ec');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles({ name: 'sky.png', mimeType: 'image/png', buffer: photo });
    const dialog = page.getByRole('dialog', { name: 'Send a file' });
    await dialog.getByText('sky.png').waitFor();
    await dialog.getByLabel('Caption').fill('The **sky**');
    await dialog.getByRole('button', { name: 'Send' }).click();

    await expect.poll(() => received.find((m) => m.media?.kind === 'photo')).toBeTruthy();
    const sentPhoto = received.find((m) => m.media?.kind === 'photo')!;
    expect(sentPhoto.text).toBe('The sky');
    expect(sentPhoto.entities).toEqual([{ type: 'bold', offset: 4, length: 3 }]);
    expect(sentPhoto.media).toMatchObject({ width: 640, height: 480, file: { mime_type: 'image/png', size: photo.length } });
    expect(sentPhoto.media!.thumb?.mime_type).toBe('image/jpeg');
    // What Bob downloads is exactly what Alice picked.
    const link = await bob.getFileUrl(sentPhoto.chat_id, sentPhoto.id);
    expect(Buffer.from(await (await bob.downloadFile(link.url)).bytes()).equals(photo)).toBe(true);

    // The bubble shows the preview (decoded), the caption and, once stored, a tick.
    const photoBubble = alice.message('The sky');
    await expect.poll(() => photoBubble.locator('[data-delivery]').getAttribute('data-delivery')).toBe('delivered');
    const preview = photoBubble.getByRole('img', { name: 'Photo' });
    await expect.poll(() => preview.evaluate((img) => img.complete && img.naturalWidth)).toBeGreaterThan(0);

    // ── The lightbox: opens the full photo, Escape closes it and focus returns. ──
    await photoBubble.getByRole('button', { name: 'Photo: open' }).click();
    const lightbox = page.getByRole('dialog', { name: 'Photo' });
    const full = lightbox.getByRole('img');
    await expect.poll(() => full.evaluate((img) => img.complete && img.naturalWidth)).toBe(640);
    await page.keyboard.press('Escape');
    await lightbox.waitFor({ state: 'detached' });
    await expect.poll(() => focusedLabel(page)).toBe('Photo: open');

    // ── An upload held on the network shows its progress; Cancel abandons it on the server. ──
    const held: Route[] = [];
    await page.route('**/v1/uploads/**', (route) => {
      if (route.request().method() === 'PUT') held.push(route);
      else void route.continue();
    });
    const chooser2 = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser2).setFiles({ name: 'draft.txt', mimeType: 'text/plain', buffer: Buffer.from('never sent') });
    await page.getByRole('dialog', { name: 'Send a file' }).getByRole('button', { name: 'Send' }).click();
    const progress = page.getByRole('progressbar', { name: 'Upload progress' });
    await progress.waitFor();
    await expect.poll(() => held.length).toBe(1);
    const deleted = page.waitForRequest((r) => r.method() === 'DELETE' && r.url().includes('/v1/uploads/'));
    await page.getByRole('button', { name: 'Cancel upload' }).click();
    await deleted;
    await progress.waitFor({ state: 'detached' });
    await page.unroute('**/v1/uploads/**');
    await Promise.all(held.map((r) => r.abort().catch(() => {})));
    await expect.poll(() => page.getByText('draft.txt').count()).toBe(0);

    // ── A file the server refuses as too large: the bubble says so in words, and can be deleted. ──
    // (The server's answer is stubbed: a real 2 GB file is too much for a test machine.)
    await page.route('**/v1/uploads', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({ status: 413, contentType: 'application/json', body: JSON.stringify({ error: { code: 'FILE_TOO_LARGE', message: 'Files are at most 2 GiB' } }) })
        : route.continue(),
    );
    const chooser3 = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser3).setFiles({ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.from('pretend this is big') });
    await page.getByRole('dialog', { name: 'Send a file' }).getByRole('button', { name: 'Send' }).click();
    const refused = page.locator('.message-list .msg', { hasText: 'huge.bin' });
    await refused.getByRole('alert').getByText('The file is too large: files can be up to 2 GB.').waitFor();
    await page.unroute('**/v1/uploads');
    await refused.locator('.msg__bubble').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await refused.waitFor({ state: 'detached' });

    // ── A file dropped on the chat: the drop overlay, then a document. ──
    const dropped = await dataTransferOf(page, [{ name: 'numbers.txt', type: 'text/plain', bytes: [...Buffer.from('quarterly numbers')] }]);
    await page.dispatchEvent('.chat', 'dragenter', { dataTransfer: dropped });
    await page.getByText('Drop files here to send them').waitFor();
    await page.dispatchEvent('.chat', 'drop', { dataTransfer: dropped });
    await page.getByRole('dialog', { name: 'Send a file' }).getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => received.find((m) => m.media?.file.file_name === 'numbers.txt')?.media?.kind).toBe('document');
    await page.getByRole('button', { name: 'Download numbers.txt' }).waitFor();

    // ── Two photos pasted into the composer go as one album, shown as a grid. ──
    const [red, green] = [await pngBytes(page, 300, 200, '#e53935'), await pngBytes(page, 200, 300, '#4fae4e')];
    await alice.composer.click();
    await pasteFiles(page, '.composer__input', [
      { name: 'red.png', type: 'image/png', bytes: [...red] },
      { name: 'green.png', type: 'image/png', bytes: [...green] },
    ]);
    await page.getByRole('dialog', { name: 'Send 2 files' }).getByRole('button', { name: 'Send' }).click();
    await page.getByRole('group', { name: 'Album of 2' }).waitFor();
    await expect.poll(() => received.filter((m) => m.media?.grouped_id != null).length).toBe(2);
    const album = received.filter((m) => m.media?.grouped_id != null);
    expect(new Set(album.map((m) => m.media!.grouped_id)).size).toBe(1);
    expect(album.map((m) => m.media!.file.file_name)).toEqual(['red.png', 'green.png']);

    // ── A document Bob sends: Alice downloads it, with the same bytes and name. ──
    const report = Buffer.from('Edgegram report: all green\n'.repeat(200));
    const file = await bob.uploadFile(new Uint8Array(report), { fileName: 'report.txt' });
    await bob.sendMedia({ chat_id: sentPhoto.chat_id }, { kind: 'document', file });
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download report.txt' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('report.txt');
    expect((await readFile((await saved.path())!)).equals(report)).toBe(true);

    // ── A voice note from the (fake) microphone: recorded, sent as WAV audio, playable. ──
    await page.getByRole('button', { name: 'Record a voice message' }).click();
    const status = page.getByRole('status').filter({ hasText: 'Recording' });
    // At least a second recorded (a poll under load may skip past 0:01, so any later time will do).
    await expect.poll(async () => (await status.locator('time').textContent()) !== '0:00').toBe(true);
    await page.getByRole('button', { name: 'Send voice message' }).click();
    await expect.poll(() => received.find((m) => m.media?.kind === 'voice')).toBeTruthy();
    const voice = received.find((m) => m.media?.kind === 'voice')!;
    expect(voice.media!.file.mime_type).toBe('audio/wav');
    expect(voice.media!.duration).toBeGreaterThanOrEqual(1);
    const player = page.getByLabel('Voice message', { exact: true });
    await expect.poll(() => player.evaluate((a) => a.readyState >= 1 && Math.round(a.duration))).toBeGreaterThanOrEqual(1);

    await screenshot(page, 'media-desktop-light');
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
