/**
 * The monthly three-rate ranking of Beijing's 343 streets at city scale: 2,000,000 orders on PostgreSQL (200,000 on
 * PGlite) spread over three months (about Beijing's real monthly volume of dispatched orders each), bulk-loaded in
 * SQL with realistic outcomes. Times, in the same run: a plain count(*) of the month's orders (the baseline), the
 * one grouped query behind the rates, the whole ranking use-case counted live (this month and last), the assessment
 * job's recount of the two open months, the ranking read from those provisional counts (what a leader's page gets),
 * closing the months, and the ranking read from the final snapshots.
 *
 *   npm run bench -- ranking
 */
import { sql } from 'drizzle-orm';
import { countsByLeadPath } from '../src/app/assessment/figures.js';
import { closeMonth, refreshMonth } from '../src/app/assessment/monthFigures.js';
import { getRanking } from '../src/app/assessment/rankings.js';
import type { Actor } from '../src/domain/actor.js';
import { monthRange } from '../src/domain/assessment/index.js';
import { queryRows, type Db } from '../src/store/db.js';
import { fmt, freshStore, timed } from './support.js';

export type RankingFigures = {
  kind: string;
  orders: number;
  monthOrders: number;
  monthFollowUps: number;
  loadS: number;
  baselineMs: number;
  groupedMs: number;
  rankingLiveMs: number;
  refreshMs: number;
  rankingProvisionalMs: number;
  closeMs: number;
  rankingSnapshotMs: number;
  plan: string;
  streets: number;
  ranked: number;
};

const MONTH = '2026-10';
const cityLeader: Actor = { userId: '00000000-0000-0000-0000-000000000001', username: 'bench', displayName: '基准', kind: 'staff', role: 'leader', unitId: '110000', unitName: '北京市', unitLevel: 'city', scopePath: '/110000/' };

const titles = ['烧烤店油烟直排扰民', '小区供暖温度不达标', '楼道堆放杂物占用消防通道', '路灯不亮影响夜间出行', '施工夜间噪音扰民', '共享单车乱停放堵塞人行道', '物业费收取不合理', '老旧小区加装电梯', '幼儿园入园难', '拖欠农民工工资', '自来水水压低', '垃圾清运不及时'];
const bodies = titles.map((t) => `市民来电反映：${t}，已持续一段时间，多次与相关方沟通未果，希望有关部门尽快核实处理并给予答复。地址：朝阳区某小区某号楼附近。`);

const textArray = (xs: readonly string[]) => sql`ARRAY[${sql.join(xs.map((x) => sql`${x}`), sql`, `)}]::text[]`;

/** Median of three timed runs after one warm-up. */
async function median<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  await fn();
  const runs = [await timed(fn), await timed(fn), await timed(fn)].sort((a, b) => a.ms - b.ms);
  return runs[1] ?? runs[0]!;
}

