import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { actorNamed, backends, openTestStore, type TestStore } from '../../../test/support/db.js';
import type { Actor } from '../../domain/actor.js';
import { queryRows } from '../../store/db.js';
import { getOrder } from '../orders/getOrder.js';
import { acceptRequest, type RequestInput } from './acceptRequest.js';

const input = (i: number, extra: Partial<RequestInput> = {}): RequestInput => ({
  type: 'complaint',
  title: `油烟扰民 ${i}`,
  body: '朝阳区望京西园三区楼下烧烤店油烟直排，每天开到夜里十二点',
  channel: 'hotline',
  districtCode: '110105',
  streetCode: '110105026',
  contact: { name: '王晓明', phone: '13912345678' },
  dispatch: { leadUnitCode: '110105026' },
  ...extra,
});

for (const kind of backends) {
  describe(`intake written with group commit (${kind})`, () => {
    let store: TestStore;
    let agent: Actor;
    const now = new Date('2026-11-25T02:00:00Z');
    before(async () => {
      store = await openTestStore(kind);
      agent = await actorNamed(store.db, 'agent');
    });
    after(async () => store.close());

    it('writes 40 concurrent intakes whole: each with its request, order, history, unit, clocks and notification', async () => {
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => acceptRequest({ db: store.db, actor: agent, input: input(i), proposal: null, now })));
      const ids = results.map((r) => r.orderId).filter((x): x is string => !!x);
      assert.equal(new Set(ids).size, 40);
      assert.equal(new Set(results.map((r) => r.requestNo)).size, 40, 'numbers are unique');
      const list = sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      );
      const counts = await queryRows<{ events: number; units: number; clocks: number; notes: number; reqs: number }>(
        store.db,
        sql`SELECT (SELECT count(*)::int FROM order_events WHERE order_id IN (${list})) AS events,
                   (SELECT count(*)::int FROM order_units WHERE order_id IN (${list})) AS units,
                   (SELECT count(*)::int FROM order_clocks WHERE order_id IN (${list})) AS clocks,
                   (SELECT count(*)::int FROM outbox WHERE payload->>'orderId' IN (${list})) AS notes,
                   (SELECT count(*)::int FROM requests WHERE order_id IN (${list})) AS reqs`,
      );
      assert.deepEqual(counts[0], { events: 80, units: 40, clocks: 120, notes: 40, reqs: 40 });
      // What intake answered is what a later read shows.
      const first = results[0];
      assert.ok(first?.order && first.orderId);
      const read = await getOrder({ db: store.db, actor: agent, orderId: first.orderId, now });
      assert.deepEqual(first.order, read);
      assert.equal(read.state, 'dispatched');
      assert.deepEqual(
        read.history.map((h) => h.type),
        ['accept', 'dispatch'],
      );
    });

    it('a repeated idempotency key in the same batch replays the first and fails no one else', async () => {
      const key = `key-${kind}-batch-1`;
      const results = await Promise.all([
        acceptRequest({ db: store.db, actor: agent, input: input(100), idempotencyKey: key, proposal: null, now }),
        ...Array.from({ length: 10 }, (_, i) => acceptRequest({ db: store.db, actor: agent, input: input(200 + i), proposal: null, now })),
        acceptRequest({ db: store.db, actor: agent, input: input(101), idempotencyKey: key, proposal: null, now }),
      ]);
      const keyed = [results[0], results[11]];
      assert.equal(keyed[0]?.requestId, keyed[1]?.requestId);
      assert.deepEqual(
        keyed.map((r) => r?.replayed).sort(),
        [false, true],
      );
      assert.equal(results.filter((r) => !r.replayed).length, 11);
      const [n] = await queryRows<{ n: number }>(store.db, sql`SELECT count(*)::int AS n FROM requests WHERE idempotency_key = ${key}`);
      assert.equal(n?.n, 1);
    });

    it('refuses a bad unit code with a field error and writes nothing for it', async () => {
      const [before] = await queryRows<{ n: number }>(store.db, sql`SELECT count(*)::int AS n FROM orders`);
      await assert.rejects(
        acceptRequest({ db: store.db, actor: agent, input: input(300, { dispatch: { leadUnitCode: 'NOPE' } }), proposal: null, now }),
        (e: { code?: string; fields?: { field: string }[] }) => e.code === 'VALIDATION_FAILED' && e.fields?.[0]?.field === 'leadUnitCode',
      );
      await assert.rejects(
        acceptRequest({ db: store.db, actor: agent, input: input(301, { streetCode: '110101001' }), proposal: null, now }),
        (e: { fields?: { field: string }[] }) => e.fields?.[0]?.field === 'streetCode',
      );
      const [afterRows] = await queryRows<{ n: number }>(store.db, sql`SELECT count(*)::int AS n FROM orders`);
      assert.equal(afterRows?.n, before?.n);
    });

    it('sends an unsure proposal to review and closes a consultation answered on the spot', async () => {
      const review = await acceptRequest({ db: store.db, actor: agent, input: input(400, { dispatch: 'review' }), proposal: null, now });
      assert.equal(review.order?.state, 'pending_review');
      const answered = await acceptRequest({ db: store.db, actor: agent, input: input(401, { type: 'consultation', dispatch: undefined, answer: { text: '公积金提取可在北京公积金网上办理，需本人实名认证。' } }), proposal: null, now });
      assert.equal(answered.order?.state, 'closed');
      const [notes] = await queryRows<{ n: number }>(store.db, sql`SELECT count(*)::int AS n FROM outbox WHERE payload->>'orderId' = ${review.orderId}`);
      assert.equal(notes?.n, 1, 'the hotline hears of the review');
    });
  });
}
