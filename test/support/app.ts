/** A real server on a test database, driven through fastify's inject: requests as the API's clients make them. */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import { DEMO_PASSWORD } from '../../src/app/setup/seedDemo.js';
import { buildServer } from '../../src/http/server.js';
import { createDispatchAdvisor } from '../../src/app/dispatch/proposeDispatch.js';
import { openTestStore, type BackendKind, type TestStore } from './db.js';

export type TestApp = {
  app: FastifyInstance;
  store: TestStore;
  config: Config;
  clock: { now: Date; advance(ms: number): void };
  /** Sign in as a demo account and return its bearer token. */
  login(username: string): Promise<string>;
  call(method: InjectOptions['method'], url: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;  
  close(): Promise<void>;
};

export async function startTestApp(kind: BackendKind, env: Record<string, string> = {}, start = new Date('2026-09-29T13:40:00Z'), opts: { dispatch?: boolean } = {}): Promise<TestApp> {
  const store = await openTestStore(kind);
  const config = loadConfig({ NODE_ENV: 'test', JIESU_DATA_DIR: '.test-artifacts/data', ...env });
  const clock = {
    now: start,
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const propose = opts.dispatch ? createDispatchAdvisor({ db: store.db, threshold: config.dispatchThreshold, now: () => clock.now }) : undefined;
  const app = await buildServer({ config, store, now: () => clock.now, ...(propose ? { propose } : {}) });
  await app.ready();
  const call: TestApp['call'] = async (method, url, opts = {}) => {
    const res = await app.inject({
      method,
      url,
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.headers ?? {}) },
      ...(opts.body !== undefined ? { payload: opts.body as InjectOptions['payload'] } : {}),
    });
    let body: unknown = res.body;
    try {
      body = res.body ? JSON.parse(res.body) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.statusCode, body, headers: res.headers };
  };
  const login = async (username: string) => {
    const r = await call('POST', '/api/v1/auth/login', { body: { username, password: DEMO_PASSWORD } });
    if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return (r.body as { token: string }).token;
  };
  return {
    app,
    store,
    config,
    clock,
    login,
    call,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
