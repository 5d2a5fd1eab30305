import { describe, expect, it } from 'vitest';
import { alertText, browserSuite } from './support/suite.js';
import { pngBytes } from './support/in-page.js';
import { AppUser, uniqueUsername, PASSWORD } from './support/app.js';
import { PHONE } from './support/browser.js';
import { Secret, TOTP } from 'otpauth';

// Account deletion runs at once here (no grace period), so a test sees its outcome.
const suite = browserSuite({ deletionGraceMs: 0 });
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
});
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
});
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

  it('Cat sets a profile photo and lets only contacts message her: Dan sees the photo, his first message waits in her Message requests until she accepts it', async () => {
    const cat = await AppUser.signUp(await suite.page(), uniqueUsername('cat'), 'Cat Quiet');
    await cat.page.getByRole('button', { name: 'Main menu' }).click();
    await cat.page.getByRole('menuitem', { name: 'My profile' }).click();
    const profile = cat.page.getByRole('dialog', { name: 'Edit profile' });
    await profile.getByLabel('Profile photo').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: await pngBytes(cat.page, 256, 256, '#3949ab') });
    await expect.poll(() => profile.locator('.profile .avatar__photo').evaluate((img) => img.complete && img.naturalWidth)).toBe(256);
    await profile.getByRole('button', { name: 'Cancel' }).click();
    await cat.page.getByRole('button', { name: 'Main menu' }).click();
    await cat.page.getByRole('menuitem', { name: 'Settings' }).click();
    const settings = cat.page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('region', { name: 'Privacy' }).getByLabel('Who can message me (others go to requests)').selectOption('contacts');
    await settings.getByRole('button', { name: 'Close' }).click();

    const dan = await AppUser.signUp(await suite.page(PHONE), uniqueUsername('dan'), 'Dan Forward');
    // Search finds her by the start of her username, under People, with her photo.
    await dan.search(cat.username.slice(0, 9));
    const person = dan.page.getByRole('region', { name: 'People' }).getByRole('button', { name: /Cat Quiet/ });
    await expect.poll(() => person.locator('.avatar__photo').evaluate((img) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    await dan.page.getByRole('button', { name: 'Clear search' }).click();
    await dan.openChatWith(cat.username);
    await dan.send('Hello Cat');
    await expect.poll(() => dan.header.locator('.avatar__photo').evaluate((img) => img.complete && img.naturalWidth)).toBeGreaterThan(0);

    // Cat's list keeps the stranger's chat behind "Message requests"; opening it offers Accept and Block.
    const requests = cat.page.getByRole('button', { name: 'Message requests (1)' });
    await requests.waitFor();
    expect(await cat.dialogRow('Dan Forward').count()).toBe(0);
    await requests.click();
    await cat.openDialog('Dan Forward');
    await cat.message('Hello Cat').waitFor();
    const bar = cat.page.getByRole('region', { name: 'Message request' });
    await bar.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => bar.count()).toBe(0);
    await expect.poll(() => requests.count()).toBe(0);
  });
});
const STEP_MS = 30_000;
const stepOf = (at: number) => Math.floor(at / STEP_MS);

/** What an authenticator app shows for the key at `at`, computed from the key the page showed. */
function appCode(secret: string, at: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at });
}

