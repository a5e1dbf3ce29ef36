import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';

for (const kind of backends) {
  describe(`intelligent dispatch at intake (${kind})`, () => {
    let t: TestApp;
    let agent: string;
    before(async () => {
      t = await startTestApp(kind, {}, new Date('2026-09-29T13:40:00Z'), { dispatch: true });
      agent = await t.login('agent');
    });
    after(async () => t.close());

    const fumes = { type: 'complaint', title: '烧烤店油烟直排', body: '朝阳区望京西园三区楼下烧烤店油烟直排，每天开到夜里十二点，窗户都不敢开', channel: 'hotline' };

    it('journey 1: proposes catering fumes, 朝阳区 望京街道 and 望京街道 as the lead unit, with reasons', async () => {
      const p = await t.call('POST', '/api/v1/requests/propose', { token: agent, body: { title: fumes.title, body: fumes.body } });
      assert.equal(p.status, 200, JSON.stringify(p.body));
      assert.match(p.body.category.name, /油烟/);
      assert.equal(p.body.location.district.code, '110105');
      assert.equal(p.body.location.street.code, '110105026');
      assert.equal(p.body.leadUnit.code, '110105026');
      assert.ok(p.body.explanation.length >= 3);
      assert.equal((await t.call('POST', '/api/v1/requests/propose', { token: await t.login('wangjing'), body: { title: 'x', body: 'y' } })).status, 403);
    });

    it('dispatches a confident request at once and offers it as a repeat to the next caller', async () => {
      const first = await t.call('POST', '/api/v1/requests', { token: agent, body: { ...fumes, dispatch: 'auto' } });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal(first.body.order.state, 'dispatched', JSON.stringify(first.body.order.proposal));
      assert.equal(first.body.order.leadUnit.code, '110105026');
      assert.equal(first.body.order.history[1].data.note, '智能派单（直派）');
      const again = await t.call('POST', '/api/v1/requests/propose', { token: agent, body: { title: '望京西园三区烧烤油烟', body: '楼下烧烤店油烟太大，晚上开到十二点' } });
      assert.ok(again.body.repeats.some((r: { id: string }) => r.id === first.body.order.id), JSON.stringify(again.body.repeats));
    });

    it('sends a request it cannot place to the review queue', async () => {
      const r = await t.call('POST', '/api/v1/requests', { token: agent, body: { type: 'complaint', title: '有问题', body: '这个事情一直没人管，希望尽快处理', channel: 'hotline' } });
      assert.equal(r.body.order.state, 'pending_review');
      const queue = await t.call('GET', '/api/v1/orders?state=pending_review', { token: await t.login('dispatcher') });
      assert.ok(queue.body.items.some((x: { id: string }) => x.id === r.body.order.id));
    });

    it('answers empty, non-Chinese and very long text with a proposal that asks for review, never an error', async () => {
      for (const body of [{ title: '', body: '' }, { title: 'hello', body: 'no chinese here at all' }, { title: '噪音', body: '吵'.repeat(5000) }]) {
        const p = await t.call('POST', '/api/v1/requests/propose', { token: agent, body });
        assert.equal(p.status, 200, JSON.stringify(p.body));
        if (!body.title.startsWith('噪')) assert.equal(p.body.needsReview, true);
      }
      const tooLong = await t.call('POST', '/api/v1/requests/propose', { token: agent, body: { title: '噪音', body: '吵'.repeat(5001) } });
      assert.equal(tooLong.status, 400);
      assert.equal(tooLong.body.fields[0].field, 'body');
    });

    it('journey 5 text: a gas smell goes to the gas company as an emergency', async () => {
      const p = await t.call('POST', '/api/v1/requests/propose', { token: agent, body: { title: '燃气味', body: '西城区金融街街道一小区楼道里有很大的煤气味' } });
      assert.equal(p.body.urgency, 'emergency');
      assert.equal(p.body.leadUnit.code, '110000-RQ');
    });
  });
}
