/**
 * 回访与考核: the follow-up queue, the citizen's survey link (no sign-in), exclusions from assessment, the three rates
 * of a unit, monthly rankings with drill-down and export, and the assessment policy. See docs/assessment.md.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assessedOrders, measures } from '../../app/assessment/assessedOrders.js';
import { getAssessmentPolicy, setAssessmentPolicy } from '../../app/assessment/assessmentPolicy.js';
import { rankingCsv, rankingFileStem, rankingTitle, rankingXlsx } from '../../app/assessment/exportRanking.js';
import { listFollowUps } from '../../app/assessment/followUpQueue.js';
import { recloseMonth, recountOpenMonth } from '../../app/assessment/monthFigures.js';
import { getRanking, rankingKinds } from '../../app/assessment/rankings.js';
import { setAssessmentExclusion } from '../../app/assessment/setAssessmentExclusion.js';
import { answerSurvey, issueSurveyLink, readSurvey, surveyIssuerRoles } from '../../app/assessment/surveys.js';
import { unitRates, type PeriodInput } from '../../app/assessment/unitRates.js';
import { monthOf } from '../../domain/assessment/index.js';
import { addDays, startOfShanghaiDay } from '../../domain/deadline/index.js';
import { DomainError } from '../../domain/errors.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

/** Who reads assessment figures: leaders, the hotline's supervision and dispatch, administrators, units' handlers. */
const figureRoles = ['leader', 'supervisor', 'admin', 'dispatcher', 'handler'] as const;

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '格式应为 YYYY-MM').describe('a Beijing calendar month, YYYY-MM');
const dateOrInstant = z.iso.date().or(z.iso.datetime({ offset: true }));
const periodQuery = {
  month: month.optional().describe('default: the current month'),
  from: dateOrInstant.optional().describe('instead of month: a date (Beijing day) or an instant'),
  to: dateOrInstant.optional().describe('a date (inclusive, Beijing day) or an instant (exclusive)'),
};

/** A month, or a from/to range; a bare date is a whole Beijing day. */
function periodFrom(q: { month?: string | undefined; from?: string | undefined; to?: string | undefined }, now: Date): PeriodInput {
  if (q.month && (q.from || q.to)) throw new DomainError('VALIDATION_FAILED', 'month 与 from/to 不能同时使用', [{ field: 'querystring.month', reason: '与 from/to 冲突' }]);
  if (q.from || q.to) {
    if (!q.from || !q.to) throw new DomainError('VALIDATION_FAILED', 'from 与 to 须同时给出', [{ field: q.from ? 'querystring.to' : 'querystring.from', reason: '必填' }]);
    const day = (d: string, end: boolean) => (d.length === 10 ? startOfShanghaiDay(end ? addDays(d, 1) : d) : new Date(d));
    return { from: day(q.from, false), to: day(q.to, true) };
  }
  return { month: q.month ?? monthOf(now) };
}

/** RFC 6266 with RFC 5987's `filename*` for the Chinese name, and an ASCII `filename` for old clients. */
export function contentDisposition(fileName: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}

const counts = z
  .object({
    assessed: z.number().int(),
    responseMet: z.number().int(),
    responseLate: z.number().int(),
    responsePending: z.number().int(),
    excluded: z.number().int(),
    followedUp: z.number().int(),
    resolved: z.number().int(),
    partly: z.number().int(),
    unresolved: z.number().int(),
    satisfied: z.number().int(),
    basic: z.number().int(),
    unsatisfied: z.number().int(),
    noAnswer: z.number().int(),
  })
  .meta({ id: 'AssessmentCounts' });
