/** Bring the database to life: open it, migrate, load reference data, and (demo mode) the demo accounts and demo orders. */
import path from 'node:path';
import type { Config } from '../../config.js';
import { migrateStore, openStore, type Store } from '../../store/db.js';
import { seedReference } from '../../store/seed/reference.js';
import { seedKnowledge } from '../knowledge/seedKnowledge.js';
import { seedDemoAccounts, seedDemoStreetPoints, type DemoAccount } from './seedDemo.js';
import { seedDemoOrders } from './seedDemoOrders.js';
import { seedCityopsDemo } from '../cityops/seedCityopsDemo.js';

export async function bootstrap(config: Config): Promise<{ store: Store; demoAccounts: DemoAccount[] }> {
  const store = config.databaseUrl
    ? await openStore({ kind: 'postgres', url: config.databaseUrl })
    : await openStore({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') });
  await migrateStore(store, config.databaseUrl);
  await seedReference(store.db);
  await seedKnowledge({ db: store.db, now: new Date() });
  const demoAccounts = config.demo ? await seedDemoAccounts(store.db) : [];
  if (config.demo) await seedDemoStreetPoints(store.db);
  if (config.demo) await seedDemoOrders(store.db, new Date());
  if (config.demo) await seedCityopsDemo({ db: store.db, now: new Date() });
  return { store, demoAccounts };
}
