/**
 * 每月一题 candidates: the recurring, hard problem classes of the last complete months, scored (see
 * intelligence/topics/candidates.ts), each with the orders that show it — the unresolved ones first — and whether it
 * was adopted already this month. Over the orders the viewer may see: a district leader mines their own district.
 */
import { and, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { rankCandidates, type Candidate, type ClassSeries } from '../../intelligence/topics/candidates.js';
import type { DbOrTx } from '../../store/db.js';
import { orders, topics } from '../../store/schema/index.js';
import { visibleCondition } from '../orders/orderRecord.js';
import { getReference, namesFromReference } from '../reference/referenceCache.js';
import { addMonths, classKey, classMonths, classSpread, countedOrder, monthOf, monthRange, monthStart, unresolvedOrder, type ClassKey } from './classMonths.js';

type Named = { code: string; name: string };
export type EvidenceOrder = { id: string; no: string; title: string; acceptedAt: string; state: string; unresolved: boolean; street: Named | null };
export type CandidateView = Omit<Candidate, 'categoryId' | 'districtId'> & {
  category: Named;
  district: Named | null;
  months: string[];
  evidence: EvidenceOrder[];
  adopted: { id: string; no: string; month: string } | null;
};

export type CandidateQuery = { months?: number | undefined; limit?: number | undefined; scope?: 'city' | 'district' | undefined; minSize?: number | undefined };

/** The window: the last `months` complete months before `now`'s month, and 12 months before it for year-on-year. */
export function candidateWindow(now: Date, months: number): { first: string; last: string; historyFrom: string } {
  const last = addMonths(monthOf(now), -1);
  const first = addMonths(last, -(months - 1));
  return { first, last, historyFrom: addMonths(first, -12) };
}

/** The figures of classes, every one kept (no size floor), for adoption baselines and lookups. */
export async function classCandidates(args: { db: DbOrTx; actor: Actor; now: Date; months: number; by: 'city' | 'district'; only?: ClassKey[]; options?: { minSize?: number; minRecurrence?: number } }): Promise<Candidate[]> {
  const { db, actor, now, months, by } = args;
  const w = candidateWindow(now, months);
  const series = await classMonths({ db, actor, from: w.historyFrom, to: w.last, by, ...(args.only ? { only: args.only } : {}) });
  const spread = await classSpread({ db, actor, since: monthStart(w.first), until: monthStart(addMonths(w.last, 1)), by });
  const classes: ClassSeries[] = [...series.values()].map((c) => ({ key: c.key, categoryId: c.categoryId, districtId: c.districtId, months: c.months, streets: spread.get(c.key)?.streets ?? 0, districts: spread.get(c.key)?.districts ?? 0 }));
  return rankCandidates(classes, { months, ...(args.options?.minSize !== undefined ? { minSize: args.options.minSize } : {}), ...(args.options?.minRecurrence !== undefined ? { minRecurrence: args.options.minRecurrence } : {}) });
}

/** Up to `per` orders of each class in the window, unresolved first, newest first. */
export async function evidenceOrders(args: { db: DbOrTx; actor: Actor; classes: ClassKey[]; by: 'city' | 'district'; since: Date; until: Date; per: number }): Promise<Map<string, (EvidenceOrder & { streetId: string | null })[]>> {
  const { db, actor, classes, by } = args;
  if (classes.length === 0) return new Map();
  const cats = [...new Set(classes.map((c) => c.categoryId))];
  const partition = by === 'district' ? sql`${orders.categoryId}, ${orders.districtId}` : sql`${orders.categoryId}`;
  const where = and(inArray(orders.categoryId, cats), gte(orders.acceptedAt, args.since), lt(orders.acceptedAt, args.until), countedOrder, visibleCondition(actor));
  const ranked = db
    .select({
      id: orders.id,
      no: orders.no,
      title: orders.title,
      acceptedAt: orders.acceptedAt,
      state: orders.state,
      categoryId: orders.categoryId,
      districtId: orders.districtId,
      streetId: orders.streetId,
      unresolved: sql<boolean>`${unresolvedOrder}`.as('unresolved'),
      rn: sql<number>`row_number() OVER (PARTITION BY ${partition} ORDER BY ${unresolvedOrder} DESC, ${orders.acceptedAt} DESC)`.as('rn'),
    })
    .from(orders)
    .where(where)
    .as('ranked');
  const rows = await db.select().from(ranked).where(sql`${ranked.rn} <= ${args.per}`);
  const wanted = new Set(classes.map((c) => classKey(c.categoryId, by === 'district' ? c.districtId : null)));
  const ref = await getReference(db);
  const names = namesFromReference(ref);
  const out = new Map<string, (EvidenceOrder & { streetId: string | null })[]>();
  for (const r of rows) {
    const key = classKey(r.categoryId ?? '', by === 'district' ? r.districtId : null);
    if (!wanted.has(key)) continue;
    const list = out.get(key) ?? [];
    list.push({ id: r.id, no: r.no, title: r.title, acceptedAt: r.acceptedAt.toISOString(), state: r.state, unresolved: !!r.unresolved, street: names.unit(r.streetId), streetId: r.streetId });
    out.set(key, list);
  }
  for (const list of out.values()) list.sort((a, b) => Number(b.unresolved) - Number(a.unresolved) || b.acceptedAt.localeCompare(a.acceptedAt));
  return out;
}

/** listTopicCandidates({ db, actor: leader, now, query: { months: 6, limit: 10 } }) → the best classes with their evidence. */
export async function listTopicCandidates(args: { db: DbOrTx; actor: Actor; now: Date; query: CandidateQuery }): Promise<{ window: { from: string; to: string }; months: string[]; scope: 'city' | 'district'; candidates: CandidateView[] }> {
  const { db, actor, now } = args;
  const months = args.query.months ?? 6;
  const limit = args.query.limit ?? 10;
  const by = args.query.scope ?? 'city';
  const w = candidateWindow(now, months);
  const ranked = (await classCandidates({ db, actor, now, months, by, options: { minSize: args.query.minSize ?? (by === 'city' ? 20 : 10) } })).slice(0, limit);
  const evidence = await evidenceOrders({ db, actor, classes: ranked, by, since: monthStart(w.first), until: monthStart(addMonths(w.last, 1)), per: 10 });
  const thisMonth = monthOf(now);
  const adoptedRows = ranked.length
    ? await db
        .select({ id: topics.id, no: topics.no, month: topics.month, categoryId: topics.categoryId, districtId: topics.districtId })
        .from(topics)
        .where(and(inArray(topics.categoryId, [...new Set(ranked.map((c) => c.categoryId))]), gte(topics.month, addMonths(thisMonth, -1))))
    : [];
  const names = namesFromReference(await getReference(db));
  return {
    window: { from: w.first, to: w.last },
    months: monthRange(w.first, w.last),
    scope: by,
    candidates: ranked.map(({ categoryId, districtId, ...c }): CandidateView => {
      const adopted = adoptedRows.find((t) => t.categoryId === categoryId && (t.districtId ?? null) === districtId);
      return {
        ...c,
        category: names.category(categoryId) ?? { code: categoryId, name: categoryId },
        district: names.unit(districtId),
        months: monthRange(w.first, w.last),
        evidence: (evidence.get(classKey(categoryId, districtId)) ?? []).map(({ streetId: _s, ...e }) => e),
        adopted: adopted ? { id: adopted.id, no: adopted.no, month: adopted.month } : null,
      };
    }),
  };
}

