/**
 * 未诉先办 forecasts: for every problem class citywide and in every district, the monthly orders of the last two years,
 * the forecast of this month and the next (intelligence/trend/forecast.ts), and a flag where the coming month will
 * rise well above the last 30 days — heating in October, flooding in June — with the responsible units and the
 * orders of the same month last year as evidence. Over the orders the viewer may see.
 */
import { and, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { backtest, defaultRiseOptions, forecastCounts, forecastWithParent, isRise, type BacktestScore, type ForecastMethod, type ForecastOptions, type RiseOptions } from '../../intelligence/trend/forecast.js';
import { route, type UnitInfo } from '../../intelligence/route/route.js';
import type { DbOrTx } from '../../store/db.js';
import type { CoUnitRef } from '../../store/reference/categories.js';
import { orders } from '../../store/schema/index.js';
import { visibleCondition } from '../orders/orderRecord.js';
import { getReference, namesFromReference, type Reference } from '../reference/referenceCache.js';
import { addMonths, classKey, classLast30Days, classMonths, countedOrder, monthOf, monthRange, monthStart, orderMonth, type ClassRows } from '../topics/classMonths.js';

type Named = { code: string; name: string };
export type ForecastView = {
  key: string;
  category: Named;
  area: { level: 'city' | 'district'; code: string | null; name: string };
  /** Monthly orders, oldest first, over `months`; the current month is partial. */
  history: number[];
  months: string[];
  /** Forecast for the current month (whole month) and the next. */
  forecast: { month: string; value: number }[];
  method: ForecastMethod;
  /** Orders in the last 30 days: the current level. */
  now: number;
  rising: boolean;
  peak: { month: string; value: number; ratio: number | null };
  /** Same month a year earlier, the basis of the seasonal forecast. */
  lastYear: { month: string; orders: number };
  /** Who would act: the lead (and co-units) by the catalogue's rule for this area. */
  units: Named[];
  /** Orders of the peak month a year earlier (up to 10), as evidence. */
  evidence: { id: string; no: string; title: string; acceptedAt: string }[];
  evidenceKey: string;
};

export type ForecastQuery = { level?: 'city' | 'district' | 'all' | undefined; risingOnly?: boolean | undefined; category?: string | undefined; district?: string | undefined; limit?: number | undefined; rise?: Partial<RiseOptions> | undefined };

/** 24 complete months are read; the seasonal forecast needs 15. */
const HISTORY_MONTHS = 24;

function unitsFor(ref: Reference, categoryId: string, districtId: string | null): Named[] {
  const category = ref.categories.get(categoryId);
  if (!category) return [];
  const district = districtId ? { code: districtId, name: ref.units.get(districtId)?.name ?? districtId } : null;
  const r = route({
    category: { code: category.id, name: category.name, handling: category.handling as 'territorial' | 'sectoral' | 'district', ...(category.department ? { department: category.department } : {}), coUnits: category.coUnits as CoUnitRef[] },
    location: { district, street: null },
    units: { byCode: (c): UnitInfo | undefined => { const u = ref.units.get(c); return u?.active ? { code: u.id, name: u.name, level: u.level, path: u.path } : undefined; } },
  });
  return r.lead ? [r.lead, ...r.coUnits.filter((c) => ref.units.get(c.code)?.level !== 'street')] : [];
}

export function forecastEvidenceKey(categoryId: string, districtId: string | null, month: string): string {
  return `forecast:${categoryId}|${districtId ?? 'city'}|${month}`;
}

type Series = { city: Map<string, ClassRows>; district: Map<string, ClassRows>; months: string[]; current: string };

async function readSeries(db: DbOrTx, actor: Actor, now: Date, levels: ('city' | 'district')[]): Promise<Series> {
  const current = monthOf(now);
  const from = addMonths(current, -HISTORY_MONTHS);
  const months = monthRange(from, current);
  const city = await classMonths({ db, actor, from, to: current, by: 'city' });
  const district = levels.includes('district') ? await classMonths({ db, actor, from, to: current, by: 'district' }) : new Map<string, ClassRows>();
  return { city, district, months, current };
}

/** listForecasts({ db, actor, now, query: { risingOnly: true } }) → classes whose coming month rises well above now, strongest first. */
export async function listForecasts(args: { db: DbOrTx; actor: Actor; now: Date; query?: ForecastQuery }): Promise<{ month: string; nextMonth: string; rise: RiseOptions; forecasts: ForecastView[] }> {
  const { db, actor, now } = args;
  const q = args.query ?? {};
  const level = q.level ?? 'all';
  const levels: ('city' | 'district')[] = level === 'all' ? ['city', 'district'] : [level];
  const rise = { ...defaultRiseOptions, ...q.rise };
  const s = await readSeries(db, actor, now, levels);
  const last30 = new Map([...(await classLast30Days({ db, actor, now, by: 'city' }))]);
  if (levels.includes('district')) for (const [k, v] of await classLast30Days({ db, actor, now, by: 'district' })) last30.set(k, v);
  const ref = await getReference(db);
  const names = namesFromReference(ref);
  const nextMonth = addMonths(s.current, 1);
  const out: ForecastView[] = [];
  const consider = (c: ClassRows, lvl: 'city' | 'district') => {
    if (q.category && c.categoryId !== q.category && !c.categoryId.startsWith(`${q.category}.`)) return;
    if (q.district && c.districtId !== q.district) return;
    const counts = c.months.map((m) => m.orders);
    const complete = counts.slice(0, -1); // the current month is partial
    const parent = lvl === 'district' ? s.city.get(classKey(c.categoryId, null)) : undefined;
    const f = parent ? forecastWithParent(complete, parent.months.map((m) => m.orders).slice(0, -1), 2) : forecastCounts(complete, 2);
    const nowLevel = last30.get(c.key) ?? 0;
    const r = isRise({ now: nowLevel, forecast: f.values }, rise);
    if (q.risingOnly !== false && !r.rising) return;
    const peakMonth = r.peakIndex === 0 ? s.current : nextMonth;
    const lastYearMonth = addMonths(peakMonth, -12);
    const lastYearIndex = s.months.indexOf(lastYearMonth);
    out.push({
      key: c.key,
      category: names.category(c.categoryId) ?? { code: c.categoryId, name: c.categoryId },
      area: lvl === 'city' ? { level: 'city', code: null, name: '全市' } : { level: 'district', code: c.districtId, name: names.unit(c.districtId)?.name ?? c.districtId ?? '' },
      history: counts,
      months: s.months,
      forecast: [
        { month: s.current, value: f.values[0] ?? 0 },
        { month: nextMonth, value: f.values[1] ?? 0 },
      ],
      method: f.method,
      now: nowLevel,
      rising: r.rising,
      peak: { month: peakMonth, value: r.peak, ratio: r.ratio },
      lastYear: { month: lastYearMonth, orders: lastYearIndex >= 0 ? (counts[lastYearIndex] ?? 0) : 0 },
      units: unitsFor(ref, c.categoryId, c.districtId),
      evidence: [],
      evidenceKey: forecastEvidenceKey(c.categoryId, c.districtId, peakMonth),
    });
  };
  if (levels.includes('city')) for (const c of s.city.values()) consider(c, 'city');
  if (levels.includes('district')) for (const c of s.district.values()) consider(c, 'district');
  out.sort((a, b) => b.peak.value - b.now - (a.peak.value - a.now) || a.key.localeCompare(b.key));
  const shown = out.slice(0, q.limit ?? 50);
  await attachEvidence(db, actor, shown);
  return { month: s.current, nextMonth, rise, forecasts: shown };
}

/** The orders of each forecast's peak month a year earlier (10 each, newest first), in one query. */
async function attachEvidence(db: DbOrTx, actor: Actor, views: ForecastView[]): Promise<void> {
  if (views.length === 0) return;
  const cats = [...new Set(views.map((v) => v.category.code))];
  const ym = [...new Set(views.map((v) => v.lastYear.month))];
  const from = ym.reduce((a, b) => (a < b ? a : b));
  const to = ym.reduce((a, b) => (a > b ? a : b));
  const ranked = db
    .select({
      id: orders.id,
      no: orders.no,
      title: orders.title,
      acceptedAt: orders.acceptedAt,
      categoryId: orders.categoryId,
      districtId: orders.districtId,
      month: sql<string>`${orderMonth}`.as('month'),
      rn: sql<number>`row_number() OVER (PARTITION BY ${orders.categoryId}, ${orders.districtId}, ${orderMonth} ORDER BY ${orders.acceptedAt} DESC)`.as('rn'),
    })
    .from(orders)
    .where(and(inArray(orders.categoryId, cats), gte(orders.acceptedAt, monthStart(from)), lt(orders.acceptedAt, monthStart(addMonths(to, 1))), countedOrder, visibleCondition(actor)))
    .as('ranked');
  const rows = await db.select().from(ranked).where(sql`${ranked.rn} <= 10`);
  for (const v of views) {
    v.evidence = rows
      .filter((r) => r.categoryId === v.category.code && r.month === v.lastYear.month && (v.area.level === 'city' || r.districtId === v.area.code))
      .sort((a, b) => b.acceptedAt.getTime() - a.acceptedAt.getTime())
      .slice(0, 10)
      .map((r) => ({ id: r.id, no: r.no, title: r.title, acceptedAt: r.acceptedAt.toISOString() }));
  }
}

/**
 * The forecasts' backtest on the stored orders: one month ahead from every origin with 15 months before it, citywide
 * classes and district classes (pooled with their citywide parent), against naive, seasonal-naive and trend forecasts.
 */
export async function backtestForecasts(args: { db: DbOrTx; actor: Actor; now: Date; minOrders?: number; options?: Partial<ForecastOptions> }): Promise<{ months: string[]; origins: number; city: BacktestScore[]; district: BacktestScore[] }> {
  const { db, actor, now } = args;
  const s = await readSeries(db, actor, now, ['city', 'district']);
  const complete = (c: ClassRows) => c.months.map((m) => m.orders).slice(0, -1);
  const minOrders = args.minOrders ?? 24;
  const city = new Map([...s.city.values()].map((c) => [c.key, complete(c)] as const).filter(([, v]) => v.reduce((a, b) => a + b, 0) >= minOrders));
  const district = new Map([...s.district.values()].map((c) => [c.key, complete(c)] as const).filter(([, v]) => v.reduce((a, b) => a + b, 0) >= minOrders));
  const parents = new Map([...s.district.values()].map((c) => [c.key, complete(s.city.get(classKey(c.categoryId, null)) ?? c)] as const));
  // Origins start where a year and a quarter of history exists, and where the stored history begins.
  const firstMonth = Math.max(0, s.months.findIndex((_, i) => [...s.city.values()].some((c) => (c.months[i]?.orders ?? 0) > 0)));
  const firstOrigin = firstMonth + 14;
  const trim = (m: Map<string, number[]>) => new Map([...m].map(([k, v]) => [k, v.slice(firstMonth)] as const));
  const origin = Math.max(0, firstOrigin - firstMonth);
  return {
    months: s.months.slice(firstMonth, -1),
    origins: Math.max(0, s.months.length - 1 - firstOrigin - 1),
    city: backtest(trim(city), { firstOrigin: origin, ...(args.options ? { options: args.options } : {}) }),
    district: backtest(trim(district), { firstOrigin: origin, parents: trim(parents), ...(args.options ? { options: args.options } : {}) }),
  };
}
