import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { actorNamed, backends, openTestStore, type TestStore } from '../../../test/support/db.js';
import type { Actor } from '../../domain/actor.js';
import { acceptRequest, type RequestInput } from '../requests/acceptRequest.js';
import { noteNewOrder, REFRESH_MS, repeatCandidates, signatureOf } from './repeatCandidates.js';

const WANGJING = '110105026';
const input = (title: string, body: string, extra: Partial<RequestInput> = {}): RequestInput => ({
  type: 'complaint',
  title,
  body,
  channel: 'hotline',
  districtCode: '110105',
  streetCode: WANGJING,
  dispatch: { leadUnitCode: WANGJING },
  ...extra,
});

for (const kind of backends) {
  describe(`repeat candidates kept per street (${kind})`, () => {
    let store: TestStore;
    let agent: Actor;
    const now = new Date('2026-11-25T02:00:00Z');
    before(async () => {
      store = await openTestStore(kind);
      agent = await actorNamed(store.db, 'agent');
    });
    after(async () => store.close());

    it('reads a street’s open orders once, adds this server’s new ones at once, and reads again when old', async () => {
      const first = await acceptRequest({ db: store.db, actor: agent, input: input('路灯不亮', '望京西园三区门口路灯不亮一周了'), proposal: null, now });
      const t0 = 1_000_000;
      const listed = await repeatCandidates(store.db, WANGJING, now, t0);
      assert.ok(listed.some((r) => r.id === first.orderId), 'the first read finds the open order');
      assert.ok(signatureOf(listed[0] as (typeof listed)[0]).weights.size > 0, 'its words are cut');

      const second = await acceptRequest({ db: store.db, actor: agent, input: input('井盖丢失', '望京街道阜通东大街井盖丢了'), proposal: null, now: new Date(now.getTime() + 1000) });
      const soon = await repeatCandidates(store.db, WANGJING, new Date(now.getTime() + 2000), t0 + 10);
      assert.equal(soon[0]?.id, second.orderId, 'intake on this server adds its order at once, newest first');

      // An order another server took in, and one closed meanwhile: seen when the list is read again.
      await store.db.execute(sql`UPDATE orders SET state = 'closed', closed_at = ${new Date(now.getTime() + 3000).toISOString()}::timestamptz WHERE id = ${first.orderId}`);
      const stale = await repeatCandidates(store.db, WANGJING, new Date(now.getTime() + 3000), t0 + 20);
      assert.ok(stale.some((r) => r.id === first.orderId), 'within REFRESH_MS the kept list is used');
      const fresh = await repeatCandidates(store.db, WANGJING, new Date(now.getTime() + 3000), t0 + REFRESH_MS + 21);
      assert.ok(!fresh.some((r) => r.id === first.orderId), 'a closed order drops out when the list is read again');
      assert.ok(fresh.some((r) => r.id === second.orderId));
    });

    it('keeps an order this server took in while the street was being read, and reads a street once for requests at the same moment', async () => {
      const at = new Date(now.getTime() + 60_000);
      const clock = 9_000_000;
      // The list is old: these two requests find it so at once and share one read.
      const first = repeatCandidates(store.db, WANGJING, at, clock);
      const second = repeatCandidates(store.db, WANGJING, at, clock);
      // An intake commits while the read is on its way (too new for what the read sees).
      const id = randomUUID();
      noteNewOrder(store.db, { id, no: 'GD202611250009999', title: '树枝挡住路灯', body: '望京西园三区路灯被树枝挡住', state: 'dispatched', streetId: WANGJING, communityId: null, acceptedAt: at });
      const [a, b] = await Promise.all([first, second]);
      assert.equal(a[0]?.id, id, 'the order noted during the read is kept, newest first');
      assert.deepEqual(a.map((r) => r.id), b.map((r) => r.id));
    });

    it('keeps orders of other streets, consultations answered on the spot and old orders out', async () => {
      const other = await acceptRequest({ db: store.db, actor: agent, input: input('噪音扰民', '酒仙桥街道工地夜间施工', { streetCode: '110105017', dispatch: { leadUnitCode: '110105017' } }), proposal: null, now });
      const answered = await acceptRequest({ db: store.db, actor: agent, input: input('居住证怎么办理', '想问一下居住证怎么办理', { type: 'consultation', answer: { text: '携带身份证到社区服务站办理' }, dispatch: undefined }), proposal: null, now });
      const rows = await repeatCandidates(store.db, WANGJING, new Date(now.getTime() + 4000), 5_000_000);
      assert.ok(!rows.some((r) => r.id === other.orderId || r.id === answered.orderId));
      const weekLater = await repeatCandidates(store.db, WANGJING, new Date(now.getTime() + 8 * 86_400_000), 5_000_000 + 2 * REFRESH_MS);
      assert.equal(weekLater.length, 0, 'orders older than seven days are not compared');
    });
  });
}
