/**
 * Accepting and dispatching orders through the HTTP API as a production server does it — intelligent dispatch
 * proposing for every request (classify, locate, route, repeats among the street's open orders), then the order
 * with its history, units, clocks and notifications — over real sockets with 16 keep-alive connections, beside
 * the raw single-row insert rate of the same database measured in the same run. Two mixes:
 * - `city`: eight requests from eight streets of six districts, dispatched as the proposal says (`auto`);
 * - `one street`: every request to 望京街道 with the unit chosen by the agent — each compared against the street's
 *   300 newest open orders, the worst case for repeat detection;
 * - `no advisor`: the one-street requests on a server without intelligent dispatch — intake and dispatch alone, with
 *   history, units, clocks and notifications (what the lifecycle itself costs).
 */
import type { AddressInfo } from 'node:net';
import { count, eq, sql } from 'drizzle-orm';
import { buildServer } from '../src/http/server.js';
import { createDispatchAdvisor } from '../src/app/dispatch/proposeDispatch.js';
import { DEMO_PASSWORD } from '../src/app/setup/seedDemo.js';
import { intakeWriterStats } from '../src/app/requests/intakeWriter.js';
import { orders } from '../src/store/schema/index.js';
import { benchConfig, fmt, freshStore, httpLoad, timed, type LoadRequest } from './support.js';

export type IntakeMix = { mix: 'city' | 'street' | 'plain'; orders: number; ordersPerSec: number; p50: number; p99: number; ordersPerStatement: number; dispatchedShare: number };
export type IntakeFigures = { kind: string; mixes: IntakeMix[]; rawInsertsPerSec: number };

const cityRequests: { title: string; body: string }[] = [
  { title: '烧烤店油烟直排', body: '朝阳区望京街道望京西园三区楼下烧烤店油烟直排，每天开到夜里十二点' },
  { title: '路口红绿灯坏了', body: '海淀区中关村街道海淀黄庄路口红绿灯坏了，早高峰车辆拥堵严重' },
  { title: '楼道煤气味', body: '西城区金融街街道丰盛胡同小区楼道里有很大的煤气味' },
  { title: '路灯不亮', body: '东城区东华门街道南池子大街路灯不亮一周了，晚上走路很危险' },
  { title: '工地夜间施工', body: '丰台区卢沟桥街道万丰路工地夜间施工噪音扰民，凌晨两点还在打桩' },
  { title: '小区停水', body: '通州区梨园镇云景里小区停水两天了，物业没有任何通知' },
  { title: '垃圾无人清运', body: '昌平区回龙观街道龙泽园小区门口垃圾堆积三天无人清运，气味很大' },
  { title: '井盖丢失', body: '朝阳区酒仙桥街道驼房营路井盖丢失，存在安全隐患' },
];

function mixRequests(mix: IntakeMix['mix'], token: string): LoadRequest[] {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  if (mix !== 'city') {
    const body = JSON.stringify({ type: 'complaint', title: '油烟扰民', body: '朝阳区望京西园三区楼下烧烤店油烟直排，每天开到夜里十二点', channel: 'hotline', districtCode: '110105', streetCode: '110105026', contact: { name: '王晓明', phone: '13912345678' }, dispatch: { leadUnitCode: '110105026' } });
    return [{ method: 'POST', path: '/api/v1/requests', headers, body }];
  }
  return cityRequests.map((r) => ({ method: 'POST', path: '/api/v1/requests', headers, body: JSON.stringify({ type: 'complaint', ...r, channel: 'hotline', contact: { name: '王晓明', phone: '13912345678' }, dispatch: 'auto' }) }));
}

export async function run(kind: 'pglite' | 'postgres', n = 3000, connections = 16): Promise<IntakeFigures> {
  const { store, drop } = await freshStore(kind);
  try {
    const propose = createDispatchAdvisor({ db: store.db, now: () => new Date() });
    const mixes: IntakeMix[] = [];
    for (const mix of ['city', 'street', 'plain'] as const) {
      const app = await buildServer({ config: benchConfig(), store, now: () => new Date(), ...(mix === 'plain' ? {} : { propose }) });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agent', password: DEMO_PASSWORD }) });
      const { token } = (await login.json()) as { token: string };
      const before = { ...intakeWriterStats };
      const [dispatchedBefore] = await store.db.select({ n: count() }).from(orders).where(eq(orders.state, 'dispatched'));
      const load = await httpLoad({ base, requests: mixRequests(mix, token), connections, amount: n, warmup: 200 });
      if (load.non2xx || load.errors) throw new Error(`${mix}: ${load.non2xx} answers not 2xx, ${load.errors} errors`);
      const [dispatchedAfter] = await store.db.select({ n: count() }).from(orders).where(eq(orders.state, 'dispatched'));
      const statements = intakeWriterStats.statements - before.statements;
      const written = intakeWriterStats.orders - before.orders;
      mixes.push({
        mix,
        orders: n,
        ordersPerSec: n / (load.ms / 1000),
        p50: load.p50,
        p99: load.p99,
        ordersPerStatement: statements ? written / statements : 0,
        dispatchedShare: ((dispatchedAfter?.n ?? 0) - (dispatchedBefore?.n ?? 0)) / (n + 200),
      });
      await app.close();
    }
    // Baseline: single-row inserts of an order-sized row, one statement and commit each, same database.
    await store.db.execute(sql`CREATE TABLE bench_raw (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), title text, body text, state text, created_at timestamptz)`);
    let j = 0;
    const rawWorker = async () => {
      while (j < n) {
        j++;
        await store.db.execute(sql`INSERT INTO bench_raw (title, body, state, created_at) VALUES ('油烟扰民', '朝阳区望京西园三区楼下烧烤店油烟直排', 'dispatched', now())`);
      }
    };
    const raw = await timed(() => Promise.all(Array.from({ length: connections }, rawWorker)));
    return { kind, mixes, rawInsertsPerSec: n / (raw.ms / 1000) };
  } finally {
    await drop();
  }
}

const mixLabels: Record<IntakeMix['mix'], string> = { city: 'city mix, auto dispatch', street: 'one street, unit chosen', plain: 'one street, unit chosen, no advisor' };

export function report(f: IntakeFigures): string {
  return f.mixes
    .map(
      (m) =>
        `intake (${f.kind}, ${mixLabels[m.mix]}): ${fmt(m.orders)} orders ${m.mix === 'plain' ? '' : 'proposed+'}accepted+dispatched via HTTP at ${fmt(m.ordersPerSec)}/s ` +
        `(p50 ${fmt(m.p50)} ms, p99 ${fmt(m.p99)} ms; ${fmt(m.dispatchedShare * 100)}% dispatched at once); raw single-row inserts ${fmt(f.rawInsertsPerSec)}/s; ratio ${fmt(m.ordersPerSec / f.rawInsertsPerSec, 3)}; ` +
        `${fmt(m.ordersPerStatement, 1)} orders per write statement`,
    )
    .join('\n');
}
