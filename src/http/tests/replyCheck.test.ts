import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';

const WANGJING = '110105026';
const parking = {
  type: 'complaint',
  channel: 'hotline',
  title: '望京西园三区物业乱收停车费',
  body: '望京西园三区物业从本月起每月收取停车费500元，没有公示收费依据，业主不同意。请问物业收停车费的依据是什么？能否责令物业退还多收的费用？',
  districtCode: '110105',
  streetCode: WANGJING,
  contact: { name: '李红', phone: '13800138000' },
  dispatch: { leadUnitCode: WANGJING },
};

const boilerplate = '您好！您的留言已收悉，已转相关部门处理，请耐心等待。';
const thorough =
  '李女士您好！接到您反映的望京西园三区物业收取停车费问题后，望京街道于11月26日会同区住建委到小区实地调查核实。' +
  '经查，物业公司自11月起将停车费调整为每月500元，未按《北京市物业管理条例》第六十一条规定在小区显著位置公示收费依据和标准，也未经业主大会同意。' +
  '根据规定，街道已责令物业公司暂停执行新标准，恢复原每月300元的收费，并于12月10日前退还多收的停车费；' +
  '区住建委已对物业公司下达整改通知书。目前已有112户业主领取了退款。如仍有疑问，请致电望京街道物业办 010-64701234。感谢您的监督。';

for (const kind of backends) {
  describe(`reply check (${kind})`, () => {
    let t: TestApp;
    let orderId: string;
    let wangjing: string;
    before(async () => {
      t = await startTestApp(kind, {}, new Date('2026-11-25T02:00:00Z'));
      const created = await t.call('POST', '/api/v1/requests', { token: await t.login('agent'), body: parking });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      orderId = created.body.order.id;
      t.clock.advance(2 * 86_400_000);
      wangjing = await t.login('wangjing');
    });
    after(async () => t.close());

    it('scores a receipt-only reply as weak and a thorough one as strong, with reasons in Chinese', async () => {
      const weak = await t.call('POST', `/api/v1/orders/${orderId}/reply-check`, { token: wangjing, body: { text: boilerplate } });
      assert.equal(weak.status, 200, JSON.stringify(weak.body));
      assert.equal(weak.body.weak, true);
      assert.ok(weak.body.score < 0.3, String(weak.body.score));
      assert.ok(weak.body.reasons.some((r: string) => r.includes('收悉或转办')), weak.body.reasons.join('；'));
      assert.ok(weak.body.reasons.some((r: string) => r.includes('停车费')), weak.body.reasons.join('；'));
      assert.equal(weak.body.dimensions.timeliness, 1, 'two days after acceptance');
      const strong = await t.call('POST', `/api/v1/orders/${orderId}/reply-check`, { token: wangjing, body: { text: thorough } });
      assert.equal(strong.status, 200);
      assert.equal(strong.body.weak, false);
      assert.ok(strong.body.score > 0.75, JSON.stringify(strong.body));
      for (const d of ['relevance', 'completeness', 'explanation'] as const) {
        assert.ok(strong.body.dimensions[d] > weak.body.dimensions[d], `${d}: ${strong.body.dimensions[d]} > ${weak.body.dimensions[d]}`);
      }
      // Checking does not change the order.
      const order = await t.call('GET', `/api/v1/orders/${orderId}`, { token: wangjing });
      assert.equal(order.body.state, 'dispatched');
    });

    it('keeps other units out and refuses empty text', async () => {
      const other = await t.call('POST', `/api/v1/orders/${orderId}/reply-check`, { token: await t.login('jiuxianqiao'), body: { text: thorough } });
      assert.equal(other.status, 404);
      const citizen = await t.call('POST', `/api/v1/orders/${orderId}/reply-check`, { token: await t.login('citizen'), body: { text: thorough } });
      assert.equal(citizen.status, 403);
      const empty = await t.call('POST', `/api/v1/orders/${orderId}/reply-check`, { token: wangjing, body: { text: '   ' } });
      assert.equal(empty.status, 400);
      assert.equal(empty.body.code, 'VALIDATION_FAILED');
      const missing = await t.call('POST', '/api/v1/orders/00000000-0000-4000-8000-000000000000/reply-check', { token: wangjing, body: { text: thorough } });
      assert.equal(missing.status, 404);
    });
  });
}
