/**
 * The city's own labelled requests for retraining the classifier: closed orders with a category, and dispatchers'
 * corrections (which outweigh the category an order closed with, since a person checked them). Labels are the
 * top-level category names the classifier predicts; finer categories are chosen within the branch by refinement.
 */
import { and, eq, gte, isNotNull, sql } from 'drizzle-orm';
import type { TrainRow } from '../../intelligence/classify/model.js';
import type { Db } from '../../store/db.js';
import { categories, orders, trainingExamples } from '../../store/schema/index.js';

export async function trainingRowsFromOrders(args: { db: Db; since?: Date; limit?: number }): Promise<{ rows: TrainRow[]; closed: number; corrections: number; byLabel: Record<string, number> }> {
  const { db } = args;
  const cats = await db.select({ id: categories.id, parentId: categories.parentId, name: categories.name }).from(categories);
  const byId = new Map(cats.map((c) => [c.id, c]));
  const topName = (id: string | null): string | null => {
    let c = id ? byId.get(id) : undefined;
    for (let i = 0; c?.parentId && i < 10; i++) c = byId.get(c.parentId);
    return c?.name ?? null;
  };
  const since = args.since ?? new Date(0);
  const limit = args.limit ?? 500_000;
  const corrections = await db
    .select({ orderId: trainingExamples.orderId, title: trainingExamples.title, body: trainingExamples.body, categoryId: trainingExamples.categoryId })
    .from(trainingExamples)
    .where(gte(trainingExamples.createdAt, since))
    .orderBy(sql`${trainingExamples.id} DESC`)
    .limit(limit);
  const corrected = new Set(corrections.map((c) => c.orderId));
  const closed = await db
    .select({ id: orders.id, title: orders.title, body: orders.body, categoryId: orders.categoryId })
    .from(orders)
    .where(and(eq(orders.state, 'closed'), isNotNull(orders.categoryId), eq(orders.assessmentExcluded, false), gte(orders.closedAt, since)))
    .limit(limit);
  const rows: TrainRow[] = [];
  const byLabel: Record<string, number> = {};
  const push = (title: string, body: string, categoryId: string | null) => {
    const label = topName(categoryId);
    if (!label) return;
    rows.push({ title, body, label });
    byLabel[label] = (byLabel[label] ?? 0) + 1;
  };
  const seen = new Set<string>();
  for (const c of corrections) {
    if (seen.has(c.orderId)) continue; // the latest correction of an order wins
    seen.add(c.orderId);
    push(c.title, c.body, c.categoryId);
  }
  let closedCount = 0;
  for (const o of closed) {
    if (corrected.has(o.id)) continue;
    push(o.title, o.body, o.categoryId);
    closedCount++;
  }
  return { rows, closed: closedCount, corrections: seen.size, byLabel };
}