const rates = {
  responseRate: z.number().nullable().describe('响应率 0…1'),
  resolutionRate: z.number().nullable().describe('解决率 0…1'),
  satisfactionRate: z.number().nullable().describe('满意率 0…1'),
  score: z.number().nullable().describe('综合得分, points 0…100'),
  partial: z.boolean().describe('a rate was missing; the others stand for it'),
};
const policy = z
  .object({
    weights: z.object({ response: z.number(), resolution: z.number(), satisfaction: z.number() }).describe('percent, adding up to 100'),
    partlyResolvedCredit: z.number(),
    basicSatisfiedCredit: z.number(),
    followUpWorkingDays: z.number().int(),
    surveyLinkDays: z.number().int(),
    closeAfterDays: z.number().int(),
    attentionCount: z.number().int(),
  })
  .meta({ id: 'AssessmentPolicy' });
const unitRef = z.object({ code: z.string(), name: z.string(), level: z.string() });
const periodOut = z.object({ month: z.string().nullable(), from: z.string(), to: z.string() });
const rankingRow = z
  .object({
    rank: z.number().int().nullable(),
    code: z.string(),
    name: z.string(),
    district: z.object({ code: z.string(), name: z.string() }).nullable(),
    counts,
    ...rates,
    attention: z.boolean().describe('among the worst ranked: 治理类 attention'),
    previousRank: z.number().int().nullable(),
    previousScore: z.number().nullable(),
    rankChange: z.number().int().nullable().describe('places moved up since last month'),
    scoreChange: z.number().nullable(),
  })
  .meta({ id: 'RankingRow' });
const ranking = z
  .object({
    kind: z.enum(rankingKinds),
    month: z.string(),
    previousMonth: z.string(),
    source: z.enum(['snapshot', 'provisional', 'live']).describe('final snapshot of a closed month, provisional count of an open one (minutes old), or counted live'),
    countedAt: z.string().nullable(),
    policy,
    units: z.number().int(),
    ranked: z.number().int(),
    rows: z.array(rankingRow),
  })
  .meta({ id: 'Ranking' });
const rankingQuery = z.object({ kind: z.enum(rankingKinds).default('street'), month: month.optional(), live: z.enum(['true', 'false']).optional().describe('count afresh instead of reading the snapshot') });

