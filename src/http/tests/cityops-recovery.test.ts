/**
 * 自动解除 through the API: journey 9 (water in the underpass: above 20 cm for 5 minutes → major alarm → work order
 * to the drainage company; the level falls below 15 cm for 5 minutes → the alarm clears by itself, its history says
 * so, the order records it, the screens hear it), journey 10 (a renewed health certificate clears at the next
 * sweep), bad recovery parameters named, a manual clear as before, a reading delivered twice clearing once, and
 * the silence sweep for event models.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { seedCityopsDemo } from '../../app/cityops/seedCityopsDemo.js';
import { sweepExpiry } from '../../app/cityops/eventSources.js';
import { sweepSilentAlarms } from '../../app/cityops/autoClearAlarms.js';
import { alarmEvents, alarms, auditLog, orderEvents } from '../../store/schema/index.js';

const MIN = 60_000;
const GRID = '110105026034-G01'; // a demo grid cell of 望京街道

type History = { type: string; fromState: string | null; toState: string | null; actor: { id: string | null; name: string | null }; data: Record<string, unknown> };
type OrderHistory = { type: string; from: string | null; to: string | null; actor: { name: string | null; role: string | null }; data: Record<string, unknown> };

for (const kind of backends) {
  describe(`一网统管 automatic clear (${kind})`, () => {
    let t: TestApp;
    let admin: string, dispatcher: string, wangjing: string;
    let port = 0;

    before(async () => {
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720' });
      await seedCityopsDemo({ db: t.store.db, now: t.clock.now });
      [admin, dispatcher, wangjing] = (await Promise.all(['admin', 'dispatcher', 'wangjing'].map((u) => t.login(u)))) as [string, string, string];
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      port = (t.app.server.address() as AddressInfo).port;
    });
    const streams: { close: () => void }[] = [];
    // A failed assertion must not leave a stream open: the server would wait for it forever on close.
    after(async () => {
      streams.forEach((s) => s.close());
      await t.close();
    });

    const at = (min: number) => new Date(t.clock.now.getTime() + min * MIN).toISOString();
    const sensorKey = async (id: string, body: Record<string, unknown>) => {
      const r = await t.call('POST', '/api/v1/sensors', { token: admin, body: { id, gridCode: GRID, ...body } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.deviceKey as string;
    };
    const readings = async (id: string, key: string, body: unknown) => {
      const r = await t.call('POST', `/api/v1/sensors/${id}/readings`, { headers: { 'x-device-key': key }, body });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as { stored: number; duplicates: number; alarms: { id: string; raised: boolean; count: number }[] };
    };
    const alarm = async (id: string, token = admin) => {
      const r = await t.call('GET', `/api/v1/alarms/${id}`, { token });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as { state: string; version: number; clearedAt: string | null; clearance: { auto: boolean; reason: string; by: string | null } | null; order: { id: string; no: string } | null; history: History[] };
    };
    const orderHistory = async (orderId: string) => {
      const r = await t.call('GET', `/api/v1/orders/${orderId}`, { token: admin });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as { state: string; version: number; history: OrderHistory[] };
    };
    const clearedEvents = (alarmId: string) => t.store.db.select().from(alarmEvents).where(and(eq(alarmEvents.alarmId, alarmId), eq(alarmEvents.type, 'cleared')));
    const listen = (token: string) => {
      const chunks: string[] = [];
      const req = http.get(`http://127.0.0.1:${port}/api/v1/events/stream?token=${token}`, (res) => res.on('data', (c: Buffer) => chunks.push(c.toString())));
      const stream = { chunks, close: () => req.destroy() };
      streams.push(stream);
      return stream;
    };
    const until = async (sub: { chunks: string[] }, test: (text: string) => boolean) => {
      const deadline = Date.now() + 5000;
      while (!test(sub.chunks.join('')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    };

    it('bad recovery parameters are refused naming the field; a good one is stored and audited', async () => {
      const base = { name: '测试下凹桥积水', kind: 'duration', sourceType: 'sensor', scope: { metric: 'level', sensorKind: 'underpass_water' }, params: { op: 'gt', value: 20, minutes: 5 }, severity: 'major' };
      const above = await t.call('POST', '/api/v1/alert-models', { token: admin, body: { ...base, recovery: { minutes: 5, value: 25 } } });
      assert.equal(above.status, 400);
      assert.deepEqual(above.body.fields, [{ field: 'recovery.value', reason: '须不高于告警值 20（高于告警值告警，低于恢复值解除）' }]);
      const both = await t.call('POST', '/api/v1/alert-models', { token: admin, body: { ...base, params: { op: 'gt', minutes: 5 }, recovery: { minutes: -1 } } });
      assert.equal(both.status, 400);
      assert.deepEqual(both.body.fields.map((f: { field: string }) => f.field), ['params.value', 'recovery.minutes'], 'the rule’s and the recovery’s problems together');
      const event = await t.call('POST', '/api/v1/alert-models', { token: admin, body: { name: 'x', kind: 'event', sourceType: 'video', scope: { eventKind: 'street_vending' }, params: {}, recovery: { minutes: 0 }, severity: 'minor' } });
      assert.deepEqual(event.body.fields, [{ field: 'recovery.minutes', reason: '不能小于 1' }]);
      const notObject = await t.call('POST', '/api/v1/alert-models', { token: admin, body: { ...base, recovery: 'soon' } });
      assert.equal(notObject.status, 400);
      assert.match(JSON.stringify(notObject.body.fields), /recovery/);

      const made = await t.call('POST', '/api/v1/alert-models', { token: admin, body: { ...base, recovery: { minutes: 5, value: 15 } } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.deepEqual([made.body.recovery, made.body.recoveryMode], [{ minutes: 5, value: 15 }, 'reading']);
      // Switched to manual clearing and back: each change audited with before and after.
      const off = await t.call('PUT', `/api/v1/alert-models/${made.body.id}`, { token: admin, body: { ...base, recovery: null, version: made.body.version } });
      assert.equal(off.status, 200, JSON.stringify(off.body));
      assert.equal(off.body.recovery, null);
      const on = await t.call('PUT', `/api/v1/alert-models/${made.body.id}`, { token: admin, body: { ...base, recovery: { minutes: 5, value: 15 }, version: off.body.version } });
      assert.deepEqual(on.body.recovery, { minutes: 5, value: 15 });
      const audits = await t.store.db.select().from(auditLog).where(and(eq(auditLog.action, 'alert_model.update'), eq(auditLog.targetId, made.body.id)));
      const detail = audits.map((a) => a.detail as { before: { recovery: unknown }; after: { recovery: unknown } });
      assert.deepEqual(detail.map((d) => [d.before.recovery, d.after.recovery]), [[{ minutes: 5, value: 15 }, null], [null, { minutes: 5, value: 15 }]]);
      const models = await t.call('GET', '/api/v1/alert-models', { token: wangjing });
      const demo = models.body.items.find((m: { name: string }) => m.name === '雨水井水位超限');
      assert.deepEqual(demo.recovery, { minutes: 5, value: 1.2 }, 'the demo water-level model clears by itself');
    });

    it('journey 9: above 20 cm for 5 minutes → major alarm → order to the drainage company; below 15 cm for 5 minutes → cleared by itself, recorded on the order, heard live', async () => {
      const key = await sensorKey('T-UP-1', { name: '测试：望京桥下凹桥区水位计', kind: 'underpass_water', metrics: ['level'] });
      const screen = listen(wangjing); // the street's command screen
      const centre = listen(dispatcher); // the city's, which also hears the drainage company's order
      await new Promise((r) => setTimeout(r, 300));

      assert.deepEqual((await readings('T-UP-1', key, [{ ts: at(0), metric: 'level', value: 24 }, { ts: at(3), metric: 'level', value: 26 }])).alarms, [], 'not yet five minutes');
      const raised = await readings('T-UP-1', key, { ts: at(5), metric: 'level', value: 27 });
      assert.equal(raised.alarms.length, 1);
      const alarmId = raised.alarms[0]?.id ?? '';
      const made = await t.call('POST', `/api/v1/alarms/${alarmId}/to-order`, { token: dispatcher, body: { leadUnitCode: '110000-PS', categoryCode: 'GY.05.01', note: '下凹桥区积水，请排水集团抽排' } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const orderId = made.body.order.id as string;
      assert.equal(made.body.alarm.severity, 'major');

      // The level falls: 14 and 12 cm, but not yet five minutes below 15; a 17 would restart the count.
      await readings('T-UP-1', key, [{ ts: at(6), metric: 'level', value: 14 }, { ts: at(8), metric: 'level', value: 12 }]);
      assert.equal((await alarm(alarmId)).state, 'acknowledged', 'still open after three minutes');
      const before = await orderHistory(orderId);
      const orderLines = () => centre.chunks.join('').split('\n').filter((l) => l.includes(`"orderId":"${orderId}"`)).length;
      await until(centre, () => orderLines() > 0);
      const orderLinesBefore = orderLines();
      await readings('T-UP-1', key, { ts: at(11), metric: 'level', value: 12 });

      const cleared = await alarm(alarmId, wangjing);
      assert.equal(cleared.state, 'cleared');
      assert.ok(cleared.clearedAt);
      assert.equal(cleared.version, made.body.alarm.version + 1);
      const last = cleared.history[cleared.history.length - 1];
      assert.deepEqual([last?.type, last?.fromState, last?.toState, last?.actor], ['cleared', 'acknowledged', 'cleared', { id: null, name: '系统' }]);
      assert.equal(last?.data.auto, true);
      assert.equal(last?.data.reason, 'level 回落至 12（< 15），持续 5 分钟');
      assert.deepEqual(cleared.clearance, { auto: true, reason: 'level 回落至 12（< 15），持续 5 分钟', at: cleared.clearedAt, by: '系统' });
      const feed = await t.call('GET', '/api/v1/alarms?state=cleared', { token: wangjing });
      assert.deepEqual(feed.body.items.find((x: { id: string }) => x.id === alarmId)?.clearance?.auto, true, 'the list says 自动解除 too (the command screen’s feed)');

      const after = await orderHistory(orderId);
      const recorded = after.history.filter((h) => h.type === 'alarm_cleared');
      assert.equal(recorded.length, 1, JSON.stringify(after.history.map((h) => h.type)));
      assert.deepEqual([recorded[0]?.from, recorded[0]?.to, recorded[0]?.actor.name, recorded[0]?.actor.role], [before.state, before.state, '系统', 'system'], 'a history row: the order’s state stays');
      assert.deepEqual(recorded[0]?.data, { auto: true, alarmId, alarmNo: made.body.alarm.no, reason: 'level 回落至 12（< 15），持续 5 分钟' });
      assert.equal(after.state, before.state);
      assert.equal(after.version, before.version, 'no step on the order: a handler’s open form is not made stale');

      await until(screen, (s) => s.includes('"change":"cleared"'));
      await until(centre, () => orderLines() > orderLinesBefore);
      screen.close();
      centre.close();
      const heard = screen.chunks.join('').split('\n').filter((l) => l.includes(alarmId));
      assert.deepEqual(heard.map((l) => /"change":"(\w+)"/.exec(l)?.[1]), ['raised', 'ordered', 'cleared'], 'the street’s screen heard the alarm clear');
      assert.ok(orderLines() > orderLinesBefore, 'the centre heard the order change, so an open order drawer reloads');

      // The same reading delivered twice (QoS 1 after a restart) does not clear twice.
      const again = await readings('T-UP-1', key, [{ ts: at(11), metric: 'level', value: 12 }, { ts: at(12), metric: 'level', value: 11 }]);
      assert.equal(again.duplicates, 1);
      assert.equal((await clearedEvents(alarmId)).length, 1);
      assert.equal((await t.store.db.select().from(orderEvents).where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'alarm_cleared')))).length, 1);

      // The next flood opens a new alarm (one open alarm per model and source, and this one is cleared).
      await readings('T-UP-1', key, [{ ts: at(13), metric: 'level', value: 30 }]);
      const next = await readings('T-UP-1', key, [{ ts: at(18), metric: 'level', value: 31 }]);
      assert.equal(next.alarms.length, 1);
      assert.notEqual(next.alarms[0]?.id, alarmId);
      assert.equal(next.alarms[0]?.raised, true);
    });

    it('a flood that rises and falls within one batch opens and clears its alarm in order', async () => {
      const key = await sensorKey('T-UP-2', { name: '测试：下凹桥区水位计2', kind: 'underpass_water', metrics: ['level'] });
      const batch = [0, 5, 6].map((m) => ({ ts: at(m), metric: 'level', value: 25 })).concat([6.5, 11.5].map((m) => ({ ts: at(m), metric: 'level', value: 10 })), [{ ts: at(20), metric: 'level', value: 40 }, { ts: at(25), metric: 'level', value: 40 }]);
      const r = await readings('T-UP-2', key, batch);
      assert.equal(r.alarms.length, 2, 'the first episode’s alarm, then a new one');
      const [first, second] = [await alarm(r.alarms[0]?.id ?? ''), await alarm(r.alarms[1]?.id ?? '')];
      assert.deepEqual(first.history.map((h) => h.type), ['raised', 'cleared']);
      assert.equal(second.state, 'open');
    });

    it('a manual clear still works, and the order records who cleared it; later readings do not clear it again', async () => {
      const key = await sensorKey('T-WL-R', { name: '测试雨水井', kind: 'water_level', metrics: ['level'] });
      const raised = await readings('T-WL-R', key, { ts: at(0), metric: 'level', value: 1.8 });
      const alarmId = raised.alarms[0]?.id ?? '';
      const made = await t.call('POST', `/api/v1/alarms/${alarmId}/to-order`, { token: wangjing, body: {} });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const cleared = await t.call('POST', `/api/v1/alarms/${alarmId}/clear`, { token: wangjing, body: { reason: '现场核实已疏通' } });
      assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
      const last = cleared.body.history[cleared.body.history.length - 1] as History;
      assert.deepEqual([last.type, last.actor.name, last.data], ['cleared', '刘洋', { reason: '现场核实已疏通' }]);
      assert.deepEqual([cleared.body.clearance.auto, cleared.body.clearance.by], [false, '刘洋']);
      const h = (await orderHistory(made.body.order.id)).history.filter((e) => e.type === 'alarm_cleared');
      assert.deepEqual(h.map((e) => [e.actor.name, e.data.auto, e.data.reason]), [['刘洋', false, '现场核实已疏通']]);
      // The level then falls for five minutes (below 1.2 m): the recovery finds nothing open.
      await readings('T-WL-R', key, [{ ts: at(1), metric: 'level', value: 1 }, { ts: at(7), metric: 'level', value: 1 }]);
      assert.equal((await clearedEvents(alarmId)).length, 1);
      assert.equal((await t.call('POST', `/api/v1/alarms/${alarmId}/clear`, { token: wangjing, body: { reason: '再次' } })).status, 409);
    });

    it('journey 10: an expiring health certificate raises at the sweep; renewed, it clears at the next sweep and its order records it', async () => {
      const row = (days: number) => ({ key: 'T-HC-R1', subject: '钱*', holder: '测试·望京面馆', expiresAt: at(days * 24 * 60), gridCode: GRID });
      assert.equal((await t.call('PUT', '/api/v1/external-tables/health_certificates/rows', { token: admin, body: { rows: [row(10)] } })).status, 200);
      const first = await sweepExpiry({ db: t.store.db, now: t.clock.now });
      assert.ok(first.alarms >= 1);
      assert.equal(first.cleared, 0);
      const list = await t.call('GET', '/api/v1/alarms?sourceType=external&state=active', { token: wangjing });
      const a = list.body.items.find((x: { sourceKey: string }) => x.sourceKey === 'external:health_certificates:T-HC-R1');
      assert.ok(a, JSON.stringify(list.body.items.map((x: { sourceKey: string }) => x.sourceKey)));
      const others = list.body.items.filter((x: { id: string }) => x.id !== a.id).map((x: { id: string }) => x.id) as string[];
      const made = await t.call('POST', `/api/v1/alarms/${a.id}/to-order`, { token: dispatcher, body: { leadUnitCode: '110105-SCJG', note: '请督促续办健康证' } });
      assert.equal(made.status, 201, JSON.stringify(made.body));

      const renewed = await t.call('PUT', '/api/v1/external-tables/health_certificates/rows', { token: admin, body: { rows: [row(365)] } });
      assert.deepEqual(renewed.body, { table: 'health_certificates', created: 0, updated: 1 });
      const second = await sweepExpiry({ db: t.store.db, now: new Date(t.clock.now.getTime() + 5 * MIN) });
      assert.equal(second.cleared, 1, 'only the renewed one');
      const cleared = await alarm(a.id);
      assert.equal(cleared.state, 'cleared');
      const last = cleared.history[cleared.history.length - 1];
      assert.equal(last?.data.auto, true);
      assert.match(String(last?.data.reason), /^测试·望京面馆 钱\* 已续期至 \d{4}-\d{2}-\d{2}（超出 30 天提醒期）$/);
      assert.ok((await orderHistory(made.body.order.id)).history.some((e) => e.type === 'alarm_cleared' && e.data.auto === true));
      for (const id of others) assert.notEqual((await alarm(id)).state, 'cleared', 'certificates still expiring stay open');
      assert.equal((await sweepExpiry({ db: t.store.db, now: new Date(t.clock.now.getTime() + 10 * MIN) })).cleared, 0, 'nothing to clear twice');
      // Expiring again later: a new alarm opens.
      await t.call('PUT', '/api/v1/external-tables/health_certificates/rows', { token: admin, body: { rows: [row(3)] } });
      assert.ok((await sweepExpiry({ db: t.store.db, now: new Date(t.clock.now.getTime() + 15 * MIN) })).alarms >= 1);
      const reopened = await t.store.db.select({ id: alarms.id }).from(alarms).where(and(eq(alarms.sourceKey, 'external:health_certificates:T-HC-R1'), sql`${alarms.state} <> 'cleared'`));
      assert.equal(reopened.length, 1);
    });

    it('event models recover by silence: the sweep clears an alarm not seen for N minutes, once, even when two sweeps run at once', async () => {
      const m = await t.call('POST', '/api/v1/alert-models', { token: admin, body: { name: '测试占道经营', kind: 'event', sourceType: 'video', scope: { eventKind: 'street_vending' }, params: {}, recovery: { minutes: 30 }, severity: 'minor' } });
      assert.equal(m.status, 201, JSON.stringify(m.body));
      assert.equal(m.body.recoveryMode, 'silence');
      const cam = await sensorKey('T-CAM-R', { name: '测试摄像头', kind: 'camera' });
      const post = (min: number) => t.call('POST', '/api/v1/video-events', { headers: { 'x-device-key': cam }, body: { cameraId: 'T-CAM-R', kind: 'street_vending', confidence: 0.9, at: at(min) } });
      const ev = await post(0);
      assert.equal(ev.status, 201, JSON.stringify(ev.body));
      const alarmId = ev.body.alarms[0].id as string;
      assert.equal((await post(20)).body.alarms[0].id, alarmId, 'seen again at 20');
      assert.equal((await sweepSilentAlarms({ db: t.store.db, now: new Date(t.clock.now.getTime() + 45 * MIN) })).cleared, 0, 'only 25 minutes since it was last seen');
      const later = new Date(t.clock.now.getTime() + 51 * MIN);
      const both = await Promise.all([sweepSilentAlarms({ db: t.store.db, now: later }), sweepSilentAlarms({ db: t.store.db, now: later })]);
      assert.equal(both[0].cleared + both[1].cleared, 1);
      const cleared = await alarm(alarmId);
      assert.equal(cleared.state, 'cleared');
      assert.deepEqual(cleared.history[cleared.history.length - 1]?.data.reason, '已 31 分钟未再触发（解除条件：30 分钟无触发）');
      assert.equal((await post(60)).body.alarms[0].raised, true, 'a new alarm opens after the silence');
    });
  });
}
