/**
 * Whistles in the store: reading a whistle as the domain's `Whistle` (with who may see it), and writing a
 * `WhistleChange` back — state, units, linked orders, history rows, notifications and the live update — inside
 * the caller's transaction.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, notFound } from '../../domain/errors.js';
import { isUnitLevel, isWithin, type UnitLevel } from '../../domain/jurisdiction.js';
import { formatNo } from '../numbering.js';
import { whistleKindLabels, type SummonedUnit, type Whistle, type WhistleChange, type WhistleKind, type WhistleNotice, type WhistlePart } from '../../domain/whistle/index.js';
import { queryRows, type DbOrTx, type Tx } from '../../store/db.js';
import { orderEvents, units, whistleEvents, whistleOrders, whistleUnits, whistles } from '../../store/schema/index.js';
import { enqueueNotification, publishLive } from '../outbox/publish.js';
import { isHotline } from '../orders/orderRecord.js';

export type WhistleRow = typeof whistles.$inferSelect;
export type WhistleEventRow = typeof whistleEvents.$inferSelect;
export type UnitInfo = { id: string; name: string; path: string; level: UnitLevel };

/** A stored whistle: its row, the domain's view of it, its history and the units it names. */
export type WhistleRecord = { row: WhistleRow; whistle: Whistle; events: WhistleEventRow[]; units: Map<string, UnitInfo> };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function unitInfo(db: DbOrTx, ids: readonly string[]): Promise<Map<string, UnitInfo>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.select({ id: units.id, name: units.name, path: units.path, level: units.level }).from(units).where(inArray(units.id, unique));
  return new Map(rows.map((u) => [u.id, { id: u.id, name: u.name, path: u.path, level: isUnitLevel(u.level) ? u.level : 'department' }]));
}

/**
 * Build the domain's whistle from its rows. Who reported in, the parts and who closed it live in the history
 * (the tables keep one row per unit, not one per part).
 */
export function toWhistle(args: {
  row: WhistleRow;
  streetPath: string;
  unitRows: (typeof whistleUnits.$inferSelect)[];
  unitLevels: Map<string, UnitInfo>;
  orderRows: (typeof whistleOrders.$inferSelect)[];
  events: WhistleEventRow[];
}): Whistle {
  const { row, events } = args;
  const reportedBy = new Map(events.filter((e) => e.type === 'reported_in' && e.unitId).map((e) => [e.unitId ?? '', e.actorId]));
  const blown = events.find((e) => e.type === 'whistle_blown');
  const closed = events.find((e) => e.type === 'whistle_closed');
  // Keep the order in which the street named the units (the blown event records it).
  const named = Array.isArray(blown?.data.summoned) ? (blown.data.summoned as unknown[]).map(String) : [];
  const rank = (id: string) => (named.includes(id) ? named.indexOf(id) : named.length);
  const summoned: SummonedUnit[] = [...args.unitRows]
    .sort((a, b) => rank(a.unitId) - rank(b.unitId) || a.unitId.localeCompare(b.unitId))
    .map((u) => ({
      unitId: u.unitId,
      unitPath: u.unitPath,
      level: args.unitLevels.get(u.unitId)?.level ?? 'department',
      reportedAt: u.reportedAt,
      reportedBy: u.reportedAt ? (reportedBy.get(u.unitId) ?? null) : null,
      onTime: u.late === null ? null : !u.late,
      reportNote: u.note,
    }));
  const parts: WhistlePart[] = events
    .filter((e) => e.type === 'part_recorded')
    .map((e) => ({ unitId: e.unitId ?? row.streetId, at: e.at, by: e.actorId ?? '', text: typeof e.data.text === 'string' ? e.data.text : '' }));
  return {
    id: row.id,
    kind: row.kind as WhistleKind,
    status: row.state === 'closed' ? 'closed' : 'open',
    streetUnitId: row.streetId,
    streetPath: args.streetPath,
    blownBy: row.createdBy ?? '',
    blownAt: row.createdAt,
    reason: row.reason,
    place: row.place,
    meetAt: row.meetAt,
    reportDueAt: row.reportDeadlineAt,
    summoned,
    orderIds: args.orderRows.map((o) => o.orderId),
    parts,
    outcome: row.outcome,
    closedAt: row.closedAt,
    closedBy: closed?.actorId ?? null,
    closedOrderIds: args.orderRows.filter((o) => o.closedByWhistle).map((o) => o.orderId),
  };
}

