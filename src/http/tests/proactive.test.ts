import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { raiseProactiveAlerts } from '../../app/proactive/raiseProactiveAlerts.js';

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

    it('opens a proactive order from the spike through intake, with its evidence, and never twice', async () => {
      const supervisor = await t.login('supervisor');
      const body = { kind: 'order', source: 'spike', categoryCode: 'HB', streetCode: WANGJING, note: '请街道牵头排查' };
      const res = await t.call('POST', '/api/v1/proactive/actions', { token: supervisor, body });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.evidenceKey, `spike:HB|${WANGJING}|2026-11-25`);
      const order = await t.call('GET', `/api/v1/orders/${res.body.order.id}`, { token: supervisor });
      assert.equal(order.body.channel, 'proactive');
      assert.equal(order.body.state, 'dispatched');
      assert.ok(order.body.clocks.length > 0, 'the order runs on clocks like any other');
      const evidence = order.body.history.find((e: { type: string }) => e.type === 'proactive_evidence');
      assert.ok(evidence, JSON.stringify(order.body.history.map((e: { type: string }) => e.type)));
      assert.equal(evidence.data.today, 7);
      assert.equal(evidence.data.orderIds.length, 7);
      const again = await t.call('POST', '/api/v1/proactive/actions', { token: supervisor, body });
      assert.equal(again.status, 409);
      assert.equal(again.body.code, 'DUPLICATE_EVIDENCE');
      assert.match(again.body.message, new RegExp(res.body.order.no));
      // The same evidence may still be alerted once.
      const alert = await t.call('POST', '/api/v1/proactive/actions', { token: supervisor, body: { ...body, kind: 'alert' } });
      assert.equal(alert.status, 201, JSON.stringify(alert.body));
      assert.ok(alert.body.unitIds.includes(WANGJING));
      assert.equal((await t.call('POST', '/api/v1/proactive/actions', { token: supervisor, body: { ...body, kind: 'alert' } })).status, 409);
      const actions = await t.call('GET', '/api/v1/proactive/actions', { token: await t.login('wangjing') });
      assert.equal(actions.body.items.length, 2);
      assert.equal((await t.call('GET', '/api/v1/proactive/actions', { token: await t.login('jiuxianqiao') })).body.items.length, 0);
    });

    it('refuses evidence that does not hold, and roles that may not act', async () => {
      const supervisor = await t.login('supervisor');
      const noSpike = await t.call('POST', '/api/v1/proactive/actions', { token: supervisor, body: { kind: 'order', source: 'spike', categoryCode: 'HB', streetCode: JIUXIANQIAO } });
      assert.equal(noSpike.status, 400);
      assert.equal(noSpike.body.fields[0].field, 'streetCode');
      const noStreet = await t.call('POST', '/api/v1/proactive/actions', { token: supervisor, body: { kind: 'order', source: 'spike', categoryCode: 'HB' } });
      assert.equal(noStreet.status, 400);
      assert.equal((await t.call('POST', '/api/v1/proactive/actions', { token: supervisor, body: { kind: 'memo', source: 'spike', categoryCode: 'HB' } })).status, 400);
      assert.equal((await t.call('POST', '/api/v1/proactive/actions', { token: await t.login('wangjing'), body: { kind: 'order', source: 'spike', categoryCode: 'HB', streetCode: WANGJING } })).status, 403);
    });
  });

  describe(`未诉先办: seasonal forecasts (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720' }, new Date('2025-06-10T02:00:00Z'));
      // Heating calls over sixteen months, June 2025 … September 2026: the season of October to March.
      const perMonth = [0, 0, 0, 1, 4, 12, 8, 6, 4, 2, 0, 0, 0, 0, 0, 1];
      for (let i = 0; i < perMonth.length; i++) {
        const month = new Date(Date.UTC(2025, 5 + i, 10, 2));
        t.clock.now = month;
        const agent = await t.login('agent');
        for (let k = 0; k < (perMonth[i] ?? 0); k++) {
          const r = await t.call('POST', '/api/v1/requests', {
            token: agent,
            body: { type: 'help', channel: 'hotline', title: `暖气不热 ${i}-${k}`, body: '暖气片不热，室温只有十五度', categoryCode: 'GY.04.01', districtCode: '110105', streetCode: WANGJING, dispatch: { leadUnitCode: WANGJING } },
          });
          assert.equal(r.status, 201, JSON.stringify(r.body));
        }
      }
      t.clock.now = new Date('2026-10-08T02:00:00Z');
    });
    after(async () => t.close());

    it('foresees the heating season in October from last year, citywide and in the district, with last year’s orders', async () => {
      const res = await t.call('GET', '/api/v1/proactive/forecasts', { token: await t.login('supervisor') });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.month, '2026-10');
      const city = res.body.forecasts.find((f: { area: { level: string }; category: { code: string } }) => f.area.level === 'city' && f.category.code === 'GY.04.01');
      assert.ok(city, JSON.stringify(res.body.forecasts.map((f: { key: string }) => f.key)));
      assert.equal(city.rising, true);
      assert.equal(city.peak.month, '2026-11');
      assert.ok(city.peak.value >= 6, String(city.peak.value));
      assert.equal(city.now, 1);
      assert.deepEqual(city.lastYear, { month: '2025-11', orders: 12 });
      assert.equal(city.evidence.length, 10);
      assert.equal(city.method, 'blend');
      assert.deepEqual(city.units.map((u: { code: string }) => u.code).slice(0, 1), ['110000-RL']);
      const district = res.body.forecasts.find((f: { area: { level: string } }) => f.area.level === 'district');
      assert.equal(district?.area.code, '110105');
      assert.equal(district?.method, 'pooled');
      const flat = await t.call('GET', '/api/v1/proactive/forecasts?minRatio=20', { token: await t.login('supervisor') });
      assert.equal(flat.body.forecasts.length, 0, 'nothing rises twenty-fold');
      assert.equal((await t.call('GET', '/api/v1/proactive/forecasts?level=street', { token: await t.login('supervisor') })).status, 400);
    });

    it('opens a proactive order from a forecast to the unit the catalogue names, once', async () => {
      const leader = await t.login('leader');
      const body = { kind: 'order', source: 'forecast', categoryCode: 'GY.04.01' };
      const res = await t.call('POST', '/api/v1/proactive/actions', { token: leader, body });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.evidenceKey, 'forecast:GY.04.01|city|2026-11');
      assert.equal(res.body.unitIds[0], '110000-RL');
      assert.equal((await t.call('POST', '/api/v1/proactive/actions', { token: leader, body })).status, 409);
    });

    it('numbers two proactive orders opened one after another consecutively: in-transaction intake wastes no block', async () => {
      const leader = await t.login('leader');
      const actions = await t.call('GET', '/api/v1/proactive/actions', { token: leader });
      const city = actions.body.items.find((a: { evidenceKey: string }) => a.evidenceKey === 'forecast:GY.04.01|city|2026-11');
      assert.ok(city?.order, JSON.stringify(actions.body.items));
      const res = await t.call('POST', '/api/v1/proactive/actions', { token: leader, body: { kind: 'order', source: 'forecast', categoryCode: 'GY.04.01', districtCode: '110105' } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const seqOf = (no: string) => Number(no.slice(-7));
      assert.equal(seqOf(res.body.order.no), seqOf(city.order.no) + 1, `${city.order.no} then ${res.body.order.no}`);
    });

    it('raises alerts to the units concerned from the scheduled job, once per evidence', async () => {
      const first = await raiseProactiveAlerts({ db: t.store.db, now: t.clock.now });
      assert.ok(first.forecasts >= 1, JSON.stringify(first));
      const second = await raiseProactiveAlerts({ db: t.store.db, now: t.clock.now });
      assert.deepEqual(second, { spikes: 0, forecasts: 0 });
      const actions = await t.call('GET', '/api/v1/proactive/actions', { token: await t.login('supervisor') });
      assert.ok(actions.body.items.some((a: { kind: string; createdBy: string }) => a.kind === 'alert' && a.createdBy === '未诉先办自动预警'));
    });
  });
}
