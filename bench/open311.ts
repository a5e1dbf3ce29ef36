/**
 * Open311 `POST requests` (form-encoded, key check, per-key rate limit, batched use log, XML answer) beside the
 * native `POST /api/v1/requests` for the same request on the same server and database, in the same run. Both
 * take the same intake (no dispatch model loaded, so both queue for review): the ratio is the adapter's cost.
 */
import type { AddressInfo } from 'node:net';
import { count, eq } from 'drizzle-orm';
import { buildServer } from '../src/http/server.js';
import { DEMO_PASSWORD } from '../src/app/setup/seedDemo.js';
import { flushKeyUses } from '../src/app/integrations/usageLog.js';
import { apiKeyUses, orders } from '../src/store/schema/index.js';
import { benchConfig, fmt, freshStore, timed, runWorker } from './support.js';

export type Open311Figures = { kind: string; n: number; open311PerSec: number; nativePerSec: number; ratio: number; usesLogged: number };

const clientScript = `
const { parentPort, workerData } = require('node:worker_threads');
const { base, token, key, n, concurrency, mode } = workerData;
const text = (i) => '朝阳区望京西园三区楼下烧烤店油烟直排，每天开到夜里十二点 ' + i;
const post = (i) => mode === 'open311'
  ? fetch(base + '/open311/v2/requests.xml', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ api_key: key, service_code: 'HB.02', address_id: '110105026', description: text(i), 'attribute[REQUEST_TYPE]': 'complaint', phone: '13912345678' }).toString() })
  : fetch(base + '/api/v1/requests', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: JSON.stringify({ type: 'complaint', title: text(i).slice(0, 40), body: text(i), channel: 'api', categoryCode: 'HB.02', districtCode: '110105', streetCode: '110105026', contact: { phone: '13912345678' }, dispatch: 'auto' }) });
(async () => {
  for (let i = 0; i < 50; i++) await (await post(i)).arrayBuffer();
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

function runClients(data: { base: string; token: string; key: string; n: number; concurrency: number; mode: 'open311' | 'native' }): Promise<{ ms: number; failed: number; firstStatus: number }> {
  return runWorker(clientScript, data);
}

export async function run(kind: 'pglite' | 'postgres', n = 1000, concurrency = 16): Promise<Open311Figures> {
  const { store, drop } = await freshStore(kind);
  try {
    const app = await buildServer({ config: benchConfig(), store, now: () => new Date() });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const json = async (path: string, body: unknown, token?: string) => {
      const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
      return (await r.json()) as Record<string, unknown>;
    };
    const token = String((await json('/api/v1/auth/login', { username: 'agent', password: DEMO_PASSWORD })).token);
    const admin = String((await json('/api/v1/auth/login', { username: 'admin', password: DEMO_PASSWORD })).token);
    const created = await json('/api/v1/integrations/keys', { systemName: 'bench', ownerUnitCode: '110000-12345', scopes: ['open311:write'], rateLimitPerMinute: 100_000 }, admin);
    const key = String(created.key);
    // Native first, then Open311, then native again: the baseline is the mean of the two native runs.
    const native1 = await timed(() => runClients({ base, token, key, n, concurrency, mode: 'native' }));
    const open311 = await timed(() => runClients({ base, token, key, n, concurrency, mode: 'open311' }));
    const native2 = await timed(() => runClients({ base, token, key, n, concurrency, mode: 'native' }));
    for (const r of [native1, open311, native2]) if (r.value.failed) throw new Error(`${r.value.failed} requests failed (first status ${r.value.firstStatus})`);
    await flushKeyUses(store.db);
    const [uses] = await store.db.select({ n: count() }).from(apiKeyUses);
    const [o] = await store.db.select({ n: count() }).from(orders).where(eq(orders.channel, 'open311'));
    if (o?.n !== n + 50) throw new Error(`expected ${n + 50} Open311 orders, found ${o?.n}`);
    await app.close();
    const nativePerSec = (2 * n) / ((native1.value.ms + native2.value.ms) / 1000);
    const open311PerSec = n / (open311.value.ms / 1000);
    return { kind, n, open311PerSec, nativePerSec, ratio: open311PerSec / nativePerSec, usesLogged: uses?.n ?? 0 };
  } finally {
    await drop();
  }
}

export function report(f: Open311Figures): string {
  return `open311 (${f.kind}): ${fmt(f.n)} Open311 POST requests at ${fmt(f.open311PerSec)}/s; native POST /requests ${fmt(f.nativePerSec)}/s; ratio ${fmt(f.ratio, 3)}; ${fmt(f.usesLogged)} key uses logged`;
}
