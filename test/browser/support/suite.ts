import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { EdgegramClient } from '../../../client/index.js';
import { startServer, type TestServer } from '../../e2e/support/server.js';
import { DESKTOP, launchChromium, openPage, type PageProblems } from './browser.js';

export interface BrowserSuite {
  /** The real local server of this file (started in beforeAll). */
  readonly server: TestServer;
  /** Console errors and CSP violations of every page opened, for a final "no problems" test. */
  readonly problems: PageProblems[];
  /** SDK clients the file made: disconnected when the file ends. */
  readonly sdkClients: EdgegramClient[];
  /** A new browser context on the server, at a viewport (desktop unless told). */
  page(viewport?: { width: number; height: number }): Promise<Page>;
}

/**
 * One Chromium and one real local server per test file, started before its
 * tests and stopped after them, so each file's accounts and state are its own.
 */
export function browserSuite(serverOptions: Parameters<typeof startServer>[0] = {}): BrowserSuite {
  let browser: Browser | undefined;
  let server: TestServer | undefined;
  const problems: PageProblems[] = [];
  const sdkClients: EdgegramClient[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startServer(serverOptions);
  });

  afterAll(async () => {
    for (const client of sdkClients) client.disconnect();
    await browser?.close();
    await server?.stop();
  });

  const started = () => {
    if (!browser || !server) throw new Error('the browser and the server start in beforeAll');
    return { browser, server };
  };
  return {
    get server() {
      return started().server;
    },
    problems,
    sdkClients,
    async page(viewport = DESKTOP) {
      const { browser, server } = started();
      const opened = await openPage(browser, server.baseUrl, { viewport });
      problems.push(opened.problems);
      return opened.page;
    },
  };
}

/** The text of the first alert on the page (errors and notices are role=alert). */
export function alertText(page: Page): Promise<string | null> {
  return page.getByRole('alert').first().textContent();
}
