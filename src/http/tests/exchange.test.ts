/**
 * Platform to platform, on one machine: a city platform and a province platform — two real servers listening on
 * ports, each on its own database (PGlite for the city, PostgreSQL for the province when reachable) — configured
 * as peers with API keys. An order goes up, is handled to a reply and closed on the province; its statuses flow
 * back and the city closes its own from the reply. Then the province goes down: the message waits in the outbox,
 * is retried with back-off, and is delivered once when the province is back — nothing lost, nothing twice.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { createApiKey } from '../../app/integrations/apiKeyAdmin.js';
import { actorOf } from '../../app/auth/authenticate.js';
import { runExchangeJob } from '../../app/exchange/runExchangeJob.js';
import { buildServer } from '../../http/server.js';
import { exchangeInbound, exchangeOrderLinks, orderEvents, orders, outbox, units, users } from '../../store/schema/index.js';

const WANGJING = '110105026';
const MINUTE = 60_000;
const order = {
  type: 'complaint',
  title: '跨区排水管网堵塞',
  body: '望京西园三区雨水管网堵塞，下雨就积水，涉及市政排水和区界，街道说需要上级协调',
  channel: 'hotline',
  address: '朝阳区望京西园三区',
  districtCode: '110105',
  streetCode: WANGJING,
  contact: { name: '王晓明', phone: '13912345678' },
  dispatch: 'review',
};

type Tokens = { admin: string; agent: string; dispatcher: string; wangjing: string; supervisor: string };
type Platform = { t: TestApp; app: FastifyInstance; url: string; port: number; tokens: Tokens };

async function listen(app: FastifyInstance, port = 0): Promise<number> {
  await app.listen({ port, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

async function api(p: Platform, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${p.url}${path}`, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* keep text */
  }
  return { status: res.status, body: parsed };
}

async function issueKey(t: TestApp, systemName: string): Promise<{ key: string; id: string }> {
  const [row] = await t.store.db.select({ user: users, unit: units }).from(users).leftJoin(units, eq(units.id, users.unitId)).where(eq(users.username, 'admin'));
  assert.ok(row);
  const res = await createApiKey({ db: t.store.db, actor: actorOf(row.user, row.unit), input: { systemName, ownerUnitCode: '110000-12345', scopes: ['exchange'], rateLimitPerMinute: 1000 }, now: t.clock.now });
  return { key: res.key, id: res.view.id };
}

