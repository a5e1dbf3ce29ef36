/**
 * The deadline sweep over many open orders: how long the sweep takes to find (and lock) what is due, with a
 * full table scan of the same clocks measured in the same run as the baseline.
 */
import { sql } from 'drizzle-orm';
import { queryRows } from '../src/store/db.js';
import { fmt, freshStore, timed } from './support.js';

export type SweepFigures = { kind: string; openOrders: number; due: number; findMs: number; scanMs: number; ratio: number };

export async function run(kind: 'pglite' | 'postgres', openOrders = 1_000_000, due = 1000): Promise<SweepFigures> {
  const { store, drop } = await freshStore(kind);
  try {
    const db = store.db;
    // Bulk-load open orders and their reply clocks in SQL: most are due in the future, `due` of them now.
    await db.execute(sql`INSERT INTO orders (id, no, request_id, type, channel, title, body, urgency, policy_code, state, lead_unit_id, lead_unit_path, accepted_at, updated_at)
      SELECT md5(i::text)::uuid, 'B' || i, md5(i::text)::uuid, 'complaint', 'hotline', '油烟扰民', '望京西园', 'general', 'general', 'signed', '110105026', '/110000/110105/110105026/', now() - interval '1 day', now()
      FROM generate_series(1, ${openOrders}) AS i`);
    await db.execute(sql`INSERT INTO order_clocks (order_id, kind, started_at, duration, warn_before, due_at, warn_at, next_check_at)
      SELECT md5(i::text)::uuid, 'reply', now() - interval '1 day', '{"amount":7,"unit":"working_days"}', '{"fraction":0.2}',
             now() + (CASE WHEN i <= ${due} THEN interval '-1 hour' ELSE (i % 10000 + 2) * interval '1 minute' END),
             now() + (CASE WHEN i <= ${due} THEN interval '-2 hour' ELSE (i % 10000 + 1) * interval '1 minute' END),
             now() + (CASE WHEN i <= ${due} THEN interval '-2 hour' ELSE (i % 10000 + 1) * interval '1 minute' END)
      FROM generate_series(1, ${openOrders}) AS i`);
    await db.execute(sql`ANALYZE orders`);
    await db.execute(sql`ANALYZE order_clocks`);
    const now = new Date();
    // The sweep's own selection: clocks whose check time has passed, their orders locked with SKIP LOCKED.
    const find = await timed(() =>
      db.transaction((tx) => queryRows<{ id: string }>(tx, sql`SELECT o.id FROM orders o WHERE o.id IN (SELECT c.order_id FROM order_clocks c WHERE c.next_check_at <= ${now} ORDER BY c.next_check_at LIMIT 5000) FOR UPDATE SKIP LOCKED`)),
    );
    if (find.value.length !== due) throw new Error(`sweep found ${find.value.length}, expected ${due}`);
    const scan = await timed(() => queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM order_clocks WHERE due_at::text <= ${now.toISOString()}`));
    return { kind, openOrders, due, findMs: find.ms, scanMs: scan.ms, ratio: find.ms / scan.ms };
  } finally {
    await drop();
  }
}

export function report(f: SweepFigures): string {
  return `sweep (${f.kind}): found ${fmt(f.due)} due among ${fmt(f.openOrders)} open orders in ${fmt(f.findMs, 1)} ms; full scan of the same clocks ${fmt(f.scanMs, 1)} ms; ratio ${fmt(f.ratio, 3)}`;
}
