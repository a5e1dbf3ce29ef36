import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';

const WANGJING = '110105026';
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
  describe(`work-order lifecycle (${kind})`, () => {
    let t: TestApp;
    let agent: string, dispatcher: string, wangjing: string, jiuxianqiao: string, leaderCy: string, water: string, admin: string;
    before(async () => {
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720' }); // Tue 2026-09-29 21:40 Shanghai
      [agent, dispatcher, wangjing, jiuxianqiao, leaderCy, water, admin] = (await Promise.all(['agent', 'dispatcher', 'wangjing', 'jiuxianqiao', 'leader_cy', 'water', 'admin'].map((u) => t.login(u)))) as [string, string, string, string, string, string, string];
    });
    after(async () => t.close());

    const step = async (token: string, id: string, body: Record<string, unknown>) => {
      const cur = await t.call('GET', `/api/v1/orders/${id}`, { token });
      return t.call('POST', `/api/v1/orders/${id}/transitions`, { token, body: { version: cur.body.version, ...body } });
    };

    it('journey 1: accepted across National Day, due at the end of 2026-10-14, handled to closed with every step in the history', async () => {
      const created = await t.call('POST', '/api/v1/requests', { token: agent, body: { ...fumes, dispatch: { leadUnitCode: WANGJING } } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const o = created.body.order;
      assert.equal(o.state, 'dispatched');
      assert.equal(o.leadUnit.name, '望京街道');
      assert.equal(o.dueAt, '2026-10-14T15:59:59.999Z', 'end of 2026-10-14 in Beijing');
      assert.equal(o.contact.phone, '139****5678');
      assert.equal(o.contact.name, '王**');
      // The street's handler sees it in the list and signs.
      const mine = await t.call('GET', '/api/v1/orders?state=dispatched', { token: wangjing });
      assert.ok(mine.body.items.some((x: { id: string }) => x.id === o.id));
      t.clock.advance(20 * 60_000);
      assert.equal((await step(wangjing, o.id, { action: 'sign' })).body.state, 'signed');
      const resp = await step(wangjing, o.id, { action: 'respond', contactMethod: 'phone', note: '已电话联系诉求人，约定上门' });
      assert.equal(resp.body.state, 'responded');
      const replied = await step(wangjing, o.id, { action: 'reply', text: '经查，该烧烤店已安装油烟净化设备并调整营业时间，已告知诉求人。' });
      assert.equal(replied.status, 200, JSON.stringify(replied.body));
      assert.equal(replied.body.state, 'replied');
      const fu = await step(agent, o.id, { action: 'follow_up', resolution: 'resolved', satisfaction: 'satisfied' });
      assert.equal(fu.body.state, 'followed_up');
      const closed = await step(agent, o.id, { action: 'close' });
      assert.equal(closed.body.state, 'closed');
      assert.deepEqual(
        closed.body.history.map((h: { type: string }) => h.type),
        ['accept', 'dispatch', 'sign', 'respond', 'reply', 'follow_up', 'close'],
      );
      const clocks = Object.fromEntries(closed.body.clocks.map((c: { kind: string; status: string }) => [c.kind, c.status]));
      assert.deepEqual(clocks, { sign: 'met', response: 'met', reply: 'met' });
    });

    it('journey 2: a return needs a reason; the dispatcher re-dispatches to the water company and the history shows both units', async () => {
      const created = await t.call('POST', '/api/v1/requests', { token: agent, body: { ...fumes, type: 'help', title: '自来水主管道破裂', body: '望京西园三区门口自来水管道破裂，路面积水', dispatch: { leadUnitCode: WANGJING } } });
      const id = created.body.order.id;
      await step(wangjing, id, { action: 'sign' });
      const noReason = await step(wangjing, id, { action: 'return', reason: '' });
      assert.equal(noReason.status, 400);
      assert.equal(noReason.body.fields[0].field, 'reason');
      const ret = await step(wangjing, id, { action: 'return', reason: '供水管网属自来水集团' });
      assert.equal(ret.body.state, 'returned');
      const re = await step(dispatcher, id, { action: 'approve_return', leadUnitCode: '110000-ZLS' });
      assert.equal(re.status, 200, JSON.stringify(re.body));
      assert.equal(re.body.state, 'dispatched');
      assert.equal(re.body.leadUnit.code, '110000-ZLS');
      const units = re.body.history.filter((h: { type: string }) => ['dispatch', 'approve_return'].includes(h.type)).map((h: { data: { leadUnitId?: string } }) => h.data.leadUnitId);
      assert.deepEqual(units, [WANGJING, '110000-ZLS']);
      // The street no longer holds it; the water company does.
      assert.equal((await t.call('GET', `/api/v1/orders/${id}`, { token: wangjing })).status, 404);
      assert.equal((await t.call('GET', `/api/v1/orders/${id}`, { token: water })).status, 200);
    });

    it('journey 11: another street’s order is not found; the district leader sees it; the full number is an audited read', async () => {
      const created = await t.call('POST', '/api/v1/requests', { token: agent, body: { ...fumes, dispatch: { leadUnitCode: WANGJING } } });
      const id = created.body.order.id;
      const other = await t.call('GET', `/api/v1/orders/${id}`, { token: jiuxianqiao });
      assert.equal(other.status, 404);
      assert.equal(other.body.code, 'NOT_FOUND');
      const guessed = await t.call('POST', `/api/v1/orders/${id}/transitions`, { token: jiuxianqiao, body: { action: 'sign', version: 1 } });
      assert.equal(guessed.status, 404);
      const list = await t.call('GET', '/api/v1/orders?limit=200', { token: jiuxianqiao });
      assert.ok(!list.body.items.some((x: { id: string }) => x.id === id));
      assert.equal((await t.call('GET', `/api/v1/orders/${id}`, { token: leaderCy })).status, 200);
      const shown = await t.call('GET', `/api/v1/orders/${id}`, { token: wangjing });
      assert.equal(shown.body.contact.phone, '139****5678');
      const revealed = await t.call('POST', `/api/v1/orders/${id}/contact/reveal`, { token: wangjing, body: { reason: '需要电话联系' } });
      assert.equal(revealed.body.phone, '13912345678');
      assert.equal((await t.call('POST', `/api/v1/orders/${id}/contact/reveal`, { token: leaderCy })).status, 403);
      const audit = await t.call('GET', `/api/v1/audit?action=order.contact_revealed&targetId=${id}`, { token: admin });
      assert.equal(audit.body.items.length, 1);
      assert.equal(audit.body.items[0].actorName, 'wangjing');
    });

    it('refuses a stale version with 409 and an illegal step with a clear code', async () => {
      const created = await t.call('POST', '/api/v1/requests', { token: agent, body: { ...fumes, dispatch: { leadUnitCode: WANGJING } } });
      const { id, version } = created.body.order;
      const first = await t.call('POST', `/api/v1/orders/${id}/transitions`, { token: wangjing, body: { action: 'sign', version } });
      assert.equal(first.status, 200);
      const second = await t.call('POST', `/api/v1/orders/${id}/transitions`, { token: wangjing, body: { action: 'sign', version } });
      assert.equal(second.status, 409);
      assert.equal(second.body.code, 'VERSION_CONFLICT');
      const illegal = await step(wangjing, id, { action: 'sign' });
      assert.equal(illegal.status, 409);
      assert.equal(illegal.body.code, 'ILLEGAL_TRANSITION');
      const wrongRole = await step(wangjing, id, { action: 'close' });
      assert.equal(wrongRole.status, 403);
      const badAction = await t.call('POST', `/api/v1/orders/${id}/transitions`, { token: wangjing, body: { action: 'fly', version: 1 } });
      assert.equal(badAction.status, 400);
      const detail = await t.call('GET', `/api/v1/orders/${id}`, { token: wangjing });
      assert.equal(detail.body.history.length, 3, 'refused steps leave nothing behind');
    });

    it('creates nothing twice for a retried submit with the same idempotency key', async () => {
      const key = randomUUID();
      const a = await t.call('POST', '/api/v1/requests', { token: agent, body: fumes, headers: { 'idempotency-key': key } });
      const b = await t.call('POST', '/api/v1/requests', { token: agent, body: fumes, headers: { 'idempotency-key': key } });
      assert.equal(a.status, 201);
      assert.equal(b.status, 200);
      assert.equal(b.body.replayed, true);
      assert.equal(a.body.request.id, b.body.request.id);
      assert.equal(a.body.order.id, b.body.order.id);
    });

    it('refuses bad intake with 400 naming fields and stores nothing', async () => {
      const before = await t.call('GET', '/api/v1/orders?limit=200', { token: agent });
      const r = await t.call('POST', '/api/v1/requests', { token: agent, body: { type: 'rant', title: '', body: 'x', lat: 200 } });
      assert.equal(r.status, 400);
      assert.deepEqual(r.body.fields.map((f: { field: string }) => f.field).sort(), ['lat', 'title', 'type']);
      const mismatch = await t.call('POST', '/api/v1/requests', { token: agent, body: { ...fumes, districtCode: '110108' } });
      assert.equal(mismatch.status, 400);
      assert.equal(mismatch.body.fields[0].field, 'streetCode');
      const after = await t.call('GET', '/api/v1/orders?limit=200', { token: agent });
      assert.equal(after.body.items.length, before.body.items.length);
    });

    it('journey 12: a consultation answered on the spot is closed directly with the answer recorded', async () => {
      const r = await t.call('POST', '/api/v1/requests', { token: agent, body: { type: 'consultation', title: '居住证怎么办理？', body: '请问外地户籍在北京怎么办理居住证', channel: 'hotline', answer: { text: '持有效身份证件，到居住地派出所申领，需在京居住满半年并有合法稳定就业、住所或连续就读之一。' } } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.order.state, 'closed');
      assert.equal(r.body.order.history.at(-1).type, 'close_direct');
    });

    it('journey 6: unresolved and unsatisfied reopens to the same unit with a new clock', async () => {
      const created = await t.call('POST', '/api/v1/requests', { token: agent, body: { ...fumes, title: '房屋漏雨', body: '望京西园三区3号楼顶层房屋漏雨', dispatch: { leadUnitCode: WANGJING } } });
      const id = created.body.order.id;
      await step(wangjing, id, { action: 'sign' });
      await step(wangjing, id, { action: 'respond', contactMethod: 'phone', note: '已联系' });
      await step(wangjing, id, { action: 'reply', text: '已联系物业进行屋面防水修补，修补完成。' });
      t.clock.advance(24 * 3600_000);
      const fu = await step(agent, id, { action: 'follow_up', resolution: 'unresolved', satisfaction: 'unsatisfied', note: '仍然漏雨' });
      assert.equal(fu.status, 200, JSON.stringify(fu.body));
      assert.equal(fu.body.state, 'dispatched');
      assert.equal(fu.body.reopenCount, 1);
      assert.equal(fu.body.leadUnit.code, WANGJING);
      assert.deepEqual(fu.body.history.slice(-2).map((h: { type: string }) => h.type), ['follow_up', 'reopen']);
      const reply = fu.body.clocks.find((c: { kind: string }) => c.kind === 'reply');
      assert.equal(reply.status, 'running');
      assert.ok(new Date(reply.startedAt).getTime() === t.clock.now.getTime());
    });

    it('journey 4: repeats merge into one order with many requesters', async () => {
      const mk = () => t.call('POST', '/api/v1/requests', { token: agent, body: { ...fumes, title: '路灯不亮', body: '望京西路路灯连续多晚不亮', contact: { name: '李四', phone: '13700000000' } } });
      const a = await mk();
      const b = await mk();
      // Without a proposal the order waits for review; the dispatcher dispatches the first and merges the second.
      assert.equal(a.body.order.state, 'pending_review');
      await step(dispatcher, a.body.order.id, { action: 'dispatch', leadUnitCode: WANGJING });
      const merged = await step(dispatcher, b.body.order.id, { action: 'merge', intoOrderId: a.body.order.id });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      assert.equal(merged.body.state, 'merged');
      const survivor = await t.call('GET', `/api/v1/orders/${a.body.order.id}`, { token: dispatcher });
      assert.equal(survivor.body.requesterCount, 2);
      assert.ok(survivor.body.history.some((h: { type: string }) => h.type === 'merged_in'));
    });

    it('a citizen files a request, follows it, and rates the result herself', async () => {
      const citizen = await t.login('citizen');
      const filed = await t.call('POST', '/api/v1/requests', { token: citizen, body: { type: 'complaint', title: '小区垃圾清运不及时', body: '望京西园三区垃圾桶满溢多日无人清运', channel: 'h5', districtCode: '110105', streetCode: WANGJING } });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      const id = filed.body.order.id;
      await step(dispatcher, id, { action: 'dispatch', leadUnitCode: WANGJING });
      await step(wangjing, id, { action: 'sign' });
      await step(wangjing, id, { action: 'respond', contactMethod: 'phone', note: '已联系' });
      await step(wangjing, id, { action: 'reply', text: '已协调环卫公司增加清运频次，垃圾已清运完毕。' });
      const mine = await t.call('GET', '/api/v1/orders', { token: citizen });
      assert.ok(mine.body.items.some((x: { id: string }) => x.id === id));
      assert.ok((await t.call('GET', `/api/v1/orders/${id}`, { token: citizen })).body.allowedActions.includes('follow_up'));
      const rated = await step(citizen, id, { action: 'follow_up', resolution: 'resolved', satisfaction: 'satisfied' });
      assert.equal(rated.status, 200, JSON.stringify(rated.body));
      assert.equal(rated.body.state, 'followed_up');
      // Another order, not hers: not found.
      const others = await t.call('POST', '/api/v1/requests', { token: agent, body: { ...fumes, dispatch: { leadUnitCode: WANGJING } } });
      assert.equal((await t.call('GET', `/api/v1/orders/${others.body.order.id}`, { token: citizen })).status, 404);
    });

    it('extension pauses the reply clock and approval moves the deadline', async () => {
      const created = await t.call('POST', '/api/v1/requests', { token: agent, body: { ...fumes, dispatch: { leadUnitCode: WANGJING } } });
      const id = created.body.order.id;
      await step(wangjing, id, { action: 'sign' });
      const before = created.body.order.dueAt;
      const asked = await step(wangjing, id, { action: 'request_extension', days: 3, reason: '需协调产权单位' });
      assert.equal(asked.status, 200, JSON.stringify(asked.body));
      assert.equal(asked.body.extensionPending, true);
      assert.equal(asked.body.clocks.find((c: { kind: string }) => c.kind === 'reply').status, 'paused');
      const ok = await step(dispatcher, id, { action: 'approve_extension' });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.extensionPending, false);
      assert.ok(new Date(ok.body.dueAt) > new Date(before));
    });
  });
}
