import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../../..');

/** Debian's Chromium; no browser is downloaded (playwright-core only drives it). */
export const CHROMIUM = process.env.EDGEGRAM_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(root, 'test-results', 'screenshots');

export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;

/**
 * Launches headless Chromium. Fails (never skips) when it is not installed,
 * saying how to install it: a missing browser must not pass as green.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. The browser tests drive Debian's Chromium: ` +
        'run `apt-get install -y chromium` (CI\'s .ci/run installs it), or set EDGEGRAM_CHROMIUM to its path.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // A fake microphone (a beep) that needs no permission prompt: voice notes record in tests.
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });
}

/** What went wrong in a page that a test did not expect: uncaught errors and CSP violations. */
export interface PageProblems {
  list: string[];
}

/** A fresh context (its own storage: a separate person or device) with one page, watched for problems. */
export async function openPage(
  browser: Browser,
  baseUrl: string,
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    colorScheme: options.colorScheme ?? 'light',
    locale: 'en-US',
    timezoneId: 'UTC',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  const problems: PageProblems = { list: [] };
  page.on('pageerror', (error) => problems.list.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    // The browser reports every refused resource; these are the ones a page must never cause.
    if (/Content Security Policy|Trusted ?Script|TrustedHTML|Refused to/i.test(text)) problems.list.push(`csp: ${text}`);
  });
  await page.goto(baseUrl);
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // Let animations (menus, banners) settle so the picture shows the resting state.
  await page.waitForTimeout(250);
  await page.screenshot({ path: file });
  return file;
}
