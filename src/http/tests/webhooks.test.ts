/** Webhooks for order events, against a real local HTTP receiver: signed, retried with back-off, logged, replayed. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { deliverWebhooks, retryDelayMs } from '../../app/integrations/deliverWebhooks.js';
import { signWebhook, verifyWebhookSignature } from '../../app/integrations/signature.js';
import { isRefusedAddress } from '../../app/integrations/webhookTarget.js';
import { auditLog, outbox, webhookAttempts, webhookDeliveries, webhookSubscriptions } from '../../store/schema/index.js';

const WANGJING = '110105026';
const JIUXIANQIAO = '110105017';

type Received = { headers: IncomingHttpHeaders; body: string };

/** A receiver that answers with the next queued status (200 when none are queued). */
async function startReceiver(): Promise<{ url: string; got: Received[]; answers: number[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const answers: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = answers.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/jiesu`, got, answers, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('webhook signatures', () => {
  it('verify with the secret and timestamp, and refuse a changed body, another secret or an old timestamp', () => {
    const body = '{"event":"order.closed"}';
    const header = signWebhook('whsec_test', body, 1_790_000_000);
    assert.match(header, /^t=1790000000,v1=[0-9a-f]{64}$/);
    assert.equal(verifyWebhookSignature({ secret: 'whsec_test', body, header, nowSeconds: 1_790_000_100 }), true);
    assert.equal(verifyWebhookSignature({ secret: 'whsec_test', body: body.replace('closed', 'created'), header, nowSeconds: 1_790_000_100 }), false);
    assert.equal(verifyWebhookSignature({ secret: 'whsec_other', body, header, nowSeconds: 1_790_000_100 }), false);
    assert.equal(verifyWebhookSignature({ secret: 'whsec_test', body, header, nowSeconds: 1_790_000_301 }), false, 'a replay five minutes later');
    assert.equal(verifyWebhookSignature({ secret: 'whsec_test', body, header: 'garbage', nowSeconds: 1_790_000_000 }), false);
  });

  it('refuses loopback, private, CGNAT, link-local, unique-local, multicast and unspecified addresses, not public ones', () => {
    for (const a of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fd00::1', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'not-an-ip'])
      assert.equal(isRefusedAddress(a), true, a);
    for (const a of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111']) assert.equal(isRefusedAddress(a), false, a);
  });

  it('back-off doubles from 10 seconds and stops at 6 hours', () => {
    assert.deepEqual([1, 2, 3, 4].map(retryDelayMs), [10_000, 20_000, 40_000, 80_000]);
    assert.equal(retryDelayMs(20), 6 * 3600_000);
  });
});

for (const kind of backends) {
  describe(`webhooks for order events (${kind})`, () => {
    let t: TestApp;
    let admin: string, agent: string;
    let rx: Awaited<ReturnType<typeof startReceiver>>;
    let secret = '';
    let subscriptionId = '';

    before(async () => {
      // The receiver listens on 127.0.0.1, which webhooks may reach only with this option (see the SSRF tests below).
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720', JIESU_WEBHOOK_ALLOW_PRIVATE: 'true' });
      [admin, agent] = [await t.login('admin'), await t.login('agent')];
      rx = await startReceiver();
    });
    after(async () => {
      await rx.close();
      await t.close();
    });

    const newOrder = async (street = WANGJING) => {
      const r = await t.call('POST', '/api/v1/requests', { token: agent, body: { type: 'complaint', title: '烧烤店油烟直排', body: '楼下烧烤店油烟直排，窗户都不敢开', channel: 'hotline', districtCode: '110105', streetCode: street, contact: { name: '王晓明', phone: '13912345678' }, dispatch: { leadUnitCode: street } } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.order as { id: string; no: string; version: number };
    };
    const webhookRows = async () => (await t.store.db.select().from(outbox).where(eq(outbox.topic, 'webhook'))).length;

    it('writes nothing for webhooks while no one subscribes', async () => {
      await newOrder();
      assert.equal(await webhookRows(), 0);
    });

    it('delivers created and dispatched, signed, to a subscriber, without personal data', async () => {
      const bad = await t.call('POST', '/api/v1/integrations/webhooks', { token: admin, body: { url: 'ftp://example.com/x', events: ['order.created'] } });
      assert.equal(bad.status, 400);
      const badEvent = await t.call('POST', '/api/v1/integrations/webhooks', { token: admin, body: { url: rx.url, events: ['order.exploded'] } });
      assert.equal(badEvent.status, 400);
      const s = await t.call('POST', '/api/v1/integrations/webhooks', { token: admin, body: { url: rx.url, events: ['order.created', 'order.dispatched', 'order.signed'], description: '区网格系统' } });
      assert.equal(s.status, 201, JSON.stringify(s.body));
      secret = s.body.secret;
      subscriptionId = s.body.subscription.id;
      assert.match(secret, /^whsec_/);
      assert.equal((await t.call('GET', '/api/v1/integrations/webhooks', { token: admin })).body.items[0].url, rx.url);
      assert.ok(!JSON.stringify((await t.call('GET', '/api/v1/integrations/webhooks', { token: admin })).body).includes(secret), 'the secret is shown once');

      const order = await newOrder();
      assert.equal(await webhookRows(), 2, 'accept and dispatch reached the outbox in the intake statement');
      const res = await deliverWebhooks({ db: t.store.db, now: t.clock.now, allowPrivate: true });
      assert.deepEqual(res, { created: 2, sent: 2, failed: 0 });
      assert.equal(rx.got.length, 2);
      const bodies = rx.got.map((g) => JSON.parse(g.body) as { event: string; order: { no: string; state: string; leadUnit: { code: string } } });
      assert.deepEqual(bodies.map((b) => b.event).sort(), ['order.created', 'order.dispatched']);
      for (const g of rx.got) {
        assert.ok(verifyWebhookSignature({ secret, body: g.body, header: g.headers['x-jiesu-signature'] as string, nowSeconds: Math.floor(t.clock.now.getTime() / 1000) }), 'signature verifies');
        assert.ok(!g.body.includes('13912345678') && !g.body.includes('王晓明'), 'no contact details');
        assert.match(String(g.headers['x-jiesu-event']), /^order\./);
      }
      const dispatched = bodies.find((b) => b.event === 'order.dispatched');
      assert.equal(dispatched?.order.no, order.no);
      assert.equal(dispatched?.order.leadUnit.code, WANGJING);
      assert.equal(dispatched?.order.state, 'dispatched');
      assert.deepEqual(await deliverWebhooks({ db: t.store.db, now: t.clock.now, allowPrivate: true }), { created: 0, sent: 0, failed: 0 }, 'nothing twice');
    });

    it('retries a delivery after a 500 with back-off, logs each attempt, and an admin replays it', async () => {
      rx.got.length = 0;
      const order = await newOrder();
      const wangjing = await t.login('wangjing');
      rx.answers.push(500, 500);
      // created + dispatched: both fail once.
      const first = await deliverWebhooks({ db: t.store.db, now: t.clock.now, allowPrivate: true });
      assert.deepEqual(first, { created: 2, sent: 0, failed: 2 });
      assert.deepEqual(await deliverWebhooks({ db: t.store.db, now: t.clock.now, allowPrivate: true }), { created: 0, sent: 0, failed: 0 }, 'not due yet');
      t.clock.advance(retryDelayMs(1));
      const second = await deliverWebhooks({ db: t.store.db, now: t.clock.now, allowPrivate: true });
      assert.deepEqual(second, { created: 0, sent: 2, failed: 0 });
      assert.equal(rx.got.length, 4);
      assert.deepEqual(rx.got.slice(0, 2).map((g) => g.body).sort(), rx.got.slice(2, 4).map((g) => g.body).sort(), 'the retry sends the same bodies');

      const log = await t.call('GET', `/api/v1/integrations/webhooks/deliveries?subscriptionId=${subscriptionId}&limit=2`, { token: admin });
      assert.equal(log.status, 200, JSON.stringify(log.body));
      for (const d of log.body.items) {
        assert.equal(d.status, 'succeeded');
        assert.equal(d.attempts, 2);
        assert.deepEqual(d.log.map((a: { attempt: number; statusCode: number; error: string | null }) => [a.attempt, a.statusCode, a.error]), [[1, 500, 'HTTP 500'], [2, 200, null]]);
        assert.ok(d.log.every((a: { durationMs: number }) => a.durationMs >= 0));
      }

      // A later step of the same order: sign → order.signed.
      assert.equal((await t.call('POST', `/api/v1/orders/${order.id}/transitions`, { token: wangjing, body: { action: 'sign', version: order.version } })).status, 200);
      await deliverWebhooks({ db: t.store.db, now: t.clock.now, allowPrivate: true });
      assert.equal(JSON.parse(rx.got.at(-1)?.body ?? '{}').event, 'order.signed');

      // Replay: the same body again, as a new delivery, audited.
      const original = log.body.items[0];
      assert.equal((await t.call('POST', `/api/v1/integrations/webhooks/deliveries/${original.id}/replay`, { token: agent })).status, 403);
      const replay = await t.call('POST', `/api/v1/integrations/webhooks/deliveries/${original.id}/replay`, { token: admin });
      assert.equal(replay.status, 201, JSON.stringify(replay.body));
      assert.equal(replay.body.replayOf, original.id);
      const before = rx.got.length;
      assert.deepEqual(await deliverWebhooks({ db: t.store.db, now: t.clock.now, allowPrivate: true }), { created: 0, sent: 1, failed: 0 });
      assert.equal(rx.got.length, before + 1);
      const [orig] = await t.store.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, original.id));
      assert.deepEqual(JSON.parse(rx.got.at(-1)?.body ?? '{}'), orig?.payload);
      assert.ok((await t.store.db.select().from(auditLog).where(eq(auditLog.action, 'webhook.replay'))).length === 1);
      assert.equal((await t.call('POST', '/api/v1/integrations/webhooks/deliveries/999999/replay', { token: admin })).status, 404);
    });

    it('gives up after the last attempt, and a key-owned subscription hears only of its own street', async () => {
      const down = await t.call('POST', '/api/v1/integrations/webhooks', { token: admin, body: { url: 'http://127.0.0.1:9/nothing-listens', events: ['order.created'] } });
      assert.equal(down.status, 201);
      const key = await t.call('POST', '/api/v1/integrations/keys', { token: admin, body: { systemName: '酒仙桥街道系统', ownerUnitCode: JIUXIANQIAO, scopes: ['webhooks:manage'] } });
      const street = await startReceiver();
      try {
        // The street's own system subscribes itself with its key (webhooks:manage); its subscription is bound to the key.
        assert.equal((await t.call('POST', '/api/v1/integrations/my/webhooks', { body: { url: street.url, events: ['order.created'] } })).status, 401);
        const sub = await t.call('POST', '/api/v1/integrations/my/webhooks', { headers: { 'x-api-key': key.body.key }, body: { url: street.url, events: ['order.created'] } });
        assert.equal(sub.status, 201, JSON.stringify(sub.body));
        assert.equal(sub.body.subscription.keyId, key.body.apiKey.id);
        const own = await t.call('GET', '/api/v1/integrations/my/webhooks', { headers: { 'x-api-key': key.body.key } });
        assert.deepEqual(own.body.items.map((i: { id: string }) => i.id), [sub.body.subscription.id], 'it sees only its own');
        const reader = await t.call('POST', '/api/v1/integrations/keys', { token: admin, body: { systemName: '只读系统', ownerUnitCode: JIUXIANQIAO, scopes: ['open311:read'] } });
        assert.equal((await t.call('GET', '/api/v1/integrations/my/webhooks', { headers: { 'x-api-key': reader.body.key } })).status, 403);
        await newOrder(WANGJING);
        const mine = await newOrder(JIUXIANQIAO);
        for (let i = 0; i < 10; i++) {
          await deliverWebhooks({ db: t.store.db, now: t.clock.now, allowPrivate: true });
          t.clock.advance(7 * 3600_000);
        }
        assert.deepEqual(street.got.map((g) => (JSON.parse(g.body) as { order: { no: string } }).order.no), [mine.no], 'only 酒仙桥');
        const failed = await t.call('GET', `/api/v1/integrations/webhooks/deliveries?subscriptionId=${down.body.subscription.id}`, { token: admin });
        assert.equal(failed.body.items.length, 2);
        for (const d of failed.body.items) {
          assert.equal(d.status, 'failed');
          assert.equal(d.attempts, 8);
          assert.equal(d.log.length, 8);
          assert.equal(d.log[0].statusCode, null);
          assert.match(d.log[0].error, /fetch failed|ECONNREFUSED|TypeError/);
        }
        // Deactivated: nothing more is queued for it.
        const off = await t.call('PATCH', `/api/v1/integrations/webhooks/${down.body.subscription.id}`, { token: admin, body: { active: false } });
        assert.equal(off.body.active, false);
        await newOrder();
        await deliverWebhooks({ db: t.store.db, now: t.clock.now, allowPrivate: true });
        const again = await t.call('GET', `/api/v1/integrations/webhooks/deliveries?subscriptionId=${down.body.subscription.id}`, { token: admin });
        assert.equal(again.body.items.length, 2);
      } finally {
        await street.close();
      }
    });
  });

  describe(`webhook targets inside the platform's network are refused (SSRF) (${kind})`, () => {
    let t: TestApp;
    let admin: string;
    before(async () => {
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720' });
      admin = await t.login('admin');
    });
    after(async () => t.close());

    it('refuses 127.0.0.1, 10.0.0.1, metadata, localhost and non-http URLs when saving, with code and field url', async () => {
      for (const url of ['http://127.0.0.1:5432/', 'http://10.0.0.1/hook', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]:8080/x', 'http://[::ffff:127.0.0.1]/x', 'http://localhost:8080/x', 'http://0.0.0.0/', 'file:///etc/passwd']) {
        const r = await t.call('POST', '/api/v1/integrations/webhooks', { token: admin, body: { url, events: ['order.created'] } });
        assert.equal(r.status, 400, `${url}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.code, 'WEBHOOK_TARGET_REFUSED', url);
        assert.equal(r.body.fields[0].field, 'url');
        assert.match(r.body.message, /[\u4e00-\u9fa5]/, 'the message is in Chinese');
      }
      const key = await t.call('POST', '/api/v1/integrations/keys', { token: admin, body: { systemName: '网格系统', ownerUnitCode: WANGJING, scopes: ['webhooks:manage'] } });
      const own = await t.call('POST', '/api/v1/integrations/my/webhooks', { headers: { 'x-api-key': key.body.key }, body: { url: 'http://10.0.0.1/hook', events: ['order.created'] } });
      assert.equal(own.status, 400, 'a system with webhooks:manage cannot either');
      assert.equal(own.body.code, 'WEBHOOK_TARGET_REFUSED');
      assert.equal((await t.store.db.select().from(webhookSubscriptions)).length, 0);
      const ok = await t.call('POST', '/api/v1/integrations/webhooks', { token: admin, body: { url: 'http://93.184.216.34/hook', events: ['order.created'] } });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      const moved = await t.call('PATCH', `/api/v1/integrations/webhooks/${ok.body.subscription.id}`, { token: admin, body: { url: 'http://127.0.0.1:5432/' } });
      assert.equal(moved.status, 400);
      assert.equal(moved.body.code, 'WEBHOOK_TARGET_REFUSED');
      await t.call('PATCH', `/api/v1/integrations/webhooks/${ok.body.subscription.id}`, { token: admin, body: { active: false } });
    });

    it('checks again at delivery: a target that now points inside fails at once, with the reason, and is not called', async () => {
      const rx = await startReceiver();
      try {
        // As if its DNS name had changed to a private address after it was saved.
        await t.store.db.insert(webhookSubscriptions).values({ url: rx.url, events: ['order.created'], secret: 'whsec_test', createdAt: t.clock.now });
        const agent = await t.login('agent');
        const r = await t.call('POST', '/api/v1/requests', { token: agent, body: { type: 'complaint', title: '噪音扰民', body: '夜里施工噪音太大', channel: 'hotline', districtCode: '110105', streetCode: WANGJING, dispatch: { leadUnitCode: WANGJING } } });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const res = await deliverWebhooks({ db: t.store.db, now: t.clock.now });
        assert.equal(res.sent, 0);
        assert.ok(res.failed >= 1, JSON.stringify(res));
        assert.equal(rx.got.length, 0, 'the private target was never called');
        const [d] = await t.store.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.orderId, r.body.order.id));
        assert.equal(d?.status, 'failed', 'not retried');
        assert.equal(d?.attempts, 1);
        assert.match(d?.lastError ?? '', /^PRIVATE_ADDRESS: .*内网/);
        const attempts = await t.store.db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, d?.id ?? 0));
        assert.equal(attempts.length, 1);
        t.clock.advance(7 * 3600_000);
        assert.equal((await deliverWebhooks({ db: t.store.db, now: t.clock.now })).failed, 0, 'nothing is retried');
      } finally {
        await rx.close();
      }
    });
  });
}
