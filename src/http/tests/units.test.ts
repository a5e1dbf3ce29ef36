import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';

for (const kind of backends) {
  describe(`administrators keep the organization tree (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind);
    });
    after(async () => t.close());

    it('puts a street on the map inside its own district, and the leader’s map shows it as a point', async () => {
      const admin = await t.login('admin');
      const wrong = await t.call('PATCH', '/api/v1/units/110105026', { token: admin, body: { point: { lat: 39.99, lng: 116.3 } } });
      assert.equal(wrong.status, 400, JSON.stringify(wrong.body));
      assert.equal(wrong.body.code, 'VALIDATION_FAILED');
      assert.equal(wrong.body.fields[0].field, 'lat');
      assert.match(wrong.body.message, /海淀区.*不在朝阳区内/);

      const set = await t.call('PATCH', '/api/v1/units/110105026', { token: admin, body: { point: { lat: 39.9966, lng: 116.4706 } } });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(set.body.lat, 39.9966);

      const agent = await t.login('agent');
      const filed = await t.call('POST', '/api/v1/requests', { token: agent, body: { type: 'complaint', title: '望京西园路灯不亮', body: '望京西园三区门口路灯坏了一周', channel: 'hotline', urgency: 'general', districtCode: '110105', streetCode: '110105026', dispatch: { leadUnitCode: '110105026' } } });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      const stats = await t.call('GET', '/api/v1/stats/overview?from=2026-09-01&to=2026-09-30', { token: await t.login('leader') });
      assert.equal(stats.status, 200, JSON.stringify(stats.body));
      const wangjing = stats.body.byStreet.find((s: { code: string }) => s.code === '110105026');
      assert.deepEqual([wangjing.lat, wangjing.lng], [39.9966, 116.4706]);

      const audit = await t.call('GET', '/api/v1/audit?action=unit.update', { token: admin });
      assert.ok(JSON.stringify(audit.body).includes('110105026'));
    });

    it('keeps official names, and only administrators edit', async () => {
      const admin = await t.login('admin');
      const rename = await t.call('PATCH', '/api/v1/units/110105026', { token: admin, body: { name: '望京新街道' } });
      assert.equal(rename.status, 400);
      assert.equal(rename.body.fields[0].field, 'name');
      assert.equal((await t.call('PATCH', '/api/v1/units/110105026', { token: await t.login('dispatcher'), body: { point: null } })).status, 403);
      assert.equal((await t.call('PATCH', '/api/v1/units/110105026', { token: admin, body: {} })).status, 400);
      assert.equal((await t.call('PATCH', '/api/v1/units/999999999', { token: admin, body: { point: null } })).status, 404);
      assert.equal((await t.call('GET', '/api/v1/units/110105026')).body.name, '望京街道', 'nothing changed');
    });

    it('adds a department that can lead orders at once, and will not deactivate it while it leads open ones', async () => {
      const admin = await t.login('admin');
      const created = await t.call('POST', '/api/v1/units', { token: admin, body: { parent: '110105', level: 'department', abbr: 'SHJ', name: '朝阳区市场监督管理局试点科', shortName: '朝阳区市场监管试点' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.code, '110105-SHJ');
      assert.equal(created.body.path, '/110000/110105/110105-SHJ/');
      const again = await t.call('POST', '/api/v1/units', { token: admin, body: { parent: '110105', level: 'department', abbr: 'SHJ', name: '重复的部门' } });
      assert.equal(again.status, 409);
      assert.equal(again.body.fields[0].field, 'abbr');
      const misplaced = await t.call('POST', '/api/v1/units', { token: admin, body: { parent: '110105', level: 'community', code: '110105026999', name: '挂错层级的社区' } });
      assert.equal(misplaced.status, 400);
      assert.equal(misplaced.body.fields[0].field, 'parent');

      const agent = await t.login('agent');
      const filed = await t.call('POST', '/api/v1/requests', { token: agent, body: { type: 'complaint', title: '超市售卖过期食品', body: '望京某超市货架上有过期酸奶', channel: 'hotline', urgency: 'general', districtCode: '110105', streetCode: '110105026', dispatch: { leadUnitCode: '110105-SHJ' } } });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      assert.equal(filed.body.order.leadUnit.code, '110105-SHJ');
      const off = await t.call('PATCH', '/api/v1/units/110105-SHJ', { token: admin, body: { active: false } });
      assert.equal(off.status, 409, JSON.stringify(off.body));
      assert.match(off.body.message, /1 件在办工单/);
      assert.equal((await t.call('PATCH', '/api/v1/units/110105026', { token: admin, body: { active: false } })).status, 400, 'a street cannot be switched off');
    });
  });
}
