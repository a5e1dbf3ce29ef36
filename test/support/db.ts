/**
 * Test databases: each test file gets its own copy of the prepared template, on PGlite and (where reachable)
 * on PostgreSQL, so no query works on one and fails on the other.
 *
 *   for (const kind of backends) describe(`login (${kind})`, () => { … openTestStore(kind) … })
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { eq } from 'drizzle-orm';
import { openStore, type Db, type Store } from '../../src/store/db.js';
import { units, users } from '../../src/store/schema/index.js';
import { actorOf } from '../../src/app/auth/authenticate.js';
import type { Actor } from '../../src/domain/actor.js';
import { dbUrl, prepare, type TemplateEnv } from './prepare.js';

const env: TemplateEnv = await prepare();

export type BackendKind = 'pglite' | 'postgres';
export const backends: BackendKind[] = env.postgres ? ['pglite', 'postgres'] : ['pglite'];

export type TestStore = Store & { url?: string };

/** A fresh, migrated and seeded database; `close()` also drops a PostgreSQL copy. */
export async function openTestStore(kind: BackendKind): Promise<TestStore> {
  if (kind === 'pglite') {
    const blob = new Blob([readFileSync(env.pgliteTarball)]);
    return openStore({ kind: 'pglite', loadDataDir: blob });
  }
  if (!env.postgres) throw new Error('PostgreSQL is not reachable for tests');
  const { adminUrl, template } = env.postgres;
  const name = `jiesu_t_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      break;
    } catch (err) {
      // Two files cloning the template at the same moment: PostgreSQL refuses one; wait and retry.
      if (attempt > 20) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  const url = dbUrl(adminUrl, name);
  const store = await openStore({ kind: 'postgres', url, max: 5 });
  return {
    ...store,
    url,
    close: async () => {
      await store.close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** A demo account as the use-cases see it (role, unit, scope), for tests that call use-cases directly. */
export async function actorNamed(db: Db, username: string): Promise<Actor> {
  const [row] = await db.select({ user: users, unit: units }).from(users).leftJoin(units, eq(units.id, users.unitId)).where(eq(users.username, username)).limit(1);
  if (!row) throw new Error(`no demo user ${username}`);
  return actorOf(row.user, row.unit);
}
