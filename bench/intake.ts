/**
 * Accepting and dispatching orders through the HTTP API (history and clocks included), over real sockets with
 * concurrent keep-alive clients, beside the raw single-row insert rate of the same database in the same run.
 */
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { buildServer } from '../src/http/server.js';
import { DEMO_PASSWORD } from '../src/app/setup/seedDemo.js';
import { intakeWriterStats } from '../src/app/requests/intakeWriter.js';
import { benchConfig, fmt, freshStore, timed, runWorker } from './support.js';

export type IntakeFigures = { kind: string; orders: number; ordersPerSec: number; rawInsertsPerSec: number; ratio: number; ordersPerStatement: number };

/** HTTP clients on a worker thread: keep-alive fetches of POST /requests, `concurrency` at a time. */
const clientScript = `
const { parentPort, workerData } = require('node:worker_threads');
const { base, token, n, concurrency } = workerData;
const body = (i) => JSON.stringify({ type: 'complaint', title: '油烟扰民 ' + i, body: '朝阳区望京西园三区楼下烧烤店油烟直排，每天开到夜里十二点', channel: 'hotline', districtCode: '110105', streetCode: '110105026', contact: { name: '王晓明', phone: '13912345678' }, dispatch: { leadUnitCode: '110105026' } });
const post = (i) => fetch(base + '/api/v1/requests', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: body(i) });
(async () => {
  for (let i = 0; i < 50; i++) await (await post(i)).arrayBuffer(); // warm-up: JIT, caches
  let next = 0, failed = 0, firstStatus = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < n) {
      const r = await post(next++);
      if (r.status !== 201) { failed++; firstStatus ||= r.status; }
      await r.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  parentPort.postMessage({ ms: performance.now() - started, failed, firstStatus });
})();
`;

function runClients(data: { base: string; token: string; n: number; concurrency: number }): Promise<{ ms: number; failed: number; firstStatus: number }> {
  return runWorker(clientScript, data);
}

export async function run(kind: 'pglite' | 'postgres', n = 2000, concurrency = 16): Promise<IntakeFigures> {
  const { store, drop } = await freshStore(kind);
  try {
    const app = await buildServer({ config: benchConfig(), store, now: () => new Date() });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agent', password: DEMO_PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    // The clients run on a worker thread, as load from other machines would: the server's thread serves only.
    const before = { ...intakeWriterStats };
    const api = await timed(() => runClients({ base, token, n, concurrency }));
    const statements = intakeWriterStats.statements - before.statements;
    const written = intakeWriterStats.orders - before.orders;
    if (api.value.failed) throw new Error(`${api.value.failed} intake requests failed (first status ${api.value.firstStatus})`);
    await app.close();
    // Baseline: single-row inserts of an order-sized row, one statement and commit each, same database.
    await store.db.execute(sql`CREATE TABLE bench_raw (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), title text, body text, state text, created_at timestamptz)`);
    let j = 0;
    const rawWorker = async () => {
      while (j < n) {
        j++;
        await store.db.execute(sql`INSERT INTO bench_raw (title, body, state, created_at) VALUES ('油烟扰民', '朝阳区望京西园三区楼下烧烤店油烟直排', 'dispatched', now())`);
      }
    };
    const raw = await timed(() => Promise.all(Array.from({ length: concurrency }, rawWorker)));
    const ordersPerSec = n / (api.value.ms / 1000);
    const rawInsertsPerSec = n / (raw.ms / 1000);
    return { kind, orders: n, ordersPerSec, rawInsertsPerSec, ratio: ordersPerSec / rawInsertsPerSec, ordersPerStatement: statements ? written / statements : 0 };
  } finally {
    await drop();
  }
}

export function report(f: IntakeFigures): string {
  return `intake (${f.kind}): ${fmt(f.orders)} orders accepted+dispatched via HTTP at ${fmt(f.ordersPerSec)}/s; raw single-row inserts ${fmt(f.rawInsertsPerSec)}/s; ratio ${fmt(f.ratio, 3)}; ${fmt(f.ordersPerStatement, 1)} orders per write statement (group commit)`;
}
