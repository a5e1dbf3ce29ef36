/**
 * 指标体系 at city scale: every indicator for every unit of the city, its 16 districts and 343 streets (+6
 * development zones), computed over bulk-loaded orders located all over Beijing (PostgreSQL 1,000,000; PGlite
 * 200,000; accepted 1 Sep – 25 Nov 2026 with realistic states, overdue marks and follow-ups). Times, in the same
 * run: a plain count(*) of all orders (the baseline) and of the rows the indicators read (open, or accepted or
 * followed up this month); computing all indicators for all three levels (what the schedule does, before storing);
 * the scheduled job (compute + store ≈ 3,600 values); reading the stored values as the screen does (the city with
 * its districts, 朝阳区 with its streets); and a fresh on-demand computation for one district's streets.
 *
 *   npm run bench -- indicators
 */
import { sql } from 'drizzle-orm';
import { computeIndicators } from '../src/app/indicators/computeIndicators.js';
import { readIndicators } from '../src/app/indicators/readIndicators.js';
import { runIndicatorJob } from '../src/app/indicators/recordIndicators.js';
import type { Actor } from '../src/domain/actor.js';
import { DEFAULT_ASSESSMENT_POLICY } from '../src/domain/assessment/index.js';
import { builtinIndicators } from '../src/domain/indicator/index.js';
import { queryRows, type Db } from '../src/store/db.js';
import { fmt, freshStore, timed } from './support.js';

export type IndicatorFigures = {
  kind: string;
  orders: number;
  readRows: number;
  units: number;
  values: number;
  loadS: number;
  baselineMs: number;
  baselineReadMs: number;
  computeMs: number;
  jobMs: number;
  readCityMs: number;
  readDistrictMs: number;
  freshDistrictMs: number;
};

const NOW = new Date('2026-11-25T06:00:00Z');
const cityLeader: Actor = { userId: '00000000-0000-0000-0000-000000000001', username: 'bench', displayName: '基准', kind: 'staff', role: 'leader', unitId: '110000', unitName: '北京市', unitLevel: 'city', scopePath: '/110000/' };

async function median<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  await fn();
  const runs = [await timed(fn), await timed(fn), await timed(fn)].sort((a, b) => a.ms - b.ms);
  return runs[1] ?? runs[0]!;
}

