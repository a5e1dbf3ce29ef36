/** 一网统管 — alert models (admin) and alarms (acknowledge, assign, comment, clear, to work order). */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actOnAlarm } from '../../app/cityops/actOnAlarm.js';
import { alarmToOrder } from '../../app/cityops/alarmToOrder.js';
import { getAlarm, listAlarms } from '../../app/cityops/alarms.js';
import { createAlertModel, listAlertModels, updateAlertModel } from '../../app/cityops/manageAlertModels.js';
import { alarmStates, ruleKinds, severities, sourceTypes } from '../../domain/alarm/index.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

const staffRoles = ['agent', 'dispatcher', 'supervisor', 'handler', 'grid_worker', 'leader', 'admin'] as const;
const code = z.string().trim().min(1).max(40);
const instant = z.iso.datetime({ offset: true });
const idParams = z.object({ id: z.string().max(64) });
const named = z.object({ code: z.string(), name: z.string() });

const modelBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(1000).optional(),
    kind: z.enum(ruleKinds).describe('threshold 阈值 · duration 持续 · repeat 重复 · rate 变化率 · geofence 围栏 · expiry 到期 · event 事件'),
    sourceType: z.enum(sourceTypes).describe('sensor · video · patrol · external'),
    scope: z
      .object({ metric: code.optional(), sensorKind: code.optional(), sensorIds: z.array(z.string().max(64)).max(500).optional(), eventKind: code.optional(), table: code.optional() })
      .strict()
      .default({})
      .describe('which sources it watches; empty fields match all of the source type'),
    params: z.record(z.string(), z.unknown()).describe('per kind: threshold {op,value}; duration {op,value,minutes}; repeat {op?,value?,times,minutes}; rate {direction,amount,minutes}; geofence {mode,gridIds?|polygon?}; expiry {withinDays}; event {minConfidence?}'),
    recovery: z
      .record(z.string(), z.unknown())
      .nullish()
      .describe('自动解除 when the alarm clears by itself; absent or null: only people clear it. threshold/duration {minutes ≥ 0, value?} (value: hysteresis, e.g. raise above 20, clear below 15); geofence {minutes ≥ 0}; repeat/rate/event {minutes ≥ 1} without a firing; expiry {} when the row is renewed or removed'),
    severity: z.enum(severities),
    autoDispatch: z.boolean().default(false).describe('make a work order automatically when an alarm opens'),
    categoryCode: code.nullish().describe('catalogue category of the work order'),
    active: z.boolean().default(true),
  })
  // No component id: with defaults its input and output shapes differ, and one name for both breaks /docs/json.
  .describe('an alert model as an administrator defines it');

const model = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    kind: z.string(),
    kindLabel: z.string(),
    sourceType: z.string(),
    sourceTypeLabel: z.string(),
    scope: z.record(z.string(), z.unknown()),
    params: z.record(z.string(), z.unknown()),
    recovery: z.object({ minutes: z.number(), value: z.number().optional() }).nullable(),
    recoveryMode: z.enum(['reading', 'silence', 'renewal']).nullable().describe('how this kind recovers: from readings, from silence (sweep) or from renewal (expiry sweep)'),
    severity: z.string(),
    severityLabel: z.string(),
    autoDispatch: z.boolean(),
    categoryCode: z.string().nullable(),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AlertModel' });

const alarmSummary = z
  .object({
    id: z.string(),
    no: z.string().describe('告警编号 AL + date + sequence'),
    model: z.object({ id: z.string(), name: z.string() }),
    sourceKey: z.string(),
    sourceType: z.string(),
    sourceTypeLabel: z.string(),
    severity: z.string(),
    severityLabel: z.string(),
    state: z.string(),
    stateLabel: z.string(),
    title: z.string(),
    message: z.string().nullable(),
    value: z.number().nullable(),
    count: z.number().int().describe('times the condition held while this alarm was open'),
    conditionAt: z.string(),
    raisedAt: z.string(),
    lastSeenAt: z.string(),
    lng: z.number().nullable(),
    lat: z.number().nullable(),
    gridId: z.string().nullable(),
    streetId: z.string().nullable(),
    assigneeUnitId: z.string().nullable(),
    order: z.object({ id: z.string(), no: z.string() }).nullable(),
    clearedAt: z.string().nullable(),
    clearance: z
      .object({ auto: z.boolean().describe('自动解除: the model’s recovery held'), reason: z.string(), at: z.string(), by: z.string().nullable() })
      .nullable()
      .describe('how a cleared alarm was cleared: by itself (auto) or by a person, with the reason'),
    version: z.number().int(),
  })
  .meta({ id: 'AlarmSummary' });

const alarmDetail = alarmSummary
  .extend({
    detail: z.record(z.string(), z.unknown()),
    street: named.nullable(),
    assignee: named.nullable(),
    assigneeUserId: z.string().nullable(),
    acknowledgedAt: z.string().nullable(),
    modelKind: z.string().nullable(),
    autoDispatch: z.boolean(),
    history: z.array(z.object({ id: z.number(), at: z.string(), type: z.string(), fromState: z.string().nullable(), toState: z.string().nullable(), actor: z.object({ id: z.string().nullable(), name: z.string().nullable() }), data: z.record(z.string(), z.unknown()) })),
    allowedActions: z.array(z.enum(['acknowledge', 'assign', 'comment', 'clear', 'to_order'])),
  })
  .meta({ id: 'AlarmDetail' });

