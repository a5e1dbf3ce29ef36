import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { closeAssessmentMonths, runAssessmentJob } from '../../app/assessment/monthFigures.js';
import { queryRows } from '../../store/db.js';
import { orderClocks, orders, units } from '../../store/schema/index.js';

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

type Unit = { id: string; path: string };
type Spec = { unit: Unit; acceptedAt: string; response?: 'met' | 'late' | 'overdue' | 'pending'; followedUpAt?: string; resolution?: string; satisfaction?: string; excluded?: boolean };

let serial = 0;
/** Orders with known outcomes, written straight to the tables (as a bulk import would): the triggers fill in the facts. */
async function insertOrders(t: TestApp, specs: Spec[]): Promise<string[]> {
  const now = new Date('2026-09-01T00:00:00Z');
  const rows = specs.map((s) => ({
    id: randomUUID(),
    no: `TA${String(++serial).padStart(6, '0')}`,
    requestId: randomUUID(),
    type: 'complaint',
    channel: 'hotline',
    title: '测试工单',
    body: '考核测试',
    urgency: 'general',
    policyCode: 'general',
    state: s.followedUpAt ? 'followed_up' : 'responded',
    leadUnitId: s.unit.id,
    leadUnitPath: s.unit.path,
    acceptedAt: new Date(s.acceptedAt),
    updatedAt: now,
    assessmentExcluded: s.excluded ?? false,
    ...(s.followedUpAt ? { followedUpAt: new Date(s.followedUpAt), resolution: s.resolution ?? null, satisfaction: s.satisfaction ?? null, repliedAt: new Date(s.acceptedAt) } : {}),
  }));
  await t.store.db.insert(orders).values(rows);
  const clocks = rows.flatMap((r, i) => {
    const s = specs[i];
    if (!s?.response) return [];
    const start = r.acceptedAt;
    const due = new Date(start.getTime() + 24 * 3600_000);
    const base = { orderId: r.id, startedAt: start, duration: { amount: 24, unit: 'hours' }, warnBefore: { fraction: 0.2 }, warnAt: start };
    const sign = { ...base, kind: 'sign', dueAt: new Date(start.getTime() + 2 * 3600_000), stoppedAt: new Date(start.getTime() + 600_000) };
    const response = {
      ...base,
      kind: 'response',
      dueAt: due,
      stoppedAt: s.response === 'met' ? new Date(start.getTime() + 3600_000) : s.response === 'late' ? new Date(due.getTime() + 60_000) : null,
      overdueAt: s.response === 'overdue' ? new Date(due.getTime() + 30_000) : null,
    };
    return [sign, response];
  });
  if (clocks.length) await t.store.db.insert(orderClocks).values(clocks);
  return rows.map((r) => r.no);
}

const many = (n: number, spec: Spec): Spec[] => Array.from({ length: n }, () => ({ ...spec }));

