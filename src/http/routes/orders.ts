import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptRequest, channels, requestTypes } from '../../app/requests/acceptRequest.js';
import { getOrder } from '../../app/orders/getOrder.js';
import { listOrders } from '../../app/orders/listOrders.js';
import { revealContact } from '../../app/orders/revealContact.js';
import { transitionOrder } from '../../app/orders/transitionOrder.js';
import { DomainError } from '../../domain/errors.js';
import { onSiteResults, orderStates } from '../../domain/order/index.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';
import { orderListFilters, urgencySchema } from '../schemas.js';

const code = z.string().trim().min(1).max(40);
const text = (max: number) => z.string().trim().min(1).max(max);
const uuid = z.uuid();

const named = z.object({ code: z.string(), name: z.string() }).nullable();
const clockStatusSchema = z.enum(['running', 'warning', 'overdue', 'paused', 'met', 'met_late']);
const orderSummary = z
  .object({
    id: z.string(),
    no: z.string(),
    state: z.enum(orderStates),
    type: z.string(),
    title: z.string(),
    category: named,
    urgency: z.string(),
    district: named,
    street: named,
    leadUnit: named,
    acceptedAt: z.string(),
    dueAt: z.string().nullable(),
    signDueAt: z.string().nullable(),
    responseDueAt: z.string().nullable(),
    overdue: z.boolean(),
    clockStatus: clockStatusSchema.nullable(),
    extensionPending: z.boolean(),
    reopenCount: z.number().int(),
    version: z.number().int(),
    channel: z.string(),
  })
  .meta({ id: 'OrderSummary' });
const orderListItem = orderSummary
  .extend({
    onSiteCheck: z
      .object({ result: z.enum(onSiteResults), at: z.string(), note: z.string().nullable() })
      .nullable()
      .describe('the latest on-site check (核查) by a grid worker since the latest reply; null when none'),
  })
  .meta({ id: 'OrderListItem' });
const orderCounts = z
  .object({
    total: z.number().int().describe('orders the filter matches, at most 10,000'),
    capped: z.boolean().describe('true when there are more than 10,000: show "10,000+"'),
    byState: z.record(z.string(), z.number().int()).nullable().describe('per state; null when capped'),
    overdue: z.number().int().nullable().describe('how many of them are overdue; null when capped'),
  })
  .meta({ id: 'OrderCounts' });
const orderDetail = orderSummary
  .extend({
    body: z.string(),
    address: z.string().nullable(),
    lat: z.number().nullable(),
    lng: z.number().nullable(),
    community: named,
    coUnits: z.array(z.object({ code: z.string(), name: z.string(), signedAt: z.string().nullable() })),
    contact: z.object({ name: z.string().nullable(), phone: z.string().nullable() }).describe('masked (PIPL); see POST /orders/{id}/contact/reveal'),
    requesterCount: z.number().int(),
    clocks: z.array(z.object({ kind: z.enum(['sign', 'response', 'reply']), startedAt: z.string(), dueAt: z.string(), status: clockStatusSchema, stoppedAt: z.string().nullable(), pausedAt: z.string().nullable(), calendarFallback: z.boolean() })),
    history: z.array(z.object({ id: z.number(), at: z.string(), type: z.string(), from: z.string().nullable(), to: z.string().nullable(), actor: z.object({ name: z.string().nullable(), role: z.string().nullable(), unit: z.string().nullable() }), data: z.record(z.string(), z.unknown()) })),
    allowedActions: z.array(z.string()),
    attachments: z.array(z.object({ id: z.string(), name: z.string(), type: z.string(), size: z.number(), url: z.string() })),
    reply: z.object({ text: z.string(), at: z.string().nullable() }).nullable(),
    followUp: z.object({ resolution: z.string().nullable(), satisfaction: z.string().nullable(), at: z.string().nullable() }).nullable(),
    extension: z.record(z.string(), z.unknown()).nullable(),
    proposal: z.record(z.string(), z.unknown()).nullable(),
    assessmentExcluded: z.boolean(),
  })
  .meta({ id: 'OrderDetail' });

export const requestBody = z
  .object({
    type: z.enum(requestTypes).describe('咨询 consultation · 求助 help · 投诉 complaint · 举报 report · 建议 suggestion · 表扬 praise'),
    title: text(200),
    body: text(5000),
    channel: z.enum(channels).default('hotline'),
    urgency: urgencySchema.optional(),
    address: z.string().trim().max(300).optional(),
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional(),
    districtCode: code.optional(),
    streetCode: code.optional(),
    communityCode: code.optional(),
    categoryCode: code.optional(),
    contact: z.object({ name: z.string().trim().max(50).optional(), phone: z.string().trim().regex(/^[0-9+\-() ]{5,20}$/, '电话号码格式错误').optional() }).optional(),
    attachmentIds: z.array(uuid).max(20).optional(),
    dispatch: z.union([z.enum(['auto', 'review']), z.object({ leadUnitCode: code, coUnitCodes: z.array(code).max(10).optional() })]).optional(),
    answer: z.object({ text: text(5000), knowledgeId: uuid.optional() }).optional(),
  })
  .meta({ id: 'RequestInput' });