export async function loadWhistleRecord(db: DbOrTx, id: string, opts: { forUpdate?: boolean } = {}): Promise<WhistleRecord | null> {
  if (!UUID_RE.test(id)) return null;
  const q = db.select().from(whistles).where(eq(whistles.id, id)).limit(1);
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  if (!row) return null;
  const [unitRows, orderRows, events] = await Promise.all([
    db.select().from(whistleUnits).where(eq(whistleUnits.whistleId, id)),
    db.select().from(whistleOrders).where(eq(whistleOrders.whistleId, id)),
    db.select().from(whistleEvents).where(eq(whistleEvents.whistleId, id)).orderBy(asc(whistleEvents.id)),
  ]);
  const info = await unitInfo(db, [row.streetId, ...unitRows.map((u) => u.unitId), ...events.map((e) => e.unitId).filter((x): x is string => !!x)]);
  const streetPath = info.get(row.streetId)?.path ?? '';
  return { row, whistle: toWhistle({ row, streetPath, unitRows, unitLevels: info, orderRows, events }), events, units: info };
}

/** The street, the summoned units and everyone above them see a whistle; nobody else learns it exists. */
export function canSeeWhistle(actor: Actor, whistle: Pick<Whistle, 'streetPath' | 'summoned'>): boolean {
  if (actor.role === 'citizen') return false;
  return [whistle.streetPath, ...whistle.summoned.map((u) => u.unitPath)].some((p) => isWithin(actor.scopePath, p));
}

/** Load a whistle the actor may see, or 404 — another street's whistle is "not found", never "forbidden". */
export async function loadVisibleWhistle(db: DbOrTx, actor: Actor, id: string, opts: { forUpdate?: boolean } = {}): Promise<WhistleRecord> {
  const rec = await loadWhistleRecord(db, id, opts);
  if (!rec || !canSeeWhistle(actor, rec.whistle)) throw notFound('哨令');
  return rec;
}

