import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { blowWhistle } from '../../app/whistles/blowWhistle.js';
import { closeWhistle } from '../../app/whistles/closeWhistle.js';
import { getWhistle } from '../../app/whistles/getWhistle.js';
import { listWhistles } from '../../app/whistles/listWhistles.js';
import { recordPart } from '../../app/whistles/recordPart.js';
import { reportIn } from '../../app/whistles/reportIn.js';
import { whistleStats } from '../../app/whistles/whistleStats.js';
import { whistleKinds } from '../../domain/whistle/index.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

const code = z.string().trim().min(1).max(40);
const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.iso.datetime({ offset: true });
const named = z.object({ code: z.string(), name: z.string() });
const kind = z.enum(whistleKinds).describe('日常哨 routine · 攻坚哨 hard · 应急哨 emergency');
const state = z.enum(['open', 'closed']);
const reportInStatus = z.enum(['on_time', 'late', 'missing', 'waiting']);

const whistleDetail = z
  .object({
    id: z.string(),
    no: z.string().describe('哨令编号 CS + date + sequence'),
    kind,
    kindLabel: z.string(),
    state,
    version: z.number().int(),
    street: named,
    reason: z.string(),
    place: z.string(),
    meetAt: z.string(),
    reportDueAt: z.string(),
    blownAt: z.string(),
    blownBy: z.string().nullable(),
    summoned: z.array(z.object({ unit: named, level: z.string(), status: reportInStatus, reportedAt: z.string().nullable(), reportedBy: z.string().nullable(), minutesLate: z.number().int().nullable(), note: z.string().nullable() })),
    reportIns: z.object({ onTime: z.array(z.string()), late: z.array(z.string()), missing: z.array(z.string()), waiting: z.array(z.string()) }).describe('unit codes by report-in status'),
    orders: z.array(z.object({ id: z.string(), no: z.string(), title: z.string(), state: z.string(), closedByWhistle: z.boolean() })),
    parts: z.array(z.object({ unit: named, at: z.string(), by: z.string().nullable(), text: z.string() })),
    outcome: z.string().nullable(),
    closedAt: z.string().nullable(),
    closedBy: z.string().nullable(),
    history: z.array(z.object({ id: z.number(), at: z.string(), type: z.string(), actor: z.object({ name: z.string().nullable() }), unit: named.nullable(), data: z.record(z.string(), z.unknown()) })),
    allowedActions: z.array(z.enum(['report_in', 'record_part', 'close'])),
  })
  .meta({ id: 'WhistleDetail' });

const whistleSummary = z
  .object({
    id: z.string(),
    no: z.string(),
    kind,
    kindLabel: z.string(),
    state,
    street: named,
    reason: z.string(),
    place: z.string(),
    meetAt: z.string(),
    reportDueAt: z.string(),
    blownAt: z.string(),
    closedAt: z.string().nullable(),
    reportIns: z.object({ summoned: z.number().int(), onTime: z.number().int(), late: z.number().int(), missing: z.number().int(), waiting: z.number().int() }),
    orderCount: z.number().int(),
  })
  .meta({ id: 'WhistleSummary' });

export const blowBody = z
  .object({
    kind,
    reason: text(2000),
    place: text(200),
    meetAt: instant.describe('集合时间 when the units meet on site'),
    summoned: z.array(code).min(1).max(20).describe('unit codes of the departments and companies summoned'),
    orderIds: z.array(z.uuid()).max(50).optional().describe('orders the whistle is blown over (visible to you)'),
    reportDeadlineMinutes: z.number().int().min(1).max(7 * 24 * 60).optional().describe("minutes to report in; the policy's default for the kind when absent"),
  })
  .meta({ id: 'BlowWhistle' });

