/** 接口与密钥: API keys (create, rotate, revoke, usage) and webhooks (subscriptions, delivery log, replay). Administrators only. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createApiKey, listApiKeys, listKeyUses, revokeApiKey, rotateApiKey } from '../../app/integrations/apiKeyAdmin.js';
import { apiScopes, verifyApiKey, type ApiPrincipal } from '../../app/integrations/apiKeys.js';
import { createOwnSubscription, createSubscription, listDeliveries, listOwnSubscriptions, listSubscriptions, replayDelivery, updateSubscription } from '../../app/integrations/webhookAdmin.js';
import { consumeRate } from '../../app/integrations/rateLimit.js';
import { recordKeyUse } from '../../app/integrations/usageLog.js';
import { DomainError } from '../../domain/errors.js';
import { webhookEventLabels, webhookEvents } from '../../app/integrations/webhookEvents.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const code = z.string().trim().min(1).max(40);
const named = z.object({ code: z.string(), name: z.string() });
const apiKeyView = z
  .object({
    id: z.string(),
    prefix: z.string().describe('the public part of the key, shown in lists and logs'),
    systemName: z.string(),
    ownerUnit: named,
    scopes: z.array(z.string()),
    services: z.array(z.string()).nullable().describe('allowed service (category) codes; null: all'),
    rateLimitPerMinute: z.number().int(),
    createdAt: z.string(),
    rotatedAt: z.string().nullable(),
    previousValidUntil: z.string().nullable().describe('the previous secret works until then (rotation overlap)'),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    usesLast24h: z.number().int(),
  })
  .meta({ id: 'ApiKey' });
const withSecret = z.object({ key: z.string().describe('the whole key: shown this once, never again'), apiKey: apiKeyView });
const subscriptionView = z
  .object({ id: z.string(), url: z.string(), events: z.array(z.string()), description: z.string().nullable(), active: z.boolean(), keyId: z.string().nullable(), keyPrefix: z.string().nullable(), createdAt: z.string() })
  .meta({ id: 'WebhookSubscription' });
const deliveryView = z
  .object({
    id: z.number().int(),
    subscriptionId: z.string(),
    event: z.string(),
    orderId: z.string().nullable(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: z.string(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastDurationMs: z.number().int().nullable(),
    deliveredAt: z.string().nullable(),
    replayOf: z.number().int().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });
const attemptView = z.object({ attempt: z.number().int(), at: z.string(), statusCode: z.number().int().nullable(), durationMs: z.number().int(), error: z.string().nullable() });
const events = z.array(z.enum(webhookEvents)).min(1).max(webhookEvents.length);
const idParam = z.object({ id: z.uuid() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

export const integrationRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['integrations'];

  /** A system's own calls, by API key in X-Api-Key: checked, rate limited, and logged like Open311's. */
  const keyUse = new WeakMap<FastifyRequest, string>();
  app.addHook('onResponse', async (req, reply) => {
    const keyId = keyUse.get(req);
    if (keyId) recordKeyUse(ctx.store.db, { keyId, at: ctx.now(), method: req.method, route: req.routeOptions.url ?? req.url, status: reply.statusCode, ip: req.ip });
  });
  async function bySystem(req: FastifyRequest, reply: FastifyReply): Promise<ApiPrincipal> {
    const header = req.headers['x-api-key'];
    const now = ctx.now();
    const p = await verifyApiKey({ db: ctx.store.db, key: typeof header === 'string' ? header : undefined, scope: 'webhooks:manage', now });
    keyUse.set(req, p.keyId);
    const rate = await consumeRate({ db: ctx.store.db, keyId: p.keyId, limit: p.rateLimitPerMinute, now });
    if (!rate.allowed) {
      reply.header('retry-after', String(rate.retryAfterSeconds));
      throw new DomainError('RATE_LIMITED', `调用过于频繁：每分钟最多 ${rate.limit} 次，请 ${rate.retryAfterSeconds} 秒后再试`);
    }
    return p;
  }

  r.get(
    '/integrations/my/webhooks',
    { schema: { tags, summary: '本系统的订阅 A system\'s own subscriptions (X-Api-Key with webhooks:manage)', security: [], headers: z.object({ 'x-api-key': z.string().max(200).optional() }), response: { 200: z.object({ items: z.array(subscriptionView) }), 401: errorBody, 403: errorBody, 429: errorBody } } },
    async (req, reply) => {
      const p = await bySystem(req, reply);
      return { items: await listOwnSubscriptions({ db: ctx.store.db, principal: p }) };
    },
  );

  r.post(
    '/integrations/my/webhooks',
    {
      schema: {
        tags,
        summary: '本系统订阅 A system subscribes itself (X-Api-Key with webhooks:manage); it hears only of orders its owner unit may see',
        security: [],
        headers: z.object({ 'x-api-key': z.string().max(200).optional() }),
        body: z.object({ url: z.url().max(500), events, description: z.string().trim().max(200).optional() }),
        response: { 201: z.object({ secret: z.string(), subscription: subscriptionView }), 400: errorBody, 401: errorBody, 403: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      const p = await bySystem(req, reply);
      const res = await createOwnSubscription({ db: ctx.store.db, principal: p, input: req.body, allowPrivate: ctx.config.webhooks.allowPrivateTargets, now: ctx.now() });
      return reply.status(201).send({ secret: res.secret, subscription: res.view });
    },
  );

  r.get('/integrations/keys', { schema: { tags, summary: '接口密钥列表 API keys, with uses in the last 24 hours', response: { 200: z.object({ items: z.array(apiKeyView) }), ...errors } } }, async (req) => {
    const actor = requireActor(req, ['admin']);
    return { items: await listApiKeys({ db: ctx.store.db, actor, now: ctx.now() }) };
  });

  r.post(
    '/integrations/keys',
    {
      schema: {
        tags,
        summary: '创建接口密钥 Create an API key (the secret is shown once)',
        body: z.object({
          systemName: text(100).describe('the integrating system, e.g. 朝阳区网格化系统'),
          ownerUnitCode: code.describe('the unit the key acts for: its jurisdiction bounds what the key sees'),
          scopes: z.array(z.enum(apiScopes)).min(1),
          services: z.array(code).max(200).optional().describe('allowed service (category) codes; absent: all'),
          rateLimitPerMinute: z.number().int().min(1).max(100_000).default(120),
        }),
        response: { 201: withSecret, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req, ['admin']);
      const res = await createApiKey({ db: ctx.store.db, actor, input: req.body, now: ctx.now() });
      return reply.status(201).send({ key: res.key, apiKey: res.view });
    },
  );

  r.post(
    '/integrations/keys/:id/rotate',
    { schema: { tags, summary: '轮换密钥 Rotate: a new secret; the old one works for the overlap window', params: idParam, body: z.object({ overlapHours: z.number().min(0).max(24 * 30).default(24) }).default({ overlapHours: 24 }), response: { 200: withSecret, ...errors } } },
    async (req) => {
      const actor = requireActor(req, ['admin']);
      const res = await rotateApiKey({ db: ctx.store.db, actor, id: req.params.id, overlapHours: req.body.overlapHours, now: ctx.now() });
      return { key: res.key, apiKey: res.view };
    },
  );

  r.post(
    '/integrations/keys/:id/revoke',
    { schema: { tags, summary: '吊销密钥 Revoke at once (the rotation overlap ends too)', params: idParam, body: z.object({ reason: text(500) }), response: { 200: apiKeyView, ...errors } } },
    async (req) => {
      const actor = requireActor(req, ['admin']);
      return revokeApiKey({ db: ctx.store.db, actor, id: req.params.id, reason: req.body.reason, now: ctx.now() });
    },
  );

  r.get(
    '/integrations/keys/:id/uses',
    { schema: { tags, summary: '调用记录 The key\'s latest uses', params: idParam, querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }), response: { 200: z.object({ items: z.array(z.object({ id: z.number().int(), at: z.string(), method: z.string(), route: z.string(), status: z.number().int(), ip: z.string().nullable() })) }), ...errors } } },
    async (req) => {
      const actor = requireActor(req, ['admin']);
      return { items: await listKeyUses({ db: ctx.store.db, actor, id: req.params.id, limit: req.query.limit }) };
    },
  );

  r.get('/integrations/webhooks/events', { schema: { tags, summary: 'Webhook 事件 The order events a subscription may choose', response: { 200: z.object({ items: z.array(z.object({ event: z.string(), label: z.string() })) }), ...errors } } }, async (req) => {
    requireActor(req, ['admin']);
    return { items: webhookEvents.map((event) => ({ event, label: webhookEventLabels[event] })) };
  });

  r.get('/integrations/webhooks', { schema: { tags, summary: 'Webhook 订阅列表 Subscriptions', response: { 200: z.object({ items: z.array(subscriptionView) }), ...errors } } }, async (req) => {
    const actor = requireActor(req, ['admin']);
    return { items: await listSubscriptions({ db: ctx.store.db, actor }) };
  });

  r.post(
    '/integrations/webhooks',
    {
      schema: {
        tags,
        summary: '创建 Webhook 订阅 Subscribe a URL to order events (the signing secret is shown once)',
        body: z.object({ url: z.url().max(500), events, keyId: z.uuid().optional().describe('the key whose owner unit bounds which orders are announced'), description: z.string().trim().max(200).optional() }),
        response: { 201: z.object({ secret: z.string(), subscription: subscriptionView }), ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req, ['admin']);
      const res = await createSubscription({ db: ctx.store.db, actor, input: req.body, allowPrivate: ctx.config.webhooks.allowPrivateTargets, now: ctx.now() });
      return reply.status(201).send({ secret: res.secret, subscription: res.view });
    },
  );

  r.patch(
    '/integrations/webhooks/:id',
    { schema: { tags, summary: '修改订阅 Change url, events, active', params: idParam, body: z.object({ url: z.url().max(500).optional(), events: events.optional(), active: z.boolean().optional(), description: z.string().trim().max(200).optional() }), response: { 200: subscriptionView, ...errors } } },
    async (req) => {
      const actor = requireActor(req, ['admin']);
      return updateSubscription({ db: ctx.store.db, actor, id: req.params.id, patch: req.body, allowPrivate: ctx.config.webhooks.allowPrivateTargets, now: ctx.now() });
    },
  );

  r.get(
    '/integrations/webhooks/deliveries',
    {
      schema: {
        tags,
        summary: '投递记录 The delivery log, newest first, each with its attempts',
        querystring: z.object({ subscriptionId: z.uuid().optional(), status: z.enum(['pending', 'succeeded', 'failed']).optional(), before: z.coerce.number().int().min(1).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ items: z.array(deliveryView.extend({ log: z.array(attemptView) })) }), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['admin']);
      return { items: await listDeliveries({ db: ctx.store.db, actor, ...req.query }) };
    },
  );

  r.post(
    '/integrations/webhooks/deliveries/:id/replay',
    { schema: { tags, summary: '重放 Send a delivery again (a new delivery with the same body)', params: z.object({ id: z.coerce.number().int().min(1) }), response: { 201: deliveryView, ...errors } } },
    async (req, reply) => {
      const actor = requireActor(req, ['admin']);
      return reply.status(201).send(await replayDelivery({ db: ctx.store.db, actor, id: req.params.id, now: ctx.now() }));
    },
  );
};
