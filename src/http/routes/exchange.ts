/**
 * Platform-to-platform exchange, interface version 1, under /api/v1/exchange/v1/: the inbound message endpoint peers
 * call with their API key (`x-api-key`, scope 'exchange'), and the staff endpoints to configure peers, send an order
 * up or down, follow it, close it from the peer's reply, and report indicators. Message schema: docs/exchange-bulk.md.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { closeFromRemote } from '../../app/exchange/closeFromRemote.js';
import { listReceivedIndicators, sendIndicators } from '../../app/exchange/indicators.js';
import { orderLinks } from '../../app/exchange/orderLinks.js';
import { pendingExchange } from '../../app/exchange/outboxView.js';
import { listPeers, registerPeer, updatePeer } from '../../app/exchange/peers.js';
import { peerOfKey, receiveMessage } from '../../app/exchange/receiveMessage.js';
import { sendOrder } from '../../app/exchange/sendOrder.js';
import { verifyApiKey } from '../../app/integrations/apiKeys.js';
import { consumeRate } from '../../app/integrations/rateLimit.js';
import { recordKeyUse } from '../../app/integrations/usageLog.js';
import { DomainError } from '../../domain/errors.js';
import { EXCHANGE_VERSION, exchangeKinds, exchangeStatuses, parseExchangeMessage } from '../../domain/exchange/index.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '应为 YYYY-MM');
const peerView = z
  .object({ id: z.string(), code: z.string(), name: z.string(), baseUrl: z.string(), direction: z.enum(['upper', 'lower']), theirKeyId: z.string(), keyPrefix: z.string().nullable(), outboundKeySet: z.boolean(), active: z.boolean(), createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: 'ExchangePeer' });
const linkView = z
  .object({
    peer: z.object({ code: z.string(), name: z.string(), direction: z.string() }),
    direction: z.enum(['sent', 'received']),
    remoteOrderNo: z.string().nullable(),
    remoteStatus: z.enum(exchangeStatuses).nullable(),
    remoteReply: z.object({ text: z.string(), at: z.string().nullable() }).nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ExchangeLink' });

export const exchangeRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;

  r.post(
    '/exchange/v1/messages',
    {
      bodyLimit: 256 * 1024,
      schema: {
        tags: ['exchange'],
        summary: '平台间消息 Receive one exchange message (v1) from a peer platform',
        description: `For peer platforms, authenticated by the API key we issued them (header \`x-api-key\`, scope \`exchange\`). Envelope \`{ version: "${EXCHANGE_VERSION}", messageId, sentAt, from: { code, name }, kind, body }\`, kind one of ${exchangeKinds.join(', ')}; unknown keys are refused. \`messageId\` is the idempotency key: a repeated message is answered with the first result (\`duplicate: true\`) and changes nothing. 4xx answers are final (the sender should not retry); 5xx and 429 are worth retrying.`,
        security: [{ apiKey: [] }],
        headers: z.object({ 'x-api-key': z.string().max(200).optional() }),
        body: z.unknown(),
        response: { 200: z.object({ messageId: z.string(), duplicate: z.boolean(), result: z.record(z.string(), z.unknown()) }), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 413: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      const now = ctx.now();
      const principal = await verifyApiKey({ db, key: req.headers['x-api-key'], scope: 'exchange', now });
      const rate = await consumeRate({ db, keyId: principal.keyId, limit: principal.rateLimitPerMinute, now });
      if (!rate.allowed) return reply.header('retry-after', String(rate.retryAfterSeconds)).status(429).send({ code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' });
      const peer = await peerOfKey(db, principal.keyId);
      const parsed = parseExchangeMessage(req.body);
      if (!parsed.ok) throw new DomainError('VALIDATION_FAILED', `消息不符合交换接口 v${EXCHANGE_VERSION}：${parsed.problems.map((p) => `${p.field}（${p.reason}）`).join('；')}`, parsed.problems);
      const res = await receiveMessage({ db, peer, keyActor: principal.actor, message: parsed.message, now });
      recordKeyUse(db, { keyId: principal.keyId, at: now, method: 'POST', route: '/exchange/v1/messages', status: 200, ip: req.ip });
      return res;
    },
  );

  r.get('/exchange/v1/peers', { schema: { tags: ['exchange'], summary: '对接平台 Peer platforms', response: { 200: z.object({ items: z.array(peerView) }), 401: errorBody, 403: errorBody } } }, async (req) => ({ items: await listPeers({ db, actor: requireActor(req) }) }));

  r.post(
    '/exchange/v1/peers',
    {
      schema: {
        tags: ['exchange'],
        summary: '登记对接平台 Register a peer platform (admin, audited)',
        description: 'First issue the peer an API key with scope `exchange` (POST /api/v1/api-keys, owner unit the 12345 centre) and give it to them; `outboundKey` is the key they issued to us.',
        body: z.strictObject({
          code: z.string().regex(/^\d{6}$/, '应为 6 位行政区划代码'),
          name: z.string().trim().min(1).max(100),
          baseUrl: z.string().trim().min(8).max(300),
          direction: z.enum(['upper', 'lower']).describe('upper: a province platform above us; lower: a city/county platform below'),
          outboundKey: z.string().trim().min(16).max(200),
          theirKeyId: z.uuid(),
        }),
        response: { 201: peerView, 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => reply.status(201).send(await registerPeer({ db, actor: requireActor(req), input: req.body, ip: req.ip, now: ctx.now() })),
  );

  r.patch(
    '/exchange/v1/peers/:id',
    {
      schema: {
        tags: ['exchange'],
        summary: '修改对接平台 Change a peer: name, address, our key at them, on/off (admin, audited)',
        params: z.object({ id: z.uuid() }),
        body: z.strictObject({ name: z.string().trim().min(1).max(100).optional(), baseUrl: z.string().trim().min(8).max(300).optional(), outboundKey: z.string().trim().min(16).max(200).optional(), active: z.boolean().optional() }),
        response: { 200: peerView, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (req) => updatePeer({ db, actor: requireActor(req), id: req.params.id, patch: req.body, ip: req.ip, now: ctx.now() }),
  );

  r.post(
    '/exchange/v1/orders/:id/send',
    {
      schema: {
        tags: ['exchange'],
        summary: '上报/下派 Send an order to a peer platform (dispatcher, supervisor)',
        description: 'Writes the link, an `exchange_send` history event and the outbox message in one transaction; delivery follows (retried while the peer is down).',
        params: z.object({ id: z.uuid() }),
        body: z.strictObject({ peerCode: z.string().regex(/^\d{6}$/, '应为 6 位行政区划代码'), note: z.string().trim().max(1000).optional() }),
        response: { 202: z.object({ linkId: z.number().int(), messageId: z.string(), direction: z.enum(['upper', 'lower']) }), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => reply.status(202).send(await sendOrder({ db, actor: requireActor(req), orderId: req.params.id, peerCode: req.body.peerCode, note: req.body.note, now: ctx.now() })),
  );

  r.get(
    '/exchange/v1/orders/:id/links',
    { schema: { tags: ['exchange'], summary: '工单的对接情况 Peers this order went to or came from, with their number and latest status', params: z.object({ id: z.uuid() }), response: { 200: z.object({ items: z.array(linkView) }), 401: errorBody, 404: errorBody } } },
    async (req) => ({ items: await orderLinks({ db, actor: requireActor(req), orderId: req.params.id }) }),
  );

  r.post(
    '/exchange/v1/orders/:id/close-from-remote',
    {
      schema: {
        tags: ['exchange'],
        summary: '依据对方答复办结 Close our order with the reply the peer gave',
        params: z.object({ id: z.uuid() }),
        body: z.strictObject({ version: z.number().int().min(1), note: z.string().trim().max(1000).optional() }),
        response: { 200: z.object({ orderId: z.string(), state: z.string(), version: z.number().int() }), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req) => closeFromRemote({ db, actor: requireActor(req), orderId: req.params.id, version: req.body.version, note: req.body.note, now: ctx.now() }),
  );

  r.post(
    '/exchange/v1/indicators/send',
    {
      schema: {
        tags: ['exchange'],
        summary: '指标上报 Send this platform’s month figures to the upper platforms now',
        body: z.strictObject({ month: month.optional() }).nullish(),
        response: { 202: z.object({ month: z.string(), peers: z.array(z.string()), figures: z.record(z.string(), z.unknown()).nullable() }), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req, reply) => reply.status(202).send(await sendIndicators({ db, actor: requireActor(req), month: req.body?.month, now: ctx.now() })),
  );

  r.get(
    '/exchange/v1/indicators',
    {
      schema: {
        tags: ['exchange'],
        summary: '下级平台指标 Indicator summaries the lower platforms reported (latest per month)',
        querystring: z.object({ month: month.optional() }),
        response: { 200: z.object({ items: z.array(z.object({ peer: z.object({ code: z.string(), name: z.string() }), month: z.string(), asOf: z.string(), receivedAt: z.string(), figures: z.record(z.string(), z.unknown()) })) }), 401: errorBody, 403: errorBody },
      },
    },
    async (req) => ({ items: await listReceivedIndicators({ db, actor: requireActor(req), month: req.query.month }) }),
  );

  r.get(
    '/exchange/v1/outbox',
    {
      schema: {
        tags: ['exchange'],
        summary: '待发送的交换消息 Exchange messages not yet delivered: attempts, last error, next attempt; refused ones',
        response: { 200: z.object({ items: z.array(z.object({ id: z.number(), peer: z.string().nullable(), kind: z.string(), messageId: z.string(), attempts: z.number().int(), lastError: z.string().nullable(), nextAttemptAt: z.string().nullable(), refused: z.boolean(), createdAt: z.string() })) }), 401: errorBody, 403: errorBody },
      },
    },
    async (req) => ({ items: await pendingExchange({ db, actor: requireActor(req) }) }),
  );
};