for (const kind of backends) {
  describe(`回访 and 三率 assessment (${kind})`, () => {
    let t: TestApp;
    let agent: string, dispatcher: string, supervisor: string, wangjing: string, jiuxianqiao: string, leader: string, leaderCy: string, admin: string, citizen: string;
    let J: Unit; // 酒仙桥街道 (朝阳)
    let K: Unit; // 中关村街道 (海淀)
    const ids: Record<string, string> = {};

    before(async () => {
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720' }); // Tue 2026-09-29 21:40 Beijing
      [agent, dispatcher, supervisor, wangjing, jiuxianqiao, leader, leaderCy, admin, citizen] = (await Promise.all(['agent', 'dispatcher', 'supervisor', 'wangjing', 'jiuxianqiao', 'leader', 'leader_cy', 'admin', 'citizen'].map((u) => t.login(u)))) as [string, string, string, string, string, string, string, string, string];
      const find = async (name: string, district: string) => {
        const [u] = await t.store.db.select({ id: units.id, path: units.path }).from(units).where(sql`${units.name} = ${name} AND ${units.parentId} = ${district}`);
        if (!u) throw new Error(`no unit ${name}`);
        return u;
      };
      J = await find('酒仙桥街道', '110105');
      K = await find('中关村街道', '110108');
      // August: 酒仙桥 perfect (4 met, 3 resolved and satisfied), 中关村 half (1 met, 1 late; 1 of 2 resolved, satisfied).
      await insertOrders(t, [
        ...many(3, { unit: J, acceptedAt: '2026-08-05T02:00:00Z', response: 'met', followedUpAt: '2026-08-12T02:00:00Z', resolution: 'resolved', satisfaction: 'satisfied' }),
        { unit: J, acceptedAt: '2026-08-28T02:00:00Z', response: 'met' }, // followed up in September, below
        { unit: K, acceptedAt: '2026-08-05T02:00:00Z', response: 'met', followedUpAt: '2026-08-20T02:00:00Z', resolution: 'resolved', satisfaction: 'satisfied' },
        { unit: K, acceptedAt: '2026-08-06T02:00:00Z', response: 'late', followedUpAt: '2026-08-20T02:00:00Z', resolution: 'unresolved', satisfaction: 'unsatisfied' },
      ]);
      // The August order of 酒仙桥 followed up on 2026-09-02 counts in September's resolution and satisfaction.
      await t.store.db.execute(sql`UPDATE orders SET followed_up_at = '2026-09-02T02:00:00Z', resolution = 'resolved', satisfaction = 'satisfied', state = 'followed_up' WHERE lead_unit_id = ${J.id} AND accepted_at = '2026-08-28T02:00:00Z'`);
      // September, 酒仙桥: 10 assessed (7 met, 1 late, 1 overdue, 1 pending) + 1 excluded; 8 followed up:
      // resolved 5, partly 2, unresolved 1; satisfied 4, basic 2, unsatisfied 1, no answer 1.
      const sep = '2026-09-10T02:00:00Z';
      const fu = '2026-09-20T02:00:00Z';
      await insertOrders(t, [
        ...many(4, { unit: J, acceptedAt: sep, response: 'met', followedUpAt: fu, resolution: 'resolved', satisfaction: 'satisfied' }),
        { unit: J, acceptedAt: sep, response: 'met', followedUpAt: fu, resolution: 'resolved', satisfaction: 'basic' },
        { unit: J, acceptedAt: sep, response: 'met', followedUpAt: fu, resolution: 'partly', satisfaction: 'basic' },
        { unit: J, acceptedAt: sep, response: 'met', followedUpAt: fu, resolution: 'partly', satisfaction: 'no_answer' },
        { unit: J, acceptedAt: sep, response: 'late', followedUpAt: fu, resolution: 'unresolved', satisfaction: 'unsatisfied' },
        { unit: J, acceptedAt: sep, response: 'overdue' },
        { unit: J, acceptedAt: sep, response: 'pending' },
        { unit: J, acceptedAt: sep, response: 'met', followedUpAt: fu, resolution: 'unresolved', satisfaction: 'unsatisfied', excluded: true },
        // 中关村, September: perfect.
        ...many(4, { unit: K, acceptedAt: sep, response: 'met', followedUpAt: fu, resolution: 'resolved', satisfaction: 'satisfied' }),
      ]);
    });
    after(async () => t.close());

    const step = async (token: string, id: string, body: Record<string, unknown>) => {
      const cur = await t.call('GET', `/api/v1/orders/${id}`, { token });
      const r = await t.call('POST', `/api/v1/orders/${id}/transitions`, { token, body: { version: cur.body.version, ...body } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };
    const toReplied = async (token: string, reply: string, extra: Record<string, unknown> = {}) => {
      const created = await t.call('POST', '/api/v1/requests', { token, body: { ...fumes, ...extra, ...(token === citizen ? {} : { dispatch: { leadUnitCode: WANGJING } }) } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id: string = created.body.order.id;
      if (created.body.order.state !== 'dispatched') await step(dispatcher, id, { action: 'dispatch', leadUnitCode: WANGJING });
      await step(wangjing, id, { action: 'sign' });
      await step(wangjing, id, { action: 'respond', contactMethod: 'phone', note: '已电话联系诉求人' });
      await step(wangjing, id, { action: 'reply', text: reply });
      return id;
    };

    it('lists replied orders awaiting follow-up, oldest reply first, due two working days after the reply (across National Day)', async () => {
      ids.first = await toReplied(agent, '经查，该烧烤店已安装油烟净化设备，已告知诉求人，联系电话13800138000。');
      t.clock.advance(5 * 60_000);
      ids.second = await toReplied(agent, '已约谈商户整改，油烟净化设备下周安装到位。', { title: '餐馆油烟扰民' });
      const q = await t.call('GET', '/api/v1/assessment/follow-ups', { token: agent });
      assert.equal(q.status, 200, JSON.stringify(q.body));
      const mine = q.body.items.filter((i: { id: string }) => [ids.first, ids.second].includes(i.id));
      assert.deepEqual(mine.map((i: { id: string }) => i.id), [ids.first, ids.second], 'oldest reply first');
      const first = mine[0];
      assert.match(first.reply.text, /油烟净化设备/);
      // Replied Tue 2026-09-29 (Beijing): +1 working day is 09-30; 10-01…07 are holidays; +2 is Thu 10-08.
      assert.equal(first.followUpDueAt, '2026-10-08T15:59:59.999Z');
      assert.equal(first.overdue, false);
      assert.equal(first.contact.phone, '139****5678');
      assert.equal(first.leadUnit.name, '望京街道');
      assert.equal(q.body.total, q.body.items.length);
      const paged = await t.call('GET', '/api/v1/assessment/follow-ups?limit=1', { token: agent });
      assert.equal(paged.body.items.length, 1);
      const next = await t.call('GET', `/api/v1/assessment/follow-ups?limit=1&cursor=${paged.body.nextCursor}`, { token: agent });
      assert.notEqual(next.body.items[0].id, paged.body.items[0].id);
      assert.equal((await t.call('GET', '/api/v1/assessment/follow-ups', { token: wangjing })).status, 403, 'units do not run the hotline’s call-backs');
      assert.equal((await t.call('GET', '/api/v1/assessment/follow-ups?cursor=garbage', { token: agent })).status, 400);
    });

    it('survey link: issued for a replied order, shows the reply masked, rates it once as the follow-up step', async () => {
      const notReplied = await t.call('POST', '/api/v1/requests', { token: agent, body: { ...fumes, dispatch: { leadUnitCode: WANGJING } } });
      const refused = await t.call('POST', `/api/v1/assessment/follow-ups/${notReplied.body.order.id}/survey-link`, { token: agent });
      assert.equal(refused.status, 409);
      assert.equal((await t.call('POST', `/api/v1/assessment/follow-ups/${ids.first}/survey-link`, { token: wangjing })).status, 403);
      const link = await t.call('POST', `/api/v1/assessment/follow-ups/${ids.first}/survey-link`, { token: agent });
      assert.equal(link.status, 201, JSON.stringify(link.body));
      assert.equal(link.body.path, `/survey/${link.body.token}`);
      assert.equal(link.body.expiresAt, new Date(Math.floor(t.clock.now.getTime() / 1000) * 1000 + 7 * 86_400_000).toISOString());
      const view = await t.call('GET', `/api/v1/surveys/${link.body.token}`);
      assert.equal(view.status, 200, JSON.stringify(view.body));
      assert.equal(view.body.title, '烧烤店油烟直排');
      assert.equal(view.body.unit, '望京街道');
      assert.match(view.body.reply.text, /联系电话138\*\*\*\*8000/, 'numbers in the reply are masked');
      assert.equal(view.body.contactName, '王**');
      assert.deepEqual(view.body.satisfactions.map((s: { value: string }) => s.value), ['satisfied', 'basic', 'unsatisfied']);
      // Tampered: one character of the payload changed.
      const tok: string = link.body.token;
      const tampered = `${tok.slice(0, 4)}${tok[4] === 'A' ? 'B' : 'A'}${tok.slice(5)}`;
      const bad = await t.call('GET', `/api/v1/surveys/${tampered}`);
      assert.equal(bad.status, 404);
      assert.equal(bad.body.code, 'LINK_INVALID');
      assert.equal((await t.call('POST', `/api/v1/surveys/${tampered}`, { body: { resolution: 'resolved', satisfaction: 'satisfied' } })).body.code, 'LINK_INVALID');
      assert.equal((await t.call('GET', '/api/v1/surveys/not-a-token')).body.code, 'LINK_INVALID');
      const badBody = await t.call('POST', `/api/v1/surveys/${tok}`, { body: { resolution: 'resolved', satisfaction: 'no_answer' } });
      assert.equal(badBody.status, 400, 'a citizen who answers cannot answer "no answer"');
      const done = await t.call('POST', `/api/v1/surveys/${tok}`, { body: { resolution: 'resolved', satisfaction: 'basic', note: '处理及时' } });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.deepEqual(done.body, { no: view.body.no, state: 'followed_up', reopened: false });
      const order = await t.call('GET', `/api/v1/orders/${ids.first}`, { token: agent });
      const fu = order.body.history.find((h: { type: string }) => h.type === 'follow_up');
      assert.equal(fu.actor.name, '回访评价（市民）', 'a phone request has no account: the hotline survey channel acts');
      assert.equal(fu.data.satisfaction, 'basic');
      assert.ok(order.body.history.some((h: { type: string }) => h.type === 'survey_link'));
      // Reused: once rated, the link says so, both to read and to answer.
      const again = await t.call('POST', `/api/v1/surveys/${tok}`, { body: { resolution: 'unresolved', satisfaction: 'unsatisfied' } });
      assert.equal(again.status, 409);
      assert.equal(again.body.code, 'LINK_USED');
      assert.equal((await t.call('GET', `/api/v1/surveys/${tok}`)).body.code, 'LINK_USED');
      const q = await t.call('GET', '/api/v1/assessment/follow-ups', { token: agent });
      assert.ok(!q.body.items.some((i: { id: string }) => i.id === ids.first), 'no longer awaiting follow-up');
    });

    it('survey link: the requester’s own account rates; unresolved and unsatisfied reopens and still counts', async () => {
      ids.citizen = await toReplied(citizen, '已联系物业处理完毕，请您查看。');
      const link = await t.call('POST', `/api/v1/assessment/follow-ups/${ids.citizen}/survey-link`, { token: agent });
      const done = await t.call('POST', `/api/v1/surveys/${link.body.token}`, { body: { resolution: 'unresolved', satisfaction: 'unsatisfied' } });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal(done.body.reopened, true);
      assert.equal(done.body.state, 'dispatched');
      const order = await t.call('GET', `/api/v1/orders/${ids.citizen}`, { token: agent });
      const fu = order.body.history.find((h: { type: string }) => h.type === 'follow_up');
      assert.equal(fu.actor.role, 'citizen');
      assert.equal(fu.actor.name, '张伟');
      assert.deepEqual(order.body.history.slice(-2).map((h: { type: string }) => h.type), ['follow_up', 'reopen']);
      // The reopen cleared the order's current answers; the assessment keeps the latest ones.
      const [row] = await t.store.db.select({ resolution: orders.resolution, last: orders.lastResolution, sat: orders.lastSatisfaction }).from(orders).where(eq(orders.id, ids.citizen));
      assert.deepEqual(row, { resolution: null, last: 'unresolved', sat: 'unsatisfied' });
      const drill = await t.call('GET', `/api/v1/assessment/orders?unit=${WANGJING}&month=2026-09&measure=unresolved`, { token: leader });
      assert.deepEqual(drill.body.items.map((i: { id: string }) => i.id), [ids.citizen]);
      assert.equal((await t.call('POST', `/api/v1/surveys/${link.body.token}`, { body: { resolution: 'resolved', satisfaction: 'satisfied' } })).body.code, 'LINK_USED');
    });

    it('survey link: expires after the policy’s days (410)', async () => {
      const id = await toReplied(agent, '已协调物业处理，问题已解决。');
      const link = await t.call('POST', `/api/v1/assessment/follow-ups/${id}/survey-link`, { token: agent });
      const saved = t.clock.now;
      t.clock.advance(7 * 86_400_000 + 1000);
      const late = await t.call('GET', `/api/v1/surveys/${link.body.token}`);
      assert.equal(late.status, 410);
      assert.equal(late.body.code, 'LINK_EXPIRED');
      assert.equal((await t.call('POST', `/api/v1/surveys/${link.body.token}`, { body: { resolution: 'resolved', satisfaction: 'satisfied' } })).status, 410);
      t.clock.now = saved;
      // The hotline follows up by phone instead.
      await step(agent, id, { action: 'follow_up', resolution: 'resolved', satisfaction: 'satisfied' });
      assert.equal((await t.call('GET', `/api/v1/surveys/${link.body.token}`)).body.code, 'LINK_USED');
    });

    it('rates of a unit with the counts behind them (known orders of 酒仙桥, September)', async () => {
      const r = await t.call('GET', `/api/v1/assessment/rates?unit=${J.id}&month=2026-09`, { token: leader });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      // September's 8 follow-ups and the August order's on 09-02: resolved 5 + 1, satisfied 4 + 1.
      assert.deepEqual(r.body.counts, { assessed: 10, responseMet: 7, responseLate: 2, responsePending: 1, excluded: 1, followedUp: 9, resolved: 6, partly: 2, unresolved: 1, satisfied: 5, basic: 2, unsatisfied: 1, noAnswer: 1 });
      assert.equal(r.body.source, 'live');
      assert.equal(r.body.responseRate, 7 / 9);
      assert.equal(r.body.resolutionRate, 6 / 9);
      assert.equal(r.body.satisfactionRate, (5 + 2 * 0.8) / 8);
      // 10 × 7/9 + 45 × 6/9 + 45 × 0.825 = 7.778 + 30 + 37.125 = 74.90
      assert.equal(r.body.score, 74.9);
      assert.equal(r.body.unit.name, '酒仙桥街道');
      assert.deepEqual(r.body.period, { month: '2026-09', from: '2026-08-31T16:00:00.000Z', to: '2026-09-30T16:00:00.000Z' });
      // A date range covering August and September sees both months' orders.
      const range = await t.call('GET', `/api/v1/assessment/rates?unit=${J.id}&from=2026-08-01&to=2026-09-30`, { token: leader });
      assert.equal(range.body.counts.assessed, 14);
      assert.equal(range.body.counts.followedUp, 12);
      assert.equal(range.body.period.month, null);
      // A handler of 酒仙桥 sees its own figures by default, and not 望京's.
      const own = await t.call('GET', '/api/v1/assessment/rates?month=2026-09', { token: jiuxianqiao });
      assert.equal(own.body.unit.code, J.id);
      assert.equal(own.body.counts.assessed, 10);
      const other = await t.call('GET', `/api/v1/assessment/rates?unit=${WANGJING}&month=2026-09`, { token: jiuxianqiao });
      assert.equal(other.status, 403);
      assert.equal((await t.call('GET', '/api/v1/assessment/rates?month=2027-01', { token: leader })).status, 400, 'a future month');
      assert.equal((await t.call('GET', '/api/v1/assessment/rates?month=2026-13', { token: leader })).status, 400);
      assert.equal((await t.call('GET', '/api/v1/assessment/rates?month=2026-09&from=2026-09-01&to=2026-09-02', { token: leader })).status, 400);
      assert.equal((await t.call('GET', '/api/v1/assessment/rates', { token: citizen })).status, 403);
    });

    it('the September follow-up of an August order counts in September, its response in August', async () => {
      const r = await t.call('GET', `/api/v1/assessment/orders?unit=${J.id}&month=2026-09&measure=followed_up&limit=500`, { token: leader });
      assert.equal(r.body.total, 9, '8 September orders and the August one followed up on 09-02');
      const aug = r.body.items.find((i: { acceptedAt: string }) => i.acceptedAt.startsWith('2026-08'));
      assert.equal(aug.followedUpAt, '2026-09-02T02:00:00.000Z');
      const augResponse = await t.call('GET', `/api/v1/assessment/orders?unit=${J.id}&month=2026-08&measure=response_met`, { token: leader });
      assert.ok(augResponse.body.items.some((i: { id: string }) => i.id === aug.id));
    });

    it('excluding a malicious request takes it out of the rates, with an event and an audit row; supervisor or admin only', async () => {
      assert.equal((await t.call('GET', `/api/v1/assessment/orders?unit=${J.id}&month=2026-09&measure=response_late`, { token: supervisor })).body.total, 2);
      // The one that was late and is unresolved and unsatisfied.
      const target = await t.call('GET', `/api/v1/assessment/orders?unit=${J.id}&month=2026-09&measure=unresolved`, { token: supervisor });
      assert.equal(target.body.total, 1);
      assert.equal(target.body.items[0].responseMet, false);
      const id: string = target.body.items[0].id;
      const short = await t.call('PUT', `/api/v1/assessment/orders/${id}/exclusion`, { token: supervisor, body: { excluded: true, reason: '恶意' } });
      assert.equal(short.status, 400);
      assert.equal((await t.call('PUT', `/api/v1/assessment/orders/${id}/exclusion`, { token: dispatcher, body: { excluded: true, reason: '恶意重复投诉，已核实' } })).status, 403);
      assert.equal((await t.call('PUT', `/api/v1/assessment/orders/${id}/exclusion`, { token: leaderCy, body: { excluded: true, reason: '恶意重复投诉，已核实' } })).status, 403);
      const ok = await t.call('PUT', `/api/v1/assessment/orders/${id}/exclusion`, { token: supervisor, body: { excluded: true, reason: '恶意重复投诉，已核实' } });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body, { orderId: id, no: target.body.items[0].no, excluded: true, reason: '恶意重复投诉，已核实' });
      assert.equal((await t.call('PUT', `/api/v1/assessment/orders/${id}/exclusion`, { token: supervisor, body: { excluded: true, reason: '恶意重复投诉，已核实' } })).status, 409);
      const r = await t.call('GET', `/api/v1/assessment/rates?unit=${J.id}&month=2026-09`, { token: leader });
      assert.equal(r.body.counts.assessed, 9);
      assert.equal(r.body.counts.excluded, 2);
      assert.equal(r.body.counts.responseLate, 1);
      assert.equal(r.body.counts.followedUp, 8);
      assert.equal(r.body.counts.unresolved, 0);
      const events = await queryRows<{ type: string; actor_name: string; data: { reason: string } }>(t.store.db, sql`SELECT type, actor_name, data FROM order_events WHERE order_id = ${id} AND type LIKE 'assessment_%'`);
      assert.deepEqual(events.map((e) => [e.type, e.data.reason]), [['assessment_excluded', '恶意重复投诉，已核实']]);
      const audit = await t.call('GET', '/api/v1/audit?action=assessment.exclude', { token: admin });
      assert.ok(JSON.stringify(audit.body).includes(id), 'audited');
      const excludedList = await t.call('GET', `/api/v1/assessment/orders?unit=${J.id}&month=2026-09&measure=excluded`, { token: leader });
      assert.ok(excludedList.body.items.some((i: { id: string; exclusionReason: string }) => i.id === id && i.exclusionReason === '恶意重复投诉，已核实'));
      // And back again, by an administrator.
      const back = await t.call('PUT', `/api/v1/assessment/orders/${id}/exclusion`, { token: admin, body: { excluded: false, reason: '复核后确认为有效诉求' } });
      assert.equal(back.status, 200);
      assert.equal((await t.call('GET', `/api/v1/assessment/rates?unit=${J.id}&month=2026-09`, { token: leader })).body.counts.assessed, 10);
    });

    it('drill-down lists exactly the orders behind a figure, in pages, within jurisdiction', async () => {
      const met = await t.call('GET', `/api/v1/assessment/orders?unit=${J.id}&month=2026-09&measure=response_met&limit=3`, { token: leader });
      assert.equal(met.status, 200, JSON.stringify(met.body));
      assert.equal(met.body.total, 7);
      assert.equal(met.body.measureLabel, '按时响应');
      const seen = new Set<string>(met.body.items.map((i: { no: string }) => i.no));
      let cursor = met.body.nextCursor;
      while (cursor) {
        const page = await t.call('GET', `/api/v1/assessment/orders?unit=${J.id}&month=2026-09&measure=response_met&limit=3&cursor=${cursor}`, { token: leader });
        assert.equal(page.body.total, null);
        for (const i of page.body.items) seen.add(i.no);
        cursor = page.body.nextCursor;
      }
      assert.equal(seen.size, 7, 'every order once across pages');
      for (const [measure, n] of [['partly', 2], ['basic', 2], ['no_answer', 1], ['answered', 8], ['satisfied', 5], ['response_pending', 1], ['assessed', 10], ['excluded', 1]] as const) {
        const r = await t.call('GET', `/api/v1/assessment/orders?unit=${J.id}&month=2026-09&measure=${measure}`, { token: leader });
        assert.equal(r.body.total, n, measure);
      }
      // 望京's own orders from the API: the signed-and-responded ones met their clocks.
      const wj = await t.call('GET', `/api/v1/assessment/orders?unit=${WANGJING}&month=2026-09&measure=response_met`, { token: wangjing });
      assert.ok(wj.body.items.some((i: { id: string }) => i.id === ids.first));
      assert.equal((await t.call('GET', `/api/v1/assessment/orders?unit=${WANGJING}&month=2026-09&measure=resolved`, { token: jiuxianqiao })).status, 403);
      assert.equal((await t.call('GET', `/api/v1/assessment/orders?unit=${J.id}&month=2026-09&measure=bogus`, { token: leader })).status, 400);
    });

    it('monthly street ranking: all 343 for the city, ranked by score with the change from August; each leader sees their own', async () => {
      const r = await t.call('GET', '/api/v1/assessment/rankings?kind=street&month=2026-09', { token: leader });
      assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 500));
      assert.equal(r.body.units, 343);
      assert.equal(r.body.rows.length, 343);
      assert.equal(r.body.previousMonth, '2026-08');
      assert.equal(r.body.source, 'live');
      const scored = r.body.rows.filter((x: { score: number | null }) => x.score !== null);
      assert.equal(r.body.ranked, scored.length);
      assert.equal(scored.length, 3, '酒仙桥, 中关村 and 望京 have orders');
      for (let i = 1; i < scored.length; i++) assert.ok(scored[i - 1].score >= scored[i].score, 'best first');
      assert.ok(r.body.rows.slice(scored.length).every((x: { rank: number | null }) => x.rank === null), 'the rest unranked, last');
      const k = r.body.rows.find((x: { code: string }) => x.code === K.id);
      const j = r.body.rows.find((x: { code: string }) => x.code === J.id);
      assert.equal(k.score, 100);
      assert.equal(k.rank, 1);
      assert.equal(k.district.name, '海淀区');
      assert.equal(k.previousRank, 2);
      assert.equal(k.previousScore, 50);
      assert.equal(k.rankChange, 1);
      assert.equal(k.scoreChange, 50);
      assert.equal(j.score, 74.9);
      assert.equal(j.previousRank, 1);
      assert.equal(j.previousScore, 100);
      assert.equal(j.rankChange, 1 - j.rank);
      assert.equal(j.scoreChange, -25.1);
      assert.ok(r.body.rows.every((x: { attention: boolean }) => !x.attention), 'three ranked streets are too few to name ten');
      // District leader: 朝阳's streets only, with their city-wide ranks.
      const cy = await t.call('GET', '/api/v1/assessment/rankings?kind=street&month=2026-09', { token: leaderCy });
      assert.ok(cy.body.rows.length > 20 && cy.body.rows.every((x: { district: { code: string } }) => x.district.code === '110105'));
      assert.equal(cy.body.rows.find((x: { code: string }) => x.code === J.id).rank, j.rank);
      assert.equal(cy.body.units, 343);
      const own = await t.call('GET', '/api/v1/assessment/rankings?kind=street&month=2026-09', { token: jiuxianqiao });
      assert.deepEqual(own.body.rows.map((x: { code: string }) => x.code), [J.id]);
      // Districts: 朝阳 is the sum of its streets.
      const d = await t.call('GET', '/api/v1/assessment/rankings?kind=district&month=2026-09', { token: leader });
      assert.equal(d.body.rows.length, 16);
      const cyRow = d.body.rows.find((x: { code: string }) => x.code === '110105');
      const sum = cy.body.rows.reduce((a: number, x: { counts: { assessed: number } }) => a + x.counts.assessed, 0);
      assert.equal(cyRow.counts.assessed, sum);
      const dept = await t.call('GET', '/api/v1/assessment/rankings?kind=department&month=2026-09', { token: leader });
      assert.equal(dept.body.units, 31);
      assert.equal((await t.call('GET', '/api/v1/assessment/rankings?kind=galaxy', { token: leader })).status, 400);
    });

    it('exports the ranking as xlsx and CSV that read back, named in Chinese per RFC 5987', async () => {
      const x = await t.app.inject({ method: 'GET', url: '/api/v1/assessment/rankings/export?kind=street&month=2026-09&format=xlsx', headers: { authorization: `Bearer ${leader}` } });
      assert.equal(x.statusCode, 200, x.body);
      assert.equal(x.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const cd = String(x.headers['content-disposition']);
      assert.match(cd, /^attachment; filename="ranking-street-2026-09\.xlsx"; filename\*=UTF-8''/);
      assert.equal(decodeURIComponent(cd.split("UTF-8''")[1] ?? ''), '2026年9月街道（乡镇）三率考核排名.xlsx');
      assert.ok(!/[()'*]/.test(cd.split("UTF-8''")[1] ?? ''), 'RFC 5987 attr-chars only');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.rawPayload as unknown as Parameters<typeof wb.xlsx.load>[0]);
      const ws = wb.worksheets[0];
      assert.ok(ws);
      assert.equal(ws.getCell(1, 1).value, '2026年9月街道（乡镇）三率考核排名');
      const header = (ws.getRow(3).values as unknown[]).slice(1);
      assert.deepEqual(header.slice(0, 8), ['排名', '单位编码', '单位', '所属区', '综合得分', '响应率', '解决率', '满意率']);
      assert.equal(ws.rowCount, 3 + 343);
      const first = (ws.getRow(4).values as unknown[]).slice(1);
      assert.deepEqual(first.slice(0, 5), [1, K.id, '中关村街道', '海淀区', 100]);
      const jRow = Array.from({ length: 343 }, (_, i) => (ws.getRow(4 + i).values as unknown[]).slice(1)).find((v) => v[1] === J.id);
      assert.ok(jRow);
      assert.equal(jRow[4], 74.9);
      assert.equal(jRow[5], 7 / 9);
      assert.equal(ws.getRow(4).getCell(6).numFmt, '0.0%');

      const c = await t.app.inject({ method: 'GET', url: '/api/v1/assessment/rankings/export?kind=street&month=2026-09&format=csv', headers: { authorization: `Bearer ${leader}` } });
      assert.equal(c.statusCode, 200);
      assert.equal(c.headers['content-type'], 'text/csv; charset=utf-8');
      assert.equal(decodeURIComponent(String(c.headers['content-disposition']).split("UTF-8''")[1] ?? ''), '2026年9月街道（乡镇）三率考核排名.csv');
      const bytes = c.rawPayload;
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'BOM for Excel');
      const lines = bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
      assert.equal(lines.length, 1 + 343);
      assert.equal(lines[0]?.split(',').slice(0, 5).join(','), '排名,单位编码,单位,所属区,综合得分');
      const jLine = lines.find((l) => l.split(',')[1] === J.id)?.split(',');
      assert.deepEqual(jLine?.slice(2, 8), ['酒仙桥街道', '朝阳区', '74.90', '77.78%', '66.67%', '82.50%']);
      // A district leader exports only what they see.
      const cy = await t.app.inject({ method: 'GET', url: '/api/v1/assessment/rankings/export?kind=street&month=2026-09&format=csv', headers: { authorization: `Bearer ${leaderCy}` } });
      assert.ok(!cy.body.includes(K.id));
      assert.ok(cy.body.includes(J.id));
      const anon = await t.app.inject({ method: 'GET', url: '/api/v1/assessment/rankings/export?kind=street&month=2026-09&format=csv' });
      assert.equal(anon.statusCode, 401);
    });

    it('the policy: defaults from DOMAIN.md; an administrator changes weights (audited) and the scores follow', async () => {
      const p = await t.call('GET', '/api/v1/assessment/policy', { token: leader });
      assert.deepEqual(p.body.weights, { response: 10, resolution: 45, satisfaction: 45 });
      const next = { ...p.body, weights: { response: 30, resolution: 35, satisfaction: 35 }, basicSatisfiedCredit: 1, attentionCount: 2 };
      assert.equal((await t.call('PUT', '/api/v1/assessment/policy', { token: leader, body: next })).status, 403);
      const bad = await t.call('PUT', '/api/v1/assessment/policy', { token: admin, body: { ...next, weights: { response: 30, resolution: 35, satisfaction: 30 } } });
      assert.equal(bad.status, 400);
      assert.match(bad.body.message, /权重之和须为 100/);
      const put = await t.call('PUT', '/api/v1/assessment/policy', { token: admin, body: next });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const r = await t.call('GET', `/api/v1/assessment/rates?unit=${J.id}&month=2026-09`, { token: leader });
      assert.equal(r.body.satisfactionRate, 7 / 8);
      // 30 × 7/9 + 35 × 6/9 + 35 × 7/8 = 23.333 + 23.333 + 30.625 = 77.29
      assert.equal(r.body.score, 77.29);
      // Three ranked streets, two places for 治理类 attention: the worst two are named, never the best.
      const ranking = await t.call('GET', '/api/v1/assessment/rankings?kind=street&month=2026-09', { token: leader });
      const named = ranking.body.rows.filter((x: { attention: boolean }) => x.attention);
      assert.equal(named.length, 2);
      assert.ok(!named.some((x: { code: string }) => x.code === K.id));
      assert.ok(named.some((x: { code: string }) => x.code === J.id));
      const audit = await t.call('GET', '/api/v1/audit?action=assessment.policy.update', { token: admin });
      assert.ok(JSON.stringify(audit.body).includes('assessment.policy.update'));
      await t.call('PUT', '/api/v1/assessment/policy', { token: admin, body: p.body });
    });

    it('closing a month freezes its figures: rankings read the snapshot; later changes show live or after an audited re-close', async () => {
      t.clock.now = new Date('2026-10-06T02:00:00Z');
      assert.deepEqual(await closeAssessmentMonths({ db: t.store.db, now: new Date('2026-10-04T00:00:00Z') }), ['2026-08'], 'September is not five days over yet');
      const closed = await closeAssessmentMonths({ db: t.store.db, now: new Date('2026-10-05T16:00:00Z') });
      assert.deepEqual(closed, ['2026-09']);
      assert.deepEqual(await closeAssessmentMonths({ db: t.store.db, now: new Date('2026-10-05T16:00:00Z') }), [], 'closed once');
      const frozen = await t.call('GET', '/api/v1/assessment/rankings?kind=street&month=2026-09', { token: leader });
      assert.equal(frozen.body.source, 'snapshot');
      const before = frozen.body.rows.find((x: { code: string }) => x.code === J.id);
      assert.equal(before.score, 74.9);
      // An exclusion after closing changes the live figures, not the published ones.
      const late = await t.call('GET', `/api/v1/assessment/orders?unit=${J.id}&month=2026-09&measure=unresolved`, { token: supervisor });
      await t.call('PUT', `/api/v1/assessment/orders/${late.body.items[0].id}/exclusion`, { token: supervisor, body: { excluded: true, reason: '恶意诉求，经核实' } });
      const still = await t.call('GET', '/api/v1/assessment/rankings?kind=street&month=2026-09', { token: leader });
      assert.equal(still.body.rows.find((x: { code: string }) => x.code === J.id).score, 74.9);
      const live = await t.call('GET', '/api/v1/assessment/rankings?kind=street&month=2026-09&live=true', { token: leader });
      assert.equal(live.body.source, 'live');
      assert.notEqual(live.body.rows.find((x: { code: string }) => x.code === J.id).score, 74.9);
      const rates = await t.call('GET', `/api/v1/assessment/rates?unit=${J.id}&month=2026-09`, { token: leader });
      assert.equal(rates.body.source, 'snapshot');
      assert.equal((await t.call('POST', '/api/v1/assessment/months/2026-09/close', { token: leader })).status, 403);
      assert.equal((await t.call('POST', '/api/v1/assessment/months/2026-10/close', { token: admin })).status, 409, 'October has not ended');
      const re = await t.call('POST', '/api/v1/assessment/months/2026-09/close', { token: admin });
      assert.equal(re.status, 200, JSON.stringify(re.body));
      const after = await t.call('GET', '/api/v1/assessment/rankings?kind=street&month=2026-09', { token: leader });
      assert.equal(after.body.rows.find((x: { code: string }) => x.code === J.id).score, live.body.rows.find((x: { code: string }) => x.code === J.id).score);
      const audit = await t.call('GET', '/api/v1/audit?action=assessment.month.close', { token: admin });
      assert.ok(JSON.stringify(audit.body).includes('2026-09'));
    });

    it('an open month is recounted by the job every few minutes; rankings read that count while it is fresh', async () => {
      // The clock is at 2026-10-06 10:00 Beijing; September and August are closed.
      await insertOrders(t, many(2, { unit: J, acceptedAt: '2026-10-02T02:00:00Z', response: 'met' }));
      assert.deepEqual(await runAssessmentJob({ db: t.store.db, now: t.clock.now }), { closed: [], refreshed: ['2026-10'] });
      const prov = await t.call('GET', '/api/v1/assessment/rankings?kind=street&month=2026-10', { token: leader });
      assert.equal(prov.body.source, 'provisional');
      assert.equal(prov.body.countedAt, t.clock.now.toISOString());
      const row = () => prov.body.rows.find((x: { code: string }) => x.code === J.id);
      assert.equal(row().counts.assessed, 2);
      const sep = await t.call('GET', '/api/v1/assessment/rankings?kind=street&month=2026-09', { token: leader });
      assert.equal(sep.body.source, 'snapshot');
      assert.equal(row().previousScore, sep.body.rows.find((x: { code: string }) => x.code === J.id).score, 'September from its final snapshot');
      await insertOrders(t, [{ unit: J, acceptedAt: '2026-10-03T02:00:00Z', response: 'late' }]);
      const stale = await t.call('GET', '/api/v1/assessment/rankings?kind=street&month=2026-10', { token: leader });
      assert.equal(stale.body.rows.find((x: { code: string }) => x.code === J.id).counts.assessed, 2, 'the provisional count until the next turn');
      const live = await t.call('GET', '/api/v1/assessment/rankings?kind=street&month=2026-10&live=true', { token: leader });
      assert.equal(live.body.rows.find((x: { code: string }) => x.code === J.id).counts.assessed, 3);
      t.clock.advance(60_000);
      assert.deepEqual((await runAssessmentJob({ db: t.store.db, now: t.clock.now })).refreshed, [], 'not due again for five minutes');
      t.clock.advance(15 * 60_000);
      const old = await t.call('GET', '/api/v1/assessment/rankings?kind=street&month=2026-10', { token: leader });
      assert.equal(old.body.source, 'live', 'a count the job has not renewed in 15 minutes is not trusted');
      assert.equal(old.body.rows.find((x: { code: string }) => x.code === J.id).counts.assessed, 3);
      assert.equal((await t.call('POST', '/api/v1/assessment/months/2026-10/recount', { token: leader })).status, 403);
      assert.equal((await t.call('POST', '/api/v1/assessment/months/2026-09/recount', { token: admin })).status, 409, 'closed');
      const re = await t.call('POST', '/api/v1/assessment/months/2026-10/recount', { token: admin });
      assert.equal(re.status, 200, JSON.stringify(re.body));
      const fresh = await t.call('GET', `/api/v1/assessment/rates?unit=${J.id}&month=2026-10`, { token: leader });
      assert.equal(fresh.body.source, 'provisional');
      assert.deepEqual([fresh.body.counts.assessed, fresh.body.counts.responseMet, fresh.body.counts.responseLate], [3, 2, 1]);
    });
  });
}