const unitChoice = { leadUnitCode: code, coUnitCodes: z.array(code).max(10).optional(), note: z.string().max(500).optional(), categoryCode: code.optional().describe('correct the category (kept as a training example)') };
const reason = text(1000);
export const transitionBody = z
  .discriminatedUnion('action', [
    z.object({ action: z.literal('dispatch'), ...unitChoice }),
    z.object({ action: z.literal('send_to_review'), reason }),
    z.object({ action: z.literal('sign') }),
    z.object({ action: z.literal('respond'), contactMethod: z.enum(['phone', 'sms', 'visit', 'other']), note: text(1000) }),
    z.object({ action: z.literal('start_handling') }),
    z.object({ action: z.literal('reply'), text: text(5000), attachmentIds: z.array(uuid).max(20).optional(), resolvedClaim: z.boolean().optional() }),
    z.object({ action: z.literal('follow_up'), resolution: z.enum(['resolved', 'partly', 'unresolved']), satisfaction: z.enum(['satisfied', 'basic', 'unsatisfied', 'no_answer']), note: z.string().max(1000).optional() }),
    z.object({ action: z.literal('close'), note: z.string().max(1000).optional() }),
    z.object({ action: z.literal('close_direct'), answer: text(5000) }),
    z.object({ action: z.literal('reopen'), reason }),
    z.object({ action: z.literal('return'), reason: z.string().trim().max(1000).default(''), attachmentIds: z.array(uuid).max(20).optional() }),
    z.object({ action: z.literal('approve_return'), ...unitChoice }),
    z.object({ action: z.literal('reject_return'), reason }),
    z.object({ action: z.literal('request_extension'), days: z.number().int().min(1).max(30), reason }),
    z.object({ action: z.literal('approve_extension'), days: z.number().int().min(1).max(30).optional() }),
    z.object({ action: z.literal('refuse_extension'), reason }),
    z.object({ action: z.literal('urge'), note: text(1000) }),
    z.object({ action: z.literal('supervise'), note: text(1000) }),
    z.object({ action: z.literal('escalate'), toUnitCode: code.optional(), note: text(1000) }),
    z.object({ action: z.literal('park'), planDate: z.iso.date().or(z.iso.datetime({ offset: true })), reason }),
    z.object({ action: z.literal('unpark'), note: z.string().max(1000).optional() }),
    z.object({ action: z.literal('merge'), intoOrderId: uuid }),
    z.object({ action: z.literal('terminate'), reason }),
    z.object({ action: z.literal('mark_invalid'), reason }),
    z.object({ action: z.literal('verify_on_site'), result: z.enum(onSiteResults).describe('核查通过 passed · 核查未通过 failed'), note: z.string().trim().max(1000).optional().describe('required when failed'), attachmentIds: z.array(uuid).max(9).optional().describe('photos taken on site') }),
    z.object({ action: z.literal('comment'), text: text(2000) }),
  ])
  .and(z.object({ version: z.number().int().min(1).describe('the version you saw; a stale one is a 409') }));

