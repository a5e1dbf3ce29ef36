import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { seedDemoOrders } from '../../app/setup/seedDemoOrders.js';

for (const kind of backends) {
  describe(`stats overview (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind, {}, new Date('2026-11-25T02:00:00Z'));
      await seedDemoOrders(t.store.db, t.clock.now);
    });
    after(async () => t.close());

    it('gives the district leader volumes, overdue and rates by district and street, within jurisdiction', async () => {
      const r = await t.call('GET', '/api/v1/stats/overview', { token: await t.login('leader_cy') });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(r.body.totals.accepted >= 6);
      assert.deepEqual(r.body.byDistrict.map((d: { code: string }) => d.code), ['110105'], '朝阳区 only for its leader');
      const cy = r.body.byDistrict[0];
      assert.equal(cy.resolutionRate, 1);
      assert.equal(cy.satisfactionRate, 1);
      assert.ok(r.body.byStreet.some((s: { code: string }) => s.code === '110105026'));
      assert.ok(r.body.trend.length >= 3);
      const city = await t.call('GET', '/api/v1/stats/overview', { token: await t.login('leader') });
      assert.ok(city.body.byDistrict.length >= 2);
      const other = await t.call('GET', '/api/v1/stats/overview', { token: await t.login('jiuxianqiao') });
      assert.equal(other.body.totals.accepted, 0);
      const bad = await t.call('GET', '/api/v1/stats/overview?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z', { token: await t.login('leader') });
      assert.equal(bad.status, 400);
      const days = await t.call('GET', '/api/v1/stats/overview?from=2026-11-01&to=2026-11-25', { token: await t.login('leader_cy') });
      assert.equal(days.status, 200, 'bare dates are Beijing days');
      assert.equal(days.body.to, '2026-11-25T16:00:00.000Z');
      const garbage = await t.call('GET', '/api/v1/stats/overview?from=yesterday', { token: await t.login('leader_cy') });
      assert.equal(garbage.status, 400);
      assert.equal(garbage.body.fields[0].field, 'querystring.from');
    });
  });
}
