/**
 * The deadline sweep: warns before a deadline, marks overdue and escalates after it. Safe across restarts and
 * servers: it selects what is due from the database (an index on next_check_at), locks the orders with
 * SKIP LOCKED so two servers never act on the same one, and records each act as an order event.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { clockStatus } from '../../domain/deadline/index.js';
import type { Db, Tx } from '../../store/db.js';
import { queryRows } from '../../store/db.js';
import { orderClocks, orderEvents, orders, units } from '../../store/schema/index.js';
import { enqueueNotification } from '../outbox/publish.js';
import { nextCheckOf, rowToClock } from '../orders/clocks.js';

const clockLabels: Record<string, string> = { sign: '签收', response: '响应', reply: '答复' };
const HOTLINE = '110000-12345';

export type SweepResult = { orders: number; warned: number; overdue: number; escalated: number };

/** Who owns what no one else does when a deadline is missed: the district of the place, else the lead's superior. */
async function superiorOf(tx: Tx, order: typeof orders.$inferSelect): Promise<string | null> {
  if (order.districtId) return order.districtId;
  if (!order.leadUnitId) return null;
  const [u] = await tx.select({ parentId: units.parentId }).from(units).where(eq(units.id, order.leadUnitId));
  return u?.parentId ?? null;
}

async function sweepBatch(tx: Tx, now: Date, batch: number): Promise<SweepResult> {
  const res: SweepResult = { orders: 0, warned: 0, overdue: 0, escalated: 0 };
  // Lock orders first, then their clocks: the same order as a lifecycle step, so the two never deadlock.
  const due = await queryRows<{ id: string }>(
    tx,
    sql`SELECT o.id FROM ${orders} o WHERE o.id IN (SELECT c.order_id FROM ${orderClocks} c WHERE c.next_check_at <= ${now} ORDER BY c.next_check_at LIMIT ${batch}) FOR UPDATE SKIP LOCKED`,
  );
  if (due.length === 0) return res;
  const ids = due.map((d) => d.id);
  const [rows, clocks] = await Promise.all([
    tx.select().from(orders).where(inArray(orders.id, ids)),
    tx.select().from(orderClocks).where(and(inArray(orderClocks.orderId, ids), sql`${orderClocks.nextCheckAt} <= ${now}`)).for('update'),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const row of clocks) {
    const order = byId.get(row.orderId);
    if (!order) continue;
    const c = rowToClock(row);
    const status = clockStatus(c, now);
    let warnedAt = row.warnedAt;
    let overdueAt = row.overdueAt;
    const label = clockLabels[row.kind] ?? row.kind;
    if (status === 'overdue' && !overdueAt) {
      overdueAt = now;
      warnedAt ??= now;
      const superior = await superiorOf(tx, order);
      await tx.insert(orderEvents).values({ orderId: order.id, at: now, type: 'overdue', fromState: order.state, toState: order.state, actorName: '系统', actorRole: 'system', data: { clock: row.kind, dueAt: row.dueAt.toISOString() } });
      await tx.insert(orderEvents).values({ orderId: order.id, at: now, type: 'escalate', fromState: order.state, toState: order.state, actorName: '系统', actorRole: 'system', data: { auto: true, clock: row.kind, toUnitId: superior } });
      await tx.update(orders).set({ overdue: true }).where(eq(orders.id, order.id));
      await enqueueNotification(tx, { template: 'deadline_overdue', title: `工单${order.no}已超时`, body: `「${order.title}」${label}时限已过（${row.dueAt.toISOString()}），已升级督办`, orderId: order.id, unitIds: [HOTLINE, ...(order.leadUnitId ? [order.leadUnitId] : []), ...(superior ? [superior] : [])] }, now);
      res.overdue++;
      if (superior) res.escalated++;
    } else if (status === 'warning' && !warnedAt) {
      warnedAt = now;
      await tx.insert(orderEvents).values({ orderId: order.id, at: now, type: 'deadline_warning', fromState: order.state, toState: order.state, actorName: '系统', actorRole: 'system', data: { clock: row.kind, dueAt: row.dueAt.toISOString() } });
      await enqueueNotification(tx, { template: 'deadline_warning', title: `工单${order.no}即将超时`, body: `「${order.title}」${label}时限 ${row.dueAt.toISOString()}`, orderId: order.id, unitIds: [HOTLINE, ...(order.leadUnitId ? [order.leadUnitId] : [])] }, now);
      res.warned++;
    }
    await tx
      .update(orderClocks)
      .set({ warnedAt, overdueAt, nextCheckAt: nextCheckOf(c, { warnedAt, overdueAt }) })
      .where(and(eq(orderClocks.orderId, row.orderId), eq(orderClocks.kind, row.kind)));
  }
  res.orders = ids.length;
  return res;
}

/** Run batches until nothing is due (or `maxBatches`); each batch is one transaction. */
export async function sweepDeadlines(args: { db: Db; now: Date; batch?: number; maxBatches?: number }): Promise<SweepResult> {
  const total: SweepResult = { orders: 0, warned: 0, overdue: 0, escalated: 0 };
  for (let i = 0; i < (args.maxBatches ?? 100); i++) {
    const r = await args.db.transaction((tx) => sweepBatch(tx, args.now, args.batch ?? 500));
    total.orders += r.orders;
    total.warned += r.warned;
    total.overdue += r.overdue;
    total.escalated += r.escalated;
    if (r.orders === 0) break;
  }
  return total;
}
