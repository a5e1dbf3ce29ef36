/**
 * Every use of an API key is logged, cheaply: uses are buffered per database and written in one multi-row
 * insert every half second (or at 500 rows), with each key's last-used time. `flushKeyUses` writes at once
 * (tests, shutdown). A crash loses at most the last half second of the log, never a request.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../store/db.js';
import { apiKeyUses } from '../../store/schema/index.js';
import { pruneRateWindows } from './rateLimit.js';

export type KeyUse = { keyId: string; at: Date; method: string; route: string; status: number; ip: string | null };

type Buffer = { rows: KeyUse[]; timer: NodeJS.Timeout | null; writing: Promise<void> };
const buffers = new WeakMap<Db, Buffer>();
const MAX_ROWS = 500;
const EVERY_MS = 500;

function bufferOf(db: Db): Buffer {
  let b = buffers.get(db);
  if (!b) {
    b = { rows: [], timer: null, writing: Promise.resolve() };
    buffers.set(db, b);
  }
  return b;
}

async function write(db: Db, rows: KeyUse[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(apiKeyUses).values(rows);
  const last = new Map<string, Date>();
  for (const r of rows) if ((last.get(r.keyId)?.getTime() ?? 0) < r.at.getTime()) last.set(r.keyId, r.at);
  for (const [keyId, at] of last) {
    await db.execute(sql`UPDATE api_keys SET last_used_at = ${at.toISOString()} WHERE id = ${keyId} AND (last_used_at IS NULL OR last_used_at < ${at.toISOString()})`);
  }
  await pruneRateWindows(db, rows[rows.length - 1]?.at ?? new Date());
}

/** Queue one use; written with the next batch. */
export function recordKeyUse(db: Db, use: KeyUse): void {
  const b = bufferOf(db);
  b.rows.push(use);
  if (b.rows.length >= MAX_ROWS) {
    void flushKeyUses(db);
    return;
  }
  if (!b.timer) {
    b.timer = setTimeout(() => void flushKeyUses(db), EVERY_MS);
    b.timer.unref();
  }
}

/** Write what is buffered now, after any write in progress. */
export function flushKeyUses(db: Db): Promise<void> {
  const b = bufferOf(db);
  if (b.timer) clearTimeout(b.timer);
  b.timer = null;
  const rows = b.rows.splice(0);
  b.writing = b.writing.then(() => write(db, rows)).catch(() => {
    // The use log must never fail a request: a batch that cannot be written is dropped.
  });
  return b.writing;
}
