/**
 * What the command screen (大屏) puts on the map of an area: open orders with coordinates (those the viewer may
 * see), open alarms, the latest patrol reports (网格员巡查), and the grid cells of the area when the area is a street or smaller (polygons are heavy).
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { finalStates, isOrderState, orderStateLabels } from '../../domain/order/states.js';
import { queryRows, type DbOrTx } from '../../store/db.js';
import { visibleCondition } from '../orders/orderRecord.js';
import { alarmSeverityLabels, type IndicatorArea } from './computeIndicators.js';
import { resolveIndicatorArea } from './indicatorArea.js';

const esc = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The area's orders by where they are located (as the indicators count them); no alias, for `visibleCondition`. */
function orderArea(area: IndicatorArea) {
  switch (area.level) {
    case 'city':
      return sql`true`;
    case 'district':
      return sql`orders.district_id = ${area.id}`;
    case 'street':
      return sql`orders.street_id = ${area.id}`;
    case 'community':
      return sql`orders.community_id = ${area.id}`;
    case 'grid':
      return sql`orders.lead_unit_id = ${area.id}`;
  }
}

export async function commandPoints(args: { db: DbOrTx; actor: Actor; unit?: string | undefined; limit: number }) {
  const { db, actor, limit } = args;
  const { area } = await resolveIndicatorArea(db, actor, args.unit);
  const vis = visibleCondition(actor);
  const finals = sql.join(
    finalStates.map((s) => sql`${s}`),
    sql`, `,
  );
  const prefix = `${esc(area.path)}%`;
  const [orderRows, alarmRows, gridRows, patrolRows, streetRows] = await Promise.all([
    queryRows<{ id: string; no: string; title: string; state: string; urgency: string; overdue: boolean; lat: number; lng: number; accepted_at: Date | string; street_id: string | null; version: number }>(
      db,
      sql`SELECT orders.id, orders.no, orders.title, orders.state, orders.urgency, orders.overdue, orders.lat, orders.lng, orders.accepted_at, orders.street_id, orders.version FROM orders
          WHERE orders.state NOT IN (${finals}) AND orders.lat IS NOT NULL AND orders.lng IS NOT NULL AND ${orderArea(area)}${vis ? sql` AND ${vis}` : sql``}
          ORDER BY orders.overdue DESC, orders.accepted_at DESC LIMIT ${limit}`,
    ),
    queryRows<{ id: string; no: string; title: string; severity: string; state: string; lat: number | null; lng: number | null; raised_at: Date | string; order_no: string | null; version: number }>(
      db,
      sql`SELECT a.id, a.no, a.title, a.severity, a.state, a.lat, a.lng, a.raised_at, a.order_no, a.version FROM alarms a
          WHERE a.state <> 'cleared' AND a.unit_path LIKE ${prefix}
          ORDER BY CASE a.severity WHEN 'critical' THEN 0 WHEN 'major' THEN 1 WHEN 'minor' THEN 2 ELSE 3 END, a.raised_at DESC LIMIT ${limit}`,
    ),
    area.level === 'city' || area.level === 'district'
      ? Promise.resolve([])
      : queryRows<{ id: string; name: string; geometry: unknown; center_lng: number; center_lat: number }>(db, sql`SELECT id, name, geometry, center_lng, center_lat FROM grid_cells WHERE unit_path LIKE ${prefix} ORDER BY id LIMIT 2000`),
    queryRows<{ id: string; kind: string; description: string; address: string | null; lat: number | null; lng: number | null; reporter_name: string; order_no: string | null; at: Date | string }>(
      db,
      sql`SELECT id, kind, description, address, lat, lng, reporter_name, order_no, at FROM patrol_reports WHERE unit_path LIKE ${prefix} ORDER BY at DESC LIMIT 30`,
    ),
    // Most orders carry a street but no coordinates: open orders per street, at the street's own point (or, as the
    // reference data has no points for streets, the middle of its grid cells when there are any).
    queryRows<{ code: string; name: string; lat: number | null; lng: number | null; open: number; overdue: number }>(
      db,
      sql`SELECT x.code, x.name, coalesce(x.lat, g.lat) AS lat, coalesce(x.lng, g.lng) AS lng, x.open, x.overdue
          FROM (SELECT u.id AS code, u.name, u.lat, u.lng, count(*)::int AS open, count(*) FILTER (WHERE orders.overdue)::int AS overdue
                FROM orders JOIN units u ON u.id = orders.street_id
                WHERE orders.state NOT IN (${finals}) AND ${orderArea(area)}${vis ? sql` AND ${vis}` : sql``}
                GROUP BY u.id, u.name, u.lat, u.lng) x
          LEFT JOIN LATERAL (SELECT avg(center_lat) AS lat, avg(center_lng) AS lng FROM grid_cells WHERE street_id = x.code) g ON x.lat IS NULL`,
    ),
  ]);
  const iso = (d: Date | string) => new Date(d).toISOString();
  return {
    area: { code: area.id, name: area.name, level: area.level },
    orders: orderRows.map((o) => ({ id: o.id, no: o.no, title: o.title, state: o.state, stateLabel: isOrderState(o.state) ? orderStateLabels[o.state] : o.state, urgency: o.urgency, overdue: o.overdue, lat: o.lat, lng: o.lng, acceptedAt: iso(o.accepted_at), street: o.street_id, version: o.version })),
    alarms: alarmRows.map((a) => ({ id: a.id, no: a.no, title: a.title, severity: a.severity, severityLabel: alarmSeverityLabels[a.severity] ?? a.severity, state: a.state, lat: a.lat, lng: a.lng, raisedAt: iso(a.raised_at), orderNo: a.order_no, version: a.version })),
    streets: streetRows.filter((x) => x.lat !== null && x.lng !== null).map((x) => ({ code: x.code, name: x.name, center: [x.lng, x.lat] as [number, number], open: x.open, overdue: x.overdue })),
    patrols: patrolRows.map((p) => ({ id: p.id, kind: p.kind, description: p.description, address: p.address, lat: p.lat, lng: p.lng, reporter: p.reporter_name, orderNo: p.order_no, at: iso(p.at) })),
    gridCells: gridRows.map((g) => ({ id: g.id, name: g.name, geometry: g.geometry, center: [g.center_lng, g.center_lat] as [number, number] })),
  };
}
