/** 吹哨报到 through the API, with Journey 3: 望京街道 blows a 攻坚哨; enforcement in at 20 minutes, market supervision late at 45. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { hashPassword } from '../../app/auth/password.js';
import { DEMO_PASSWORD } from '../../app/setup/seedDemo.js';
import { outbox, users } from '../../store/schema/index.js';

const WANGJING = '110105026';
const CGZF = '110105-CGZF';
const SCJG = '110105-SCJG';
const MINUTE = 60_000;
const fumes = {
  type: 'complaint',
  title: '烧烤店油烟直排',
  body: '朝阳区望京西园三区楼下烧烤店油烟直排，每天开到夜里十二点，窗户都不敢开',
  channel: 'hotline',
  address: '朝阳区望京西园三区',
  districtCode: '110105',
  streetCode: WANGJING,
  contact: { name: '王晓明', phone: '13912345678' },
};

for (const kind of backends) {
  describe(`吹哨报到 whistles (${kind})`, () => {
    let t: TestApp;
    let agent: string, wangjing: string, jiuxianqiao: string, chengguan: string, market: string, leaderCy: string;

    before(async () => {
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720' }); // Tue 2026-09-29 21:40 Shanghai
      // 朝阳区市场监督管理局 has no demo account: the journey needs one of its handlers.
      await t.store.db.insert(users).values({ username: 'scjg', displayName: '马丽', kind: 'staff', role: 'handler', unitId: SCJG, passwordHash: await hashPassword(DEMO_PASSWORD) });
      [agent, wangjing, jiuxianqiao, chengguan, market, leaderCy] = (await Promise.all(['agent', 'wangjing', 'jiuxianqiao', 'chengguan', 'scjg', 'leader_cy'].map((u) => t.login(u)))) as [string, string, string, string, string, string];
    });
    after(async () => t.close());

    const newOrder = async (title = fumes.title) => {
      const r = await t.call('POST', '/api/v1/requests', { token: agent, body: { ...fumes, title, dispatch: { leadUnitCode: WANGJING } } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.order.id as string;
    };
    const blow = (token: string, body: Record<string, unknown>) =>
      t.call('POST', '/api/v1/whistles', {
        token,
        body: { kind: 'hard', reason: '望京西园三区餐饮一条街油烟扰民，每周都有投诉', place: '望京西园三区南门', meetAt: new Date(t.clock.now.getTime() + 30 * MINUTE).toISOString(), summoned: [CGZF, SCJG], reportDeadlineMinutes: 30, ...body },
      });

    it('journey 3: a 攻坚哨 summons enforcement and market supervision; one reports in on time, one late and counted; it closes with the order linked', async () => {
      const blownAt = t.clock.now;
      const [first, second] = [await newOrder(), await newOrder('烧烤店夜间噪声和油烟')];
      const blown = await blow(wangjing, { orderIds: [first, second] });
      assert.equal(blown.status, 201, JSON.stringify(blown.body));
      const w = blown.body;
      assert.match(w.no, /^CS20260929\d{7}$/);
      assert.equal(w.kindLabel, '攻坚哨');
      assert.equal(w.street.name, '望京街道');
      assert.equal(w.reportDueAt, new Date(blownAt.getTime() + 30 * MINUTE).toISOString());
      assert.deepEqual(w.summoned.map((u: { unit: { code: string }; status: string }) => [u.unit.code, u.status]), [[CGZF, 'waiting'], [SCJG, 'waiting']]);
      assert.deepEqual(w.orders.map((o: { id: string }) => o.id), [first, second]);
      assert.deepEqual(w.allowedActions, ['record_part', 'close']);

      // The summons is queued for both units; the summoned units now see the orders and the whistle.
      const notices = (await t.store.db.select().from(outbox).where(eq(outbox.topic, 'notify'))).filter((n) => n.payload.template === 'whistle_summoned');
      assert.deepEqual(notices.map((n) => n.payload.unitIds), [[CGZF, SCJG]]);
      assert.match(String(notices[0]?.payload.title), /^攻坚哨CS\d+：请于9月29日 22:10前报到$/, 'the deadline in Beijing time');
      assert.equal((await t.call('GET', `/api/v1/orders/${first}`, { token: chengguan })).status, 200);
      const seen = await t.call('GET', `/api/v1/whistles/${w.id}`, { token: market });
      assert.deepEqual(seen.body.allowedActions, ['report_in']);

      t.clock.advance(20 * MINUTE);
      const enforcement = await t.call('POST', `/api/v1/whistles/${w.id}/report-in`, { token: chengguan, body: { note: '执法队员2人到场' } });
      assert.equal(enforcement.status, 200, JSON.stringify(enforcement.body));
      assert.deepEqual(enforcement.body.summoned[0], { unit: { code: CGZF, name: '朝阳区城市管理综合行政执法局' }, level: 'department', status: 'on_time', reportedAt: t.clock.now.toISOString(), reportedBy: '孙磊', minutesLate: null, note: '执法队员2人到场' });
      assert.equal((await t.call('POST', `/api/v1/whistles/${w.id}/report-in`, { token: chengguan })).status, 409, 'once per unit');

      t.clock.advance(25 * MINUTE);
      const mid = await t.call('GET', `/api/v1/whistles/${w.id}`, { token: wangjing });
      assert.deepEqual(mid.body.reportIns, { onTime: [CGZF], late: [], missing: [SCJG], waiting: [] }, 'past the deadline and not in yet');
      const late = await t.call('POST', `/api/v1/whistles/${w.id}/report-in`, { token: market });
      assert.equal(late.status, 200, JSON.stringify(late.body));
      assert.equal(late.body.summoned[1].status, 'late');
      assert.equal(late.body.summoned[1].minutesLate, 15);

      const stats = await t.call('GET', `/api/v1/whistles/stats/report-ins?from=${encodeURIComponent(blownAt.toISOString())}`, { token: leaderCy });
      assert.equal(stats.status, 200, JSON.stringify(stats.body));
      assert.deepEqual(stats.body.items.map((r: { unit: { code: string }; late: number; onTime: number; missing: number }) => [r.unit.code, r.onTime, r.late, r.missing]), [[SCJG, 0, 1, 0], [CGZF, 1, 0, 0]]);

      assert.equal((await t.call('POST', `/api/v1/whistles/${w.id}/parts`, { token: chengguan, body: { text: '责令三家店铺限期安装油烟净化设备' } })).status, 200);
      assert.equal((await t.call('POST', `/api/v1/whistles/${w.id}/parts`, { token: market, body: { text: '核查两家店铺经营许可' } })).status, 200);
      const own = await t.call('POST', `/api/v1/whistles/${w.id}/parts`, { token: wangjing, body: { text: '街道组织商户座谈' } });
      assert.deepEqual(own.body.parts.map((p: { unit: { code: string } }) => p.unit.code), [CGZF, SCJG, WANGJING]);
      assert.equal((await t.call('POST', `/api/v1/whistles/${w.id}/close`, { token: chengguan, body: { outcome: '完成' } })).status, 403, 'only the street closes');

      t.clock.advance(24 * 60 * MINUTE);
      const closed = await t.call('POST', `/api/v1/whistles/${w.id}/close`, { token: wangjing, body: { outcome: '三家店铺完成整改，加装油烟净化设备', closedOrderIds: [first] } });
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
      assert.equal(closed.body.state, 'closed');
      assert.equal(closed.body.closedBy, '刘洋');
      assert.deepEqual(closed.body.orders.map((o: { id: string; closedByWhistle: boolean }) => [o.id, o.closedByWhistle]), [[first, true], [second, false]]);
      assert.deepEqual(closed.body.reportIns, { onTime: [CGZF], late: [SCJG], missing: [], waiting: [] });
      assert.deepEqual(closed.body.history.map((h: { type: string }) => h.type), ['whistle_blown', 'reported_in', 'reported_in', 'part_recorded', 'part_recorded', 'part_recorded', 'whistle_closed']);
      assert.deepEqual(closed.body.history.at(-1).data, { outcome: '三家店铺完成整改，加装油烟净化设备', closedOrderIds: [first], late: [SCJG], missing: [] });
      assert.equal(closed.body.version, 7);
      assert.deepEqual(closed.body.allowedActions, []);

      // The order tells the whistle's story too; a closed whistle takes nothing more.
      const order = await t.call('GET', `/api/v1/orders/${first}`, { token: wangjing });
      const whistleSteps = order.body.history.filter((h: { type: string }) => h.type.startsWith('whistle_'));
      assert.deepEqual(whistleSteps.map((h: { type: string; data: { whistleNo: string } }) => [h.type, h.data.whistleNo]), [['whistle_blown', w.no], ['whistle_closed', w.no]]);
      assert.equal(order.body.state, 'dispatched', 'the order keeps its own lifecycle');
      assert.equal((await t.call('POST', `/api/v1/whistles/${w.id}/parts`, { token: wangjing, body: { text: '补充' } })).status, 409);
    });

    it('only the street, the summoned units and those above see a whistle; another street gets 404', async () => {
      const blown = await blow(wangjing, { kind: 'routine', summoned: [CGZF] });
      const id = blown.body.id;
      const other = await t.call('GET', `/api/v1/whistles/${id}`, { token: jiuxianqiao });
      assert.equal(other.status, 404);
      assert.equal(other.body.code, 'NOT_FOUND');
      assert.equal((await t.call('POST', `/api/v1/whistles/${id}/report-in`, { token: jiuxianqiao })).status, 404);
      assert.equal((await t.call('POST', `/api/v1/whistles/${id}/close`, { token: jiuxianqiao, body: { outcome: '完成' } })).status, 404);
      assert.equal((await t.call('GET', '/api/v1/whistles/not-a-uuid', { token: wangjing })).status, 404);
      assert.equal((await t.call('GET', `/api/v1/whistles/${id}`, { token: market })).status, 404, 'market supervision was not summoned this time');
      assert.equal((await t.call('GET', `/api/v1/whistles/${id}`, { token: leaderCy })).status, 200);
      const listed = async (token: string, query = '') => (await t.call('GET', `/api/v1/whistles${query}`, { token })).body.items.map((x: { id: string }) => x.id);
      assert.ok(!(await listed(jiuxianqiao)).includes(id));
      assert.ok(!(await listed(market)).includes(id));
      assert.ok((await listed(chengguan, `?unit=${CGZF}&state=open&kind=routine`)).includes(id));
      assert.ok((await listed(leaderCy, `?street=${WANGJING}`)).includes(id));
      assert.ok(!(await listed(leaderCy, '?state=closed')).includes(id));
      // The street records a unit that arrived on site; a district leader who sees the whistle may not act for the street.
      const onSite = await t.call('POST', `/api/v1/whistles/${id}/report-in`, { token: wangjing, body: { unitCode: CGZF } });
      assert.equal(onSite.status, 200, JSON.stringify(onSite.body));
      assert.equal(onSite.body.summoned[0].reportedBy, '刘洋');
      assert.equal((await t.call('POST', `/api/v1/whistles/${id}/close`, { token: leaderCy, body: { outcome: '完成' } })).status, 403);
    });

    it('only a street’s handler or leader blows, for its own street, summoning departments and companies', async () => {
      const count = (await t.call('GET', '/api/v1/whistles?limit=200', { token: agent })).body.items.length;
      for (const token of [chengguan, leaderCy, agent]) {
        const r = await blow(token, {});
        assert.equal(r.status, 403, JSON.stringify(r.body));
        assert.equal(r.body.code, 'FORBIDDEN');
      }
      const street = await blow(wangjing, { summoned: [CGZF, '110105011'] });
      assert.equal(street.status, 400);
      assert.deepEqual(street.body.fields.map((f: { field: string }) => f.field), ['summoned[1].level']);
      assert.equal((await blow(wangjing, { summoned: ['110105-NOPE'] })).body.fields[0].field, 'summoned[0]');
      const foreign = await t.call('POST', '/api/v1/requests', { token: agent, body: { ...fumes, streetCode: '110105011', dispatch: { leadUnitCode: '110105011' } } });
      const notOurs = await blow(wangjing, { orderIds: [foreign.body.order.id] });
      assert.equal(notOurs.status, 400);
      assert.equal(notOurs.body.fields[0].field, 'orderIds');
      assert.equal((await t.call('GET', '/api/v1/whistles?limit=200', { token: agent })).body.items.length, count, 'refusals store nothing');
    });

    it('refuses bad input with 400 naming the fields', async () => {
      const r = await t.call('POST', '/api/v1/whistles', { token: wangjing, body: { kind: 'loud', reason: '', summoned: [], reportDeadlineMinutes: 0 } });
      assert.equal(r.status, 400);
      assert.equal(r.body.code, 'VALIDATION_FAILED');
      assert.deepEqual(r.body.fields.map((f: { field: string }) => f.field).sort(), ['kind', 'meetAt', 'place', 'reason', 'reportDeadlineMinutes', 'summoned']);
      const id = (await blow(wangjing, { summoned: [SCJG] })).body.id;
      const noText = await t.call('POST', `/api/v1/whistles/${id}/parts`, { token: wangjing, body: { text: '  ' } });
      assert.deepEqual(noText.body.fields.map((f: { field: string }) => f.field), ['text']);
      const notSummoned = await t.call('POST', `/api/v1/whistles/${id}/report-in`, { token: wangjing, body: { unitCode: CGZF } });
      assert.equal(notSummoned.status, 400);
      assert.deepEqual(notSummoned.body.fields.map((f: { field: string }) => f.field), ['unitCode']);
      const stranger = await t.call('POST', `/api/v1/whistles/${id}/close`, { token: wangjing, body: { outcome: '完成', closedOrderIds: ['00000000-0000-4000-8000-000000000000'] } });
      assert.equal(stranger.status, 400);
      assert.deepEqual(stranger.body.fields.map((f: { field: string }) => f.field), ['closedOrderIds']);
      const badPeriod = await t.call('GET', '/api/v1/whistles/stats/report-ins?from=yesterday', { token: leaderCy });
      assert.equal(badPeriod.status, 400);
    });

    it('a unit that never reports in is counted missing once the deadline passes', async () => {
      t.clock.advance(MINUTE); // a period of its own, clear of the whistles blown above
      const from = t.clock.now;
      const id = (await blow(wangjing, { kind: 'emergency', summoned: [SCJG], reportDeadlineMinutes: undefined })).body.id;
      const period = `?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(new Date(from.getTime() + MINUTE).toISOString())}`;
      const waiting = await t.call('GET', `/api/v1/whistles/stats/report-ins${period}`, { token: leaderCy });
      assert.deepEqual(waiting.body.items.map((r: { unit: { code: string }; missing: number; summoned: number }) => [r.unit.code, r.summoned, r.missing]), [[SCJG, 1, 0]]);
      t.clock.advance(31 * MINUTE); // an 应急哨's default deadline is 30 minutes
      const closed = await t.call('POST', `/api/v1/whistles/${id}/close`, { token: wangjing, body: { outcome: '街道自行处置' } });
      assert.deepEqual(closed.body.reportIns.missing, [SCJG]);
      const stats = await t.call('GET', `/api/v1/whistles/stats/report-ins${period}`, { token: leaderCy });
      assert.deepEqual(stats.body, { from: from.toISOString(), to: new Date(from.getTime() + MINUTE).toISOString(), whistles: 1, items: [{ unit: { code: SCJG, name: '朝阳区市场监督管理局' }, level: 'department', summoned: 1, onTime: 0, late: 0, missing: 1 }] });
      assert.equal((await t.call('GET', `/api/v1/whistles/stats/report-ins${period}`, { token: jiuxianqiao })).body.whistles, 0, 'another street counts only what it may see');
    });
  });
}
