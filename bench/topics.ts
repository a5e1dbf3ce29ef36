/**
 * 每月一题 candidates and 未诉先办 forecasts over two years of orders: 400,000 on PostgreSQL (100,000 on PGlite),
 * bulk-loaded in SQL over the 25 months up to now, each with a leaf category, a street and its district, and a 回访
 * answer. Times, in the same run: a plain count(*) of those orders (the baseline), the candidates (citywide and per
 * district), the forecasts (citywide and per district, with evidence) and the backtest, each as a ratio to the baseline.
 *
 *   npm run bench -- topics
 */
import { sql } from 'drizzle-orm';
import { systemActor } from '../src/app/orders/transitionOrder.js';
import { backtestForecasts, listForecasts } from '../src/app/proactive/listForecasts.js';
import { listTopicCandidates } from '../src/app/topics/listTopicCandidates.js';
import { queryRows } from '../src/store/db.js';
import { fmt, freshStore, timed } from './support.js';

export type TopicsFigures = { kind: string; orders: number; loadS: number; baselineMs: number; candidatesCityMs: number; candidatesDistrictMs: number; forecastsMs: number; backtestMs: number; candidates: number; forecasts: number };

const DAY_MS = 86_400_000;

/** Median of three timed runs after one warm-up. */
async function median<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  await fn();
  const runs = [await timed(fn), await timed(fn), await timed(fn)].sort((a, b) => a.ms - b.ms);
  return runs[1] ?? runs[0]!;
}

export async function run(kind: 'pglite' | 'postgres', total = kind === 'postgres' ? 400_000 : 100_000): Promise<TopicsFigures> {
  const { store, drop } = await freshStore(kind);
  const db = store.db;
  const now = new Date();
  try {
    const t0 = Date.now();
    const start = new Date(now.getTime() - 760 * DAY_MS).toISOString();
    const step = (760 * DAY_MS) / total / 1000;
    // Categories and streets by number; the season: heating (GY.04*) ten times as likely in November–January.
    await db.execute(sql`CREATE TEMP TABLE bench_cats AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM categories WHERE depth >= 1`);
    await db.execute(sql`CREATE TEMP TABLE bench_streets AS SELECT row_number() OVER (ORDER BY id) AS n, id, split_part(path, '/', 3) AS district FROM units WHERE level = 'street'`);
    for (let from = 1; from <= total; from += 50_000) {
      const to = Math.min(total, from + 49_999);
      await db.execute(sql`INSERT INTO orders (id, no, request_id, type, channel, title, body, category_id, urgency, policy_code, district_id, street_id, state, accepted_at, last_resolution, last_satisfaction, last_followed_up_at, reopen_count, updated_at)
        SELECT md5('t' || g.i)::uuid, 'BT' || lpad(g.i::text, 10, '0'), md5('q' || g.i)::uuid, 'complaint', 'hotline', '物业不作为', '市民反映物业服务问题', c.id, 'general', 'general', s.district, s.id, 'closed', g.acc,
          CASE WHEN g.i % 10 < 7 THEN 'resolved' WHEN g.i % 10 < 9 THEN 'partly' ELSE 'unresolved' END,
          CASE WHEN g.i % 10 < 8 THEN 'satisfied' ELSE 'unsatisfied' END, g.acc + interval '5 days', CASE WHEN g.i % 37 = 0 THEN 1 ELSE 0 END, g.acc
        FROM (SELECT i, ${start}::timestamptz + (i * ${step}::float8) * interval '1 second' AS acc FROM generate_series(${from}::int, ${to}::int) AS i) g
        JOIN bench_cats c ON c.n = 1 + (g.i * 7 + CASE WHEN extract(month FROM g.acc) IN (11, 12, 1) AND g.i % 3 = 0 THEN 0 ELSE g.i % 13 END) % (SELECT count(*) FROM bench_cats)
        JOIN bench_streets s ON s.n = 1 + (g.i * 13) % (SELECT count(*) FROM bench_streets)`);
    }
    await db.execute(sql`ANALYZE orders`);
    const loadS = (Date.now() - t0) / 1000;
    const [n] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM orders WHERE accepted_at >= ${start}::timestamptz`);
    const baseline = await median(() => queryRows(db, sql`SELECT count(*)::int AS n FROM orders WHERE accepted_at >= ${start}::timestamptz AND category_id IS NOT NULL`));
    const city = await median(() => listTopicCandidates({ db, actor: systemActor, now, query: { months: 6, limit: 10 } }));
    const district = await median(() => listTopicCandidates({ db, actor: systemActor, now, query: { months: 6, limit: 10, scope: 'district' } }));
    const forecasts = await median(() => listForecasts({ db, actor: systemActor, now }));
    const backtest = await median(() => backtestForecasts({ db, actor: systemActor, now }));
    return { kind, orders: n?.n ?? 0, loadS, baselineMs: baseline.ms, candidatesCityMs: city.ms, candidatesDistrictMs: district.ms, forecastsMs: forecasts.ms, backtestMs: backtest.ms, candidates: city.value.candidates.length, forecasts: forecasts.value.forecasts.length };
  } finally {
    await drop();
  }
}

export function report(f: TopicsFigures): string {
  const r = (ms: number) => `${fmt(ms)} ms (${fmt(ms / Math.max(f.baselineMs, 0.001), 1)}× count)`;
  return [
    `topics/forecasts · ${f.kind} · ${fmt(f.orders)} orders over 25 months (loaded in ${fmt(f.loadS, 1)} s)`,
    `  baseline count(*)            ${fmt(f.baselineMs, 1)} ms`,
    `  candidates citywide          ${r(f.candidatesCityMs)} — ${f.candidates} shown`,
    `  candidates per district      ${r(f.candidatesDistrictMs)}`,
    `  forecasts (city + district)  ${r(f.forecastsMs)} — ${f.forecasts} rising`,
    `  backtest                     ${r(f.backtestMs)}`,
  ].join('\n');
}