/** The SQL condition that limits a list of whistles to what the actor may see (same rule as canSeeWhistle). */
export function visibleWhistleCondition(actor: Actor): SQL | undefined {
  if (actor.role === 'citizen' || !actor.scopePath) return sql`false`;
  if (isHotline(actor)) return undefined;
  const prefix = `${actor.scopePath.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`(EXISTS (SELECT 1 FROM ${units} su WHERE su.id = ${whistles.streetId} AND su.path LIKE ${prefix}) OR EXISTS (SELECT 1 FROM ${whistleUnits} wu WHERE wu.whistle_id = ${whistles.id} AND wu.unit_path LIKE ${prefix}))`;
}

/** 哨令编号: CS + the Beijing date + a sequence number, like the GD numbers of orders. */
export async function nextWhistleNo(tx: Tx, now: Date): Promise<string> {
  const [r] = await queryRows<{ n: string | number }>(tx, sql`SELECT nextval('whistle_no_seq') AS n`);
  return formatNo('CS', now, r?.n ?? 0);
}

export const newWhistleId = (): string => randomUUID();

const beijingParts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "9月29日 22:40", in Beijing time whatever the server's zone. */
function beijingTime(d: Date): string {
  const p = Object.fromEntries(beijingParts.formatToParts(d).map((x) => [x.type, x.value]));
  return `${Number(p.month)}月${Number(p.day)}日 ${p.hour ?? ''}:${p.minute ?? ''}`;
}

function noticeText(template: WhistleNotice['template'], w: Whistle, no: string): { title: string; body: string } {
  const label = whistleKindLabels[w.kind];
  switch (template) {
    case 'whistle_summoned':
      return { title: `${label}${no}：请于${beijingTime(w.reportDueAt)}前报到`, body: `${w.reason}（地点：${w.place}，集合时间：${beijingTime(w.meetAt)}）` };
    case 'whistle_closed':
      return { title: `${label}${no}已关闭`, body: w.outcome ?? '' };
  }
}

/**
 * Write a decided change: a new whistle when `before` is null, else the difference from `before` (report-ins,
 * parts, closing). Appends the history rows, queues notifications and publishes the live update.
 */
export async function saveWhistleChange(tx: Tx, args: { actor: Actor; before: WhistleRecord | null; change: WhistleChange; no: string; now: Date }): Promise<void> {
  const { actor, before, change, now } = args;
  const after = change.whistle;
  if (!before) {
    await tx.insert(whistles).values({
      id: after.id,
      no: args.no,
      streetId: after.streetUnitId,
      kind: after.kind,
      reason: after.reason,
      place: after.place,
      meetAt: after.meetAt,
      reportDeadlineAt: after.reportDueAt,
      state: after.status,
      outcome: null,
      createdBy: actor.userId,
      createdAt: after.blownAt,
      closedAt: null,
      version: 1,
    });
    await tx.insert(whistleUnits).values(after.summoned.map((u) => ({ whistleId: after.id, unitId: u.unitId, unitPath: u.unitPath })));
    if (after.orderIds.length) await tx.insert(whistleOrders).values(after.orderIds.map((orderId) => ({ whistleId: after.id, orderId })));
  } else {
    const prev = before.whistle;
    for (const u of after.summoned) {
      const was = prev.summoned.find((p) => p.unitId === u.unitId);
      if (u.reportedAt && !was?.reportedAt) {
        await tx
          .update(whistleUnits)
          .set({ reportedAt: u.reportedAt, late: u.onTime === false, note: u.reportNote })
          .where(and(eq(whistleUnits.whistleId, after.id), eq(whistleUnits.unitId, u.unitId)));
      }
    }
    // The unit's row keeps its latest part for lists; every part stays in the history.
    for (const part of after.parts.slice(prev.parts.length)) {
      await tx.update(whistleUnits).set({ part: part.text }).where(and(eq(whistleUnits.whistleId, after.id), eq(whistleUnits.unitId, part.unitId)));
    }
    if (after.closedOrderIds.length) {
      await tx.update(whistleOrders).set({ closedByWhistle: true }).where(and(eq(whistleOrders.whistleId, after.id), inArray(whistleOrders.orderId, after.closedOrderIds)));
    }
    await tx
      .update(whistles)
      .set({ state: after.status, outcome: after.outcome, closedAt: after.closedAt, version: before.row.version + 1 })
      .where(eq(whistles.id, after.id));
  }
  await tx.insert(whistleEvents).values(
    change.events.map((e) => ({ whistleId: after.id, at: e.at, type: e.type, actorId: e.actorUserId, actorName: actor.displayName, unitId: e.unitId, data: e.data })),
  );
  // Blowing and closing show in each linked order's history, so the order tells its whole story.
  const orderEvent = change.events.find((e) => e.type === 'whistle_blown' || e.type === 'whistle_closed');
  if (orderEvent && after.orderIds.length) {
    await tx.insert(orderEvents).values(
      after.orderIds.map((orderId) => ({
        orderId,
        at: now,
        type: orderEvent.type,
        fromState: null,
        toState: null,
        actorId: actor.userId,
        actorName: actor.displayName,
        actorRole: actor.role,
        actorUnitId: actor.unitId,
        data: { whistleId: after.id, whistleNo: args.no, kind: after.kind, ...(orderEvent.type === 'whistle_closed' ? { closedByWhistle: after.closedOrderIds.includes(orderId) } : { summoned: after.summoned.map((u) => u.unitId) }) },
      })),
    );
  }
  for (const template of [...new Set(change.notices.map((n) => n.template))]) {
    const unitIds = change.notices.filter((n) => n.template === template).map((n) => n.unitId);
    await enqueueNotification(tx, { template, ...noticeText(template, after, args.no), unitIds }, now);
  }
  await publishLive(tx, { kind: 'whistle', whistleId: after.id, no: args.no, state: after.status, unitPaths: [after.streetPath, ...after.summoned.map((u) => u.unitPath)] });
}

/** The domain names a unit `unitId`; the API calls it `unitCode`, as the order routes do. */
export function withApiFieldNames<T>(decide: () => T): T {
  try {
    return decide();
  } catch (err) {
    if (err instanceof DomainError && err.fields?.some((f) => f.field === 'unitId')) {
      throw new DomainError(err.code, err.message, err.fields.map((f) => (f.field === 'unitId' ? { ...f, field: 'unitCode' } : f)));
    }
    throw err;
  }
}
