/**
 * Monthly figures of problem classes (a category citywide, or a category in one district), over the orders the actor
 * may see: the shared reading behind 每月一题 candidates, topic progress and 未诉先办 forecasts. Months are Beijing
 * calendar months; invalid and merged orders and those excluded from assessment do not count.
 */
import { and, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import type { ClassMonth } from '../../intelligence/topics/candidates.js';
import { queryRows, type DbOrTx } from '../../store/db.js';
import { orders } from '../../store/schema/index.js';
import { visibleCondition } from '../orders/orderRecord.js';

const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;

/** `YYYY-MM` of an instant in Beijing. */
export function monthOf(at: Date): string {
  return new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 7);
}

/** addMonths('2026-11', -13) → '2025-10'. */
export function addMonths(month: string, k: number): string {
  const [y = 0, m = 1] = month.split('-').map(Number);
  const i = y * 12 + (m - 1) + k;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** The instant a Beijing month starts: monthStart('2026-11') → 2026-10-31T16:00:00Z. */
export function monthStart(month: string): Date {
  const [y = 0, m = 1] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 1) - BEIJING_MS);
}

/** The months from `from` to `to`, both included. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The Beijing month of an order's acceptance, in SQL. */
export const orderMonth = sql`to_char((${orders.acceptedAt} AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM')`;

/** Orders that count towards problem classes: not invalid, not merged into another, not excluded from assessment. */
export const countedOrder = sql`${orders.state} NOT IN ('invalid', 'merged') AND NOT ${orders.assessmentExcluded} AND ${orders.categoryId} IS NOT NULL`;

/** An order the citizen called not (or partly) resolved, or one that had to be done again (重办). */
export const unresolvedOrder = sql`(${orders.lastResolution} IN ('unresolved', 'partly') OR ${orders.reopenCount} > 0)`;

export type ClassKey = { categoryId: string; districtId: string | null };
export type ClassRows = { key: string; categoryId: string; districtId: string | null; months: ClassMonth[]; resolved: number[]; satisfied: number[]; answered: number[] };

export const classKey = (categoryId: string, districtId: string | null) => `${categoryId}|${districtId ?? ''}`;

/**
 * classMonths({ db, actor, from: '2025-05', to: '2026-10', by: 'district' }) → one entry per class with a value for
 * every month of the range (zeros where none). `only` limits it to some classes.
 */
export async function classMonths(args: { db: DbOrTx; actor: Actor; from: string; to: string; by: 'city' | 'district'; only?: ClassKey[] }): Promise<Map<string, ClassRows>> {
  const { db, actor, from, to } = args;
  const months = monthRange(from, to);
  const conds: (SQL | undefined)[] = [gte(orders.acceptedAt, monthStart(from)), lt(orders.acceptedAt, monthStart(addMonths(to, 1))), countedOrder, visibleCondition(actor)];
  if (args.only) {
    if (args.only.length === 0) return new Map();
    conds.push(sql`${orders.categoryId} IN (${sql.join([...new Set(args.only.map((k) => k.categoryId))].map((c) => sql`${c}`), sql`, `)})`);
    const districts = [...new Set(args.only.map((k) => k.districtId).filter((d): d is string => !!d))];
    if (args.by === 'district' && districts.length) conds.push(sql`${orders.districtId} IN (${sql.join(districts.map((d) => sql`${d}`), sql`, `)})`);
  }
  const district = args.by === 'district' ? sql`${orders.districtId}` : sql`NULL::text`;
  const rows = await queryRows<{ category: string; district: string | null; month: string; n: number; followed: number; unresolved: number; resolved: number; satisfied: number; answered: number }>(
    db,
    sql`SELECT ${orders.categoryId} AS category, ${district} AS district, ${orderMonth} AS month, count(*)::int AS n,
          count(*) FILTER (WHERE ${orders.lastResolution} IS NOT NULL OR ${orders.reopenCount} > 0)::int AS followed,
          count(*) FILTER (WHERE ${unresolvedOrder})::int AS unresolved,
          count(*) FILTER (WHERE ${orders.lastResolution} = 'resolved')::int AS resolved,
          count(*) FILTER (WHERE ${orders.lastSatisfaction} IN ('satisfied', 'basic'))::int AS satisfied,
          count(*) FILTER (WHERE ${orders.lastSatisfaction} IN ('satisfied', 'basic', 'unsatisfied'))::int AS answered
        FROM ${orders} WHERE ${and(...conds)} GROUP BY 1, 2, 3`,
  );
  const index = new Map(months.map((m, i) => [m, i]));
  const wanted = args.only ? new Set(args.only.map((k) => classKey(k.categoryId, args.by === 'district' ? k.districtId : null))) : null;
  const out = new Map<string, ClassRows>();
  for (const r of rows) {
    const i = index.get(r.month);
    if (i === undefined) continue;
    const key = classKey(r.category, r.district);
    if (wanted && !wanted.has(key)) continue;
    let c = out.get(key);
    if (!c) {
      c = {
        key,
        categoryId: r.category,
        districtId: r.district,
        months: months.map(() => ({ orders: 0, followedUp: 0, unresolved: 0 })),
        resolved: months.map(() => 0),
        satisfied: months.map(() => 0),
        answered: months.map(() => 0),
      };
      out.set(key, c);
    }
    c.months[i] = { orders: r.n, followedUp: r.followed, unresolved: r.unresolved };
    c.resolved[i] = r.resolved;
    c.satisfied[i] = r.satisfied;
    c.answered[i] = r.answered;
  }
  return out;
}

/** How many streets and districts each class reached between two instants. */
export async function classSpread(args: { db: DbOrTx; actor: Actor; since: Date; until: Date; by: 'city' | 'district' }): Promise<Map<string, { streets: number; districts: number }>> {
  const district = args.by === 'district' ? sql`${orders.districtId}` : sql`NULL::text`;
  const where = and(gte(orders.acceptedAt, args.since), lt(orders.acceptedAt, args.until), countedOrder, visibleCondition(args.actor));
  const rows = await queryRows<{ category: string; district: string | null; streets: number; districts: number }>(
    args.db,
    sql`SELECT ${orders.categoryId} AS category, ${district} AS district, count(DISTINCT ${orders.streetId})::int AS streets, count(DISTINCT ${orders.districtId})::int AS districts FROM ${orders} WHERE ${where} GROUP BY 1, 2`,
  );
  return new Map(rows.map((r) => [classKey(r.category, r.district), { streets: r.streets, districts: r.districts }]));
}

/** Orders of each class in the last 30 days up to `now` (the current level forecasts are compared with). */
export async function classLast30Days(args: { db: DbOrTx; actor: Actor; now: Date; by: 'city' | 'district' }): Promise<Map<string, number>> {
  const district = args.by === 'district' ? sql`${orders.districtId}` : sql`NULL::text`;
  const where = and(gte(orders.acceptedAt, new Date(args.now.getTime() - 30 * DAY_MS)), lt(orders.acceptedAt, args.now), countedOrder, visibleCondition(args.actor));
  const rows = await queryRows<{ category: string; district: string | null; n: number }>(args.db, sql`SELECT ${orders.categoryId} AS category, ${district} AS district, count(*)::int AS n FROM ${orders} WHERE ${where} GROUP BY 1, 2`);
  return new Map(rows.map((r) => [classKey(r.category, r.district), r.n]));
}