export const orderRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const staffRoles = ['agent', 'dispatcher', 'supervisor', 'handler', 'grid_worker', 'leader', 'admin', 'citizen'] as const;

  r.post(
    '/requests',
    {
      schema: {
        tags: ['orders'],
        summary: '受理诉求 Record a request (any channel)',
        description: 'Creates the request and its work order: answered on the spot (直接办结), dispatched, or queued for review. Send an `Idempotency-Key` header so a retried submit creates nothing twice.',
        headers: z.object({ 'idempotency-key': z.string().min(8).max(100).optional() }),
        body: requestBody,
        response: { 201: z.object({ request: z.object({ id: z.string(), no: z.string() }), order: orderDetail.nullable(), replayed: z.boolean() }), 200: z.object({ request: z.object({ id: z.string(), no: z.string() }), order: orderDetail.nullable(), replayed: z.boolean() }), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req, ['agent', 'dispatcher', 'citizen', 'grid_worker', 'handler']);
      const now = ctx.now();
      const proposal = ctx.propose ? await ctx.propose({ title: req.body.title, body: req.body.body, address: req.body.address, lat: req.body.lat, lng: req.body.lng, knowledge: false }) : null;
      const res = await acceptRequest({ db: ctx.store.db, actor, input: req.body, idempotencyKey: req.headers['idempotency-key'], proposal, now });
      const order = res.order !== undefined ? res.order : res.orderId ? await getOrder({ db: ctx.store.db, actor, orderId: res.orderId, now }).catch(() => null) : null;
      return reply.status(res.replayed ? 200 : 201).send({ request: { id: res.requestId, no: res.requestNo }, order, replayed: res.replayed });
    },
  );

  r.post(
    '/requests/propose',
    {
      schema: {
        tags: ['orders'],
        summary: '智能派单建议 Live proposal while the agent types: category, place, lead unit, repeats, knowledge answers',
        body: z.object({ title: z.string().max(200).default(''), body: z.string().max(5000).default(''), address: z.string().max(300).optional(), lat: z.number().min(-90).max(90).optional(), lng: z.number().min(-180).max(180).optional() }),
        response: { 200: z.record(z.string(), z.unknown()), 401: errorBody, 403: errorBody, 503: errorBody },
      },
    },
    async (req, reply) => {
      requireActor(req, ['agent', 'dispatcher', 'supervisor', 'grid_worker']);
      if (!ctx.propose) return reply.status(503).send({ code: 'INTERNAL', message: '智能派单未启用' });
      return ctx.propose(req.body);
    },
  );

  r.get(
    '/orders',
    {
      schema: {
        tags: ['orders'],
        summary: '工单列表 Orders I may see, filtered, newest first (keyset paging)',
        description: 'The first page (no `cursor`) also carries `counts` of what the filter matches, per state, capped at 10,000; `limit=0` returns the counts alone.',
        querystring: z.object({
          ...orderListFilters,
          limit: z.coerce.number().int().min(0).max(200).default(50),
          cursor: z.string().max(200).optional(),
        }),
        response: { 200: z.object({ items: z.array(orderListItem), nextCursor: z.string().nullable(), counts: orderCounts.nullable().describe('null on later pages') }), 400: errorBody, 401: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, staffRoles);
      const q = req.query;
      const states = q.state?.split(',').map((s) => s.trim()).filter(Boolean);
      const bad = states?.filter((s) => !(orderStates as readonly string[]).includes(s));
      if (bad?.length) throw new DomainError('VALIDATION_FAILED', `未知的工单状态：${bad.join('、')}`, [{ field: 'querystring.state', reason: `未知状态 ${bad.join(',')}` }]);
      return listOrders({
        db: ctx.store.db,
        actor,
        filter: {
          state: states,
          unit: q.unit,
          category: q.category,
          district: q.district,
          street: q.street,
          overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
          dueWithinHours: q.dueWithinHours,
          extension: q.extension,
          q: q.q,
          from: q.from ? new Date(q.from) : undefined,
          to: q.to ? new Date(q.to) : undefined,
        },
        limit: q.limit,
        cursor: q.cursor,
        now: ctx.now(),
      });
    },
  );

  r.get(
    '/orders/:id',
    { schema: { tags: ['orders'], summary: '工单详情 One order with its full history', params: z.object({ id: z.string().max(64) }), response: { 200: orderDetail, 401: errorBody, 404: errorBody } } },
    async (req) => getOrder({ db: ctx.store.db, actor: requireActor(req, staffRoles), orderId: req.params.id, now: ctx.now() }),
  );

  r.post(
    '/orders/:id/transitions',
    {
      schema: {
        tags: ['orders'],
        summary: '办理一步 Perform one lifecycle step',
        description: 'Each action states who may do it, from which states, and what it needs. An illegal step is 409 ILLEGAL_TRANSITION; a stale `version` is 409 VERSION_CONFLICT; another unit’s order is 404.',
        params: z.object({ id: z.string().max(64) }),
        body: transitionBody,
        response: { 200: orderDetail, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, staffRoles);
      const { version, ...input } = req.body;
      const now = ctx.now();
      await transitionOrder({ db: ctx.store.db, actor, orderId: req.params.id, version, input: input, now });
      return getOrder({ db: ctx.store.db, actor, orderId: req.params.id, now });
    },
  );

  r.post(
    '/orders/:id/contact/reveal',
    {
      schema: {
        tags: ['orders'],
        summary: '查看完整联系方式 Reveal the citizen’s full name and phone (audited)',
        params: z.object({ id: z.string().max(64) }),
        body: z.object({ reason: z.string().max(200).optional() }).nullish(),
        response: { 200: z.object({ name: z.string().nullable(), phone: z.string().nullable(), requesters: z.array(z.object({ name: z.string().nullable(), phone: z.string().nullable() })) }), 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (req) => revealContact({ db: ctx.store.db, actor: requireActor(req), orderId: req.params.id, ip: req.ip, reason: req.body?.reason, now: ctx.now() }),
  );
};
