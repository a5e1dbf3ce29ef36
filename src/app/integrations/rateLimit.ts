/**
 * Per-key rate limits in fixed one-minute windows, counted in the database so that every server process shares
 * the count: one upsert returns the new count (PostgreSQL serialises the conflicting updates). The calls of one
 * event-loop turn share one upsert per key and window.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../store/db.js';
import { queryRows } from '../../store/db.js';

export type RateDecision = { allowed: boolean; count: number; limit: number; retryAfterSeconds: number };

type Waiter = { resolve: (count: number) => void; reject: (e: unknown) => void };
const pending = new WeakMap<DbOrTx, Map<string, Waiter[]>>();

/**
 * Count `waiters.length` calls of one key in one window with one upsert; each caller learns its own place in
 * the count (the first of a batch gets the lowest), as if each had upserted alone.
 */
async function upsertBatch(db: DbOrTx, keyId: string, windowStart: Date, waiters: Waiter[]): Promise<void> {
  try {
    const [row] = await queryRows<{ count: number }>(
      db,
      sql`INSERT INTO api_rate_windows (key_id, window_start, count) VALUES (${keyId}, ${windowStart.toISOString()}, ${waiters.length})
          ON CONFLICT (key_id, window_start) DO UPDATE SET count = api_rate_windows.count + ${waiters.length}
          RETURNING count`,
    );
    const total = Number(row?.count ?? waiters.length);
    waiters.forEach((w, i) => w.resolve(total - waiters.length + 1 + i));
  } catch (err) {
    for (const w of waiters) w.reject(err);
  }
}

/** consumeRate({ db, keyId, limit: 60, now }) → { allowed: false, retryAfterSeconds: 17, … } on the 61st call of a minute. */
export async function consumeRate(args: { db: DbOrTx; keyId: string; limit: number; now: Date }): Promise<RateDecision> {
  const { db, keyId, limit, now } = args;
  const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  // Calls arriving in the same turn of the event loop share one upsert per key and window.
  const count = await new Promise<number>((resolve, reject) => {
    let byKey = pending.get(db);
    if (!byKey) {
      const batch = new Map<string, Waiter[]>();
      byKey = batch;
      pending.set(db, batch);
      setImmediate(() => {
        pending.delete(db);
        for (const [k, waiters] of batch) {
          const [id, at] = k.split('|') as [string, string];
          void upsertBatch(db, id, new Date(Number(at)), waiters);
        }
      });
    }
    const k = `${keyId}|${windowStart.getTime()}`;
    const list = byKey.get(k) ?? [];
    list.push({ resolve, reject });
    byKey.set(k, list);
  });
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + 60_000 - now.getTime()) / 1000));
  return { allowed: count <= limit, count, limit, retryAfterSeconds };
}

/** Drop windows older than ten minutes (called with the batched use log, so the table stays small). */
export async function pruneRateWindows(db: DbOrTx, now: Date): Promise<void> {
  await db.execute(sql`DELETE FROM api_rate_windows WHERE window_start < ${new Date(now.getTime() - 600_000).toISOString()}`);
}
