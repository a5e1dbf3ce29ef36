/**
 * 未诉先办: which problem classes are spiking today in which street, with the orders that show it — so a street
 * or department can act on the whole place before the next hundred people call. Counts by category and street per
 * Beijing day over the last `days` days, only of orders the viewer may see.
 */
import { and, desc, gte, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { shanghaiDate } from '../../domain/deadline/index.js';
import { detectSpikes, type SpikeOptions } from '../../intelligence/trend/spikes.js';
import { queryRows, type Db } from '../../store/db.js';
import { orders } from '../../store/schema/index.js';
import { visibleCondition } from '../orders/orderRecord.js';
import { getReference, namesFromReference } from '../reference/referenceCache.js';

export type SpikeView = {
  category: { code: string; name: string };
  street: { code: string; name: string };
  district: { code: string; name: string } | null;
  today: number;
  expected: number;
  z: number;
  ratio: number | null;
  orders: { id: string; no: string; title: string; acceptedAt: string }[];
};

const DAY_MS = 86_400_000;
/** Beijing's calendar day of an instant, in SQL (UTC+8 all year). */
const beijingDay = sql`to_char((${orders.acceptedAt} AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD')`;

export async function listSpikes(args: { db: Db; actor: Actor; now: Date; days?: number; options?: Partial<SpikeOptions> }): Promise<{ day: string; baselineDays: number; spikes: SpikeView[] }> {
  const { db, actor, now } = args;
  const baselineDays = args.days ?? 28;
  const today = shanghaiDate(now);
  const dayList = Array.from({ length: baselineDays + 1 }, (_, i) => shanghaiDate(new Date(now.getTime() - (baselineDays - i) * DAY_MS)));
  const since = new Date(now.getTime() - (baselineDays + 1) * DAY_MS);
  const where = and(gte(orders.acceptedAt, since), sql`${orders.categoryId} IS NOT NULL AND ${orders.streetId} IS NOT NULL`, visibleCondition(actor));
  const rows = await queryRows<{ category: string; street: string; day: string; n: number }>(
    db,
    sql`SELECT ${orders.categoryId} AS category, ${orders.streetId} AS street, ${beijingDay} AS day, count(*)::int AS n FROM ${orders} WHERE ${where} GROUP BY 1, 2, 3`,
  );
  const series = new Map<string, number[]>();
  const index = new Map(dayList.map((d, i) => [d, i]));
  for (const r of rows) {
    const i = index.get(r.day);
    if (i === undefined) continue;
    const key = `${r.category}|${r.street}`;
    const counts = series.get(key) ?? new Array<number>(dayList.length).fill(0);
    counts[i] = (counts[i] ?? 0) + r.n;
    series.set(key, counts);
  }
  const found = detectSpikes(series, args.options ?? {}).slice(0, 50);
  const ref = await getReference(db);
  const names = namesFromReference(ref);
  // The evidence: today's orders of every spiking class and street, in one query, newest first, 20 each.
  const pairs = found.map((f) => {
    const [category = '', street = ''] = f.key.split('|');
    return sql`(${category}, ${street})`;
  });
  const evidence = pairs.length
    ? await db
        .select({ id: orders.id, no: orders.no, title: orders.title, acceptedAt: orders.acceptedAt, category: orders.categoryId, street: orders.streetId })
        .from(orders)
        .where(and(sql`(${orders.categoryId}, ${orders.streetId}) IN (${sql.join(pairs, sql`, `)})`, sql`${beijingDay} = ${today}`, gte(orders.acceptedAt, since), visibleCondition(actor)))
        .orderBy(desc(orders.acceptedAt))
    : [];
  const spikes = found.map((s): SpikeView => {
    const [category = '', street = ''] = s.key.split('|');
    const districtCode = ref.units.get(street)?.parentId ?? null;
    return {
      category: names.category(category) ?? { code: category, name: category },
      street: names.unit(street) ?? { code: street, name: street },
      district: names.unit(districtCode),
      today: s.today,
      expected: s.expected,
      z: s.z,
      ratio: s.ratio,
      orders: evidence
        .filter((o) => o.category === category && o.street === street)
        .slice(0, 20)
        .map((o) => ({ id: o.id, no: o.no, title: o.title, acceptedAt: o.acceptedAt.toISOString() })),
    };
  });
  return { day: today, baselineDays, spikes };
}
