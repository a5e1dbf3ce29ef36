import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';

const WANGJING = '110105026';
const JIUXIANQIAO = '110105011';

for (const kind of backends) {
  describe(`未诉先办: spikes as they start (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720' }, new Date('2026-11-25T01:00:00Z'));
      const agent = await t.login('agent');
      const post = async (street: string, i: number) => {
        const r = await t.call('POST', '/api/v1/requests', {
          token: agent,
          body: { type: 'complaint', channel: 'hotline', title: `楼道暖气不热 ${i}`, body: '家里暖气片冰凉，室温不到十六度', categoryCode: 'HB', districtCode: '110105', streetCode: street, dispatch: { leadUnitCode: street } },
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        t.clock.advance(10 * 60_000);
      };
      for (let i = 0; i < 7; i++) await post(WANGJING, i);
      await post(JIUXIANQIAO, 99);
    });
    after(async () => t.close());

    it('finds the street where one problem suddenly comes in many calls today, with the orders behind it', async () => {
      const res = await t.call('GET', '/api/v1/proactive/spikes', { token: await t.login('supervisor') });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.day, '2026-11-25');
      assert.equal(res.body.spikes.length, 1, 'one call in 酒仙桥 is no spike');
      const [s] = res.body.spikes;
      assert.equal(s.street.code, WANGJING);
      assert.equal(s.category.code, 'HB');
      assert.equal(s.today, 7);
      assert.equal(s.orders.length, 7);
    });

    it('shows each unit its own area only, and refuses citizens', async () => {
      const mine = await t.call('GET', '/api/v1/proactive/spikes', { token: await t.login('wangjing') });
      assert.equal(mine.body.spikes.length, 1);
      const other = await t.call('GET', '/api/v1/proactive/spikes', { token: await t.login('jiuxianqiao') });
      assert.equal(other.body.spikes.length, 0);
      assert.equal((await t.call('GET', '/api/v1/proactive/spikes', { token: await t.login('citizen') })).status, 403);
      assert.equal((await t.call('GET', '/api/v1/proactive/spikes?minZ=0', { token: await t.login('supervisor') })).status, 400);
    });
  });
}
