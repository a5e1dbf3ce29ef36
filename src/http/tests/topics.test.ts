import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';

const WANGJING = '110105026';
const JIUXIANQIAO = '110105011';
const CATEGORY = 'CX.02.01'; // 物业服务质量: the street leads

for (const kind of backends) {
  describe(`每月一题: candidates, adoption, tasks (${kind})`, () => {
    let t: TestApp;
    let leader: string;
    let wangjing: string;
    let jiuxianqiao: string;
    let topicId: string;
    before(async () => {
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720' }, new Date('2026-05-10T02:00:00Z'));
      let agent = '';
      const post = async (street: string, title: string, category = CATEGORY) => {
        const r = await t.call('POST', '/api/v1/requests', {
          token: agent,
          body: { type: 'complaint', channel: 'hotline', title, body: '物业不管事，楼道垃圾没人清，反映多次没有解决', categoryCode: category, districtCode: '110105', streetCode: street, dispatch: { leadUnitCode: street } },
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
      };
      // Five months (May … September): property complaints every month, growing, in two streets; one consultation class once.
      for (const [m, n] of [[5, 3], [6, 3], [7, 4], [8, 5], [9, 8]] as const) {
        t.clock.now = new Date(`2026-${String(m).padStart(2, '0')}-12T02:00:00Z`);
        agent = await t.login('agent');
        for (let i = 0; i < n; i++) await post(i % 2 ? JIUXIANQIAO : WANGJING, `物业不作为 ${m}-${i}`);
      }
      await post(WANGJING, '路灯不亮', 'CX.05.01');
      t.clock.now = new Date('2026-10-08T02:00:00Z');
      // Logins after the orders: sessions are issued at the clock's time.
      leader = await t.login('leader');
      wangjing = await t.login('wangjing');
      jiuxianqiao = await t.login('jiuxianqiao');
    });
    after(async () => t.close());

    it('mines the recurring, growing class of the last complete months, with its figures and evidence orders', async () => {
      const res = await t.call('GET', '/api/v1/topics/candidates?months=6&minSize=5', { token: leader });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.window, { from: '2026-04', to: '2026-09' });
      const [c] = res.body.candidates;
      assert.equal(c.category.code, CATEGORY);
      assert.equal(c.size, 23);
      assert.deepEqual(c.series, [0, 3, 3, 4, 5, 8]);
      assert.equal(c.last, 8);
      assert.equal(c.mom, 0.5); // (8+1)/(5+1) − 1
      assert.equal(c.streets, 2);
      assert.equal(c.recurrence, 5);
      assert.equal(c.evidence.length, 10);
      assert.ok(c.score > 0 && c.score <= 100);
      assert.equal(c.adopted, null);
      assert.ok(!res.body.candidates.some((x: { category: { code: string } }) => x.category.code === 'CX.05.01'), 'one order is no topic');
    });

    it('refuses bad adoption input with the field named, and roles that may not adopt', async () => {
      const good = { categoryCode: CATEGORY, districtCode: '110105', leadUnitCodes: ['110105-ZJW'], tasks: [{ title: '约谈物业公司', unitCode: WANGJING, dueDate: '2026-10-31' }] };
      const bad = async (body: unknown, token = leader) => t.call('POST', '/api/v1/topics', { token, body });
      let r = await bad({ ...good, leadUnitCodes: [] });
      assert.equal(r.status, 400);
      assert.equal(r.body.fields[0].field, 'leadUnitCodes');
      r = await bad({ ...good, tasks: [{ title: '约谈', unitCode: WANGJING, dueDate: '2026-10-01' }] });
      assert.equal(r.status, 400);
      assert.equal(r.body.fields[0].field, 'tasks[0].dueDate');
      assert.match(r.body.message, /截止日期/);
      r = await bad({ ...good, categoryCode: 'NOPE' });
      assert.equal(r.body.fields[0].field, 'categoryCode');
      r = await bad({ ...good, tasks: [{ title: '约谈', unitCode: 'NOPE', dueDate: '2026-10-31' }] });
      assert.equal(r.body.fields[0].field, 'tasks[0].unitCode');
      r = await bad({ ...good, month: '2026-13' });
      assert.equal(r.status, 400);
      assert.equal((await bad(good, wangjing)).status, 403);
      // A district leader adopts for their own district only, and assigns only units within it.
      const cy = await t.login('leader_cy');
      r = await bad({ ...good, districtCode: undefined }, cy);
      assert.equal(r.status, 400);
      assert.equal(r.body.fields[0].field, 'districtCode');
      r = await bad({ ...good, leadUnitCodes: ['110000-ZJW'] }, cy);
      assert.equal(r.body.fields[0].field, 'leadUnitCodes[0]');
      assert.match(r.body.message, /不在本辖区/);
    });

    it('adopts a candidate with lead units and tasks, in one transaction with history, notices and audit; once a month', async () => {
      const res = await t.call('POST', '/api/v1/topics', {
        token: leader,
        body: {
          categoryCode: CATEGORY,
          districtCode: '110105',
          description: '物业服务不到位反复投诉',
          leadUnitCodes: ['110105-ZJW'],
          tasks: [
            { title: '约谈望京街道辖区物业公司', unitCode: WANGJING, dueDate: '2026-10-20' },
            { title: '酒仙桥街道物业服务专项检查', unitCode: JIUXIANQIAO, dueDate: '2026-10-31' },
          ],
        },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.match(res.body.no, /^MT202610-01$/);
      topicId = res.body.id;
      const again = await t.call('POST', '/api/v1/topics', { token: leader, body: { categoryCode: CATEGORY, districtCode: '110105', leadUnitCodes: ['110105-ZJW'] } });
      assert.equal(again.status, 409);
      const detail = await t.call('GET', `/api/v1/topics/${topicId}`, { token: leader });
      assert.equal(detail.status, 200, JSON.stringify(detail.body));
      assert.equal(detail.body.tasks.length, 2);
      assert.deepEqual(detail.body.history.map((e: { type: string }) => e.type), ['topic_adopted', 'task_added', 'task_added']);
      assert.equal(detail.body.baseline.size, 23);
      assert.equal(detail.body.evidenceOrderIds.length, 20);
      assert.equal(detail.body.progress.total, 2);
      assert.equal(detail.body.trend[0].month, '2026-07');
      assert.equal(detail.body.trend.at(-1).month, '2026-10');
      const audit = await t.call('GET', '/api/v1/audit?action=topic.adopt', { token: await t.login('admin') });
      assert.ok(JSON.stringify(audit.body).includes('topic.adopt'));
      const notes = await t.call('GET', '/api/v1/notifications', { token: wangjing });
      assert.equal(notes.status, 200);
      const cands = await t.call('GET', '/api/v1/topics/candidates?scope=district&minSize=5', { token: leader });
      assert.equal(cands.body.candidates[0].adopted.id, topicId);
    });

    it('shows each street its own tasks only, and lets it move them open → in progress → done with a note', async () => {
      const mine = await t.call('GET', '/api/v1/topics/tasks/mine', { token: wangjing });
      assert.equal(mine.status, 200);
      assert.equal(mine.body.items.length, 1);
      const task = mine.body.items[0];
      assert.equal(task.unit.code, WANGJING);
      const theirs = (await t.call('GET', '/api/v1/topics/tasks/mine', { token: jiuxianqiao })).body.items[0];
      assert.equal(theirs.unit.code, JIUXIANQIAO);
      const seen = await t.call('GET', `/api/v1/topics/${topicId}`, { token: wangjing });
      assert.equal(seen.status, 200);
      assert.deepEqual(seen.body.tasks.map((x: { id: string }) => x.id), [task.id]);
      assert.equal(seen.body.oversee, false);

      const step = (id: string, body: unknown, token = wangjing) => t.call('POST', `/api/v1/topics/tasks/${id}/transitions`, { token, body });
      assert.equal((await step(theirs.id, { action: 'start', version: 1 })).status, 404, 'another street’s task is not found');
      let r = await step(task.id, { action: 'start', version: 1 });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.state, 'in_progress');
      assert.equal((await step(task.id, { action: 'start', version: 2 })).status, 409);
      assert.equal((await step(task.id, { action: 'complete', version: 1, note: '已约谈' })).status, 409, 'stale version');
      r = await step(task.id, { action: 'complete', version: 2 });
      assert.equal(r.status, 400);
      assert.equal(r.body.fields[0].field, 'note');
      r = await step(task.id, { action: 'complete', version: 2, note: '已约谈12家物业公司，签订整改承诺' });
      assert.equal(r.body.state, 'done');
      assert.equal((await step(task.id, { action: 'reopen', version: 3, note: '不认' })).status, 403, 'a unit does not reopen its own task');
      r = await step(task.id, { action: 'reopen', version: 3, note: '回访仍有投诉' }, leader);
      assert.equal(r.status, 200);
      assert.equal(r.body.state, 'in_progress');
      const d = await t.call('GET', `/api/v1/topics/${topicId}`, { token: leader });
      assert.deepEqual(d.body.history.map((e: { type: string }) => e.type).slice(-3), ['task_started', 'task_done', 'task_reopened']);
    });

    it('reports progress with overdue tasks as days pass, and keeps topics from citizens', async () => {
      t.clock.now = new Date('2026-10-25T02:00:00Z');
      const list = await t.call('GET', '/api/v1/topics', { token: await t.login('leader') });
      assert.equal(list.status, 200);
      const [topic] = list.body.items;
      assert.deepEqual(topic.progress, { total: 2, done: 0, inProgress: 1, open: 1, overdue: 1 });
      assert.equal(topic.oversee, true);
      assert.equal((await t.call('GET', '/api/v1/topics', { token: await t.login('citizen') })).status, 403);
      assert.equal((await t.call('GET', `/api/v1/topics/${topicId}`, { token: await t.login('water') })).status, 404);
      const closed = await t.call('POST', `/api/v1/topics/${topicId}/close`, { token: await t.login('leader'), body: { outcome: '物业投诉下降', version: 1 } });
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
    });
  });
}