/** Lead units weighted like the city's dispatch: streets often, communities under them, departments and companies. */
async function loadLeads(db: Db): Promise<number> {
  await db.execute(sql`CREATE TABLE bench_leads (n serial PRIMARY KEY, id text NOT NULL, path text NOT NULL)`);
  await db.execute(sql`INSERT INTO bench_leads (id, path) SELECT u.id, u.path FROM units u, generate_series(1, 18) WHERE u.level = 'street' AND u.kind <> '开发区' ORDER BY u.id`);
  await db.execute(sql`INSERT INTO bench_leads (id, path) SELECT id, path FROM units WHERE level = 'community' ORDER BY id`);
  await db.execute(sql`INSERT INTO bench_leads (id, path) SELECT u.id, u.path FROM units u, generate_series(1, 6) WHERE u.level IN ('department', 'company') ORDER BY u.id`);
  const [r] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM bench_leads`);
  return r?.n ?? 0;
}

/** Insert orders `from`…`to` of `total`, accepted evenly over September to November 2026 (Beijing). */
async function insertOrders(db: Db, from: number, to: number, total: number, leads: number): Promise<void> {
  const spanMs = monthRange('2026-12').from.getTime() - monthRange('2026-09').from.getTime();
  const step = spanMs / total;
  const start = monthRange('2026-09').from.toISOString();
  await db.execute(sql`INSERT INTO orders (id, no, request_id, type, channel, title, body, urgency, policy_code, state, lead_unit_id, lead_unit_path,
      accepted_at, dispatched_at, replied_at, reply_text, followed_up_at, resolution, satisfaction, response_met, assessment_excluded, closed_at, updated_at)
    SELECT md5('o' || g.i)::uuid, 'GD' || lpad(g.i::text, 10, '0'), md5('r' || g.i)::uuid, 'complaint', 'hotline',
      (${textArray(titles)})[1 + g.i % 12], (${textArray(bodies)})[1 + g.i % 12], 'general', 'general',
      CASE WHEN g.fu THEN 'closed' ELSE 'in_progress' END, l.id, l.path,
      g.acc, g.acc + interval '4 minutes',
      CASE WHEN g.fu THEN g.acc + g.days * interval '1 day' END,
      CASE WHEN g.fu THEN '经核实，已协调相关单位处理完毕，并电话告知诉求人处理结果。' END,
      CASE WHEN g.fu THEN g.acc + g.days * interval '1 day' + interval '3 hours' END,
      CASE WHEN NOT g.fu THEN NULL WHEN g.h4 < 85 THEN 'resolved' WHEN g.h4 < 93 THEN 'partly' ELSE 'unresolved' END,
      CASE WHEN NOT g.fu THEN NULL WHEN g.h5 < 80 THEN 'satisfied' WHEN g.h5 < 90 THEN 'basic' WHEN g.h5 < 95 THEN 'unsatisfied' ELSE 'no_answer' END,
      CASE WHEN g.h1 < 950 THEN true WHEN g.h1 < 990 THEN false END,
      g.h6 = 0,
      CASE WHEN g.fu THEN g.acc + g.days * interval '1 day' + interval '4 hours' END,
      g.acc
    FROM (
      SELECT i, abs(hashint4(i)) % 1000 AS h1, abs(hashint4(i * 31 + 7)) % 1000 < 920 AS fu, 1 + abs(hashint4(i * 13 + 5)) % 9 AS days,
        abs(hashint4(i * 17 + 3)) AS h3, abs(hashint4(i * 7 + 1)) % 100 AS h4, abs(hashint4(i * 11 + 9)) % 100 AS h5, abs(hashint4(i * 19 + 2)) % 100 AS h6,
        ${start}::timestamptz + (i - 1) * ${step}::float8 * interval '1 millisecond' AS acc
      FROM generate_series(${from}::int, ${to}::int) AS i
    ) g
    JOIN bench_leads l ON l.n = 1 + g.h3 % ${leads}`);
}

/** Bulk-load `orders` synthetic orders in batches, then VACUUM ANALYZE: the steady state of past months. */
export async function loadBenchOrders(db: Db, orders: number, batch: number): Promise<void> {
  // The trigram index on the order text serves search, not assessment, and triples the load time: left out here.
  await db.execute(sql`DROP INDEX IF EXISTS orders_text_trgm_idx`);
  const leads = await loadLeads(db);
  for (let from = 1; from <= orders; from += batch) await insertOrders(db, from, Math.min(orders, from + batch - 1), orders, leads);
  await db.execute(sql`VACUUM (ANALYZE) orders`);
}

export async function run(kind: 'pglite' | 'postgres', orders = kind === 'postgres' ? 2_000_000 : 200_000): Promise<RankingFigures> {
  const { store, drop } = await freshStore(kind);
  try {
    const db = store.db;
    const t0 = Date.now();
    await loadBenchOrders(db, orders, kind === 'postgres' ? 250_000 : 50_000);
    const loadS = (Date.now() - t0) / 1000;
    const { from, to } = monthRange(MONTH);
    const now = new Date('2026-12-10T02:00:00Z');

    const baseline = await median(() => queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM orders WHERE accepted_at >= ${from} AND accepted_at < ${to}`));
    const [fu] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM orders WHERE last_followed_up_at >= ${from} AND last_followed_up_at < ${to}`);
    const grouped = await median(() => countsByLeadPath(db, { from, to }));
    const live = await median(() => getRanking({ db, actor: cityLeader, kind: 'street', month: MONTH, now, live: true }));
    // The job's turn: recount both open months (September is still open in this scenario too).
    const refresh = await timed(async () => {
      await refreshMonth({ db, month: '2026-09', now });
      await refreshMonth({ db, month: MONTH, now });
    });
    const provisional = await median(() => getRanking({ db, actor: cityLeader, kind: 'street', month: MONTH, now }));
    if (provisional.value.source !== 'provisional') throw new Error('ranking did not read the provisional count');
    const close = await timed(async () => {
      await closeMonth({ db, month: '2026-09', now, closedBy: 'bench' });
      await closeMonth({ db, month: MONTH, now, closedBy: 'bench' });
    });
    const snapshot = await median(() => getRanking({ db, actor: cityLeader, kind: 'street', month: MONTH, now }));
    if (snapshot.value.source !== 'snapshot') throw new Error('ranking did not read the snapshot');
    const same = (x: typeof live.value) => JSON.stringify(x.rows.map((r) => [r.code, r.rank, r.score, r.rankChange, r.counts]));
    if (same(live.value) !== same(snapshot.value) || same(live.value) !== same(provisional.value)) throw new Error('the snapshot ranking differs from the live one');
    const total = [...grouped.value.values()].reduce((s, c) => s + c.assessed + c.excluded, 0);
    if (total !== baseline.value[0]?.n) throw new Error(`grouped counts ${total} ≠ count(*) ${baseline.value[0]?.n}`);
    const explain = await queryRows<Record<string, string>>(db, sql`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT lead_unit_path, count(*) FILTER (WHERE response_met) FROM orders WHERE lead_unit_path IS NOT NULL AND accepted_at >= ${from} AND accepted_at < ${to} GROUP BY lead_unit_path`);
    const plan = explain.map((r) => Object.values(r)[0] ?? '').filter((l) => /Scan|Heap Fetches|Aggregate/.test(l)).map((l) => l.trim()).join(' | ');
    return {
      kind,
      orders,
      monthOrders: baseline.value[0]?.n ?? 0,
      monthFollowUps: fu?.n ?? 0,
      loadS,
      baselineMs: baseline.ms,
      groupedMs: grouped.ms,
      rankingLiveMs: live.ms,
      refreshMs: refresh.ms,
      rankingProvisionalMs: provisional.ms,
      closeMs: close.ms,
      rankingSnapshotMs: snapshot.ms,
      plan,
      streets: live.value.rows.length,
      ranked: live.value.ranked,
    };
  } finally {
    await drop();
  }
}

export function report(f: RankingFigures): string {
  return [
    `ranking (${f.kind}): ${fmt(f.orders)} orders (loaded in ${fmt(f.loadS, 1)} s); ${MONTH}: ${fmt(f.monthOrders)} accepted, ${fmt(f.monthFollowUps)} followed up; ${fmt(f.ranked)} of ${fmt(f.streets)} streets ranked`,
    `  baseline count(*) of the month ${fmt(f.baselineMs, 1)} ms · grouped three-rate query ${fmt(f.groupedMs, 1)} ms (${fmt(f.groupedMs / f.baselineMs, 2)}×)`,
    `  street ranking counted live (this month and last) ${fmt(f.rankingLiveMs, 1)} ms`,
    `  street ranking from the job's provisional counts ${fmt(f.rankingProvisionalMs, 1)} ms (the job's recount of two months ${fmt(f.refreshMs, 1)} ms) · from final snapshots ${fmt(f.rankingSnapshotMs, 1)} ms (closing two months ${fmt(f.closeMs, 1)} ms)`,
    `  plan: ${f.plan}`,
  ].join('\n');
}
