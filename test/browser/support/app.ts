import type { Locator, Page } from 'playwright-core';

export const PASSWORD = 'browser test password';

let counter = 0;
/** A username unique to this run (5-32 characters, starting with a letter). */
export function uniqueUsername(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}${counter}`.slice(0, 32);
}

/**
 * One person using the web client in one page: the actions a test takes,
 * written the way a person does them (by visible labels and roles).
 */
export class AppUser {
  constructor(
    readonly page: Page,
    readonly username: string,
    readonly displayName: string,
  ) {}

  static async signUp(page: Page, username: string, displayName: string, password = PASSWORD): Promise<AppUser> {
    await page.getByRole('tab', { name: 'Create account' }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Your name').fill(displayName);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    const user = new AppUser(page, username, displayName);
    await user.waitOnline();
    return user;
  }

  static async logIn(page: Page, username: string, displayName: string, password = PASSWORD): Promise<AppUser> {
    await page.getByRole('tab', { name: 'Sign in' }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const user = new AppUser(page, username, displayName);
    await user.waitOnline();
    return user;
  }

  /** Waits until the SDK reports the connection online and in sync. */
  async waitOnline(): Promise<void> {
    await this.page.locator('.messenger[data-connection="online"]').waitFor();
  }

  /** Finds a user by username through the search box and opens the chat with them. */
  async openChatWith(username: string): Promise<void> {
    await this.search(username);
    await this.page.getByRole('button', { name: `Find @${username}` }).click();
    await this.composer.waitFor();
  }

  async search(query: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Search chats, people and messages' }).fill(query);
  }

  /** Opens a chat from the list by its title. */
  async openDialog(title: string): Promise<void> {
    await this.dialogRow(title).click();
    await this.composer.waitFor();
  }

  /** Opens a chat in which the user may not write (a channel, as a subscriber): waits for the history instead. */
  async openDialogWithoutComposer(title: string): Promise<void> {
    await this.dialogRow(title).click();
    await this.page.locator('.message-list').waitFor();
  }

  dialogRow(title: string): Locator {
    return this.page.locator('.dialog-row', { has: this.page.locator('.dialog-row__title', { hasText: title }) });
  }

  get composer(): Locator {
    return this.page.getByRole('textbox', { name: 'Message' });
  }

  /** Types like a person (key by key, so typing notices go out) and presses Enter. */
  async send(text: string): Promise<void> {
    await this.composer.click();
    await this.composer.pressSequentially(text, { delay: 5 });
    await this.page.keyboard.press('Enter');
  }

  /** Every message bubble in the open chat. */
  get messages(): Locator {
    return this.page.locator('.message-list .msg');
  }

  message(text: string): Locator {
    return this.page.locator('.message-list .msg', { has: this.page.locator('.msg__content', { hasText: text }) });
  }

  /** The delivery state of the open chat's message with this text: pending, delivered, read… */
  async deliveryOf(text: string): Promise<string | null> {
    return this.message(text).last().locator('[data-delivery]').getAttribute('data-delivery');
  }

  get header(): Locator {
    return this.page.locator('.chat-header');
  }

  get banner(): Locator {
    return this.page.locator('.connection-banner');
  }

  /** The items a message's context menu offers (it is opened, read and closed again). */
  async messageMenuItems(text: string): Promise<string[]> {
    await this.message(text).last().locator('.msg__bubble').click({ button: 'right' });
    const items = this.page.getByRole('menuitem');
    await items.first().waitFor();
    const names = (await items.allTextContents()).map((name) => name.trim());
    await this.page.keyboard.press('Escape');
    await items.first().waitFor({ state: 'detached' });
    return names;
  }

  /** Opens a message's context menu (right click) and chooses an item. */
  async messageAction(text: string, action: string): Promise<void> {
    await this.message(text).last().locator('.msg__bubble').click({ button: 'right' });
    await this.page.getByRole('menuitem', { name: action, exact: true }).click();
  }
}