export const assessmentRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;

  r.get(
    '/assessment/follow-ups',
    {
      schema: {
        tags: ['assessment'],
        summary: '待回访 Replied orders awaiting follow-up, oldest reply first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(300).optional() }),
        response: {
          200: z.object({
            total: z.number().int().nullable().describe('on the first page'),
            followUpWorkingDays: z.number().int(),
            items: z.array(
              z.object({
                id: z.string(),
                no: z.string(),
                title: z.string(),
                type: z.string(),
                urgency: z.string(),
                version: z.number().int(),
                reopenCount: z.number().int(),
                leadUnit: z.object({ code: z.string(), name: z.string() }).nullable(),
                reply: z.object({ text: z.string(), at: z.string() }),
                followUpDueAt: z.string(),
                overdue: z.boolean(),
                contact: z.object({ name: z.string().nullable(), phone: z.string().nullable() }).describe('masked'),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
          400: errorBody,
          401: errorBody,
          403: errorBody,
        },
      },
    },
    async (req) => listFollowUps({ db, actor: requireActor(req, surveyIssuerRoles), now: ctx.now(), limit: req.query.limit, ...(req.query.cursor ? { cursor: req.query.cursor } : {}) }),
  );

  r.post(
    '/assessment/follow-ups/:orderId/survey-link',
    {
      schema: {
        tags: ['assessment'],
        summary: '回访评价链接 Issue the citizen a signed, expiring survey link for a replied order',
        params: z.object({ orderId: z.string().max(64) }),
        response: { 201: z.object({ orderId: z.string(), no: z.string(), token: z.string(), path: z.string(), expiresAt: z.string() }), 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => reply.status(201).send(await issueSurveyLink({ db, actor: requireActor(req, surveyIssuerRoles), orderId: req.params.orderId, now: ctx.now() })),
  );

  const tokenParam = z.object({ token: z.string().min(1).max(200) });
  r.get(
    '/surveys/:token',
    {
      schema: {
        tags: ['assessment'],
        summary: '评价页 The order and reply a survey link is for (no sign-in; personal data masked)',
        description: '404 LINK_INVALID for a forged or garbled link, 410 LINK_EXPIRED, 409 LINK_USED once the reply is rated.',
        security: [],
        params: tokenParam,
        response: {
          200: z.object({
            no: z.string(),
            title: z.string(),
            unit: z.string().nullable(),
            reply: z.object({ text: z.string(), at: z.string() }),
            contactName: z.string().nullable(),
            expiresAt: z.string(),
            resolutions: z.array(z.object({ value: z.string(), label: z.string() })),
            satisfactions: z.array(z.object({ value: z.string(), label: z.string() })),
          }),
          404: errorBody,
          409: errorBody,
          410: errorBody,
        },
      },
    },
    async (req) => readSurvey({ db, token: req.params.token, now: ctx.now() }),
  );

  r.post(
    '/surveys/:token',
    {
      schema: {
        tags: ['assessment'],
        summary: '提交评价 The citizen rates the reply: the order’s follow-up step, once',
        security: [],
        params: tokenParam,
        body: z.object({ resolution: z.enum(['resolved', 'partly', 'unresolved']), satisfaction: z.enum(['satisfied', 'basic', 'unsatisfied']), note: z.string().trim().max(500).optional() }),
        response: { 200: z.object({ no: z.string(), state: z.string(), reopened: z.boolean().describe('unresolved and unsatisfied: sent back to the unit (重办)') }), 400: errorBody, 404: errorBody, 409: errorBody, 410: errorBody },
      },
    },
    async (req) => answerSurvey({ db, token: req.params.token, answer: { resolution: req.body.resolution, satisfaction: req.body.satisfaction, ...(req.body.note ? { note: req.body.note } : {}) }, now: ctx.now() }),
  );

  r.put(
    '/assessment/orders/:orderId/exclusion',
    {
      schema: {
        tags: ['assessment'],
        summary: '不计考核 Exclude a malicious or invalid request from the three rates, or include it again (supervisor, admin; audited)',
        params: z.object({ orderId: z.string().max(64) }),
        body: z.object({ excluded: z.boolean(), reason: z.string().trim().min(1).max(500) }),
        response: { 200: z.object({ orderId: z.string(), no: z.string(), excluded: z.boolean(), reason: z.string().nullable() }), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req) => setAssessmentExclusion({ db, actor: requireActor(req), orderId: req.params.orderId, excluded: req.body.excluded, reason: req.body.reason, now: ctx.now(), ip: req.ip }),
  );

  r.get(
    '/assessment/rates',
    {
      schema: {
        tags: ['assessment'],
        summary: '三率 A unit’s response, resolution and satisfaction rates with the counts behind them',
        querystring: z.object({ unit: z.string().max(40).optional().describe('unit code; default: my own unit (the city for the hotline)'), ...periodQuery }),
        response: { 200: z.object({ unit: unitRef, period: periodOut, source: z.enum(['snapshot', 'provisional', 'live']), counts, policy, ...rates }), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, figureRoles);
      const now = ctx.now();
      return unitRates({ db, actor, ...(req.query.unit ? { unitCode: req.query.unit } : {}), period: periodFrom(req.query, now), now });
    },
  );

  r.get(
    '/assessment/rankings',
    {
      schema: {
        tags: ['assessment'],
        summary: '月度排名 Monthly ranking of streets/townships (343), districts, city departments or companies, with change from last month',
        description: 'Ranks are city-wide; each viewer gets the rows of their jurisdiction. A closed month comes from its snapshot.',
        querystring: rankingQuery,
        response: { 200: ranking, 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req) => {
      const now = ctx.now();
      return getRanking({ db, actor: requireActor(req, figureRoles), kind: req.query.kind, month: req.query.month ?? monthOf(now), now, live: req.query.live === 'true' });
    },
  );

  r.get(
    '/assessment/rankings/export',
    {
      schema: {
        tags: ['assessment'],
        summary: '导出排名 The ranking as xlsx or CSV (UTF-8), named in Chinese (RFC 5987)',
        querystring: rankingQuery.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
        // A Buffer goes out as it is: fastify does not run the serializer on it.
        response: { 200: z.any().describe('the file'), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req, reply) => {
      const now = ctx.now();
      const result = await getRanking({ db, actor: requireActor(req, figureRoles), kind: req.query.kind, month: req.query.month ?? monthOf(now), now, live: req.query.live === 'true' });
      const xlsx = req.query.format === 'xlsx';
      const body = xlsx ? await rankingXlsx(result) : rankingCsv(result);
      return reply
        .header('content-type', xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8')
        .header('content-disposition', contentDisposition(`${rankingTitle(result)}.${req.query.format}`, `${rankingFileStem(result)}.${req.query.format}`))
        .header('cache-control', 'no-store')
        .send(body);
    },
  );

  r.get(
    '/assessment/orders',
    {
      schema: {
        tags: ['assessment'],
        summary: '下钻 The orders behind a figure: a unit, a period and a measure (e.g. response_late)',
        querystring: z.object({ unit: z.string().max(40).optional(), measure: z.enum(measures as [string, ...string[]]), ...periodQuery, limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(300).optional() }),
        response: {
          200: z.object({
            unit: unitRef,
            period: periodOut,
            measure: z.string(),
            measureLabel: z.string(),
            total: z.number().int().nullable().describe('on the first page'),
            items: z.array(
              z.object({
                id: z.string(),
                no: z.string(),
                title: z.string(),
                state: z.string(),
                leadUnit: z.object({ code: z.string(), name: z.string() }).nullable(),
                acceptedAt: z.string(),
                repliedAt: z.string().nullable(),
                followedUpAt: z.string().nullable(),
                resolution: z.string().nullable(),
                satisfaction: z.string().nullable(),
                responseMet: z.boolean().nullable(),
                excluded: z.boolean(),
                exclusionReason: z.string().nullable(),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
          400: errorBody,
          401: errorBody,
          403: errorBody,
          404: errorBody,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req, figureRoles);
      const now = ctx.now();
      const q = req.query;
      return assessedOrders({ db, actor, ...(q.unit ? { unitCode: q.unit } : {}), measure: q.measure as (typeof measures)[number], period: periodFrom(q, now), now, limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
    },
  );

  r.get(
    '/assessment/policy',
    { schema: { tags: ['assessment'], summary: '考核规则 Weights of the composite score, credits, follow-up and link days', response: { 200: policy, 401: errorBody, 403: errorBody } } },
    async (req) => {
      requireActor(req, ['admin', 'leader', 'supervisor']);
      return getAssessmentPolicy(db);
    },
  );

  r.put(
    '/assessment/policy',
    { schema: { tags: ['assessment'], summary: '修改考核规则 Replace the assessment policy (admin; audited)', body: z.record(z.string(), z.unknown()), response: { 200: policy, 400: errorBody, 401: errorBody, 403: errorBody } } },
    async (req) => setAssessmentPolicy({ db, actor: requireActor(req, ['admin']), policy: req.body, now: ctx.now() }),
  );

  r.post(
    '/assessment/months/:month/close',
    {
      schema: {
        tags: ['assessment'],
        summary: '关账 Freeze a finished month’s figures again (admin; audited) — the monthly job does it on its own',
        params: z.object({ month }),
        response: { 200: z.object({ month: z.string(), units: z.number().int() }), 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody },
      },
    },
    async (req) => recloseMonth({ db, actor: requireActor(req, ['admin']), month: req.params.month, now: ctx.now() }),
  );

  r.post(
    '/assessment/months/:month/recount',
    {
      schema: {
        tags: ['assessment'],
        summary: '重算 Recount an open month’s provisional figures now (admin) — e.g. after a bulk import; the job does it every 5 minutes',
        params: z.object({ month }),
        response: { 200: z.object({ month: z.string(), units: z.number().int() }), 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody },
      },
    },
    async (req) => recountOpenMonth({ db, actor: requireActor(req, ['admin']), month: req.params.month, now: ctx.now() }),
  );
};