const detailResponses = { 200: alarmDetail, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const version = z.number().int().min(1).optional().describe('the alarm version you saw; 409 when it changed');

export const cityopsAlarmRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/alert-models',
    { schema: { tags: ['cityops'], summary: '预警模型列表 Alert models', response: { 200: z.object({ items: z.array(model) }), 401: errorBody, 403: errorBody } } },
    async (req) => ({ items: await listAlertModels({ db: ctx.store.db, actor: requireActor(req, staffRoles) }) }),
  );

  r.post(
    '/alert-models',
    {
      schema: {
        tags: ['cityops'],
        summary: '新建预警模型 Define an alert model (admin, audited)',
        description: 'Parameters are checked per kind; each bad field is named (`params.minutes`). See docs/cityops.md for the rule kinds.',
        body: modelBody,
        response: { 201: model, 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req, reply) => reply.status(201).send(await createAlertModel({ db: ctx.store.db, actor: requireActor(req, ['admin']), input: req.body, now: ctx.now(), ip: req.ip })),
  );

  r.put(
    '/alert-models/:id',
    {
      schema: {
        tags: ['cityops'],
        summary: '修改预警模型 Replace a model’s definition, or switch it off (admin, audited)',
        description: 'Send the whole definition and the `version` you read. A changed rule restarts its per-source state.',
        params: idParams,
        body: modelBody.extend({ version: z.number().int().min(1) }),
        response: { 200: model, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req) => {
      const { version: v, ...input } = req.body;
      return updateAlertModel({ db: ctx.store.db, actor: requireActor(req, ['admin']), modelId: req.params.id, version: v, input, now: ctx.now(), ip: req.ip });
    },
  );

  r.get(
    '/alarms',
    {
      schema: {
        tags: ['cityops'],
        summary: '告警列表 Alarms I may see, newest first (keyset paging)',
        description: 'A street sees the alarms in its area and those assigned to its units. `state=active` is everything not cleared.',
        querystring: z.object({
          state: z.enum(['active', ...alarmStates]).optional(),
          severity: z.enum(severities).optional(),
          model: z.uuid().optional(),
          sourceType: z.enum(sourceTypes).optional(),
          street: code.optional(),
          from: instant.optional(),
          to: instant.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          cursor: z.string().max(200).optional(),
        }),
        response: { 200: z.object({ items: z.array(alarmSummary), nextCursor: z.string().nullable() }), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req) => {
      const q = req.query;
      return listAlarms({
        db: ctx.store.db,
        actor: requireActor(req, staffRoles),
        filter: { state: q.state, severity: q.severity, modelId: q.model, sourceType: q.sourceType, street: q.street, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined },
        limit: q.limit,
        cursor: q.cursor,
      });
    },
  );

  r.get(
    '/alarms/:id',
    { schema: { tags: ['cityops'], summary: '告警详情 One alarm with its history and my allowed actions', params: idParams, response: { 200: alarmDetail, 401: errorBody, 403: errorBody, 404: errorBody } } },
    async (req) => getAlarm({ db: ctx.store.db, actor: requireActor(req, staffRoles), alarmId: req.params.id }),
  );

  const step = (path: string, summary: string, body: z.ZodType, toInput: (b: never) => Parameters<typeof actOnAlarm>[0]['input']) =>
    r.post(
      `/alarms/:id/${path}`,
      { schema: { tags: ['cityops'], summary, params: idParams, body, response: detailResponses } },
      async (req) => {
        const actor = requireActor(req, staffRoles);
        const b = (req.body ?? {}) as { version?: number };
        await actOnAlarm({ db: ctx.store.db, actor, alarmId: req.params.id, version: b.version, input: toInput(b as never), now: ctx.now() });
        return getAlarm({ db: ctx.store.db, actor, alarmId: req.params.id });
      },
    );

  step('acknowledge', '确认告警 Acknowledge', z.object({ note: z.string().trim().max(1000).optional(), version }).nullish(), (b: { note?: string }) => ({ kind: 'acknowledge', note: b.note }));
  step('assign', '指派告警 Assign to a unit (and optionally one of its users)', z.object({ unitCode: code, userId: z.uuid().optional(), note: z.string().trim().max(1000).optional(), version }), (b: { unitCode: string; userId?: string; note?: string }) => ({ kind: 'assign', unitCode: b.unitCode, userId: b.userId, note: b.note }));
  step('comments', '批注 Comment on an alarm', z.object({ text: z.string().trim().min(1).max(2000), version }), (b: { text: string }) => ({ kind: 'comment', text: b.text }));
  step('clear', '解除告警 Clear, with the reason', z.object({ reason: z.string().trim().min(1).max(2000), version }), (b: { reason: string }) => ({ kind: 'clear', reason: b.reason }));

  r.post(
    '/alarms/:id/to-order',
    {
      schema: {
        tags: ['cityops'],
        summary: '转工单 Make a work order of the alarm (one click)',
        description: 'Through the ordinary intake: the order carries the alarm as evidence and the alarm links to it. Dispatched to `leadUnitCode`, else the assignee, else the alarm’s street; without any, it goes to the review queue. Once per alarm (409 after).',
        params: idParams,
        body: z.object({ leadUnitCode: code.optional(), categoryCode: code.optional(), note: z.string().trim().max(1000).optional() }).nullish(),
        response: { 201: z.object({ alarm: alarmDetail, order: z.object({ id: z.string(), no: z.string() }) }), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req, ['agent', 'dispatcher', 'supervisor', 'handler', 'leader', 'admin']);
      const res = await alarmToOrder({ db: ctx.store.db, actor, alarmId: req.params.id, input: req.body ?? {}, now: ctx.now() });
      return reply.status(201).send({ alarm: await getAlarm({ db: ctx.store.db, actor, alarmId: res.alarmId }), order: { id: res.orderId, no: res.orderNo } });
    },
  );
};
