/** Reading orders: the row and its units as the domain's snapshot, and the jurisdiction filter in SQL. */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { notFound } from '../../domain/errors.js';
import { canSeeOrder, orderUnitPaths } from '../../domain/jurisdiction.js';
import type { Extension, OrderSnapshot, OrderState } from '../../domain/order/index.js';
import type { DbOrTx } from '../../store/db.js';
import { orderUnits, orders, requests, units, whistleOrders, whistleUnits } from '../../store/schema/index.js';
import type { LiveEvent } from '../outbox/publish.js';

export type OrderRow = typeof orders.$inferSelect;
export type OrderUnitRow = typeof orderUnits.$inferSelect;

export const CITY_PATH = '/110000/';

type StoredExtension = { state: Extension['state']; requestedAt: string; days: number; reason: string; decidedAt?: string | null; approvedDays?: number | null };

export function extensionFromRow(e: Record<string, unknown> | null): Extension | null {
  if (!e) return null;
  const x = e as StoredExtension;
  return { state: x.state, requestedAt: new Date(x.requestedAt), days: x.days, reason: x.reason, decidedAt: x.decidedAt ? new Date(x.decidedAt) : null, approvedDays: x.approvedDays ?? null };
}

export function extensionToRow(e: Extension | null | undefined): Record<string, unknown> | null {
  if (!e) return null;
  return { state: e.state, requestedAt: e.requestedAt.toISOString(), days: e.days, reason: e.reason, decidedAt: e.decidedAt?.toISOString() ?? null, approvedDays: e.approvedDays ?? null };
}

/** Everything the lifecycle rules and visibility need about one order. */
export type OrderRecord = { row: OrderRow; units: OrderUnitRow[]; requesterUserIds: string[]; whistleUnitPaths: string[] };

export async function loadOrderRecord(db: DbOrTx, id: string, opts: { forUpdate?: boolean } = {}): Promise<OrderRecord | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const q = db.select().from(orders).where(eq(orders.id, id)).limit(1);
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  if (!row) return null;
  // One after another: inside a transaction the handle is one connection, which runs one query at a time.
  const units = await db.select().from(orderUnits).where(eq(orderUnits.orderId, id));
  const reqs = await db.select({ citizen: requests.citizenUserId }).from(requests).where(eq(requests.orderId, id));
  const wunits = await db.select({ path: whistleUnits.unitPath }).from(whistleUnits).innerJoin(whistleOrders, eq(whistleOrders.whistleId, whistleUnits.whistleId)).where(eq(whistleOrders.orderId, id));
  return {
    row,
    units,
    requesterUserIds: reqs.map((r) => r.citizen).filter((x): x is string => !!x),
    whistleUnitPaths: wunits.map((w) => w.path),
  };
}

/** The live event of an order as it stands: heard by its active units and its requesters. */
export function liveEventOf(rec: OrderRecord): LiveEvent {
  const { row } = rec;
  return { kind: 'order', orderId: row.id, no: row.no, state: row.state, type: row.type, unitPaths: rec.units.filter((u) => u.active).map((u) => u.unitPath), requesterUserIds: rec.requesterUserIds };
}

export function toSnapshot(rec: OrderRecord): OrderSnapshot {
  const { row, units } = rec;
  const co = units.filter((u) => u.role === 'co' && u.active);
  return {
    id: row.id,
    state: row.state as OrderState,
    version: row.version,
    leadUnitId: row.leadUnitId,
    leadUnitPath: row.leadUnitPath,
    coUnitPaths: co.map((u) => u.unitPath),
    signedCoUnitPaths: co.filter((u) => u.signedAt).map((u) => u.unitPath),
    extension: extensionFromRow(row.extension ?? null),
    reopenCount: row.reopenCount,
    parkedUntil: row.parkedUntil,
    replyDueAt: row.replyDueAt,
    stateBeforeReturn: (row.stateBeforeReturn as OrderState | null) ?? null,
    stateBeforePark: (row.stateBeforePark as OrderState | null) ?? null,
    mergedIntoId: row.mergedIntoId,
    requesterUserIds: rec.requesterUserIds,
    whistleUnitPaths: rec.whistleUnitPaths,
    cityPath: CITY_PATH,
  };
}

export function isVisible(actor: Actor, rec: OrderRecord): boolean {
  const snap = toSnapshot(rec);
  return canSeeOrder(actor, { requesterUserIds: rec.requesterUserIds, unitPaths: orderUnitPaths({ ...snap, ...(isHotline(actor) ? {} : { cityPath: null }) }) });
}

/** Hotline staff and city-wide roles act for the whole city: no unit filter is needed for them. */
export function isHotline(actor: Actor): boolean {
  return actor.scopePath === CITY_PATH;
}

/** Load an order the actor may see, or 404 — another unit's order is "not found", never "forbidden". */
export async function loadVisibleOrder(db: DbOrTx, actor: Actor, id: string, opts: { forUpdate?: boolean } = {}): Promise<OrderRecord> {
  const rec = await loadOrderRecord(db, id, opts);
  if (!rec || !isVisible(actor, rec)) throw notFound('工单');
  return rec;
}

/** The SQL condition that limits a list of orders to what the actor may see. */
export function visibleCondition(actor: Actor): SQL | undefined {
  if (actor.role === 'citizen') {
    return sql`EXISTS (SELECT 1 FROM ${requests} r WHERE r.order_id = ${orders.id} AND r.citizen_user_id = ${actor.userId})`;
  }
  if (!actor.scopePath) return sql`false`;
  if (isHotline(actor)) return undefined;
  const prefix = `${actor.scopePath.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`(${orders.leadUnitPath} LIKE ${prefix} OR EXISTS (SELECT 1 FROM ${orderUnits} ou WHERE ou.order_id = ${orders.id} AND ou.active AND ou.unit_path LIKE ${prefix}) OR EXISTS (SELECT 1 FROM ${whistleOrders} wo JOIN ${whistleUnits} wu ON wu.whistle_id = wo.whistle_id WHERE wo.order_id = ${orders.id} AND wu.unit_path LIKE ${prefix}))`;
}

/** The active units of these codes, by code. */
export async function unitsByCode(db: DbOrTx, ids: string[]): Promise<Map<string, { id: string; name: string; path: string; level: string; parentId: string | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: units.id, name: units.name, path: units.path, level: units.level, parentId: units.parentId }).from(units).where(and(inArray(units.id, ids), eq(units.active, true)));
  return new Map(rows.map((r) => [r.id, r]));
}
