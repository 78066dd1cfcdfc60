import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { TelemetryOptions } from '../../../src/index.js';
import { launchChromium } from '../chromium.js';
import type { PageName } from './bundle.js';
import { startTestServer, type TestServer } from './server.js';

export interface BrowserSuite {
  readonly browser: Browser;
  readonly server: TestServer;
  /** A fresh context (its own storage, cookies, IndexedDB), closed after the test. */
  newContext(): Promise<BrowserContext>;
  /** Opens a purpose-made page in `context` and waits until `window.tk` exists. */
  open(
    context: BrowserContext,
    options?: Partial<TelemetryOptions>,
    name?: PageName,
  ): Promise<Page>;
}

/**
 * One Chromium and one test server per file (launching is the slow part), a new context per
 * test so no storage leaks between scenarios, and the receiver's log reset between tests.
 */
export function setUpBrowserSuite(): BrowserSuite {
  let browser: Browser | undefined;
  let server: TestServer | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), startTestServer()]);
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close().catch(() => {})));
    server?.reset();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const suite: BrowserSuite = {
    get browser() {
      if (!browser) throw new Error('the browser is not launched yet');
      return browser;
    },
    get server() {
      if (!server) throw new Error('the test server is not started yet');
      return server;
    },
    async newContext() {
      const context = await suite.browser.newContext();
      contexts.push(context);
      return context;
    },
    async open(context, options, name = 'harness') {
      const page = await context.newPage();
      await page.goto(suite.server.pageUrl(name, options));
      await page.waitForFunction(() => window.tk !== undefined, undefined, { timeout: 10_000 });
      return page;
    },
  };
  return suite;
}
