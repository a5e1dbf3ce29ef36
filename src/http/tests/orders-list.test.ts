/**
 * The orders list as the workspaces read it: counts per state for the tabs (capped, first page only, `limit=0`
 * for the counts alone), and the grid worker's on-site check (核查) as a lifecycle step that every list shows.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';

const WANGJING = '110105026';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

const request = (title: string) => ({
  type: 'complaint',
  title,
  body: `朝阳区望京西园三区${title}，已经持续一周`,
  channel: 'hotline',
  districtCode: '110105',
  streetCode: WANGJING,
  contact: { name: '王晓明', phone: '13912345678' },
  dispatch: { leadUnitCode: WANGJING },
});

for (const kind of backends) {
  describe(`orders list and on-site check (${kind})`, () => {
    let t: TestApp;
    let agent: string, wangjing: string, grid: string, jiuxianqiao: string;
    const ids: string[] = [];

    before(async () => {
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720', JIESU_DATA_DIR: `.test-artifacts/data-list-${kind}-${process.pid}` });
      [agent, wangjing, grid, jiuxianqiao] = (await Promise.all(['agent', 'wangjing', 'grid', 'jiuxianqiao'].map((u) => t.login(u)))) as [string, string, string, string];
      for (const title of ['烧烤油烟', '夜间施工噪音', '路灯不亮', '井盖缺失']) {
        const r = await t.call('POST', '/api/v1/requests', { token: agent, body: request(title) });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        ids.push(r.body.order.id);
        t.clock.advance(60_000);
      }
    });
    after(async () => t.close());

    const step = async (token: string, id: string, body: Record<string, unknown>) => {
      const cur = await t.call('GET', `/api/v1/orders/${id}`, { token });
      return t.call('POST', `/api/v1/orders/${id}/transitions`, { token, body: { version: cur.body.version, ...body } });
    };

    const toReplied = async (id: string) => {
      await step(wangjing, id, { action: 'sign' });
      await step(wangjing, id, { action: 'respond', contactMethod: 'phone', note: '已电话联系' });
      const r = await step(wangjing, id, { action: 'reply', text: '经核实，问题已处理完毕，请诉求人知悉。' });
      assert.equal(r.body.state, 'replied', JSON.stringify(r.body));
    };

    it('counts what the filter matches per state, on the first page only', async () => {
      await step(wangjing, ids[0]!, { action: 'sign' });
      const page = await t.call('GET', '/api/v1/orders?state=dispatched,signed&limit=2', { token: wangjing });
      assert.equal(page.status, 200, JSON.stringify(page.body));
      assert.equal(page.body.items.length, 2);
      assert.deepEqual(page.body.counts, { total: 4, capped: false, byState: { dispatched: 3, signed: 1 }, overdue: 0 });
      const next = await t.call('GET', `/api/v1/orders?state=dispatched,signed&limit=2&cursor=${page.body.nextCursor}`, { token: wangjing });
      assert.equal(next.body.items.length, 2);
      assert.equal(next.body.counts, null);
    });

    it('limit=0 returns the counts alone', async () => {
      const r = await t.call('GET', '/api/v1/orders?state=dispatched&limit=0', { token: wangjing });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.items, []);
      assert.equal(r.body.nextCursor, null);
      assert.equal(r.body.counts.total, 3);
    });

    it('counts only what the viewer may see', async () => {
      const r = await t.call('GET', '/api/v1/orders?limit=0', { token: jiuxianqiao });
      assert.deepEqual(r.body.counts, { total: 0, capped: false, byState: {}, overdue: 0 });
    });

    it('a passed check is a history event with the photos attached to the order', async () => {
      const id = ids[1]!;
      await toReplied(id);
      const cur = await t.call('GET', `/api/v1/orders/${id}`, { token: grid });
      assert.ok(cur.body.allowedActions.includes('verify_on_site'), JSON.stringify(cur.body.allowedActions));
      const up = await t.app.inject({
        method: 'POST',
        url: '/api/v1/attachments',
        payload: Buffer.concat([Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="现场.png"\r\nContent-Type: image/png\r\n\r\n'), PNG, Buffer.from('\r\n--b--\r\n')]),
        headers: { 'content-type': 'multipart/form-data; boundary=b', authorization: `Bearer ${grid}` },
      });
      assert.equal(up.statusCode, 201, up.body);
      const photo = JSON.parse(up.body) as { id: string; url: string };
      const r = await step(grid, id, { action: 'verify_on_site', result: 'passed', note: '现场已无噪音', attachmentIds: [photo.id] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.state, 'replied');
      const ev = r.body.history.at(-1);
      assert.equal(ev.type, 'verify_on_site');
      assert.deepEqual({ result: ev.data.result, note: ev.data.note, photos: ev.data.photos }, { result: 'passed', note: '现场已无噪音', photos: [photo.id] });
      assert.equal(ev.actor.role, 'grid_worker');
      assert.ok(r.body.attachments.some((a: { id: string }) => a.id === photo.id), 'the photo belongs to the order');
      // The handler reads the photo the grid worker took.
      const dl = await t.app.inject({ method: 'GET', url: photo.url, headers: { authorization: `Bearer ${wangjing}` } });
      assert.equal(dl.statusCode, 200);
      const list = await t.call('GET', '/api/v1/orders?state=replied', { token: wangjing });
      assert.equal(list.body.items.find((o: { id: string }) => o.id === id).onSiteCheck.result, 'passed');
    });

    it('a failed check needs a note, shows in the handler\'s list, and is cleared by a new reply after a reopen', async () => {
      const id = ids[2]!;
      await toReplied(id);
      const bare = await step(grid, id, { action: 'verify_on_site', result: 'failed' });
      assert.equal(bare.status, 400);
      assert.equal(bare.body.fields[0].field, 'note');
      assert.match(bare.body.message, /[\u4e00-\u9fa5]/);
      const failed = await step(grid, id, { action: 'verify_on_site', result: 'failed', note: '路灯仍然不亮' });
      assert.equal(failed.status, 200, JSON.stringify(failed.body));
      const mine = await t.call('GET', '/api/v1/orders?state=replied', { token: wangjing });
      assert.deepEqual(
        (({ result, note }) => ({ result, note }))(mine.body.items.find((o: { id: string }) => o.id === id).onSiteCheck),
        { result: 'failed', note: '路灯仍然不亮' },
      );
      // The hotline follows up (not resolved), the order reopens to the street, which replies again.
      await step(agent, id, { action: 'follow_up', resolution: 'unresolved', satisfaction: 'unsatisfied' });
      await toReplied(id);
      const again = await t.call('GET', '/api/v1/orders?state=replied', { token: wangjing });
      assert.equal(again.body.items.find((o: { id: string }) => o.id === id).onSiteCheck, null);
    });

    it('only the grid worker of the street, and only once the unit has replied', async () => {
      const id = ids[3]!;
      const early = await step(grid, id, { action: 'verify_on_site', result: 'passed' });
      assert.equal(early.status, 409);
      assert.equal(early.body.code, 'ILLEGAL_TRANSITION');
      await toReplied(id);
      const handler = await step(wangjing, id, { action: 'verify_on_site', result: 'passed' });
      assert.equal(handler.status, 403);
      const other = await t.call('POST', `/api/v1/orders/${id}/transitions`, { token: jiuxianqiao, body: { action: 'verify_on_site', result: 'passed', version: 1 } });
      assert.equal(other.status, 404);
    });
  });
}
