import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';

const WANGJING = '110105026';
const JIUXIANQIAO = '110105011';

// Five residents of 望京西园三区 about one barbecue stall's smoke, two of 酒仙桥 about one broken street light, and
// one unrelated request: two issues, each in its own street.
const fumes: [string, string][] = [
  ['烧烤店油烟扰民', '望京西园三区楼下烧烤店油烟直排，每天开到夜里十二点，窗户都不敢开'],
  ['望京西园三区烧烤油烟', '望京西园三区楼下的烧烤店油烟太大，家里全是烟味'],
  ['烧烤油烟直排', '望京西园三区烧烤店油烟直排扰民，请处理'],
  ['楼下烧烤店油烟', '望京西园三区楼下烧烤店油烟呛人，晚上没法开窗'],
  ['望京西园烧烤扰民', '望京西园三区烧烤店油烟和噪音扰民到半夜'],
];
const lights: [string, string][] = [
  ['酒仙桥路路灯不亮', '酒仙桥路南段路灯连续一周不亮，晚上很黑'],
  ['路灯坏了', '酒仙桥路南段路灯不亮好几天了，夜里出行不安全'],
];

for (const kind of backends) {
  describe(`hot issues (${kind})`, () => {
    let t: TestApp;
    let agent: string;
    const post = async (title: string, body: string, street: string, phone: string, advance = 3600_000) => {
      const r = await t.call('POST', '/api/v1/requests', {
        token: agent,
        body: { type: 'complaint', channel: 'hotline', title, body, districtCode: '110105', streetCode: street, contact: { name: '张三', phone }, dispatch: { leadUnitCode: street } },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      t.clock.advance(advance);
    };
    before(async () => {
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720' }, new Date('2026-11-25T02:00:00Z'));
      agent = await t.login('agent');
      for (const [i, [title, body]] of fumes.entries()) await post(title, body, WANGJING, `1390000000${i}`);
      for (const [i, [title, body]] of lights.entries()) await post(title, body, JIUXIANQIAO, `1370000000${i}`);
      await post('建议增设公交站', '建议在望京东路增设一个公交站点方便居民出行', WANGJING, '13600000000');
    });
    after(async () => t.close());

    it('groups one problem in one street, ranks by heat, and shows each unit its own jurisdiction', async () => {
      const r = await t.call('GET', '/api/v1/hot-issues?days=7&top=5', { token: await t.login('supervisor') });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.scanned, 8);
      assert.equal(r.body.truncated, false);
      assert.equal(r.body.issues.length, 2, JSON.stringify(r.body.issues.map((i: { description: string }) => i.description)));
      const [first, second] = r.body.issues;
      assert.equal(first.rank, 1);
      assert.equal(first.orders.length, 5, 'the five smoke complaints');
      assert.ok(first.orders.every((o: { title: string; no: string }) => /烧烤|油烟/.test(o.title) && o.no.length > 0));
      assert.match(first.place, /望京/);
      assert.ok(first.keywords.includes('油烟') || first.keywords.includes('烧烤'), first.keywords.join(','));
      assert.equal(first.signals.people, 5);
      assert.equal(second.orders.length, 2);
      assert.ok(first.heat > second.heat);
      // The street's handler sees only its own street's issue; the other street's handler only theirs.
      const wj = await t.call('GET', '/api/v1/hot-issues', { token: await t.login('wangjing') });
      assert.equal(wj.status, 200);
      assert.deepEqual(wj.body.issues.map((i: { orders: unknown[] }) => i.orders.length), [5]);
      const jxq = await t.call('GET', '/api/v1/hot-issues', { token: await t.login('jiuxianqiao') });
      assert.deepEqual(jxq.body.issues.map((i: { orders: unknown[] }) => i.orders.length), [2]);
      // Outside the window nothing is hot.
      t.clock.advance(40 * 86_400_000);
      const later = await t.call('GET', '/api/v1/hot-issues?days=30', { token: await t.login('leader') });
      assert.equal(later.body.scanned, 0);
      assert.deepEqual(later.body.issues, []);
    });

    it('serves one computation per scope for a minute, then sees new orders', async () => {
      const supervisor = await t.login('supervisor');
      agent = await t.login('agent'); // the first test moved the clock past the agent's session
      const first = await t.call('GET', '/api/v1/hot-issues?days=3&top=3', { token: supervisor });
      assert.equal(first.status, 200);
      await post('烧烤油烟又来了', '望京西园三区楼下烧烤店油烟直排，今天又开始了', WANGJING, '13600000099', 0);
      const cached = await t.call('GET', '/api/v1/hot-issues?days=3&top=3', { token: supervisor });
      assert.equal(cached.body.scanned, first.body.scanned, 'within the minute: the same computation');
      t.clock.advance(61_000);
      const fresh = await t.call('GET', '/api/v1/hot-issues?days=3&top=3', { token: supervisor });
      assert.equal(fresh.body.scanned, first.body.scanned + 1, 'after it: the new order is read');
    });

    it('refuses citizens and bad parameters', async () => {
      const citizen = await t.call('GET', '/api/v1/hot-issues', { token: await t.login('citizen') });
      assert.equal(citizen.status, 403);
      const anon = await t.call('GET', '/api/v1/hot-issues');
      assert.equal(anon.status, 401);
      const bad = await t.call('GET', '/api/v1/hot-issues?days=0', { token: await t.login('supervisor') });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.fields[0].field, 'querystring.days');
    });
  });
}
