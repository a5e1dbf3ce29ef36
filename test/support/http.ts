/** A real HTTP server for browser tests: the built web app and the API, on a fresh test database, random port. */
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { createDispatchAdvisor } from '../../src/app/dispatch/proposeDispatch.js';
import { buildServer } from '../../src/http/server.js';
import { backends, openTestStore } from './db.js';

export type BrowserServer = { url: string; close(): Promise<void> };

export async function startBrowserServer(): Promise<BrowserServer> {
  const store = await openTestStore(backends.includes('postgres') ? 'postgres' : 'pglite');
  const config = loadConfig({ NODE_ENV: 'test', JIESU_DATA_DIR: `.test-artifacts/browser-data-${process.pid}`, LOG_LEVEL: 'silent' });
  const propose = createDispatchAdvisor({ db: store.db, threshold: config.dispatchThreshold });
  const app = await buildServer({ config, store, now: () => new Date(), propose });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
