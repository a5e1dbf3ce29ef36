import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { backends, openTestStore, type TestStore } from '../../../test/support/db.js';
import { queryRows } from '../../store/db.js';
import { seedDemoOrders } from './seedDemoOrders.js';

for (const kind of backends) {
  describe(`demo orders (${kind})`, () => {
    let store: TestStore;
    before(async () => {
      store = await openTestStore(kind);
    });
    after(async () => store.close());

    it('seeds orders in several states through the real lifecycle, once', async () => {
      const n = await seedDemoOrders(store.db, new Date('2026-11-25T02:00:00Z'));
      assert.ok(n >= 8);
      const states = await queryRows<{ state: string }>(store.db, sql`SELECT DISTINCT state FROM orders`);
      for (const s of ['dispatched', 'responded', 'replied', 'closed', 'returned', 'pending_review']) assert.ok(states.some((r) => r.state === s), s);
      const events = await queryRows<{ n: number }>(store.db, sql`SELECT count(*)::int AS n FROM order_events`);
      assert.ok((events[0]?.n ?? 0) > n * 2);
      assert.equal(await seedDemoOrders(store.db, new Date('2026-11-25T02:00:00Z')), 0, 'a second start adds nothing');
    });
  });
}
