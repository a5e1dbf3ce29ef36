/**
 * The leader's overview: volumes, overdue and the three rates by district and street, a daily trend and the top
 * categories, over a period and limited to the viewer's jurisdiction. Invalid orders are left out of the rates.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { queryRows, type Db } from '../../store/db.js';
import { orders } from '../../store/schema/index.js';
import { visibleCondition } from '../orders/orderRecord.js';

export type Rates = { responseRate: number | null; resolutionRate: number | null; satisfactionRate: number | null };
type Row = { code: string | null; name: string | null; accepted: number; overdue: number; resp_met: number; resp_all: number; fu: number; resolved: number; satisfied: number };

const rate = (num: number, den: number) => (den > 0 ? num / den : null);
const rates = (r: Row): Rates => ({ responseRate: rate(r.resp_met, r.resp_all), resolutionRate: rate(r.resolved, r.fu), satisfactionRate: rate(r.satisfied, r.fu) });

export async function statsOverview(args: { db: Db; actor: Actor; from: Date; to: Date }) {
  const { db, actor, from, to } = args;
  const vis = visibleCondition(actor);
  const where: SQL = sql`${orders.acceptedAt} >= ${from} AND ${orders.acceptedAt} < ${to}${vis ? sql` AND ${vis}` : sql``}`;
  // Counts behind the rates: response met on time among clocks that are stopped or past due; resolution and
  // satisfaction (基本满意 counts as satisfied here) among followed-up orders that are not excluded — the latest
  // follow-up answers, which a reopen (重办) keeps in last_* while it clears the current ones.
  const measures = sql`count(*)::int AS accepted,
    count(*) FILTER (WHERE ${orders.overdue})::int AS overdue,
    count(*) FILTER (WHERE c.stopped_at IS NOT NULL AND c.stopped_at <= c.due_at)::int AS resp_met,
    count(*) FILTER (WHERE c.stopped_at IS NOT NULL OR c.due_at < now())::int AS resp_all,
    count(*) FILTER (WHERE ${orders.lastResolution} IS NOT NULL AND NOT ${orders.assessmentExcluded})::int AS fu,
    count(*) FILTER (WHERE ${orders.lastResolution} = 'resolved' AND NOT ${orders.assessmentExcluded})::int AS resolved,
    count(*) FILTER (WHERE ${orders.lastSatisfaction} IN ('satisfied', 'basic') AND NOT ${orders.assessmentExcluded})::int AS satisfied`;
  const from_ = sql`FROM ${orders} LEFT JOIN order_clocks c ON c.order_id = ${orders.id} AND c.kind = 'response'`;
  const [totals, byDistrict, byStreet, trend, top] = await Promise.all([
    queryRows<Row & { open: number; closed: number }>(db, sql`SELECT NULL AS code, NULL AS name, ${measures}, count(*) FILTER (WHERE ${orders.closedAt} IS NULL)::int AS open, count(*) FILTER (WHERE ${orders.state} = 'closed')::int AS closed ${from_} WHERE ${where}`),
    queryRows<Row>(db, sql`SELECT u.id AS code, u.name AS name, ${measures} ${from_} JOIN units u ON u.id = ${orders.districtId} WHERE ${where} GROUP BY u.id, u.name ORDER BY accepted DESC`),
    queryRows<Row & { district: string; lat: number | null; lng: number | null }>(db, sql`SELECT u.id AS code, u.name AS name, u.parent_id AS district, u.lat, u.lng, ${measures} ${from_} JOIN units u ON u.id = ${orders.streetId} WHERE ${where} GROUP BY u.id, u.name, u.parent_id, u.lat, u.lng ORDER BY accepted DESC LIMIT 400`),
    queryRows<{ date: string; accepted: number; closed: number }>(db, sql`SELECT to_char(${orders.acceptedAt} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS date, count(*)::int AS accepted, count(*) FILTER (WHERE ${orders.state} = 'closed')::int AS closed FROM ${orders} WHERE ${where} GROUP BY 1 ORDER BY 1`),
    queryRows<{ code: string; name: string; count: number }>(db, sql`SELECT c.id AS code, c.name AS name, count(*)::int AS count FROM ${orders} JOIN categories c ON c.id = ${orders.categoryId} WHERE ${where} GROUP BY c.id, c.name ORDER BY count DESC LIMIT 10`),
  ]);
  const t = totals[0];
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    totals: { accepted: t?.accepted ?? 0, open: t?.open ?? 0, overdue: t?.overdue ?? 0, closed: t?.closed ?? 0, ...(t ? rates(t) : { responseRate: null, resolutionRate: null, satisfactionRate: null }) },
    byDistrict: byDistrict.map((r) => ({ code: r.code ?? '', name: r.name ?? '', accepted: r.accepted, overdue: r.overdue, ...rates(r), counts: { responseMet: r.resp_met, responseDue: r.resp_all, followedUp: r.fu, resolved: r.resolved, satisfied: r.satisfied } })),
    byStreet: byStreet.map((r) => ({ code: r.code ?? '', name: r.name ?? '', district: r.district, lat: r.lat, lng: r.lng, accepted: r.accepted, overdue: r.overdue, ...rates(r) })),
    trend,
    topCategories: top,
  };
}
