/** A browser test file's browser and server (kept apart from browser.ts, which the test preparation imports). */
import { mkdirSync } from 'node:fs';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { ensureWebBuilt, launchChromium, shots } from './browser.js';
import { startBrowserServer, type BrowserServer } from './http.js';

/**
 * A describe block's browser and server: the web built, a server on a fresh test database and Chromium, started
 * before its tests and closed after them. Read `suite.browser` and `suite.server` inside the tests.
 * @example const suite = browserSuite(); test('…', async () => { await signIn(suite.browser, suite.server.url, 'agent') })
 */
export function browserSuite(start: () => Promise<BrowserServer> = startBrowserServer): { browser: Browser; server: BrowserServer } {
  const suite = {} as { browser: Browser; server: BrowserServer };
  before(async () => {
    await ensureWebBuilt();
    suite.server = await start();
    mkdirSync(shots, { recursive: true });
    suite.browser = await launchChromium();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}
