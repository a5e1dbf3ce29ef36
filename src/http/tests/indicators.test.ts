/** 指标体系 through the API: values against known orders, alarms and sensors; jurisdiction; thresholds an administrator edits. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { runIndicatorJob } from '../../app/indicators/recordIndicators.js';
import { invalidateReference } from '../../app/reference/referenceCache.js';
import { queryRows } from '../../store/db.js';

const WANGJING = '110105026';
const JIUXIANQIAO = '110105011';
const CHAOYANG = '110105';
const base = { type: 'complaint', body: '朝阳区望京西园三区楼下烧烤店油烟直排，每天开到夜里十二点', channel: 'hotline', districtCode: CHAOYANG, contact: { name: '王晓明', phone: '13912345678' } };

type Reading = { key: string; value: number | null; colour: string; breakdown: { code: string; count: number }[] | null };
type UnitRow = { unit: { code: string }; indicators: Reading[] };
const valueOf = (row: UnitRow | undefined, key: string) => row?.indicators.find((i) => i.key === key);

for (const kind of backends) {
  describe(`indicators (${kind})`, () => {
    let t: TestApp;
    let agent: string, wangjing: string, jiuxianqiao: string, leaderCy: string, leader: string, admin: string, chengguan: string;

    before(async () => {
      t = await startTestApp(kind); // Tue 2026-09-29 21:40 Shanghai
      [agent, wangjing, jiuxianqiao, leaderCy, leader, admin, chengguan] = (await Promise.all(['agent', 'wangjing', 'jiuxianqiao', 'leader_cy', 'leader', 'admin', 'chengguan'].map((u) => t.login(u)))) as [string, string, string, string, string, string, string];
      const make = async (street: string, title: string) => {
        const r = await t.call('POST', '/api/v1/requests', { token: agent, body: { ...base, title, streetCode: street, address: '朝阳区', dispatch: { leadUnitCode: street } } });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.order.id as string;
      };
      // 望京: A open and overdue; B closed, resolved and satisfied, response met; C closed, unresolved and unsatisfied, response late.
      const [a, b, c] = [await make(WANGJING, '油烟扰民A'), await make(WANGJING, '油烟扰民B'), await make(WANGJING, '油烟扰民C')];
      // 酒仙桥: D open, E followed up partly resolved and basically satisfied.
      const [, e] = [await make(JIUXIANQIAO, '噪声扰民D'), await make(JIUXIANQIAO, '噪声扰民E')];
      const db = t.store.db;
      const at = t.clock.now;
      await db.execute(sql`UPDATE orders SET overdue = true, lat = 39.996, lng = 116.47 WHERE id = ${a}`);
      await db.execute(sql`UPDATE orders SET lat = 39.99, lng = 116.47 WHERE id = ${b}`);
      await db.execute(sql`UPDATE orders SET state = 'closed', closed_at = ${at}, followed_up_at = ${at}, resolution = 'resolved', satisfaction = 'satisfied', response_met = true WHERE id = ${b}`);
      await db.execute(sql`UPDATE orders SET state = 'closed', closed_at = ${at}, followed_up_at = ${at}, resolution = 'unresolved', satisfaction = 'unsatisfied', response_met = false WHERE id = ${c}`);
      await db.execute(sql`UPDATE orders SET state = 'closed', closed_at = ${at}, followed_up_at = ${at}, resolution = 'partly', satisfaction = 'basic', response_met = true WHERE id = ${e}`);
      // An open critical alarm and a flooded-road sensor in 望京; a cleared alarm that must not count.
      const path = `/110000/${CHAOYANG}/${WANGJING}/`;
      const model = '00000000-0000-4000-8000-000000000001';
      await db.execute(sql`INSERT INTO alarms (no, model_id, source_key, source_type, severity, state, title, condition_at, raised_at, last_seen_at, unit_path, street_id, lat, lng)
        VALUES ('AL1', ${model}, 'sensor:w1', 'sensor', 'critical', 'open', '望京积水', ${at}, ${at}, ${at}, ${path}, ${WANGJING}, 39.99, 116.47),
               ('AL2', ${model}, 'sensor:w2', 'sensor', 'minor', 'cleared', '已消除', ${at}, ${at}, ${at}, ${path}, ${WANGJING}, 39.99, 116.47)`);
      await db.execute(sql`INSERT INTO sensors (id, name, kind, metrics, unit_path, street_id, created_at, updated_at) VALUES ('w1', '望京桥下水位', 'water_level', '["level"]'::jsonb, ${path}, ${WANGJING}, ${at}, ${at}), ('w2', '旧水位计', 'water_level', '["level"]'::jsonb, ${path}, ${WANGJING}, ${at}, ${at})`);
      await db.execute(sql`INSERT INTO sensor_latest (sensor_id, metric, ts, value, updated_at) VALUES ('w1', 'level', ${new Date(at.getTime() - 5 * 60_000)}, 1.8, ${at}), ('w2', 'level', ${new Date(at.getTime() - 5 * 3_600_000)}, 9, ${at})`);
    });
    after(async () => t.close());

    it('computes a street\'s indicators from its orders, alarms and sensors, coloured by the default thresholds', async () => {
      const r = await t.call('GET', '/api/v1/indicators', { token: wangjing });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.source, 'computed');
      assert.equal(r.body.area.unit.code, WANGJING);
      const w = r.body.area as UnitRow;
      assert.equal(valueOf(w, 'orders.open')?.value, 1);
      assert.deepEqual(valueOf(w, 'orders.open')?.breakdown?.map((p) => [p.code, p.count]), [['dispatched', 1]]);
      assert.equal(valueOf(w, 'orders.new_today')?.value, 3);
      assert.equal(valueOf(w, 'orders.month_by_category')?.value, 3);
      assert.equal(valueOf(w, 'orders.overdue_open')?.value, 1);
      assert.equal(valueOf(w, 'orders.overdue_open')?.colour, 'green', 'street overdue: yellow from 2');
      assert.equal(valueOf(w, 'rates.response')?.value, 0.5);
      assert.equal(valueOf(w, 'rates.resolution')?.value, 0.5);
      assert.equal(valueOf(w, 'rates.satisfaction')?.value, 0.5);
      assert.equal(valueOf(w, 'rates.satisfaction')?.colour, 'red');
      assert.equal(valueOf(w, 'alarms.open')?.value, 1, 'the cleared alarm does not count');
      assert.deepEqual(valueOf(w, 'alarms.open')?.breakdown?.map((p) => p.code), ['critical']);
      assert.equal(valueOf(w, 'sensors.water_level_max')?.value, 1.8, 'the reading older than the 60-minute window is left out');
      assert.equal(valueOf(w, 'sensors.water_level_max')?.colour, 'red');
      assert.equal(valueOf(w, 'sensors.noise_avg')?.value, null);
      assert.equal(valueOf(w, 'sensors.noise_avg')?.colour, 'none');
    });

    it('gives a district its streets, the city its districts, with the policy\'s credits in the rates; the second read is the stored one', async () => {
      const r = await t.call('GET', `/api/v1/indicators?unit=${CHAOYANG}&level=street`, { token: leaderCy });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const streets = r.body.units as UnitRow[];
      assert.equal(streets.length, 43, '朝阳区 has 43 streets/townships (with 地区)');
      const jxq = streets.find((s) => s.unit.code === JIUXIANQIAO);
      assert.equal(valueOf(jxq, 'orders.open')?.value, 1);
      assert.equal(valueOf(jxq, 'rates.resolution')?.value, 0, 'partly resolved counts 0 by default');
      assert.equal(valueOf(jxq, 'rates.satisfaction')?.value, 0.8, 'basic counts 0.8 by default');
      const quiet = streets.find((s) => s.unit.code === '110105001');
      assert.equal(valueOf(quiet, 'orders.open')?.value, 0);
      assert.equal(valueOf(quiet, 'rates.response')?.value, null);
      const cy = r.body.area as UnitRow;
      assert.equal(valueOf(cy, 'orders.open')?.value, 2);
      assert.equal(valueOf(cy, 'rates.response')?.value, 2 / 3);
      assert.equal(valueOf(cy, 'rates.satisfaction')?.value, (1 + 0.8) / 3);
      const again = await t.call('GET', `/api/v1/indicators?unit=${CHAOYANG}&level=street`, { token: leaderCy });
      assert.equal(again.body.source, 'stored');
      assert.deepEqual(again.body.units, r.body.units);
      const city = await t.call('GET', '/api/v1/indicators?level=district', { token: leader });
      assert.equal(city.status, 200);
      assert.equal(city.body.area.unit.level, 'city');
      assert.equal(city.body.units.length, 16);
      assert.equal(valueOf(city.body.area as UnitRow, 'orders.new_today')?.value, 5);
    });

    it('keeps each street to its own area: another street, the district above or a department\'s staff are refused', async () => {
      const other = await t.call('GET', `/api/v1/indicators?unit=${WANGJING}`, { token: jiuxianqiao });
      assert.equal(other.status, 403);
      assert.equal(other.body.code, 'FORBIDDEN');
      assert.match(other.body.message, /望京街道/);
      assert.equal((await t.call('GET', `/api/v1/indicators?unit=${CHAOYANG}`, { token: wangjing })).status, 403);
      assert.equal((await t.call('GET', `/api/v1/indicators/trend?key=orders.open&unit=${WANGJING}`, { token: jiuxianqiao })).status, 403);
      assert.equal((await t.call('GET', `/api/v1/command/map?unit=${WANGJING}`, { token: jiuxianqiao })).status, 403);
      assert.equal((await t.call('GET', '/api/v1/indicators', { token: chengguan })).status, 403, 'a district department has no area of its own');
      const up = await t.call('GET', `/api/v1/indicators?level=district`, { token: wangjing });
      assert.equal(up.status, 400);
      assert.equal(up.body.fields[0].field, 'level');
      assert.equal((await t.call('GET', '/api/v1/indicators?unit=NOPE', { token: leader })).status, 404);
      assert.equal((await t.call('GET', '/api/v1/indicators?level=province', { token: leader })).status, 400);
    });

    it('computes on demand and keeps a trend; the map shows the area\'s open orders and alarms', async () => {
      const c = await t.call('POST', '/api/v1/indicators/compute', { token: leaderCy, body: { levels: ['district', 'street'] } });
      assert.equal(c.status, 200, JSON.stringify(c.body));
      assert.equal(c.body.units, 44);
      assert.equal(c.body.values, 44 * 10);
      t.clock.advance(60_000);
      await t.call('POST', '/api/v1/indicators/compute', { token: leaderCy, body: { unit: WANGJING, levels: ['street'] } });
      const trend = await t.call('GET', `/api/v1/indicators/trend?key=orders.open&unit=${WANGJING}`, { token: wangjing });
      assert.equal(trend.status, 200, JSON.stringify(trend.body));
      assert.equal(trend.body.points.length, 2, "the read and the first compute share one instant; the second is a minute later");
      assert.ok(trend.body.points.every((p: { value: number }) => p.value === 1));
      const map = await t.call('GET', '/api/v1/command/map', { token: wangjing });
      assert.equal(map.status, 200, JSON.stringify(map.body));
      assert.equal(map.body.alarms.length, 1);
      assert.equal(map.body.alarms[0].severityLabel, '特别严重');
      assert.deepEqual(map.body.orders.map((o: { title: string; overdue: boolean }) => [o.title, o.overdue]), [['油烟扰民A', true]], 'open orders with coordinates only');
      const cityMap = await t.call('GET', '/api/v1/command/map', { token: leader });
      assert.equal(cityMap.body.orders.length, 1);
      assert.equal(cityMap.body.gridCells.length, 0, 'no grid polygons at city level');
      const above = await t.call('POST', '/api/v1/indicators/compute', { token: leaderCy, body: { unit: WANGJING, levels: ['district'] } });
      assert.equal(above.status, 400);
    });

    it('counts communities by where orders are located and grids by the orders dispatched to them; the schedule stores city, districts and streets', async () => {
      const db = t.store.db;
      const [community] = await queryRows<{ id: string; path: string }>(db, sql`SELECT id, path FROM units WHERE parent_id = ${WANGJING} AND level = 'community' ORDER BY id LIMIT 1`);
      assert.ok(community);
      const grid = `${community.id}-G01`;
      await db.execute(sql`INSERT INTO units (id, name, short_name, level, parent_id, path, depth) VALUES (${grid}, '测试网格1号', '网格1', 'grid', ${community.id}, ${`${community.path}${grid}/`}, 5)`);
      invalidateReference(db); // as the unit editors do after a change
      const made = await t.call('POST', '/api/v1/requests', { token: agent, body: { ...base, title: '网格内井盖缺失', streetCode: WANGJING, communityCode: community.id, address: '朝阳区', dispatch: { leadUnitCode: WANGJING } } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      await db.execute(sql`UPDATE orders SET lead_unit_id = ${grid}, lead_unit_path = ${`${community.path}${grid}/`} WHERE id = ${made.body.order.id}`);
      await db.execute(sql`INSERT INTO alarms (no, model_id, source_key, source_type, severity, state, title, condition_at, raised_at, last_seen_at, unit_path, street_id, grid_id)
        VALUES ('AL3', '00000000-0000-4000-8000-000000000002', 'patrol:x', 'patrol', 'minor', 'open', '井盖缺失', ${t.clock.now}, ${t.clock.now}, ${t.clock.now}, ${`${community.path}${grid}/`}, ${WANGJING}, ${grid})`);
      const comm = await t.call('GET', `/api/v1/indicators?level=community&fresh=true`, { token: wangjing });
      assert.equal(comm.status, 200, JSON.stringify(comm.body));
      const row = (comm.body.units as UnitRow[]).find((u) => u.unit.code === community.id);
      assert.equal(valueOf(row, 'orders.open')?.value, 1);
      assert.equal(valueOf(row, 'alarms.open')?.value, 1);
      assert.equal((comm.body.units as UnitRow[]).reduce((n, u) => n + (valueOf(u, 'orders.open')?.value ?? 0), 0), 1, 'the other open 望京 order has no community');
      const grids = await t.call('GET', `/api/v1/indicators?unit=${community.id}&level=grid`, { token: wangjing });
      assert.equal(grids.status, 200, JSON.stringify(grids.body));
      assert.deepEqual((grids.body.units as UnitRow[]).map((u) => [u.unit.code, valueOf(u, 'orders.open')?.value, valueOf(u, 'alarms.open')?.value]), [[grid, 1, 1]]);
      assert.deepEqual(grids.body.trail.map((x: { code: string }) => x.code), [WANGJING, community.id]);
      const job = await runIndicatorJob({ db, now: new Date(t.clock.now.getTime() + 5 * 60_000) });
      const [units] = await queryRows<{ n: number; v: number }>(db, sql`SELECT count(DISTINCT unit_id)::int AS n, count(*)::int AS v FROM indicator_values WHERE at = ${new Date(t.clock.now.getTime() + 5 * 60_000)}`);
      assert.equal(units?.n, 1 + 16 + 349, 'the city, 16 districts, 343 streets/townships and 6 development zones');
      assert.equal(job.valueCount, units?.v);
    });

    it('lets an administrator change thresholds: checked with the field named, versioned, audited, applied at once', async () => {
      const defs = await t.call('GET', '/api/v1/indicators/definitions', { token: leader });
      const sat = defs.body.items.find((d: { key: string }) => d.key === 'rates.satisfaction');
      assert.equal(sat.thresholdsVersion, 0);
      const put = (token: string, thresholds: unknown, version = 0, key = 'rates.satisfaction') => t.call('PUT', `/api/v1/indicators/definitions/${key}/thresholds`, { token, body: { thresholds, version } });
      const wrongWay = await put(admin, { default: { direction: 'lower_is_worse', yellow: 0.4, red: 0.45 } });
      assert.equal(wrongWay.status, 400);
      assert.equal(wrongWay.body.fields[0].field, 'thresholds.default.red');
      assert.match(wrongWay.body.message, /满意率/);
      const percent = await put(admin, { default: { direction: 'lower_is_worse', yellow: 90, red: 80 } });
      assert.equal(percent.status, 400);
      assert.equal(percent.body.fields[0].field, 'thresholds.default.yellow');
      assert.equal((await put(admin, { default: { direction: 'up', yellow: 0.5, red: 0.4 } })).status, 400);
      assert.equal((await put(admin, { byLevel: {} })).status, 400);
      assert.equal((await put(admin, { default: null }, 0, 'no.such')).status, 404);
      assert.equal((await put(leader, { default: null })).status, 403);
      const ok = await put(admin, { default: { direction: 'lower_is_worse', yellow: 0.6, red: 0.4 } });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.version, 1);
      assert.equal((await put(admin, { default: null }, 0)).status, 409, 'a stale version');
      const w = await t.call('GET', '/api/v1/indicators', { token: wangjing });
      assert.equal(valueOf(w.body.area as UnitRow, 'rates.satisfaction')?.colour, 'yellow', '0.5 is yellow under the new thresholds');
      const audit = await t.call('GET', '/api/v1/audit?action=indicator.thresholds.update', { token: admin });
      assert.equal(audit.status, 200);
      const rows = (audit.body.items ?? audit.body) as { action: string; targetId: string }[];
      assert.ok(rows.some((a) => a.action === 'indicator.thresholds.update' && a.targetId === 'rates.satisfaction'), JSON.stringify(audit.body).slice(0, 300));
    });
  });
}
