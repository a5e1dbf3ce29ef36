/**
 * 一网统管 through the API: the demo digital base, imports (all or nothing), sensor readings over HTTP judged by
 * alert models, the alarm lifecycle with history and jurisdiction, alarm → work order (once, even when clicked twice
 * at once), video events, patrol reports, the expiry sweep and alarms heard live over SSE in their own area.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { seedCityopsDemo } from '../../app/cityops/seedCityopsDemo.js';
import { sweepExpiry } from '../../app/cityops/eventSources.js';
import { dispatchAutoAlarms } from '../../app/cityops/alarmToOrder.js';
import { alarmEvents, alarms, auditLog, orders, sensorLatest, sensorReadings } from '../../store/schema/index.js';

const MIN = 60_000;
// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

for (const kind of backends) {
  describe(`一网统管 cityops (${kind})`, () => {
    let t: TestApp;
    let admin: string, wangjing: string, jiuxianqiao: string, grid: string, chengguan: string;

    before(async () => {
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720' });
      assert.equal(await seedCityopsDemo({ db: t.store.db, now: t.clock.now }), true);
      assert.equal(await seedCityopsDemo({ db: t.store.db, now: t.clock.now }), false, 'idempotent');
      [admin, wangjing, jiuxianqiao, grid, chengguan] = (await Promise.all(['admin', 'wangjing', 'jiuxianqiao', 'grid', 'chengguan'].map((u) => t.login(u)))) as [string, string, string, string, string];
    });
    after(async () => t.close());

    const sensorKey = async (id: string, body: Record<string, unknown>) => {
      const r = await t.call('POST', '/api/v1/sensors', { token: admin, body: { id, ...body } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.deviceKey as string;
    };
    const post = (id: string, key: string, body: unknown) => t.call('POST', `/api/v1/sensors/${id}/readings`, { headers: { 'x-device-key': key }, body });
    const at = (min: number) => new Date(t.clock.now.getTime() + min * MIN).toISOString();

    it('the demo base: each street sees its own grid cells and components as GeoJSON', async () => {
      const wj = await t.call('GET', '/api/v1/grids', { token: wangjing });
      assert.equal(wj.status, 200);
      assert.equal(wj.body.features.length, 6);
      assert.ok(wj.body.features.every((f: { properties: { streetCode: string; demo: boolean } }) => f.properties.streetCode === '110105026' && f.properties.demo));
      const jx = await t.call('GET', '/api/v1/grids', { token: jiuxianqiao });
      assert.equal(jx.body.features.length, 4);
      const comps = await t.call('GET', '/api/v1/components?classCode=01', { token: wangjing });
      assert.ok(comps.body.features.length > 5);
      assert.ok(comps.body.features.every((f: { properties: { classCode: string; gridCode: string | null } }) => f.properties.classCode.startsWith('01') && f.properties.gridCode));
      assert.equal((await t.call('GET', '/api/v1/grids')).status, 401);
    });

    it('imports are all or nothing, with every reject named; a good file imports and is audited', async () => {
      const bad = {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { code: 'T-G1', name: '测试网格1', communityCode: '110105026999' }, geometry: { type: 'Polygon', coordinates: [[[116.5, 40.1], [116.51, 40.1], [116.51, 40.11], [116.5, 40.1]]] } },
          { type: 'Feature', properties: { code: 'T-G2', name: '测试网格2', communityCode: '110105026034' }, geometry: { type: 'Polygon', coordinates: [[[116.5, 40.1], [116.51, 40.1], [116.51, 40.11], [116.5, 40.11]]] } },
          { type: 'Feature', properties: { code: 'T-G3', name: '', communityCode: '110105026034' }, geometry: { type: 'Point', coordinates: [116.5, 40.1] } },
        ],
      };
      const r = await t.call('POST', '/api/v1/grids/import', { token: admin, body: { content: JSON.stringify(bad) } });
      assert.equal(r.status, 400);
      assert.equal(r.body.code, 'VALIDATION_FAILED');
      assert.deepEqual(r.body.fields.map((f: { field: string }) => f.field).sort(), ['features[0].communityCode', 'features[1].geometry', 'features[2].geometry', 'features[2].name'].sort());
      assert.equal((await t.call('GET', '/api/v1/grids?community=110105026034', { token: admin })).body.features.some((f: { properties: { code: string } }) => f.properties.code.startsWith('T-')), false, 'nothing written');
      assert.equal((await t.call('POST', '/api/v1/grids/import', { token: wangjing, body: { content: '{}' } })).status, 403);

      const csv = 'code,name,community_code,coordinates\nT-G9,测试网格9,110105026034,116.50 40.10;116.51 40.10;116.51 40.11;116.50 40.11;116.50 40.10\n';
      const ok = await t.call('POST', '/api/v1/grids/import', { token: admin, body: { content: csv } });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body, { format: 'csv', total: 1, imported: 1, created: 1, updated: 0, rejects: [] });
      const unit = await t.call('GET', '/api/v1/units/T-G9', { token: admin });
      assert.equal(unit.body.level ?? unit.body.unit?.level, 'grid', 'the cell is a unit of level grid');

      const comps = 'code,class_code,class_name,name,lng,lat,state,owner_unit\nT-C1,0101,,井盖,116.505,40.105,normal,\nT-C2,0999,,x,116.505,40.105,normal,\nT-C3,0101,,y,117.9,41.9,normal,\n';
      const cr = await t.call('POST', '/api/v1/components/import', { token: admin, body: { content: comps } });
      assert.equal(cr.status, 400);
      assert.deepEqual(cr.body.fields.map((f: { field: string }) => f.field), ['line 3.classCode', 'line 4.lng']);
      const cok = await t.call('POST', '/api/v1/components/import', { token: admin, body: { content: comps.split('\n').slice(0, 2).join('\n') } });
      assert.equal(cok.status, 200, JSON.stringify(cok.body));
      const placed = await t.call('GET', '/api/v1/components?grid=T-G9', { token: admin });
      assert.deepEqual(placed.body.features.map((f: { properties: { code: string; className: string } }) => [f.properties.code, f.properties.className]), [['T-C1', '上水井盖']]);
      const audits = await t.store.db.select().from(auditLog).where(sql`${auditLog.action} IN ('grid.import', 'component.import') AND ${auditLog.actorId} IS NOT NULL`);
      assert.equal(audits.length, 2);
    });

    it('models are validated per kind and audited; readings over HTTP raise one alarm per model and sensor, repeats count', async () => {
      const badModel = await t.call('POST', '/api/v1/alert-models', { token: admin, body: { name: '坏模型', kind: 'duration', sourceType: 'sensor', params: { op: 'gt', value: 'high' }, severity: 'major' } });
      assert.equal(badModel.status, 400);
      assert.deepEqual(badModel.body.fields, [{ field: 'params.value', reason: '必须是数字' }, { field: 'params.minutes', reason: '必填' }]);
      assert.equal((await t.call('POST', '/api/v1/alert-models', { token: wangjing, body: { name: 'x', kind: 'threshold', sourceType: 'sensor', params: { op: 'gt', value: 1 }, severity: 'major' } })).status, 403);

      const key = await sensorKey('T-WL-1', { name: '测试水位计', kind: 'water_level', metrics: ['level'], gridCode: 'T-G9' });
      assert.equal((await post('T-WL-1', 'wrong', { ts: at(0), metric: 'level', value: 1 })).status, 401);
      const first = await post('T-WL-1', key, [{ ts: at(0), metric: 'level', value: 1.2 }, { ts: at(1), metric: 'level', value: 1.7 }]);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.stored, 2);
      assert.deepEqual(first.body.alarms.map((a: { raised: boolean; count: number }) => [a.raised, a.count]), [[true, 1]], 'the demo model 雨水井水位超限 (> 1.5) fires');
      const again = await post('T-WL-1', key, [{ ts: at(1), metric: 'level', value: 1.7 }, { ts: at(2), metric: 'level', value: 1.9 }]);
      assert.equal(again.body.duplicates, 1, 'the same reading twice is stored once');
      assert.deepEqual(again.body.alarms.map((a: { raised: boolean; count: number }) => [a.raised, a.count]), [[false, 2]], 'a repeat updates the open alarm');
      const [latest] = await t.store.db.select().from(sensorLatest).where(eq(sensorLatest.sensorId, 'T-WL-1'));
      assert.deepEqual([latest?.value, Number(latest?.readings)], [1.9, 3]);
      assert.equal((await t.store.db.select().from(sensorReadings).where(eq(sensorReadings.sensorId, 'T-WL-1'))).length, 3);
      assert.equal((await post('T-WL-1', key, { ts: 'yesterday', metric: 'level', value: 1 })).status, 400);
    });

    it('alarm lifecycle: acknowledge → assign → comment → clear with history; another street sees nothing; stale version 409', async () => {
      const list = await t.call('GET', '/api/v1/alarms?state=active', { token: admin });
      const alarm = list.body.items.find((a: { sourceKey: string }) => a.sourceKey === 'sensor:T-WL-1');
      assert.ok(alarm);
      assert.equal(alarm.severityLabel, '重要');
      assert.match(alarm.no, /^AL20260929\d{7}$/);
      // T-G9 lies in 望京 (community 110105026034): 望京 sees it, 酒仙桥 does not.
      assert.equal((await t.call('GET', `/api/v1/alarms/${alarm.id}`, { token: jiuxianqiao })).status, 404);
      assert.equal((await t.call('GET', '/api/v1/alarms', { token: jiuxianqiao })).body.items.some((a: { id: string }) => a.id === alarm.id), false);
      const ack = await t.call('POST', `/api/v1/alarms/${alarm.id}/acknowledge`, { token: wangjing, body: { version: alarm.version } });
      assert.equal(ack.status, 200, JSON.stringify(ack.body));
      assert.equal(ack.body.state, 'acknowledged');
      assert.equal((await t.call('POST', `/api/v1/alarms/${alarm.id}/acknowledge`, { token: wangjing, body: { version: alarm.version } })).status, 409, 'stale version');
      assert.equal((await t.call('POST', `/api/v1/alarms/${alarm.id}/acknowledge`, { token: wangjing })).status, 409, 'already acknowledged');
      const assigned = await t.call('POST', `/api/v1/alarms/${alarm.id}/assign`, { token: wangjing, body: { unitCode: '110105-CGZF', note: '请城管执法局处置' } });
      assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
      assert.equal(assigned.body.assignee.name, '朝阳区城市管理综合行政执法局');
      // The assigned department now sees it and may comment, but not re-assign.
      const seen = await t.call('GET', `/api/v1/alarms/${alarm.id}`, { token: chengguan });
      assert.equal(seen.status, 200);
      assert.deepEqual(seen.body.allowedActions, ['comment', 'clear', 'to_order']);
      assert.equal((await t.call('POST', `/api/v1/alarms/${alarm.id}/comments`, { token: chengguan, body: { text: '已派人疏通' } })).status, 200);
      assert.equal((await t.call('POST', `/api/v1/alarms/${alarm.id}/clear`, { token: grid, body: { reason: '' } })).status, 400);
      const cleared = await t.call('POST', `/api/v1/alarms/${alarm.id}/clear`, { token: grid, body: { reason: '现场核实水位已回落' } });
      assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
      assert.deepEqual(cleared.body.history.map((h: { type: string }) => h.type), ['raised', 'repeated', 'acknowledged', 'assigned', 'commented', 'cleared']);
      assert.deepEqual(cleared.body.allowedActions, []);
      // After clearing, the next high reading opens a new alarm.
      const key2 = await sensorKey('T-WL-2', { name: '测试水位计2', kind: 'water_level', metrics: ['level'], gridCode: 'T-G9' });
      const r = await post('T-WL-2', key2, { ts: at(3), metric: 'level', value: 2 });
      assert.equal(r.body.alarms[0].raised, true);
    });

    it('an alarm becomes a real work order in one click, once; auto-dispatch models do it themselves', async () => {
      const key = await sensorKey('T-WL-3', { name: '测试水位计3', kind: 'water_level', metrics: ['level'], gridCode: 'T-G9' });
      const raised = await post('T-WL-3', key, { ts: at(0), metric: 'level', value: 2.5 });
      const alarmId = raised.body.alarms[0].id as string;
      const made = await t.call('POST', `/api/v1/alarms/${alarmId}/to-order`, { token: wangjing, body: { note: '请尽快处置' } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.match(made.body.order.no, /^GD/);
      assert.equal(made.body.alarm.order.id, made.body.order.id);
      assert.equal(made.body.alarm.state, 'acknowledged');
      const [order] = await t.store.db.select().from(orders).where(eq(orders.id, made.body.order.id));
      assert.equal(order?.state, 'dispatched');
      assert.equal(order?.leadUnitId, '110105026');
      assert.equal(order?.channel, 'sensor');
      assert.match(order?.body ?? '', /告警 AL\d+/);
      const seen = await t.call('GET', `/api/v1/orders/${made.body.order.id}`, { token: wangjing });
      assert.equal(seen.status, 200, 'the order follows the usual lifecycle and jurisdiction');
      assert.equal((await t.call('POST', `/api/v1/alarms/${alarmId}/to-order`, { token: wangjing })).status, 409);
      assert.equal((await t.call('POST', `/api/v1/alarms/${alarmId}/to-order`, { token: grid })).status, 403);

      // 井盖持续倾斜 (duration > 15° for 5 minutes, auto-dispatch): the order appears without a click.
      const tilt = await sensorKey('T-MH-1', { name: '测试井盖', kind: 'manhole_tilt', metrics: ['tilt'], gridCode: 'T-G9' });
      const early = await post('T-MH-1', tilt, [{ ts: at(0), metric: 'tilt', value: 20 }, { ts: at(3), metric: 'tilt', value: 22 }]);
      assert.deepEqual(early.body.alarms, [], 'not yet five minutes');
      const late = await post('T-MH-1', tilt, { ts: at(5), metric: 'tilt', value: 25 });
      assert.equal(late.body.alarms.length, 1);
      const [a] = await t.store.db.select().from(alarms).where(eq(alarms.id, late.body.alarms[0].id));
      assert.ok(a?.orderId, 'auto-dispatched');
      assert.equal(a?.severity, 'critical');
      const [o] = await t.store.db.select().from(orders).where(eq(orders.id, a?.orderId ?? ''));
      assert.equal(o?.urgency, 'emergency');
      assert.match(o?.body ?? '', /^【自动立案】/);
      assert.deepEqual((await dispatchAutoAlarms({ db: t.store.db, now: t.clock.now })).ordered, 0, 'the sweep finds nothing left to do');
    });

    it('video events with a snapshot and patrol reports go through the same models', async () => {
      const cam = await sensorKey('T-CAM-1', { name: '测试摄像头', kind: 'camera', gridCode: 'T-G9' });
      const low = await t.call('POST', '/api/v1/video-events', { headers: { 'x-device-key': cam }, body: { cameraId: 'T-CAM-1', kind: 'illegal_parking', confidence: 0.5, at: at(0) } });
      assert.equal(low.status, 201, JSON.stringify(low.body));
      assert.deepEqual(low.body.alarms, [], 'below the model’s confidence');
      const ev = await t.call('POST', '/api/v1/video-events', { headers: { 'x-device-key': cam }, body: { cameraId: 'T-CAM-1', kind: 'illegal_parking', confidence: 0.93, at: at(1), snapshotBase64: PNG.toString('base64') } });
      assert.equal(ev.status, 201, JSON.stringify(ev.body));
      assert.equal(ev.body.alarms.length, 1);
      const snap = await t.app.inject({ method: 'GET', url: ev.body.snapshotUrl, headers: { authorization: `Bearer ${wangjing}` } });
      assert.equal(snap.statusCode, 200);
      assert.equal(snap.headers['content-type'], 'image/png');
      assert.equal((await t.app.inject({ method: 'GET', url: ev.body.snapshotUrl, headers: { authorization: `Bearer ${jiuxianqiao}` } })).statusCode, 404);
      assert.equal((await t.call('POST', '/api/v1/video-events', { headers: { 'x-device-key': cam }, body: { cameraId: 'T-CAM-1', kind: 'ufo', at: at(1) } })).status, 400);

      const patrol = await t.call('POST', '/api/v1/patrol-reports', { token: grid, body: { kind: 'facility_damage', description: '井盖破损，有行人绊倒风险', gridCode: 'T-G9', componentCode: 'T-C1' } });
      assert.equal(patrol.status, 201, JSON.stringify(patrol.body));
      assert.equal(patrol.body.alarms.length, 1);
      assert.equal(patrol.body.report.alarm.id, patrol.body.alarms[0].id);
      const outside = await t.call('POST', '/api/v1/patrol-reports', { token: grid, body: { kind: 'garbage', description: '别的街道', lng: 116.5, lat: 39.975 } });
      assert.equal(outside.status, 403, JSON.stringify(outside.body));
      const mine = await t.call('GET', '/api/v1/patrol-reports?mine=true', { token: grid });
      assert.equal(mine.body.items.length, 1);
    });

    it('expiry: health certificates expiring within the model’s days raise alarms once a day', async () => {
      const up = await t.call('PUT', '/api/v1/external-tables/health_certificates/rows', { token: admin, body: { rows: [{ key: 'T-HC-1', subject: '赵*', holder: '测试餐馆', expiresAt: at(5 * 24 * 60), gridCode: 'T-G9' }] } });
      assert.equal(up.status, 200, JSON.stringify(up.body));
      assert.deepEqual(up.body, { table: 'health_certificates', created: 1, updated: 0 });
      const first = await sweepExpiry({ db: t.store.db, now: t.clock.now });
      assert.equal(first.alarms, 3, 'two demo certificates (expired, 12 days) and this one; the 200-day one not');
      assert.equal((await sweepExpiry({ db: t.store.db, now: new Date(t.clock.now.getTime() + 60 * MIN) })).alarms, 0, 'not again within a day');
      const all = await t.call('GET', '/api/v1/alarms?sourceType=external', { token: wangjing });
      assert.ok(all.body.items.some((a: { message: string }) => /测试餐馆 赵\* 将于 5 天内到期/.test(a.message)), JSON.stringify(all.body.items.map((a: { message: string }) => a.message)));
      const events = await t.store.db.select().from(alarmEvents).where(eq(alarmEvents.type, 'raised'));
      assert.ok(events.length >= 3);
    });

    it('two people clicking 转工单 at once make one order; the second hears 409 naming it', async () => {
      const key = await sensorKey('T-WL-8', { name: '测试水位计8', kind: 'water_level', metrics: ['level'], gridCode: 'T-G9' });
      const raised = await post('T-WL-8', key, { ts: at(0), metric: 'level', value: 2.5 });
      const alarmId = raised.body.alarms[0].id as string;
      const clicks = await Promise.all([wangjing, admin, wangjing].map((token) => t.call('POST', `/api/v1/alarms/${alarmId}/to-order`, { token, body: {} })));
      const made = clicks.filter((c) => c.status === 201);
      assert.equal(made.length, 1, JSON.stringify(clicks.map((c) => [c.status, c.body])));
      const no = made[0]?.body.order.no as string;
      for (const c of clicks.filter((x) => x.status !== 201)) {
        assert.equal(c.status, 409, JSON.stringify(c.body));
        assert.ok(String(c.body.message).includes(no), 'the refusal names the order already made');
      }
      const [a] = await t.store.db.select().from(alarms).where(eq(alarms.id, alarmId));
      const alarmNo = a?.no ?? '-';
      const made2 = await t.store.db.select({ id: orders.id }).from(orders).where(sql`${orders.body} LIKE ${`%告警 ${alarmNo}%`}`);
      assert.deepEqual(made2.map((o) => o.id), [made[0]?.body.order.id], 'one order for the alarm');
      assert.equal(a?.orderId, made[0]?.body.order.id);
      const ordered = await t.store.db.select().from(alarmEvents).where(sql`${alarmEvents.alarmId} = ${alarmId} AND ${alarmEvents.type} = 'ordered'`);
      assert.equal(ordered.length, 1);
    });

    it('a street’s command screen hears its alarms live (SSE): raised and ordered; another street hears nothing', async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (t.app.server.address() as AddressInfo).port;
      const open = (token: string) => {
        const chunks: string[] = [];
        const req = http.get(`http://127.0.0.1:${port}/api/v1/events/stream?token=${token}`, (res) => res.on('data', (c: Buffer) => chunks.push(c.toString())));
        return { chunks, close: () => req.destroy() };
      };
      const mine = open(wangjing);
      const other = open(jiuxianqiao);
      const city = open(admin);
      await new Promise((r) => setTimeout(r, 300));
      const key = await sensorKey('T-WL-7', { name: '测试水位计7', kind: 'water_level', metrics: ['level'], gridCode: 'T-G9' });
      const raised = await post('T-WL-7', key, { ts: at(0), metric: 'level', value: 2.5 });
      const alarmId = raised.body.alarms[0].id as string;
      const until = async (sub: { chunks: string[] }, text: string) => {
        const deadline = Date.now() + 5000;
        while (!sub.chunks.join('').includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      };
      await until(mine, alarmId);
      assert.match(mine.chunks.join(''), new RegExp(`event: alarm\ndata: \\{"alarmId":"${alarmId}"[^\n]*"change":"raised"`));
      assert.equal((await post('T-WL-7', key, { ts: at(1), metric: 'level', value: 2.6 })).body.alarms[0].raised, false);
      assert.equal((await t.call('POST', `/api/v1/alarms/${alarmId}/to-order`, { token: wangjing, body: {} })).status, 201);
      await until(mine, '"change":"ordered"');
      await until(city, '"change":"ordered"');
      mine.close();
      other.close();
      city.close();
      const heard = mine.chunks.join('').split('\n').filter((l) => l.includes(alarmId));
      assert.deepEqual(heard.map((l) => /"change":"(\w+)"/.exec(l)?.[1]), ['raised', 'ordered'], 'a repeat is not announced');
      assert.ok(city.chunks.join('').includes(alarmId), 'the city hears every area');
      assert.ok(!other.chunks.join('').includes(alarmId), 'another street hears nothing of it');
    });
  });
}
