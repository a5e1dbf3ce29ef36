/** Order lists with filters and keyset paging (stays fast at millions of orders), limited to what the actor may see. */
import { and, desc, eq, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { invalid } from '../../domain/errors.js';
import type { Db } from '../../store/db.js';
import { orderClocks, orderUnits, orders } from '../../store/schema/index.js';
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

export async function listOrders(args: { db: Db; actor: Actor; filter: OrderFilter; limit: number; cursor?: string | undefined; now: Date }): Promise<{ items: OrderSummary[]; nextCursor: string | null }> {
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
  if (args.cursor) {
    const c = decodeCursor(args.cursor);
    conds.push(sql`(${orders.acceptedAt}, ${orders.id}) < (${c.at}, ${c.id})`);
  }
  const rows = await db
    .select()
    .from(orders)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(orders.acceptedAt), desc(orders.id))
    .limit(args.limit + 1);
  const page = rows.slice(0, args.limit);
  const ids = page.map((r) => r.id);
  const [names, clocks] = await Promise.all([namesFor(db, page), ids.length ? db.select().from(orderClocks).where(inArray(orderClocks.orderId, ids)) : []]);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => summaryOf(r, names, clocks.filter((c) => c.orderId === r.id), now)),
    nextCursor: rows.length > args.limit && last ? encodeCursor(last) : null,
  };
}
