import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';

for (const kind of backends) {
  describe(`working-day calendar entered by an administrator (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      // Mon 2026-12-28 10:00 Beijing: a 7-working-day reply deadline runs into 2027, which chinese-days 1.5.7 lacks.
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720' }, new Date('2026-12-28T02:00:00Z'));
    });
    after(async () => t.close());

    const file = async (token: string, title: string) => {
      const res = await t.call('POST', '/api/v1/requests', { token, body: { type: 'complaint', title, body: '小区门口人行道砖块松动，老人容易绊倒', channel: 'hotline', urgency: 'general', districtCode: '110105', streetCode: '110105026', dispatch: { leadUnitCode: '110105026' } } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.order as { dueAt: string; clocks: { kind: string; calendarFallback: boolean }[] };
    };

    it('counts 2027 as Mon–Fri (flagged) until the year is entered, then on the entered holidays', async () => {
      const agent = await t.login('agent');
      const admin = await t.login('admin');
      const guessed = await file(agent, '人行道砖块松动');
      assert.equal(guessed.dueAt, '2027-01-06T15:59:59.999Z');
      assert.ok(guessed.clocks.find((c) => c.kind === 'reply')?.calendarFallback, 'the clock says it guessed');

      const put = await t.call('PUT', '/api/v1/policies/calendar', { token: admin, body: { years: [{ year: 2027, holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: [], source: '国务院办公厅关于2027年部分节假日安排的通知' }] } });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.deepEqual(put.body.coverage.entered, [2027]);
      assert.ok(put.body.coverage.effective.to >= 2027);

      const counted = await file(agent, '人行道砖块松动（二）');
      assert.equal(counted.dueAt, '2027-01-07T15:59:59.999Z', '元旦 is a rest day now: one working day later');
      assert.equal(counted.clocks.find((c) => c.kind === 'reply')?.calendarFallback, false);

      const audit = await t.call('GET', '/api/v1/audit?action=policy.calendar.update', { token: admin });
      assert.equal(audit.status, 200);
      assert.ok(JSON.stringify(audit.body).includes('policy.calendar.update'));
    });

    it('counts the follow-up deadline on the entered years too (follow-up queue regression: it used the package only)', async () => {
      const agent = await t.login('agent');
      const wangjing = await t.login('wangjing');
      t.clock.advance(3 * 86400_000); // Thu 2026-12-31 10:00 Beijing
      const created = await t.call('POST', '/api/v1/requests', { token: agent, body: { type: 'complaint', title: '楼道灯不亮', body: '望京西园三区5号楼楼道灯坏了', channel: 'hotline', urgency: 'general', districtCode: '110105', streetCode: '110105026', dispatch: { leadUnitCode: '110105026' } } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id: string = created.body.order.id;
      for (const body of [{ action: 'sign' }, { action: 'respond', contactMethod: 'phone', note: '已电话联系' }, { action: 'reply', text: '已更换楼道灯泡，恢复照明，已告知诉求人。' }]) {
        const cur = await t.call('GET', `/api/v1/orders/${id}`, { token: wangjing });
        const r = await t.call('POST', `/api/v1/orders/${id}/transitions`, { token: wangjing, body: { version: cur.body.version, ...body } });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      const q = await t.call('GET', '/api/v1/assessment/follow-ups', { token: agent });
      assert.equal(q.status, 200, JSON.stringify(q.body));
      const item = q.body.items.find((i: { id: string }) => i.id === id);
      // 2027-01-01…03 entered as holidays: two working days after Thu 12-31 are Mon 01-04 and Tue 01-05.
      assert.equal(item.followUpDueAt, '2027-01-05T15:59:59.999Z');
    });

    it('refuses a weekday as a make-up working day, a date outside its year and a repeated year, naming the field', async () => {
      const admin = await t.login('admin');
      const bad = await t.call('PUT', '/api/v1/policies/calendar', { token: admin, body: { years: [{ year: 2027, holidays: ['2028-01-01'], workdays: ['2027-01-04'] }, { year: 2027, holidays: [], workdays: [] }] } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'VALIDATION_FAILED');
      const fields = bad.body.fields.map((f: { field: string }) => f.field);
      assert.deepEqual(fields.sort(), ['years.0.holidays.0', 'years.0.workdays.0', 'years.1.year']);
      const still = await t.call('GET', '/api/v1/policies/calendar', { token: admin });
      assert.deepEqual(still.body.coverage.entered, [2027], 'nothing stored was lost');
    });

    it('lets staff read the calendar and only administrators change it', async () => {
      const agent = await t.login('agent');
      assert.equal((await t.call('GET', '/api/v1/policies/calendar', { token: agent })).status, 200);
      assert.equal((await t.call('PUT', '/api/v1/policies/calendar', { token: agent, body: { years: [] } })).status, 403);
      assert.equal((await t.call('GET', '/api/v1/policies/calendar', { token: await t.login('citizen') })).status, 403);
    });
  });
}