describe('two-step verification', () => {
  it('a user turns it on in Settings, logs out, and signs in with the password and a code', async () => {
    const page = await suite.page();
    const username = uniqueUsername('erin');
    await AppUser.signUp(page, username, 'Erin Hannon');

    await page.getByRole('button', { name: 'Main menu' }).click();
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('button', { name: 'Turn on two-step verification' }).click();
    const enabling = settings.getByRole('form', { name: 'Turn on two-step verification' });
    await enabling.getByLabel('Password').fill(PASSWORD);
    await enabling.getByRole('button', { name: 'Continue' }).click();

    // The key and its otpauth:// link are shown as text; the test is the authenticator app.
    const secret = (await settings.getByTestId('two-step-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await settings.getByRole('link', { name: /^otpauth:\/\/totp\// }).getAttribute('href')).toContain(`secret=${secret}`);

    const confirm = settings.getByRole('form', { name: 'Confirm two-step verification' });
    await confirm.getByLabel('Code').fill(appCode(secret, Date.now()) === '000000' ? '000001' : '000000');
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => alertText(page)).toBe('The code is wrong.');

    const confirmedAt = Date.now();
    await confirm.getByLabel('Code').fill(appCode(secret, confirmedAt));
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    const codes = settings.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await expect.poll(() => codes.count()).toBe(10);
    expect(await codes.first().textContent()).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    await settings.getByRole('button', { name: 'I saved them' }).click();
    await expect.poll(() => settings.textContent()).toContain('10 recovery codes left');

    await settings.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('tab', { name: 'Sign in' }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    // The password alone does not sign in: the app asks for the code.
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    // The confirming code's step is used up: the app's next code is the one to type (the server accepts one step ahead).
    const loginAt = Math.max(Date.now(), (stepOf(confirmedAt) + 1) * STEP_MS);
    await page.getByLabel('Code').fill(appCode(secret, loginAt));
    await page.getByRole('button', { name: 'Verify' }).click();
    const user = new AppUser(page, username, 'Erin Hannon');
    await user.waitOnline();
  });
});

describe('deleting the account', () => {
  it('a user deletes their account in Settings and the peer in another browser sees “Deleted Account”', async () => {
    const fay = await AppUser.signUp(await page(), uniqueUsername('fay'), 'Fay Wray');
    const gus = await AppUser.signUp(await page(PHONE), uniqueUsername('gus'), 'Gus Grissom');
    await fay.openChatWith(gus.username);
    await fay.send('Goodbye, Gus');
    await gus.openDialog('Fay Wray');

    await fay.page.getByRole('button', { name: 'Main menu' }).click();
    await fay.page.getByRole('menuitem', { name: 'Settings' }).click();
    const settings = fay.page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('button', { name: 'Delete my account' }).click();
    const form = settings.getByRole('form', { name: 'Delete my account' });
    // A wrong password is refused and deletes nothing.
    await form.getByLabel('Password').fill('not the password');
    await form.getByRole('button', { name: 'Delete my account' }).click();
    await expect.poll(() => alertText(fay.page)).toBe('The password is wrong.');
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Delete my account' }).click();

    // The grace period is 0 on this server: the job signs Fay out and tombstones her account.
    await fay.page.getByRole('tab', { name: 'Sign in' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => gus.header.textContent(), { timeout: 20_000 }).toContain('Deleted Account');
    // Her old history stays with Gus.
    await expect.poll(() => gus.page.locator('.message-list').textContent()).toContain('Goodbye, Gus');
  });
});

describe('passkeys and QR login', () => {
  it('a user adds a passkey in Settings, logs out, and signs in with it (Chromium virtual authenticator)', async () => {
    const page = await suite.page();
    // WebAuthn needs a domain for its RP ID, not an IP address: the same server as localhost.
    await page.goto(suite.server.baseUrl.replace('127.0.0.1', 'localhost'));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });
    const username = uniqueUsername('pam');
    const pam = await AppUser.signUp(page, username, 'Pam Beesly');

    await page.getByRole('button', { name: 'Main menu' }).click();
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByLabel('Passkey name').fill('Reception desk');
    await settings.getByRole('button', { name: 'Add a passkey' }).click();
    const passkeys = settings.getByRole('list', { name: 'Passkeys' }).getByRole('listitem');
    await expect.poll(() => passkeys.textContent()).toContain('Reception desk');
    expect(await passkeys.textContent()).toContain('never used');

    await settings.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await pam.waitOnline();
    await page.getByRole('button', { name: 'Main menu' }).click();
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    await expect.poll(() => settings.textContent()).toContain(`@${username}`);
    await expect.poll(() => passkeys.textContent()).toContain('last used');
    await settings.getByRole('button', { name: 'Remove passkey Reception desk' }).click();
    await expect.poll(() => settings.textContent()).toContain('No passkeys yet');
  });

  it('a signed-out browser shows a login code; a signed-in one pastes and approves it; the first is signed in', async () => {
    const waiting = await suite.page();
    await waiting.getByRole('button', { name: 'Log in by QR code' }).click();
    await waiting.getByRole('img', { name: 'Login QR code' }).locator('path').waitFor();
    const token = await waiting.getByLabel('Login code').inputValue();
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const username = uniqueUsername('jim');
    const jim = await AppUser.signUp(await suite.page(PHONE), username, 'Jim Halpert');
    await jim.page.getByRole('button', { name: 'Main menu' }).click();
    await jim.page.getByRole('menuitem', { name: 'Settings' }).click();
    const settings = jim.page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('textbox', { name: 'Login code', exact: true }).fill(token);
    await settings.getByRole('button', { name: 'Continue' }).click();
    // The device to be signed in is shown before anything is approved.
    await expect.poll(() => settings.getByTestId('login-code-device').textContent()).toContain('Chrome on Linux');
    await settings.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => settings.getByRole('status').first().textContent()).toContain('is now signed in to your account');

    await new AppUser(waiting, username, 'Jim Halpert').waitOnline();
    await waiting.getByRole('button', { name: 'Main menu' }).click();
    await waiting.getByRole('menuitem', { name: 'Settings' }).click();
    await expect.poll(() => waiting.getByRole('dialog', { name: 'Settings' }).textContent()).toContain(`@${username}`);

    // The code is used up: pasting it again is refused with a clear reason.
    await settings.getByRole('textbox', { name: 'Login code', exact: true }).fill(token);
    await settings.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => alertText(jim.page)).toBe('This login code is unknown or was already used.');
  });
});

describe('the whole file', () => {
  it('caused no uncaught errors and no Content Security Policy violations', () => {
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
