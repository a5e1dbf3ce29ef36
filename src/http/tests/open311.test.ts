/** Open311 GeoReport v2 as a 311 client uses it: discovery, services, POST/GET requests, tokens, updates, keys and limits. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { count, eq, sql } from 'drizzle-orm';
import { XMLParser } from 'fast-xml-parser';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { flushKeyUses } from '../../app/integrations/usageLog.js';
import { apiKeyUses, auditLog, orderEvents, orders, requests } from '../../store/schema/index.js';

const WANGJING = '110105026';
const JIUXIANQIAO = '110105017';
const FUMES = '朝阳区望京西园三区楼下烧烤店油烟直排，每天开到夜里十二点，窗户都不敢开，电话13912345678';
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => ['service', 'request', 'error', 'attribute', 'value', 'request_update', 'endpoint', 'format'].includes(name) });
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

for (const kind of backends) {
  describe(`Open311 GeoReport v2 (${kind})`, () => {
    let t: TestApp;
    let admin: string;
    let key: string; // hotline centre, read + write
    let keyId: string;
    let streetKey: string; // 望京街道, read only, fumes only, 3 calls a minute
    let streetKeyId: string;

    const newKey = async (body: Record<string, unknown>) => {
      const r = await t.call('POST', '/api/v1/integrations/keys', { token: admin, body });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as { key: string; apiKey: { id: string; prefix: string } };
    };
    const get = (url: string, headers: Record<string, string> = {}) => t.call('GET', url, { headers });
    const post = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) => t.call('POST', url, { body: form(fields), headers: { ...FORM, ...headers } });
    const rowCounts = async () => {
      const [r] = await t.store.db.select({ n: count() }).from(requests);
      const [o] = await t.store.db.select({ n: count() }).from(orders);
      return [r?.n, o?.n];
    };

    before(async () => {
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720' }, new Date('2026-09-29T13:40:00Z'), { dispatch: true });
      admin = await t.login('admin');
      const k = await newKey({ systemName: '市民App', ownerUnitCode: '110000-12345', scopes: ['open311:read', 'open311:write'], rateLimitPerMinute: 1000 });
      [key, keyId] = [k.key, k.apiKey.id];
      const s = await newKey({ systemName: '望京街道网格系统', ownerUnitCode: WANGJING, scopes: ['open311:read'], services: ['HB.02'], rateLimitPerMinute: 3 });
      [streetKey, streetKeyId] = [s.key, s.apiKey.id];
    });
    after(async () => t.close());

    it('creates keys that are shown once, audited, and not usable for login', async () => {
      assert.match(key, /^jsk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
      const list = await t.call('GET', '/api/v1/integrations/keys', { token: admin });
      assert.equal(list.status, 200);
      assert.ok(!JSON.stringify(list.body).includes(key.slice(13)), 'the secret never comes back');
      const audited = await t.store.db.select().from(auditLog).where(eq(auditLog.action, 'api_key.create'));
      assert.equal(audited.length, 2);
      assert.equal((await t.call('GET', '/api/v1/integrations/keys', { token: await t.login('agent') })).status, 403);
      const bad = await t.call('POST', '/api/v1/integrations/keys', { token: admin, body: { systemName: 'x', ownerUnitCode: 'nowhere', scopes: ['open311:read'] } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.fields[0].field, 'ownerUnitCode');
    });

    it('discovery and services in XML and JSON parse back to the same catalogue', async () => {
      const d = await get('/open311/v2/discovery.xml');
      assert.equal(d.status, 200);
      assert.match(String(d.headers['content-type']), /text\/xml/);
      const disc = xml.parse(d.body as string).discovery;
      assert.equal(disc.endpoints.endpoint[0].specification, 'http://wiki.open311.org/GeoReport_v2');
      assert.deepEqual(disc.endpoints.endpoint[0].formats.format, ['text/xml', 'application/json']);
      assert.equal((await get('/open311/v2/discovery.json')).body.jurisdiction_id, 'beijing.gov.cn');

      const sx = await get('/open311/v2/services.xml?jurisdiction_id=beijing.gov.cn');
      assert.equal(sx.status, 200);
      const fromXml = xml.parse(sx.body as string).services.service as Record<string, string>[];
      const sj = await get('/open311/v2/services.json');
      const fromJson = sj.body as Record<string, unknown>[];
      assert.ok(fromJson.length > 50, `leaf categories: ${fromJson.length}`);
      assert.equal(fromXml.length, fromJson.length);
      const fumes = fromJson.find((s) => s.service_code === 'HB.02');
      assert.deepEqual({ ...fumes, keywords: undefined }, { service_code: 'HB.02', service_name: '餐饮油烟扰民', description: '环境保护 / 餐饮油烟扰民', metadata: true, type: 'realtime', keywords: undefined, group: '环境保护' });
      assert.match(String(fumes?.keywords), /^油烟,餐饮油烟,/);
      const x = fromXml.find((s) => s.service_code === 'HB.02');
      assert.equal(x?.metadata, 'true');
      assert.equal(x?.group, '环境保护');
      assert.ok(!fromJson.some((s) => s.service_code === 'HB'), 'a category with children is a group, not a service');

      // With a key, its allow-list applies.
      const only = await get(`/open311/v2/services.json?api_key=${streetKey}`);
      assert.deepEqual((only.body as { service_code: string }[]).map((s) => s.service_code), ['HB.02']);
    });

    it('service definitions list attributes with datatype, required, order and values', async () => {
      const j = await get('/open311/v2/services/CX.05.03.json');
      assert.equal(j.status, 200, JSON.stringify(j.body));
      assert.equal(j.body.service_code, 'CX.05.03');
      assert.deepEqual(j.body.attributes.map((a: { code: string; required: boolean; datatype: string; order: number }) => [a.code, a.datatype, a.required, a.order]), [['REQUEST_TYPE', 'singlevaluelist', false, 1], ['DANGER_NOW', 'singlevaluelist', true, 2]]);
      const x = xml.parse((await get('/open311/v2/services/GY.01.01.xml')).body as string).service_definition;
      assert.deepEqual(x.attributes.attribute.map((a: { code: string }) => a.code), ['REQUEST_TYPE', 'AFFECTED_HOUSEHOLDS']);
      assert.deepEqual(x.attributes.attribute[0].values.value[2], { key: 'complaint', name: '投诉' });
      assert.equal(x.attributes.attribute[0].variable, 'true');
      assert.equal((await get('/open311/v2/services/GY.01.json')).status, 404, 'a group is not a service');
    const missing = await get('/open311/v2/services/NOPE.xml');
      assert.equal(missing.status, 404);
      assert.equal(xml.parse(missing.body as string).errors.error[0].code, '404');
    });

    let orderNo = '';
    let token = '';
    it('POST requests form-encoded with attribute[…] goes through intake and dispatch like any channel', async () => {
      const before = await rowCounts();
      const r = await post('/open311/v2/requests.xml', {
        api_key: key,
        jurisdiction_id: 'beijing.gov.cn',
        service_code: 'HB.02',
        lat: '39.9965',
        long: '116.4703',
        address_string: '朝阳区望京西园三区',
        'attribute[REQUEST_TYPE]': 'complaint',
        description: FUMES,
        media_url: 'https://img.example.com/fumes.jpg',
        first_name: '晓明',
        last_name: '王',
        phone: '13912345678',
        email: 'wxm@example.com',
        account_id: 'u-1001',
      });
      assert.equal(r.status, 201, r.body as string);
      const created = xml.parse(r.body as string).service_requests.request[0];
      assert.match(created.service_request_id, /^GD\d+/);
      assert.match(created.token, /^SQ\d+/);
      assert.equal(created.account_id, 'u-1001');
      assert.match(created.service_notice, /派单至望京街道/);
      orderNo = created.service_request_id;
      token = created.token;
      const [o] = await t.store.db.select().from(orders).where(eq(orders.no, orderNo));
      assert.equal(o?.channel, 'open311');
      assert.equal(o?.state, 'dispatched');
      assert.equal(o?.leadUnitId, WANGJING);
      assert.equal(o?.categoryId, 'HB.02');
      const events = await t.store.db.select().from(orderEvents).where(eq(orderEvents.orderId, o?.id ?? ''));
      assert.deepEqual(events.map((e) => e.type), ['accept', 'dispatch']);
      const [req] = await t.store.db.select().from(requests).where(eq(requests.no, token));
      assert.deepEqual([req?.contactName, req?.contactPhone, req?.type], ['王晓明', '13912345678', 'complaint']);
      assert.deepEqual(await rowCounts(), before.map((n) => (n ?? 0) + 1));

      // The native intake of the same text dispatches to the same unit.
      const native = await t.call('POST', '/api/v1/requests', { token: await t.login('agent'), body: { type: 'complaint', title: '烧烤店油烟直排', body: FUMES, dispatch: 'auto' } });
      assert.equal(native.body.order.leadUnit.code, o?.leadUnitId);

      // JSON in and out too; an emergency attribute raises the urgency.
      const j = await t.call('POST', '/open311/v2/requests.json', { body: { api_key: key, service_code: 'CX.05.03', address_id: JIUXIANQIAO, description: '酒仙桥路口井盖丢了，很危险', attribute: { DANGER_NOW: 'yes' } } });
      assert.equal(j.status, 201, JSON.stringify(j.body));
      const [man] = await t.store.db.select().from(orders).where(eq(orders.no, j.body[0].service_request_id));
      assert.deepEqual([man?.urgency, man?.streetId, man?.leadUnitId], ['emergency', JIUXIANQIAO, JIUXIANQIAO]);
    });

    it('bad input is a spec error with a non-2xx status, naming the field, and writes nothing', async () => {
      const before = await rowCounts();
      const base = { api_key: key, service_code: 'HB.02', lat: '39.9965', long: '116.4703', description: FUMES };
      const cases: [string, Record<string, string>, number, RegExp][] = [
        ['unknown service', { ...base, service_code: 'ZZ.99' }, 400, /^service_code：服务不存在/],
        ['latitude out of range', { ...base, lat: '200' }, 400, /^lat：纬度无效/],
        ['latitude not a number', { ...base, lat: 'abc' }, 400, /^lat：/],
        ['outside the city', { ...base, lat: '31.23', long: '121.47' }, 400, /不在本市范围内/],
        ['no location', { api_key: key, service_code: 'HB.02', description: FUMES }, 400, /位置必填/],
        ['oversized description', { ...base, description: '油'.repeat(4001) }, 400, /^description：过长（最多 4000/],
        ['unknown attribute', { ...base, 'attribute[COLOR]': 'red' }, 400, /attribute\[COLOR\]/],
        ['bad attribute value', { ...base, 'attribute[REQUEST_TYPE]': 'shout' }, 400, /attribute\[REQUEST_TYPE\]：取值无效/],
        ['required attribute missing', { ...base, service_code: 'CX.05.03' }, 400, /attribute\[DANGER_NOW\]：必填/],
        ['bad media_url', { ...base, media_url: 'javascript:alert(1)' }, 400, /media_url/],
        ['unknown jurisdiction', { ...base, jurisdiction_id: 'gotham.gov' }, 404, /jurisdiction_id 未知/],
        ['missing key', { ...base, api_key: '' }, 401, /api_key/],
        ['wrong key', { ...base, api_key: `${key.slice(0, -4)}AAAA` }, 401, /api_key 无效/],
        ['read-only key', { ...base, api_key: streetKey }, 403, /open311:write/],
      ];
      for (const [what, fields, status, re] of cases) {
        const r = await post('/open311/v2/requests.xml', fields);
        assert.equal(r.status, status, `${what}: ${String(r.body)}`);
        const errors = xml.parse(r.body as string).errors.error as { code: string; description: string }[];
        assert.equal(errors[0]?.code, String(status), what);
        assert.ok(errors.some((e) => re.test(e.description)), `${what}: ${JSON.stringify(errors)}`);
      }
      const broken = await t.call('POST', '/open311/v2/requests.xml', { body: '<request><service_code>HB.02</service_code><description>x</request>', headers: { 'content-type': 'application/xml' } });
      assert.equal(broken.status, 400);
      assert.match(xml.parse(broken.body as string).errors.error[0].description, /XML 格式错误/);
      const brokenJson = await t.call('POST', '/open311/v2/requests.json', { body: '{"service_code": "HB.02",', headers: { 'content-type': 'application/json' } });
      assert.equal(brokenJson.status, 400);
      assert.deepEqual(brokenJson.body, [{ code: 400, description: 'body：JSON 格式错误' }]);
      const huge = await post('/open311/v2/requests.json', { ...base, description: 'x'.repeat(70_000) });
      assert.equal(huge.status, 413);
      assert.equal(huge.body[0].code, 413);
      assert.deepEqual(await rowCounts(), before, 'nothing written');
      // A well-formed XML body works.
      const ok = await t.call('POST', '/open311/v2/requests.json', { body: `<request><api_key>${key}</api_key><service_code>HB.02</service_code><address_id>${WANGJING}</address_id><description>望京街道小区门口烧烤油烟很大</description></request>`, headers: { 'content-type': 'text/xml' } });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
    });

    it('unknown paths and formats under /open311/v2 answer in the spec form', async () => {
      const a = await get('/open311/v2/nothing.json');
      assert.equal(a.status, 404);
      assert.equal(a.body[0].code, 404);
      const b = await get('/open311/v2/services.txt');
      assert.equal(b.status, 404);
      assert.ok(xml.parse(b.body as string).errors);
      const c = await get(`/open311/v2/requests/${orderNo}.html?api_key=${key}`);
      assert.equal(c.status, 404);
    });

    it('GET requests filters by id, service code, status and dates, and never shows contact details', async () => {
      const one = await get(`/open311/v2/requests/${orderNo}.json?api_key=${key}`);
      assert.equal(one.status, 200, JSON.stringify(one.body));
      const r = one.body[0];
      assert.equal(r.service_request_id, orderNo);
      assert.equal(r.status, 'open');
      assert.equal(r.agency_responsible, '望京街道');
      assert.equal(r.service_code, 'HB.02');
      assert.equal(r.media_url, 'https://img.example.com/fumes.jpg');
      assert.equal(r.requested_datetime, '2026-09-29T21:40:00+08:00');
      assert.match(r.expected_datetime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
      assert.equal(r.lat, 39.9965);
      const text = JSON.stringify(one.body);
      for (const personal of ['13912345678', '王晓明', 'wxm@example.com']) assert.ok(!text.includes(personal), `no ${personal}`);
      assert.match(r.description, /139\*\*\*\*5678/);

      const x = xml.parse((await get(`/open311/v2/requests.xml?api_key=${key}&service_code=HB.02&status=open`)).body as string).service_requests.request as { service_request_id: string; status: string }[];
      assert.ok(x.some((q) => q.service_request_id === orderNo));
      assert.ok(x.every((q) => q.status === 'open'));
      assert.equal((await get(`/open311/v2/requests.json?api_key=${key}&status=closed`)).body.length, 0);
      assert.equal((await get(`/open311/v2/requests.json?api_key=${key}&service_code=CX.05.03`)).body.length, 1);
      assert.equal((await get(`/open311/v2/requests.json?api_key=${key}&start_date=2026-09-30T00:00:00%2B08:00`)).body.length, 0);
      assert.ok((await get(`/open311/v2/requests.json?api_key=${key}&start_date=2026-09-29&end_date=2026-09-30T00:00:00Z`)).body.length >= 3);
      assert.equal((await get(`/open311/v2/requests.json?api_key=${key}&status=pending`)).status, 400);
      assert.equal((await get(`/open311/v2/requests.json?api_key=${key}&start_date=yesterday`)).status, 400);
      assert.equal((await get('/open311/v2/requests.json')).status, 401);
      const tok = await get(`/open311/v2/tokens/${token}.json?api_key=${key}`);
      assert.deepEqual(tok.body, [{ service_request_id: orderNo, token }]);
      assert.equal((await get(`/open311/v2/tokens/SQ0.json?api_key=${key}`)).status, 404);
      assert.equal((await get(`/open311/v2/requests/GD0.xml?api_key=${key}`)).status, 404);
    });

    it('a street key sees only its own street and its services, and is rate limited per minute with Retry-After', async () => {
      t.clock.advance(60_000); // a fresh minute window
      const mine = await get(`/open311/v2/requests.json?api_key=${streetKey}`);
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      const ids = (mine.body as { service_request_id: string; service_code: string }[]);
      assert.ok(ids.some((r) => r.service_request_id === orderNo));
      assert.ok(ids.every((r) => r.service_code === 'HB.02'), 'only its services; the 酒仙桥 manhole is not its own');
      assert.equal((await get(`/open311/v2/requests.json?api_key=${streetKey}`)).status, 200);
      assert.equal((await get(`/open311/v2/requests.json?api_key=${streetKey}`)).status, 200);
      const limited = await get(`/open311/v2/requests.json?api_key=${streetKey}`);
      assert.equal(limited.status, 429);
      assert.equal(limited.body[0].code, 429);
      assert.ok(Number(limited.headers['retry-after']) >= 1 && Number(limited.headers['retry-after']) <= 60);
      // Another key is not affected; the next minute is open again.
      assert.equal((await get(`/open311/v2/requests.json?api_key=${key}`)).status, 200);
      t.clock.advance(60_000);
      assert.equal((await get(`/open311/v2/requests.json?api_key=${streetKey}`)).status, 200);
    });

    it('updates flow both ways: platform steps out, the client\'s updates in, once per update_id', async () => {
      const [o] = await t.store.db.select().from(orders).where(eq(orders.no, orderNo));
      const wangjing = await t.login('wangjing');
      assert.equal((await t.call('POST', `/api/v1/orders/${o?.id}/transitions`, { token: wangjing, body: { action: 'sign', version: o?.version } })).status, 200);
      const out = await get(`/open311/v2/servicerequestupdates.json?api_key=${key}&start_date=2026-09-29T00:00:00%2B08:00&end_date=2026-10-30T00:00:00%2B08:00`);
      assert.equal(out.status, 200, JSON.stringify(out.body));
      const mineOut = (out.body as { service_request_id: string; description: string; status: string; update_id: string }[]).filter((u) => u.service_request_id === orderNo);
      assert.deepEqual(mineOut.map((u) => u.description), ['受理：受理', '派单：已派单', '签收：已签收']);

      const fields = { api_key: key, service_request_id: orderNo, update_id: 'app-77', status: 'open', description: '今晚又开始冒烟了', media_url: 'https://img.example.com/2.jpg' };
      const inbound = await post('/open311/v2/servicerequestupdates.xml', fields);
      assert.equal(inbound.status, 201, inbound.body as string);
      assert.equal(xml.parse(inbound.body as string).service_request_updates.request_update[0].update_id, 'app-77');
      assert.equal((await post('/open311/v2/servicerequestupdates.xml', fields)).status, 200, 'a retry adds nothing');
      const comments = (await t.store.db.select().from(orderEvents).where(eq(orderEvents.orderId, o?.id ?? ''))).filter((e) => e.type === 'comment');
      assert.equal(comments.length, 1);
      assert.match(String(comments[0]?.data.text), /今晚又开始冒烟了\n图片：https:\/\/img.example.com\/2.jpg/);
      const detail = await t.call('GET', `/api/v1/orders/${o?.id}`, { token: wangjing });
      assert.ok(detail.body.history.some((h: { type: string }) => h.type === 'comment'), 'the handling unit sees it');
      const back = await get(`/open311/v2/servicerequestupdates.json?api_key=${key}&start_date=2026-09-29T00:00:00%2B08:00&end_date=2026-10-30T00:00:00%2B08:00`);
      assert.ok((back.body as { description: string }[]).some((u) => u.description.includes('今晚又开始冒烟了')));
      const bad = await post('/open311/v2/servicerequestupdates.json', { api_key: key, service_request_id: 'GD0', update_id: 'x', description: 'y' });
      assert.equal(bad.status, 404);
      const missing = await post('/open311/v2/servicerequestupdates.json', { api_key: key, service_request_id: orderNo, status: 'maybe' });
      assert.equal(missing.status, 400);
      assert.deepEqual(missing.body.map((e: { description: string }) => e.description.split('：')[0]), ['update_id', 'status', 'description']);
    });

    it('every use is logged; rotation keeps the old secret for the overlap; revocation ends it at once', async () => {
      await flushKeyUses(t.store.db);
      const [uses] = await t.store.db.select({ n: count() }).from(apiKeyUses).where(eq(apiKeyUses.keyId, keyId));
      assert.ok((uses?.n ?? 0) >= 20, `uses: ${uses?.n}`);
      const statuses = await t.store.db.execute(sql`SELECT DISTINCT status FROM api_key_uses WHERE key_id = ${keyId} ORDER BY status`);
      assert.ok(JSON.stringify(statuses).includes('400'), 'failed calls are logged too');
      const listed = await t.call('GET', '/api/v1/integrations/keys', { token: admin });
      const k = listed.body.items.find((i: { id: string }) => i.id === keyId);
      assert.ok(k.usesLast24h >= 20 && k.lastUsedAt);
      const log = await t.call('GET', `/api/v1/integrations/keys/${keyId}/uses?limit=5`, { token: admin });
      assert.equal(log.body.items.length, 5);

      const rotated = await t.call('POST', `/api/v1/integrations/keys/${keyId}/rotate`, { token: admin, body: { overlapHours: 1 } });
      assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
      const newKey = rotated.body.key as string;
      assert.notEqual(newKey, key);
      assert.equal(newKey.slice(0, 12), key.slice(0, 12), 'the prefix stays');
      assert.equal((await get(`/open311/v2/requests.json?api_key=${key}`)).status, 200, 'old secret inside the overlap');
      assert.equal((await get(`/open311/v2/requests.json?api_key=${newKey}`)).status, 200);
      t.clock.advance(2 * 3600_000);
      assert.equal((await get(`/open311/v2/requests.json?api_key=${key}`)).status, 401, 'old secret after the overlap');

      const revoked = await t.call('POST', `/api/v1/integrations/keys/${streetKeyId}/revoke`, { token: admin, body: { reason: '系统下线' } });
      assert.equal(revoked.status, 200);
      const after = await get(`/open311/v2/requests.json?api_key=${streetKey}`);
      assert.equal(after.status, 401);
      assert.match(after.body[0].description, /已被吊销/);
      const actions = (await t.store.db.select().from(auditLog)).map((a) => a.action);
      assert.ok(actions.includes('api_key.rotate') && actions.includes('api_key.revoke'));
    });
  });
}
