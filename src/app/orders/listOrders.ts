/**
 * Order lists with filters and keyset paging (stays fast at millions of orders), limited to what the actor may see.
 * The first page also counts what the filter matches, per state, capped so that a count never scans more than
 * COUNT_CAP + 1 rows: past the cap the list says "10,000+" instead of a number nobody reads.
 */
import { and, asc, desc, eq, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { invalid } from '../../domain/errors.js';
import type { Db } from '../../store/db.js';
import type { OnSiteResult } from '../../domain/order/index.js';
import { orderClocks, orderEvents, orderUnits, orders } from '../../store/schema/index.js';
import { namesFor, summaryOf, type OrderSummary } from './getOrder.js';
import { visibleCondition } from './orderRecord.js';

export type OrderFilter = {
  state?: string[] | undefined;
  unit?: string | undefined;
  category?: string | undefined;
  district?: string | undefined;
  street?: string | undefined;
  overdue?: boolean | undefined;
  dueWithinHours?: number | undefined;
  extension?: 'pending' | undefined;
  q?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
};

/** Counting stops here; beyond it `counts.capped` is true and the per-state split is not given. */
export const COUNT_CAP = 10_000;

/** How many orders the filter matches: in all, per state and overdue (the last two only below the cap). */
export type OrderCounts = { total: number; capped: boolean; byState: Record<string, number> | null; overdue: number | null };

/** The latest on-site check (核查) since the unit's latest reply, so a failed one stands out in every list. */
export type OnSiteCheck = { result: OnSiteResult; at: string; note: string | null };

export type OrderListItem = OrderSummary & { onSiteCheck: OnSiteCheck | null };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function encodeCursor(row: { acceptedAt: Date; id: string }): string {
  return Buffer.from(`${row.acceptedAt.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const d = new Date(at ?? '');
  if (!id || Number.isNaN(d.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw invalid('cursor', '分页游标无效');
  return { at: d, id };
}

/** The latest check after the latest reply (or reopen) of each order, from the history. */
async function onSiteChecks(db: Db, ids: string[]): Promise<Map<string, OnSiteCheck>> {
  const out = new Map<string, OnSiteCheck>();
  if (ids.length === 0) return out;
  const events = await db
    .select({ orderId: orderEvents.orderId, type: orderEvents.type, at: orderEvents.at, data: orderEvents.data })
    .from(orderEvents)
    .where(and(inArray(orderEvents.orderId, ids), inArray(orderEvents.type, ['reply', 'reopen', 'verify_on_site'])))
    .orderBy(asc(orderEvents.id));
  for (const e of events) {
    if (e.type !== 'verify_on_site') out.delete(e.orderId);
    else if (e.data.result === 'passed' || e.data.result === 'failed') {
      out.set(e.orderId, { result: e.data.result, at: e.at.toISOString(), note: typeof e.data.note === 'string' ? e.data.note : null });
    }
  }
  return out;
}

async function countOrders(db: Db, where: SQL | undefined): Promise<OrderCounts> {
  const capped = db.select({ state: orders.state, overdue: orders.overdue }).from(orders).where(where).limit(COUNT_CAP + 1).as('capped');
  const rows = await db
    .select({ state: capped.state, n: sql<number>`count(*)::int`, overdue: sql<number>`count(*) FILTER (WHERE ${capped.overdue})::int` })
    .from(capped)
    .groupBy(capped.state);
  const total = rows.reduce((a, r) => a + r.n, 0);
  if (total > COUNT_CAP) return { total: COUNT_CAP, capped: true, byState: null, overdue: null };
  return { total, capped: false, byState: Object.fromEntries(rows.map((r) => [r.state, r.n])), overdue: rows.reduce((a, r) => a + r.overdue, 0) };
}

/**
 * A page of the orders the actor may see, newest first; `limit: 0` only counts.
 * @example listOrders({ db, actor, filter: { state: ['dispatched'] }, limit: 50, now }) // → { items, nextCursor, counts }
 */
export async function listOrders(args: { db: Db; actor: Actor; filter: OrderFilter; limit: number; cursor?: string | undefined; now: Date }): Promise<{ items: OrderListItem[]; nextCursor: string | null; counts: OrderCounts | null }> {
  const { db, actor, filter: f, now } = args;
  const conds: SQL[] = [];
  const vis = visibleCondition(actor);
  if (vis) conds.push(vis);
  if (f.state?.length) conds.push(inArray(orders.state, f.state));
  if (f.unit) {
    conds.push(sql`EXISTS (SELECT 1 FROM ${orderUnits} ou WHERE ou.order_id = ${orders.id} AND ou.active AND ou.unit_id = ${f.unit})`);
  }
  if (f.category) conds.push(or(eq(orders.categoryId, f.category), sql`${orders.categoryId} LIKE ${`${escapeLike(f.category)}.%`}`) as SQL);
  if (f.district) conds.push(eq(orders.districtId, f.district));
  if (f.street) conds.push(eq(orders.streetId, f.street));
  if (f.overdue !== undefined) conds.push(eq(orders.overdue, f.overdue));
  if (f.dueWithinHours !== undefined) {
    conds.push(and(isNull(orders.closedAt), lte(orders.replyDueAt, new Date(now.getTime() + f.dueWithinHours * 3600_000))) as SQL);
  }
  if (f.extension === 'pending') conds.push(sql`${orders.extension}->>'state' = 'pending'`);
  if (f.q) {
    const pattern = `%${escapeLike(f.q)}%`;
    // Served by the trigram index on title || ' ' || body; the order number matches exactly.
    conds.push(or(sql`(${orders.title} || ' ' || ${orders.body}) ILIKE ${pattern}`, eq(orders.no, f.q)) as SQL);
  }
  if (f.from) conds.push(sql`${orders.acceptedAt} >= ${f.from}`);
  if (f.to) conds.push(sql`${orders.acceptedAt} < ${f.to}`);
  // Counted without the cursor, and only for the first page: its counts stand for the whole list.
  const countWhere = conds.length ? and(...conds) : undefined;
  if (args.cursor) {
    const c = decodeCursor(args.cursor);
    conds.push(sql`(${orders.acceptedAt}, ${orders.id}) < (${c.at}, ${c.id})`);
  }
  const rows =
    args.limit > 0
      ? await db
          .select()
          .from(orders)
          .where(conds.length ? and(...conds) : undefined)
          .orderBy(desc(orders.acceptedAt), desc(orders.id))
          .limit(args.limit + 1)
      : [];
  const page = rows.slice(0, args.limit);
  const ids = page.map((r) => r.id);
  const [names, clocks, checks, counts] = await Promise.all([
    namesFor(db, page),
    ids.length ? db.select().from(orderClocks).where(inArray(orderClocks.orderId, ids)) : [],
    onSiteChecks(db, ids),
    args.cursor ? null : countOrders(db, countWhere),
  ]);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({ ...summaryOf(r, names, clocks.filter((c) => c.orderId === r.id), now), onSiteCheck: checks.get(r.id) ?? null })),
    nextCursor: rows.length > args.limit && last ? encodeCursor(last) : null,
    counts,
  };
}
