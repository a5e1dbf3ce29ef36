import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { sweepDeadlines } from '../../app/deadlines/sweepDeadlines.js';
import { deliverOutbox } from '../../app/outbox/deliverOutbox.js';
import { queryRows } from '../../store/db.js';
import { sql } from 'drizzle-orm';

const MIN = 60_000;

for (const kind of backends) {
  describe(`deadline sweep, notifications and live updates (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      // Fri 2026-10-02 02:00 Beijing, in the National Day holiday.
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720' }, new Date('2026-10-01T18:00:00Z'));
    });
    after(async () => t.close());

    it('journey 5: gas at 02:00 — warned at 1 hour, overdue and escalated to the district at 2 hours', async () => {
      const agent = await t.login('agent');
      const street = (await t.call('GET', '/api/v1/units?level=street&parent=110102&limit=1')).body.items[0];
      const created = await t.call('POST', '/api/v1/requests', {
        token: agent,
        body: { type: 'help', title: '楼道燃气味', body: '楼道里有很大的煤气味', channel: 'hotline', urgency: 'emergency', districtCode: '110102', streetCode: street.code, dispatch: { leadUnitCode: '110000-RQ', coUnitCodes: [street.code] } },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const order = created.body.order;
      assert.equal(order.responseDueAt, '2026-10-01T20:00:00.000Z', 'feedback due at 04:00 the same night, holiday or not');
      assert.equal(order.signDueAt, null, 'an emergency has one duty: feedback within 2 hours');

      t.clock.advance(59 * MIN);
      assert.deepEqual(await sweepDeadlines({ db: t.store.db, now: t.clock.now }), { orders: 0, warned: 0, overdue: 0, escalated: 0 });
      t.clock.advance(MIN);
      const warned = await sweepDeadlines({ db: t.store.db, now: t.clock.now });
      assert.equal(warned.warned, 1);
      assert.equal((await sweepDeadlines({ db: t.store.db, now: t.clock.now })).warned, 0, 'a warning is given once');

      t.clock.advance(60 * MIN + 1);
      const late = await sweepDeadlines({ db: t.store.db, now: t.clock.now });
      assert.equal(late.overdue, 1);
      assert.equal(late.escalated, 1);
      const detail = await t.call('GET', `/api/v1/orders/${order.id}`, { token: agent });
      assert.equal(detail.body.overdue, true);
      const types = detail.body.history.map((h: { type: string }) => h.type);
      assert.deepEqual(types.slice(-3), ['deadline_warning', 'overdue', 'escalate']);
      assert.equal(detail.body.history.at(-1).data.toUnitId, '110102');

      const delivered = await deliverOutbox({ db: t.store.db, now: t.clock.now });
      assert.ok(delivered.sent >= 3, JSON.stringify(delivered));
      const sup = await t.call('GET', '/api/v1/notifications', { token: await t.login('supervisor') });
      assert.ok(sup.body.items.some((n: { title: string }) => n.title.includes('即将超时')));
      assert.ok(sup.body.items.some((n: { title: string }) => n.title.includes('已超时')));
      const overdueList = await t.call('GET', '/api/v1/orders?overdue=true', { token: agent });
      assert.ok(overdueList.body.items.some((x: { id: string }) => x.id === order.id));
      const read = await t.call('POST', '/api/v1/notifications/read', { token: await t.login('supervisor'), body: { ids: [sup.body.items[0].id] } });
      assert.equal(read.body.marked, 1);
    });

    it('two sweeps at once never act twice on one order', async () => {
      const agent = await t.login('agent');
      for (let i = 0; i < 5; i++) {
        await t.call('POST', '/api/v1/requests', { token: agent, body: { type: 'help', title: `停水${i}`, body: '小区停水', channel: 'hotline', urgency: 'utility', districtCode: '110105', streetCode: '110105026', dispatch: { leadUnitCode: '110000-ZLS' } } });
      }
      t.clock.advance(2 * 24 * 3600_000);
      const [a, b] = await Promise.all([sweepDeadlines({ db: t.store.db, now: t.clock.now }), sweepDeadlines({ db: t.store.db, now: t.clock.now })]);
      // Three clocks of five orders, plus the gas order's 24-hour reply clock from the journey above.
      assert.equal(a.overdue + b.overdue, 5 * 3 + 1);
      const events = await queryRows<{ n: number; d: number }>(t.store.db, sql`SELECT count(*)::int AS n, count(DISTINCT (order_id, data->>'clock'))::int AS d FROM order_events WHERE type = 'overdue'`);
      assert.equal(events[0]?.n, events[0]?.d, 'no clock was marked overdue twice');
    });

    it('a unit’s workbench learns of a new order live (SSE) and another street does not', async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (t.app.server.address() as AddressInfo).port;
      const open = (token: string) => {
        const chunks: string[] = [];
        const req = http.get(`http://127.0.0.1:${port}/api/v1/events/stream?token=${token}`, (res) => res.on('data', (c: Buffer) => chunks.push(c.toString())));
        return { chunks, close: () => req.destroy() };
      };
      const mine = open(await t.login('wangjing'));
      const other = open(await t.login('jiuxianqiao'));
      await new Promise((r) => setTimeout(r, 300));
      const agent = await t.login('agent');
      const created = await t.call('POST', '/api/v1/requests', { token: agent, body: { type: 'complaint', title: '噪音扰民', body: '望京西园夜间施工噪音', channel: 'hotline', districtCode: '110105', streetCode: '110105026', dispatch: { leadUnitCode: '110105026' } } });
      const deadline = Date.now() + 5000;
      while (!mine.chunks.join('').includes(created.body.order.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      mine.close();
      other.close();
      assert.match(mine.chunks.join(''), /event: order/);
      assert.ok(mine.chunks.join('').includes(created.body.order.id));
      assert.ok(!other.chunks.join('').includes(created.body.order.id));
    });
  });
}
