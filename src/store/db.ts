/**
 * Opening the database: PGlite (embedded PostgreSQL in a data folder) by default, a PostgreSQL server when
 * DATABASE_URL is set. One schema and one set of migrations serve both.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle has the same query surface as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export type Store = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** LISTEN on a channel; NOTIFY is delivered on commit, to every server listening. Returns an unsubscribe. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export type OpenOptions =
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob }
  | { kind: 'postgres'; url: string; max?: number };

/** Open a store. For PGlite, `dataDir` persists to a folder; without it the database lives in memory. */
export async function openStore(opts: OpenOptions): Promise<Store> {
  if (opts.kind === 'pglite') {
    if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
    const client = new PGlite({
      extensions: { pg_trgm },
      ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    });
    await client.waitReady;
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    return {
      db,
      kind: 'pglite',
      listen: async (channel, onPayload) => client.listen(channel, onPayload),
      close: () => client.close(),
    };
  }
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.max ?? 10 });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  const listeners: pg.Client[] = [];
  return {
    db,
    kind: 'postgres',
    listen: async (channel, onPayload) => {
      // LISTEN needs a session of its own: a pooled connection would drop it.
      const client = new pg.Client({ connectionString: opts.url });
      client.on('error', () => undefined);
      await client.connect();
      client.on('notification', (n) => {
        if (n.channel === channel && n.payload !== undefined) onPayload(n.payload);
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listeners.push(client);
      return async () => {
        listeners.splice(listeners.indexOf(client), 1);
        await client.end().catch(() => undefined);
      };
    },
    close: async () => {
      await Promise.all(listeners.map((c) => c.end().catch(() => undefined)));
      await pool.end();
    },
  };
}

/** Apply pending migrations. On PostgreSQL an advisory lock keeps several starting servers from racing. */
export async function migrateStore(store: Store, url?: string): Promise<void> {
  if (store.kind === 'pglite') {
    await migratePglite(store.db as unknown as Parameters<typeof migratePglite>[0], { migrationsFolder });
    return;
  }
  if (!url) throw new Error('migrateStore needs the PostgreSQL url');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(8412345)');
    await migratePg(drizzlePg(client), { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock(8412345)').catch(() => undefined);
    await client.end();
  }
}

/** True when the store answers and the newest migration has been applied. */
export async function isReady(store: Store): Promise<boolean> {
  try {
    const [r] = await queryRows<{ n: number }>(store.db, sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
    const n = Number(r?.n ?? 0);
    return n >= expectedMigrationCount();
  } catch {
    return false;
  }
}

let cachedCount: number | undefined;
function expectedMigrationCount(): number {
  // The journal lists every migration; readiness means all of them ran.
  cachedCount ??= (JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;
  return cachedCount;
}

/** Raw SQL returning typed rows; both drivers answer with `{ rows }`. */
export async function queryRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}