describe('platform exchange: city ↔ province, two servers', () => {
  let city: Platform;
  let province: Platform;
  let cityKeyAtProvince: string;

  const job = (p: Platform) => runExchangeJob({ db: p.t.store.db, now: p.t.clock.now });
  const history = async (p: Platform, id: string, token: string) => ((await api(p, 'GET', `/api/v1/orders/${id}`, token)).body as { history: { type: string; data: Record<string, unknown> }[] }).history;
  const step = async (p: Platform, id: string, token: string, body: Record<string, unknown>) => {
    const cur = await api(p, 'GET', `/api/v1/orders/${id}`, token);
    const r = await api(p, 'POST', `/api/v1/orders/${id}/transitions`, token, { ...body, version: cur.body.version });
    assert.equal(r.status, 200, `${String(body.action)}: ${JSON.stringify(r.body)}`);
    return r.body;
  };

  before(async () => {
    const start = async (kind: 'pglite' | 'postgres'): Promise<Platform> => {
      const t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720' });
      const port = await listen(t.app);
      const tokens: Tokens = { admin: await t.login('admin'), agent: await t.login('agent'), dispatcher: await t.login('dispatcher'), wangjing: await t.login('wangjing'), supervisor: await t.login('supervisor') };
      return { t, app: t.app, url: `http://127.0.0.1:${port}`, port, tokens };
    };
    city = await start('pglite');
    province = await start(backends.includes('postgres') ? 'postgres' : 'pglite');
    // Each side issues the other an exchange key, and registers the other with the key it was given.
    const forProvince = await issueKey(city.t, '省12345平台');
    const forCity = await issueKey(province.t, '北京市12345平台');
    cityKeyAtProvince = forCity.key;
    const a = await api(city, 'POST', '/api/v1/exchange/v1/peers', city.tokens.admin, { code: '440000', name: '省12345平台', baseUrl: province.url, direction: 'upper', outboundKey: forCity.key, theirKeyId: forProvince.id });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    const b = await api(province, 'POST', '/api/v1/exchange/v1/peers', province.tokens.admin, { code: '110000', name: '北京市12345平台', baseUrl: city.url, direction: 'lower', outboundKey: forProvince.key, theirKeyId: forCity.id });
    assert.equal(b.status, 201, JSON.stringify(b.body));
  });
  after(async () => {
    await city?.app.close();
    await city?.t.store.close();
    await province?.app.close();
    await province?.t.store.close();
  });

  let cityOrderId = '';
  let provinceOrderId = '';

  it('sends an order up; the province accepts it through its intake, linked by both numbers', async () => {
    const created = await api(city, 'POST', '/api/v1/requests', city.tokens.agent, order);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    cityOrderId = created.body.order.id;
    const cityNo = created.body.order.no as string;

    const forbidden = await api(city, 'POST', `/api/v1/exchange/v1/orders/${cityOrderId}/send`, city.tokens.wangjing, { peerCode: '440000' });
    assert.equal(forbidden.status, 403);
    const unknownPeer = await api(city, 'POST', `/api/v1/exchange/v1/orders/${cityOrderId}/send`, city.tokens.dispatcher, { peerCode: '999999' });
    assert.equal(unknownPeer.status, 400);
    assert.equal(unknownPeer.body.fields[0].field, 'peerCode');

    const sent = await api(city, 'POST', `/api/v1/exchange/v1/orders/${cityOrderId}/send`, city.tokens.dispatcher, { peerCode: '440000', note: '涉及跨区市政排水，请省平台协调' });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    assert.equal(sent.body.direction, 'upper');
    const again = await api(city, 'POST', `/api/v1/exchange/v1/orders/${cityOrderId}/send`, city.tokens.dispatcher, { peerCode: '440000' });
    assert.equal(again.status, 409);
    assert.ok((await history(city, cityOrderId, city.tokens.dispatcher)).some((e) => e.type === 'exchange_send'));

    const run = await job(city);
    assert.equal(run.sent, 1, JSON.stringify(run));
    const [link] = await province.t.store.db.select().from(exchangeOrderLinks).where(eq(exchangeOrderLinks.direction, 'received'));
    assert.ok(link);
    assert.equal(link.remoteOrderNo, cityNo);
    provinceOrderId = link.orderId;
    const [po] = await province.t.store.db.select().from(orders).where(eq(orders.id, provinceOrderId));
    assert.equal(po?.state, 'pending_review', 'queued for the province dispatchers');
    assert.equal(po?.title, order.title);
    assert.equal(po?.streetId, WANGJING, 'GB division codes mean the same on both platforms');

    const links = await api(city, 'GET', `/api/v1/exchange/v1/orders/${cityOrderId}/links`, city.tokens.dispatcher);
    assert.equal(links.body.items[0].remoteOrderNo, po?.no, 'the city learnt the province number from the answer');
    assert.equal(links.body.items[0].remoteStatus, 'accepted');
  });

  it('handled to a reply and closed on the province: statuses flow back; the city closes its order from the reply', async () => {
    await step(province, provinceOrderId, province.tokens.dispatcher, { action: 'dispatch', leadUnitCode: WANGJING });
    await step(province, provinceOrderId, province.tokens.wangjing, { action: 'sign' });
    await step(province, provinceOrderId, province.tokens.wangjing, { action: 'respond', contactMethod: 'phone', note: '已电话联系诉求人' });
    await step(province, provinceOrderId, province.tokens.wangjing, { action: 'start_handling' });
    await step(province, provinceOrderId, province.tokens.wangjing, { action: 'reply', text: '已协调市政排水集团疏通雨水管网，积水问题已解决' });
    const r1 = await job(province);
    assert.equal(r1.statuses, 3, `dispatched, handling, replied: ${JSON.stringify(r1)}`);
    assert.equal(r1.sent, 3);
    assert.equal((await job(province)).statuses, 0, 'each step reported once');

    const closeEarly = await api(city, 'GET', `/api/v1/orders/${cityOrderId}`, city.tokens.dispatcher);
    const statuses = (await history(city, cityOrderId, city.tokens.dispatcher)).filter((e) => e.type === 'exchange_status').map((e) => e.data.status);
    assert.deepEqual(statuses, ['dispatched', 'handling', 'replied']);
    const links = await api(city, 'GET', `/api/v1/exchange/v1/orders/${cityOrderId}/links`, city.tokens.dispatcher);
    assert.equal(links.body.items[0].remoteStatus, 'replied');
    assert.match(links.body.items[0].remoteReply.text, /疏通雨水管网/);

    await step(province, provinceOrderId, province.tokens.agent, { action: 'follow_up', resolution: 'resolved', satisfaction: 'satisfied' });
    await step(province, provinceOrderId, province.tokens.agent, { action: 'close' });
    assert.equal((await job(province)).sent, 2);
    const last = (await history(city, cityOrderId, city.tokens.dispatcher)).filter((e) => e.type === 'exchange_status').at(-1);
    assert.equal(last?.data.status, 'closed');
    assert.deepEqual(last?.data.followUp, { resolution: 'resolved', satisfaction: 'satisfied' });

    const stale = await api(city, 'POST', `/api/v1/exchange/v1/orders/${cityOrderId}/close-from-remote`, city.tokens.dispatcher, { version: closeEarly.body.version - 1 });
    assert.equal(stale.status, 409);
    const closed = await api(city, 'POST', `/api/v1/exchange/v1/orders/${cityOrderId}/close-from-remote`, city.tokens.dispatcher, { version: closeEarly.body.version });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    const after = await api(city, 'GET', `/api/v1/orders/${cityOrderId}`, city.tokens.dispatcher);
    assert.equal(after.body.state, 'closed');
    assert.match(after.body.reply.text, /疏通雨水管网/);
    assert.ok(after.body.history.some((e: { type: string; to: string }) => e.type === 'exchange_close' && e.to === 'closed'));
    const twice = await api(city, 'POST', `/api/v1/exchange/v1/orders/${cityOrderId}/close-from-remote`, city.tokens.dispatcher, { version: after.body.version });
    assert.equal(twice.status, 409);
  });

  it('a repeated message is answered from the log; broken JSON, wrong keys, a bad key and oversized fields are refused, nothing written', async () => {
    const msg = { version: '1', messageId: 'test-msg-00000001', sentAt: city.t.clock.now.toISOString(), from: { code: '110000', name: '北京市' }, kind: 'order.create', body: { orderNo: 'GD-REPLAY-1', type: 'help', title: '路灯不亮', body: '小区门口路灯坏了三天', urgency: 'general', acceptedAt: city.t.clock.now.toISOString() } };
    const h = { 'x-api-key': cityKeyAtProvince };
    const countOrders = async () => (await province.t.store.db.select({ id: orders.id }).from(orders)).length;
    const before_ = await countOrders();
    const first = await api(province, 'POST', '/api/v1/exchange/v1/messages', undefined, msg, h);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.duplicate, false);
    const second = await api(province, 'POST', '/api/v1/exchange/v1/messages', undefined, msg, h);
    assert.equal(second.body.duplicate, true);
    assert.equal(second.body.result.orderNo, first.body.result.orderNo);
    // The same order under a new message id: still one order.
    const third = await api(province, 'POST', '/api/v1/exchange/v1/messages', undefined, { ...msg, messageId: 'test-msg-00000002' }, h);
    assert.equal(third.body.result.orderNo, first.body.result.orderNo);
    assert.equal(await countOrders(), before_ + 1);

    const logged = async () => (await province.t.store.db.select({ id: exchangeInbound.messageId }).from(exchangeInbound)).length;
    const n = await logged();
    const broken = await api(province, 'POST', '/api/v1/exchange/v1/messages', undefined, '{"version":"1",', h);
    assert.equal(broken.status, 400);
    assert.equal(broken.body.code, 'VALIDATION_FAILED');
    const wrongKey = await api(province, 'POST', '/api/v1/exchange/v1/messages', undefined, { ...msg, messageId: 'test-msg-00000003', body: { ...msg.body, orderNo: 'GD-X', colour: 'red' } }, h);
    assert.equal(wrongKey.status, 400);
    assert.ok(wrongKey.body.fields.some((f: { field: string; reason: string }) => f.field === 'body' && f.reason.includes('colour')), JSON.stringify(wrongKey.body));
    const tooLong = await api(province, 'POST', '/api/v1/exchange/v1/messages', undefined, { ...msg, messageId: 'test-msg-00000004', body: { ...msg.body, orderNo: 'GD-Y', title: '长'.repeat(201) } }, h);
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.fields[0].field, 'body.title');
    const version2 = await api(province, 'POST', '/api/v1/exchange/v1/messages', undefined, { ...msg, version: '2' }, h);
    assert.equal(version2.status, 400);
    assert.equal(version2.body.fields[0].field, 'version');
    const huge = await api(province, 'POST', '/api/v1/exchange/v1/messages', undefined, { ...msg, messageId: 'test-msg-00000005', body: { ...msg.body, body: 'x'.repeat(300_000) } }, h);
    assert.equal(huge.status, 413);
    const noKey = await api(province, 'POST', '/api/v1/exchange/v1/messages', undefined, msg);
    assert.equal(noKey.status, 401);
    const badKey = await api(province, 'POST', '/api/v1/exchange/v1/messages', undefined, msg, { 'x-api-key': `${cityKeyAtProvince.slice(0, -4)}AAAA` });
    assert.equal(badKey.status, 401);
    const unknownOrder = await api(province, 'POST', '/api/v1/exchange/v1/messages', undefined, { ...msg, messageId: 'test-msg-00000006', kind: 'order.status', body: { orderNo: 'GD-1', peerOrderNo: 'GD-NOPE', seq: 1, status: 'replied', at: msg.sentAt } }, h);
    assert.equal(unknownOrder.status, 404);
    assert.equal(await logged(), n, 'refused messages leave no log row');
    assert.equal(await countOrders(), before_ + 1);
  });

  it('the province is down: the message waits and is retried with back-off; when it is back, delivered once', async () => {
    const created = await api(city, 'POST', '/api/v1/requests', city.tokens.agent, { ...order, title: '排水管网二次堵塞' });
    const id = created.body.order.id as string;
    await province.app.close();
    const sent = await api(city, 'POST', `/api/v1/exchange/v1/orders/${id}/send`, city.tokens.dispatcher, { peerCode: '440000' });
    assert.equal(sent.status, 202);

    const r1 = await job(city);
    assert.deepEqual([r1.sent, r1.failed], [0, 1]);
    let pending = (await api(city, 'GET', '/api/v1/exchange/v1/outbox', city.tokens.admin)).body.items;
    assert.equal(pending.length, 1);
    assert.equal(pending[0].attempts, 1);
    assert.match(pending[0].lastError, /network/);
    assert.equal((await job(city)).failed, 0, 'not retried before its back-off');
    city.t.clock.advance(MINUTE);
    assert.equal((await job(city)).failed, 1);
    pending = (await api(city, 'GET', '/api/v1/exchange/v1/outbox', city.tokens.admin)).body.items;
    assert.equal(pending[0].attempts, 2);
    assert.ok(new Date(pending[0].nextAttemptAt).getTime() > city.t.clock.now.getTime());

    // Back on the same port, same database.
    province.app = await buildServer({ config: province.t.config, store: province.t.store, now: () => province.t.clock.now });
    await listen(province.app, province.port);
    city.t.clock.advance(5 * MINUTE);
    const r3 = await job(city);
    assert.equal(r3.sent, 1, JSON.stringify(r3));
    assert.equal((await job(city)).sent, 0, 'nothing twice');
    const received = await province.t.store.db.select().from(exchangeOrderLinks).where(eq(exchangeOrderLinks.direction, 'received'));
    const [cityNo] = await city.t.store.db.select({ no: orders.no }).from(orders).where(eq(orders.id, id));
    assert.equal(received.filter((l) => l.remoteOrderNo === cityNo?.no).length, 1);
    const [row] = await city.t.store.db.select().from(outbox).where(and(eq(outbox.topic, 'exchange')));
    assert.ok(row);
    const events = await city.t.store.db.select({ type: orderEvents.type }).from(orderEvents).where(eq(orderEvents.orderId, id));
    assert.ok(events.some((e) => e.type === 'exchange_send'));
  });

  it('indicators: the city reports its month up; the province keeps the latest', async () => {
    const sent = await api(city, 'POST', '/api/v1/exchange/v1/indicators/send', city.tokens.supervisor, {});
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    assert.deepEqual(sent.body.peers, ['440000']);
    assert.ok(sent.body.figures.accepted >= 2);
    assert.equal((await job(city)).sent, 1);
    const got = await api(province, 'GET', '/api/v1/exchange/v1/indicators', province.tokens.supervisor);
    assert.equal(got.status, 200);
    assert.equal(got.body.items[0].peer.code, '110000');
    assert.equal(got.body.items[0].figures.accepted, sent.body.figures.accepted);
    const denied = await api(province, 'GET', '/api/v1/exchange/v1/indicators', province.tokens.wangjing);
    assert.equal(denied.status, 403);
  });
});
