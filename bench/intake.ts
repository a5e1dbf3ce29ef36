/**
 * Accepting and dispatching orders through the HTTP API (history and clocks included), over real sockets with
 * concurrent keep-alive clients, beside the raw single-row insert rate of the same database in the same run.
 */
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { buildServer } from '../src/http/server.js';
import { DEMO_PASSWORD } from '../src/app/setup/seedDemo.js';
import { benchConfig, fmt, freshStore, timed } from './support.js';

export type IntakeFigures = { kind: string; orders: number; ordersPerSec: number; rawInsertsPerSec: number; ratio: number };

export async function run(kind: 'pglite' | 'postgres', n = 2000, concurrency = 16): Promise<IntakeFigures> {
  const { store, drop } = await freshStore(kind);
  try {
    const app = await buildServer({ config: benchConfig(), store, now: () => new Date() });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agent', password: DEMO_PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const body = (i: number) =>
      JSON.stringify({ type: 'complaint', title: `油烟扰民 ${i}`, body: '朝阳区望京西园三区楼下烧烤店油烟直排，每天开到夜里十二点', channel: 'hotline', districtCode: '110105', streetCode: '110105026', contact: { name: '王晓明', phone: '13912345678' }, dispatch: { leadUnitCode: '110105026' } });
    // Warm-up: JIT, prepared statements, caches.
    for (let i = 0; i < 50; i++) await fetch(`${base}/api/v1/requests`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body(i) });
    let next = 0;
    let failed = 0;
    const worker = async () => {
      while (next < n) {
        const i = next++;
        const r = await fetch(`${base}/api/v1/requests`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body(i) });
        if (r.status !== 201) failed++;
        await r.arrayBuffer();
      }
    };
    const api = await timed(() => Promise.all(Array.from({ length: concurrency }, worker)));
    if (failed) throw new Error(`${failed} intake requests failed`);
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
    const ordersPerSec = n / (api.ms / 1000);
    const rawInsertsPerSec = n / (raw.ms / 1000);
    return { kind, orders: n, ordersPerSec, rawInsertsPerSec, ratio: ordersPerSec / rawInsertsPerSec };
  } finally {
    await drop();
  }
}

export function report(f: IntakeFigures): string {
  return `intake (${f.kind}): ${fmt(f.orders)} orders accepted+dispatched via HTTP at ${fmt(f.ordersPerSec)}/s; raw single-row inserts ${fmt(f.rawInsertsPerSec)}/s; ratio ${fmt(f.ratio, 3)}`;
}
