/** Human-readable numbers (工单编号 GD…, 诉求编号 SQ…, 哨令编号 CS…): a prefix, the Beijing date, a sequence value. */
import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { shanghaiDate } from '../domain/deadline/index.js';
import { queryRows, type DbOrTx } from '../store/db.js';

/** formatNo('GD', new Date('2026-09-29T13:40:00Z'), 42) → 'GD202609290000042' */
export function formatNo(prefix: string, now: Date, n: number | string): string {
  return `${prefix}${shanghaiDate(now).replaceAll('-', '')}${String(Number(n)).padStart(7, '0')}`;
}

export type NumberSequence = 'request_no_seq' | 'order_no_seq';

/** Values reserved from the database sequence, handed out by this process; one query per block. */
type Pool = { values: number[]; refill: Promise<void> | null };
const pools = new WeakMap<object, Map<NumberSequence, Pool>>();
export const NUMBER_BLOCK = 32;

/**
 * The next value of a sequence, from a block this process reserved (`nextval` is never rolled back, so a
 * block is as safe as single calls: unique across servers, with gaps after a restart like any sequence).
 * Several servers interleave their blocks, so numbers are unique and roughly, not strictly, in time order.
 */
export async function nextNumber(db: DbOrTx, seq: NumberSequence, cacheKey: object = db): Promise<number> {
  // Inside a transaction (a proactive order, an alarm's order) the pool would be keyed by that short-lived
  // transaction and 31 of its 32 numbers lost: take exactly the one value needed.
  if (db instanceof PgTransaction && cacheKey === db) {
    const [row] = await queryRows<{ n: string | number }>(db, sql`SELECT nextval(${seq}::regclass) AS n`);
    if (!row) throw new Error(`nextval(${seq}) returned no row`);
    return Number(row.n);
  }
  let bySeq = pools.get(cacheKey);
  if (!bySeq) {
    bySeq = new Map();
    pools.set(cacheKey, bySeq);
  }
  let pool = bySeq.get(seq);
  if (!pool) {
    pool = { values: [], refill: null };
    bySeq.set(seq, pool);
  }
  for (;;) {
    const v = pool.values.shift();
    if (v !== undefined) return v;
    if (!pool.refill) {
      const p = pool;
      p.refill = queryRows<{ n: string | number }>(db, sql`SELECT nextval(${seq}::regclass) AS n FROM generate_series(1, ${NUMBER_BLOCK})`).then(
        (rows) => {
          p.values.push(...rows.map((r) => Number(r.n)).sort((a, b) => a - b));
          p.refill = null;
        },
        (err: unknown) => {
          p.refill = null;
          throw err;
        },
      );
    }
    await pool.refill;
  }
}
