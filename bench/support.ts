/** Shared pieces of the benchmarks: a fresh database of either kind, a real HTTP server, timing. */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { migrateStore, openStore, type Store } from '../src/store/db.js';
import { seedReference } from '../src/store/seed/reference.js';
import { seedDemoAccounts } from '../src/app/setup/seedDemo.js';

export const pgAdminUrl = process.env.JIESU_BENCH_DATABASE_URL ?? `postgres://${encodeURIComponent(process.env.PGUSER ?? os.userInfo().username)}@127.0.0.1:5432/test`;

export async function postgresReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: pgAdminUrl, connectionTimeoutMillis: 1500 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** A migrated, seeded database for one benchmark; `drop()` removes a PostgreSQL one. */
export async function freshStore(kind: 'pglite' | 'postgres'): Promise<{ store: Store; url?: string; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const store = await openStore({ kind: 'pglite' });
    await migrateStore(store);
    await seedReference(store.db);
    await seedDemoAccounts(store.db);
    return { store, drop: () => store.close() };
  }
  const name = `jiesu_bench_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(pgAdminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const store = await openStore({ kind: 'postgres', url, max: 20 });
  await migrateStore(store, url);
  await seedReference(store.db);
  await seedDemoAccounts(store.db);
  return {
    store,
    url,
    drop: async () => {
      await store.close();
      const a = new pg.Client({ connectionString: pgAdminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export const benchConfig = () => loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JIESU_DATA_DIR: '.test-artifacts/bench-data' });

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Load generators run on a worker thread, as load from other machines would: the server's thread serves only.
 * `script` is CommonJS that posts one message with its figures when done. */
export function runWorker<T>(script: string, workerData: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const w = new Worker(script, { eval: true, workerData });
    w.once('message', (m: T) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

/** One kind of request the load sends; the load cycles through them on each connection. */
export type LoadRequest = { method: 'POST' | 'GET'; path: string; headers: Record<string, string>; body?: string };

export type LoadFigures = { ms: number; done: number; non2xx: number; errors: number; p50: number; p99: number };

/** autocannon on a worker thread: `connections` keep-alive connections send `amount` requests, no pipelining.
 * `ms` runs from the first request to the last response (autocannon's own duration is rounded to its 1 s ticks). */
const loadScript = `
const { parentPort, workerData } = require('node:worker_threads');
const autocannon = require(workerData.autocannonPath);
const { base, requests, connections, amount, warmup } = workerData;
const opts = (n) => ({ url: base, requests, connections, amount: n, pipelining: 1, timeout: 30 });
(async () => {
  if (warmup) await autocannon(opts(warmup));
  let last = 0;
  const times = [];
  const started = performance.now();
  const run = autocannon(opts(amount));
  run.on('response', (_client, _status, _bytes, ms) => { last = performance.now(); times.push(ms); });
  // On a worker thread autocannon answers with its raw counts (the summary is built on the main thread).
  const r = await run;
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  parentPort.postMessage({ ms: last - started, done: times.length, non2xx: r.non2xx, errors: r.errors + r.timeouts, p50: at(0.5), p99: at(0.99) });
})();
`;

/**
 * Send HTTP load to a server of this process from a worker thread with autocannon, the Fastify project's load
 * generator: its clients cost a tenth of fetch's per request, so on a 2-core machine the server gets the cores.
 * @example const f = await httpLoad({ base, requests: [{ method: 'POST', path: '/api/v1/requests', headers, body }], connections: 16, amount: 3000 })
 */
export function httpLoad(args: { base: string; requests: LoadRequest[]; connections: number; amount: number; warmup?: number }): Promise<LoadFigures> {
  return runWorker(loadScript, { ...args, autocannonPath: createRequire(import.meta.url).resolve('autocannon') });
}