const idParams = z.object({ id: z.string().max(64) });
const detailResponses = { 200: whistleDetail, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

export const whistleRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const staffRoles = ['agent', 'dispatcher', 'supervisor', 'handler', 'grid_worker', 'leader', 'admin'] as const;
  const actingRoles = ['handler', 'leader'] as const;

  r.post(
    '/whistles',
    {
      schema: {
        tags: ['whistles'],
        summary: '吹哨 Blow a whistle: summon departments and companies to a place',
        description: 'By a handler or leader of a street/township, for its own street. Summoned units must be departments (委办局) or public-service companies; they report in by `reportDueAt`.',
        body: blowBody,
        response: { 201: whistleDetail, 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req, actingRoles);
      const now = ctx.now();
      const b = req.body;
      const { id } = await blowWhistle({ db: ctx.store.db, actor, input: { ...b, meetAt: new Date(b.meetAt) }, now });
      return reply.status(201).send(await getWhistle({ db: ctx.store.db, actor, whistleId: id, now }));
    },
  );

  r.get(
    '/whistles',
    {
      schema: {
        tags: ['whistles'],
        summary: '哨令列表 Whistles I may see, newest first (keyset paging)',
        description: 'The blowing street, the summoned units and those above them see a whistle.',
        querystring: z.object({
          state: state.optional(),
          street: code.optional(),
          unit: code.optional().describe('a summoned unit'),
          kind: kind.optional(),
          from: instant.optional(),
          to: instant.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(200).optional(),
        }),
        response: { 200: z.object({ items: z.array(whistleSummary), nextCursor: z.string().nullable() }), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req) => {
      const q = req.query;
      return listWhistles({
        db: ctx.store.db,
        actor: requireActor(req, staffRoles),
        filter: { state: q.state, street: q.street, unit: q.unit, kind: q.kind, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined },
        limit: q.limit,
        cursor: q.cursor,
        now: ctx.now(),
      });
    },
  );

  r.get(
    '/whistles/stats/report-ins',
    {
      schema: {
        tags: ['whistles'],
        summary: '报到统计 Late and missing report-ins per summoned unit over a period',
        description: 'Over whistles blown in [from, to) that you may see, worst first. A unit of an open whistle past its deadline counts as missing.',
        querystring: z.object({ from: instant.optional(), to: instant.optional() }),
        response: {
          200: z.object({
            from: z.string().nullable(),
            to: z.string().nullable(),
            whistles: z.number().int(),
            items: z.array(z.object({ unit: named, level: z.string(), summoned: z.number().int(), onTime: z.number().int(), late: z.number().int(), missing: z.number().int() })),
          }),
          400: errorBody,
          401: errorBody,
          403: errorBody,
        },
      },
    },
    async (req) =>
      whistleStats({ db: ctx.store.db, actor: requireActor(req, staffRoles), from: req.query.from ? new Date(req.query.from) : undefined, to: req.query.to ? new Date(req.query.to) : undefined, now: ctx.now() }),
  );

  r.get(
    '/whistles/:id',
    { schema: { tags: ['whistles'], summary: '哨令详情 One whistle with its report-ins, orders, parts and history', params: idParams, response: { 200: whistleDetail, 401: errorBody, 403: errorBody, 404: errorBody } } },
    async (req) => getWhistle({ db: ctx.store.db, actor: requireActor(req, staffRoles), whistleId: req.params.id, now: ctx.now() }),
  );

  r.post(
    '/whistles/:id/report-in',
    {
      schema: {
        tags: ['whistles'],
        summary: '报到 Report in for my unit (on time or late)',
        description: "Reports in for your own unit; the street's staff may pass `unitCode` to record a unit that arrived on site. Once per unit; a closed whistle is 409.",
        params: idParams,
        body: z.object({ note: z.string().trim().max(2000).optional(), unitCode: code.optional() }).nullish(),
        response: detailResponses,
      },
    },
    async (req) => {
      const actor = requireActor(req, actingRoles);
      const now = ctx.now();
      await reportIn({ db: ctx.store.db, actor, whistleId: req.params.id, unitCode: req.body?.unitCode, note: req.body?.note, now });
      return getWhistle({ db: ctx.store.db, actor, whistleId: req.params.id, now });
    },
  );

  r.post(
    '/whistles/:id/parts',
    {
      schema: {
        tags: ['whistles'],
        summary: '记录处置情况 Record my unit’s part in the joint handling',
        description: 'A summoned unit after reporting in, or the street itself; the street may pass `unitCode` for a unit on site.',
        params: idParams,
        body: z.object({ text: text(2000), unitCode: code.optional() }),
        response: detailResponses,
      },
    },
    async (req) => {
      const actor = requireActor(req, actingRoles);
      const now = ctx.now();
      await recordPart({ db: ctx.store.db, actor, whistleId: req.params.id, unitCode: req.body.unitCode, text: req.body.text, now });
      return getWhistle({ db: ctx.store.db, actor, whistleId: req.params.id, now });
    },
  );

  r.post(
    '/whistles/:id/close',
    {
      schema: {
        tags: ['whistles'],
        summary: '关闭哨令 Close the whistle with its outcome and the orders it resolved',
        description: 'By the blowing street. `closedOrderIds` must be orders of this whistle; units that never reported in are recorded as missing.',
        params: idParams,
        body: z.object({ outcome: text(5000), closedOrderIds: z.array(z.uuid()).max(50).default([]) }),
        response: detailResponses,
      },
    },
    async (req) => {
      const actor = requireActor(req, actingRoles);
      const now = ctx.now();
      await closeWhistle({ db: ctx.store.db, actor, whistleId: req.params.id, outcome: req.body.outcome, closedOrderIds: req.body.closedOrderIds, now });
      return getWhistle({ db: ctx.store.db, actor, whistleId: req.params.id, now });
    },
  );
};
