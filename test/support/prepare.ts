/**
 * Prepare database templates for the test suite once per run: a migrated, seeded PGlite dumped to a tarball,
 * and (where PostgreSQL is reachable) a template database that each test file clones. Keyed by a hash of the
 * migrations, reference data and seed code, so an unchanged tree reuses them.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { migrateStore, openStore } from '../../src/store/db.js';
import { seedReference } from '../../src/store/seed/reference.js';
import { seedDemoAccounts } from '../../src/app/setup/seedDemo.js';
import { seedKnowledge } from '../../src/app/knowledge/seedKnowledge.js';
import { chromiumMissing, ensureWebBuilt } from './browser.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const artifacts = path.join(root, '.test-artifacts');
export const envFile = path.join(artifacts, 'db-templates.json');

export type TemplateEnv = { key: string; pgliteTarball: string; postgres: { adminUrl: string; template: string } | null };

function hashTree(h: ReturnType<typeof createHash>, p: string): void {
  if (!existsSync(p)) return;
  if (statSync(p).isDirectory()) {
    for (const n of readdirSync(p).sort()) hashTree(h, path.join(p, n));
  } else {
    h.update(p.slice(root.length)).update(readFileSync(p));
  }
}

export function templateKey(): string {
  const h = createHash('sha256');
  for (const p of ['src/store', 'src/app/setup', 'src/app/auth/password.ts', 'src/app/knowledge/seedKnowledge.ts', 'src/intelligence/text/words.ts', 'test/support/prepare.ts']) hashTree(h, path.join(root, p));
  return h.digest('hex').slice(0, 12);
}

export function postgresAdminUrl(): string {
  // Tests never touch a configured production database: only an explicit test URL or the local `test` database.
  return process.env.JIESU_TEST_DATABASE_URL ?? `postgres://${encodeURIComponent(process.env.PGUSER ?? os.userInfo().username)}@127.0.0.1:5432/test`;
}

async function postgresReachable(url: string): Promise<boolean> {
  if (process.env.JIESU_TEST_POSTGRES === '0') return false;
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function templateExists(p: { adminUrl: string; template: string }): Promise<boolean> {
  const c = new pg.Client({ connectionString: p.adminUrl, connectionTimeoutMillis: 1500 });
  try {
    await c.connect();
    return ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [p.template])).rowCount ?? 0) > 0;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export function dbUrl(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function prepare(): Promise<TemplateEnv> {
  mkdirSync(artifacts, { recursive: true });
  const key = templateKey();
  if (existsSync(envFile)) {
    const prev = JSON.parse(readFileSync(envFile, 'utf8')) as TemplateEnv;
    // Another checkout on the same server may have dropped our template: reuse only what is still there.
    if (prev.key === key && existsSync(prev.pgliteTarball) && (!prev.postgres || (await templateExists(prev.postgres)))) return prev;
  }
  const t0 = Date.now();
  const store = await openStore({ kind: 'pglite' });
  await migrateStore(store);
  await seedReference(store.db);
  await seedKnowledge({ db: store.db, now: new Date('2026-01-01T00:00:00Z') });
  await seedDemoAccounts(store.db);
  const client = (store as unknown as { db: { $client: PGlite } }).db.$client;
  const dump = await client.dumpDataDir('gzip');
  const tarball = path.join(artifacts, `pglite-${key}.tgz`);
  writeFileSync(tarball, Buffer.from(await dump.arrayBuffer()));
  await store.close();
  let postgres: TemplateEnv['postgres'] = null;
  const adminUrl = postgresAdminUrl();
  if (await postgresReachable(adminUrl)) {
    const template = `jiesu_tpl_${key}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (!exists.rowCount) {
      await admin.query(`CREATE DATABASE ${template}_build`).catch(async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${template}_build WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${template}_build`);
      });
      const url = dbUrl(adminUrl, `${template}_build`);
      const pgStore = await openStore({ kind: 'postgres', url, max: 2 });
      await migrateStore(pgStore, url);
      await seedReference(pgStore.db);
      await seedKnowledge({ db: pgStore.db, now: new Date('2026-01-01T00:00:00Z') });
      await seedDemoAccounts(pgStore.db);
      await pgStore.close();
      await admin.query(`ALTER DATABASE ${template}_build RENAME TO ${template}`);
    }
    // Old templates of earlier trees are dropped so the server does not fill up.
    const old = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'jiesu_tpl_%' AND datname <> $1`, [template]);
    for (const r of old.rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    postgres = { adminUrl, template };
  }
  const env: TemplateEnv = { key, pgliteTarball: tarball, postgres };
  writeFileSync(envFile, JSON.stringify(env, null, 2));
  process.stdout.write(`test databases prepared in ${((Date.now() - t0) / 1000).toFixed(1)} s: PGlite${postgres ? ' + PostgreSQL' : ' (PostgreSQL not reachable: PGlite only)'}\n`);
  return env;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // web/dist is built here, once, before browser test files run side by side (they would build into one folder at once).
  Promise.all([prepare(), chromiumMissing ? Promise.resolve() : ensureWebBuilt()]).catch((err: unknown) => {
    process.stderr.write(`could not prepare test databases: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
