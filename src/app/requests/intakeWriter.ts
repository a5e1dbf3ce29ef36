/**
 * Writing new orders with group commit: intakes that arrive while a write is in flight are written together in
 * the next statement — one statement, one commit for the lot, with no added wait when the server is quiet.
 * Each order's rows (request, order, history, units, clocks, notifications, live event) are written whole or
 * not at all; when a batch fails (say, one request repeats an idempotency key), each of its orders is written
 * again on its own, so one bad submit never fails another.
 */
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { queryRows, type Db } from '../../store/db.js';
import { orderClocks, orderEvents, orderUnits, orders, outbox, requests } from '../../store/schema/index.js';
import { LIVE_CHANNEL, type LiveEvent } from '../outbox/publish.js';

/** Everything one new order writes. */
export type NewOrderRows = {
  request: typeof requests.$inferInsert;
  order: typeof orders.$inferInsert & { id: string };
  events: (typeof orderEvents.$inferInsert)[];
  units: (typeof orderUnits.$inferInsert)[];
  clocks: (typeof orderClocks.$inferInsert)[];
  notifications: (typeof outbox.$inferInsert)[];
  live: LiveEvent;
};

/** The most orders in one statement: big enough to amortise a commit, small enough to keep latency flat. */
export const MAX_BATCH = 64;

/**
 * Rows as one JSON parameter, unpacked by PostgreSQL (`json_populate_recordset`): building a statement with a
 * placeholder per value cost more than running it. Only the columns the rows carry are written; the rest take
 * their defaults, as in a plain INSERT.
 */
function insertRows(table: PgTable, rows: readonly Record<string, unknown>[], returning?: SQL): SQL {
  const columns = getTableColumns(table);
  const keys = Object.keys(columns).filter((k) => rows.some((r) => r[k] !== undefined));
  const names = sql.raw(keys.map((k) => `"${(columns[k] as { name: string }).name}"`).join(', '));
  const records = rows.map((r) => Object.fromEntries(keys.map((k) => {
    const v = r[k];
    return [(columns[k] as { name: string }).name, v instanceof Date ? v.toISOString() : (v ?? null)];
  })));
  return sql`INSERT INTO ${table} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${table}, ${JSON.stringify(records)}::json)${returning ?? sql``}`;
}

/** One statement writing all rows of several new orders; returns each order's history event ids, in order. */
async function writeBatch(db: Db, batch: readonly NewOrderRows[]): Promise<Map<string, number[]>> {
  const all = <T>(pick: (r: NewOrderRows) => T[]) => batch.flatMap(pick);
  const ctes: SQL[] = [
    sql`r AS (${insertRows(requests, all((b) => [b.request]))})`,
    sql`o AS (${insertRows(orders, all((b) => [b.order]))})`,
    sql`e AS (${insertRows(orderEvents, all((b) => b.events), sql` RETURNING id, order_id`)})`,
  ];
  const units = all((b) => b.units);
  const clocks = all((b) => b.clocks);
  const notes = all((b) => b.notifications);
  if (units.length) ctes.push(sql`u AS (${insertRows(orderUnits, units)})`);
  if (clocks.length) ctes.push(sql`c AS (${insertRows(orderClocks, clocks)})`);
  if (notes.length) ctes.push(sql`n AS (${insertRows(outbox, notes)})`);
  // NOTIFY is delivered on commit; the SELECT must read this CTE for it to run.
  const payloads = JSON.stringify(batch.map((b) => JSON.stringify(b.live)));
  ctes.push(sql`live AS (SELECT pg_notify(${LIVE_CHANNEL}, p) FROM json_array_elements_text(${payloads}::json) AS p)`);
  const rows = await queryRows<{ order_id: string; ids: (number | string)[] }>(
    db,
    sql`WITH ${sql.join(ctes, sql`, `)} SELECT e.order_id, json_agg(e.id ORDER BY e.id) AS ids, (SELECT count(*) FROM live) AS notified FROM e GROUP BY e.order_id`,
  );
  intakeWriterStats.statements++;
  intakeWriterStats.orders += batch.length;
  return new Map(rows.map((r) => [r.order_id, r.ids.map(Number)]));
}

/** Statements and orders written by this process, for the benchmark to report the batch size. */
export const intakeWriterStats = { statements: 0, orders: 0 };

type Pending = { rows: NewOrderRows; resolve: (ids: number[]) => void; reject: (err: unknown) => void };

/** One batch at a time per server (a second in flight measured no faster on PostgreSQL; PGlite runs one anyway). */
class IntakeWriter {
  private queue: Pending[] = [];
  /** A drain is scheduled or running: new rows join its next batch. */
  private active = false;

  constructor(private readonly db: Db) {}

  write(rows: NewOrderRows): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      if (this.active) return;
      this.active = true;
      // Start after the requests already read from the sockets in this turn of the event loop have queued theirs:
      // PGlite runs on this thread, so without the turn nothing else could join the batch.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) await this.flush(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.active = false;
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const ids = await writeBatch(
        this.db,
        batch.map((p) => p.rows),
      );
      for (const p of batch) p.resolve(ids.get(p.rows.order.id) ?? []);
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return;
      }
      // Someone in the batch was refused: write each on its own, so only that one hears of it.
      for (const p of batch) await this.flush([p]);
    }
  }
}

const writers = new WeakMap<object, IntakeWriter>();

/**
 * writeNewOrder(db, rows) → the ids of its history events, once committed. One batch is in flight per server:
 * PGlite runs one statement at a time anyway, and on PostgreSQL the batch grows with the load instead.
 */
export function writeNewOrder(db: Db, rows: NewOrderRows): Promise<number[]> {
  let w = writers.get(db);
  if (!w) {
    w = new IntakeWriter(db);
    writers.set(db, w);
  }
  return w.write(rows);
}