/** Orders located in a community (so district, street and community are all set), led by its street. */
async function loadOrders(db: Db, total: number, batch: number): Promise<void> {
  await db.execute(sql`DROP INDEX IF EXISTS orders_text_trgm_idx`);
  await db.execute(sql`CREATE TABLE bench_places (n serial PRIMARY KEY, community text NOT NULL, street text NOT NULL, district text NOT NULL, street_path text NOT NULL)`);
  await db.execute(sql`INSERT INTO bench_places (community, street, district, street_path)
    SELECT c.id, s.id, s.parent_id, s.path FROM units c JOIN units s ON s.id = c.parent_id WHERE c.level = 'community' AND s.level = 'street' ORDER BY c.id`);
  const [p] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM bench_places`);
  const places = p?.n ?? 1;
  const start = new Date('2026-09-01T00:00:00+08:00');
  const step = (NOW.getTime() - start.getTime()) / total;
  const states = sql`ARRAY['dispatched','signed','responded','in_progress','replied','parked','pending_review']::text[]`;
  for (let from = 1; from <= total; from += batch) {
    const to = Math.min(total, from + batch - 1);
    await db.execute(sql`INSERT INTO orders (id, no, request_id, type, channel, title, body, category_id, urgency, policy_code, state, lead_unit_id, lead_unit_path,
        district_id, street_id, community_id, accepted_at, overdue, followed_up_at, resolution, satisfaction, response_met, assessment_excluded, closed_at, updated_at)
      SELECT md5('o' || g.i)::uuid, 'GD' || lpad(g.i::text, 10, '0'), md5('r' || g.i)::uuid, 'complaint', 'hotline', '路灯不亮', '市民来电反映路灯不亮', (ARRAY['CX','GY','JT','SH','HJ'])[1 + g.i % 5], 'general', 'general',
        CASE WHEN g.open THEN (${states})[1 + g.h2 % 7] ELSE 'closed' END, p.street, p.street_path,
        p.district, p.street, p.community, g.acc, g.open AND g.h2 % 9 = 0,
        CASE WHEN NOT g.open THEN g.acc + interval '3 days' END,
        CASE WHEN g.open THEN NULL WHEN g.h4 < 85 THEN 'resolved' WHEN g.h4 < 93 THEN 'partly' ELSE 'unresolved' END,
        CASE WHEN g.open THEN NULL WHEN g.h5 < 80 THEN 'satisfied' WHEN g.h5 < 90 THEN 'basic' WHEN g.h5 < 95 THEN 'unsatisfied' ELSE 'no_answer' END,
        CASE WHEN g.h1 < 900 THEN true WHEN g.h1 < 990 THEN false END, g.h4 = 0,
        CASE WHEN NOT g.open THEN g.acc + interval '4 days' END, g.acc
      FROM (
        SELECT i, abs(hashint4(i)) % 1000 AS h1, abs(hashint4(i * 3 + 1)) AS h2, abs(hashint4(i * 7 + 1)) % 100 AS h4, abs(hashint4(i * 11 + 9)) % 100 AS h5,
          abs(hashint4(i * 13 + 5)) AS h3,
          ${start.toISOString()}::timestamptz + (i - 1) * ${step}::float8 * interval '1 millisecond' AS acc,
          -- recent orders are more often still open
          abs(hashint4(i * 31 + 7)) % 1000 < 40 + 400 * (i::float8 / ${total}) ^ 12 AS open
        FROM generate_series(${from}::int, ${to}::int) AS i
      ) g JOIN bench_places p ON p.n = 1 + g.h3 % ${places}`);
  }
  await db.execute(sql`VACUUM (ANALYZE) orders`);
}

export async function run(kind: 'pglite' | 'postgres', orders = kind === 'postgres' ? 1_000_000 : 200_000): Promise<IndicatorFigures> {
  const { store, drop } = await freshStore(kind);
  try {
    const db = store.db;
    const t0 = Date.now();
    await loadOrders(db, orders, kind === 'postgres' ? 250_000 : 50_000);
    const loadS = (Date.now() - t0) / 1000;
    const monthStart = new Date('2026-11-01T00:00:00+08:00');
    const [city] = await queryRows<{ id: string; name: string; path: string }>(db, sql`SELECT id, name, path FROM units WHERE level = 'city'`);
    if (!city) throw new Error('no city unit');
    const area = { ...city, level: 'city' as const };

    const baseline = await median(() => queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM orders`));
    const baselineRead = await median(() => queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM orders WHERE state NOT IN ('closed', 'terminated', 'invalid', 'merged') OR accepted_at >= ${monthStart} OR last_followed_up_at >= ${monthStart}`));
    const compute = await median(() => computeIndicators({ db, area, levels: ['city', 'district', 'street'], catalogue: builtinIndicators, policy: DEFAULT_ASSESSMENT_POLICY, now: NOW }));
    // Check against plain counts: the city's open orders, and the sum over streets of this month's orders.
    const cityOpen = compute.value.values.get(city.id)?.get('orders.open')?.value;
    const [truth] = await queryRows<{ open: number; month: number }>(db, sql`SELECT count(*) FILTER (WHERE state NOT IN ('closed', 'terminated', 'invalid', 'merged'))::int AS open, count(*) FILTER (WHERE accepted_at >= ${monthStart})::int AS month FROM orders`);
    if (!truth || cityOpen !== truth.open) throw new Error(`city open ${cityOpen} ≠ count(*) ${truth?.open}`);
    const streetMonth = compute.value.units.filter((u) => u.level === 'street').reduce((s, u) => s + (compute.value.values.get(u.id)?.get('orders.month_by_category')?.value ?? 0), 0);
    if (streetMonth !== truth.month) throw new Error(`streets' month orders ${streetMonth} ≠ count(*) ${truth.month}`);

    const job = await timed(() => runIndicatorJob({ db, now: NOW }));
    const readCity = await median(() => readIndicators({ db, actor: cityLeader, level: 'district', now: new Date(NOW.getTime() + 60_000) }));
    if (readCity.value.source !== 'stored') throw new Error('the city read did not use stored values');
    const readDistrict = await median(() => readIndicators({ db, actor: cityLeader, unit: '110105', level: 'street', now: new Date(NOW.getTime() + 60_000) }));
    if (readDistrict.value.source !== 'stored') throw new Error('the district read did not use stored values');
    let tick = 0;
    const fresh = await median(() => readIndicators({ db, actor: cityLeader, unit: '110105', level: 'street', fresh: true, now: new Date(NOW.getTime() + 120_000 + ++tick) }));
    return {
      kind,
      orders: baseline.value[0]?.n ?? 0,
      readRows: baselineRead.value[0]?.n ?? 0,
      units: compute.value.units.length,
      values: job.value.valueCount,
      loadS,
      baselineMs: baseline.ms,
      baselineReadMs: baselineRead.ms,
      computeMs: compute.ms,
      jobMs: job.ms,
      readCityMs: readCity.ms,
      readDistrictMs: readDistrict.ms,
      freshDistrictMs: fresh.ms,
    };
  } finally {
    await drop();
  }
}

export function report(f: IndicatorFigures): string {
  const x = (ms: number) => `${fmt(ms, 1)} ms (${fmt(ms / f.baselineMs, 2)}× count(*))`;
  return [
    `indicators (${f.kind}): ${fmt(f.orders)} orders (loaded in ${fmt(f.loadS, 1)} s), ${fmt(f.readRows)} open or of this month; ${fmt(f.units)} units (city, districts, streets) × ${builtinIndicators.length} indicators`,
    `  baseline count(*) of all orders ${fmt(f.baselineMs, 1)} ms · count(*) of the rows the indicators read ${fmt(f.baselineReadMs, 1)} ms`,
    `  all indicators for city + districts + streets ${x(f.computeMs)}`,
    `  the scheduled job (compute + store ${fmt(f.values)} values) ${x(f.jobMs)}`,
    `  the screen's read of stored values: city with its districts ${x(f.readCityMs)} · 朝阳区 with its streets ${x(f.readDistrictMs)}`,
    `  fresh on-demand computation of 朝阳区 with its streets (+ storing) ${x(f.freshDistrictMs)}`,
  ].join('\n');
}
