import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { alertText, browserSuite } from './support/suite.js';
import { AppUser, PASSWORD, uniqueUsername } from './support/app.js';

const suite = browserSuite();
const { problems } = suite;

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
    await page.getByRole('button', { name: 'Sign in' }).click();

    // The password alone does not sign in: the app asks for the code.
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    // The confirming code's step is used up: the app's next code is the one to type (the server accepts one step ahead).
    const loginAt = Math.max(Date.now(), (stepOf(confirmedAt) + 1) * STEP_MS);
    await page.getByLabel('Code').fill(appCode(secret, loginAt));
    await page.getByRole('button', { name: 'Verify' }).click();
    const user = new AppUser(page, username, 'Erin Hannon');
    await user.waitOnline();
  });

  it('caused no uncaught errors and no Content Security Policy violations', () => {
    expect(problems.flatMap((p) => p.list)).toEqual([]);
  });
});
