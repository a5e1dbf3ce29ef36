import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { backtestForecasts, listForecasts } from '../../app/proactive/listForecasts.js';
import { listProactiveActions } from '../../app/proactive/listProactiveActions.js';
import { listSpikes } from '../../app/proactive/listSpikes.js';
import { openProactive } from '../../app/proactive/openProactive.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

const named = z.object({ code: z.string(), name: z.string() });
const spike = z.object({
  category: named,
  street: named,
  district: named.nullable(),
  today: z.number().describe('requests of this class in this street today (Beijing day)'),
  expected: z.number().describe('the daily mean over the baseline days'),
  z: z.number().describe('deviations above the mean (Poisson floor)'),
  ratio: z.number().nullable(),
  orders: z.array(z.object({ id: z.string(), no: z.string(), title: z.string(), acceptedAt: z.string() })),
});

const forecast = z
  .object({
    key: z.string(),
    category: named,
    area: z.object({ level: z.enum(['city', 'district']), code: z.string().nullable(), name: z.string() }),
    history: z.array(z.number()).describe('monthly orders, oldest first; the last month is the current, partial one'),
    months: z.array(z.string()),
    forecast: z.array(z.object({ month: z.string(), value: z.number() })).describe('the current month (whole) and the next'),
    method: z.enum(['blend', 'trend', 'seasonal_naive', 'naive', 'pooled']),
    now: z.number().int().describe('orders in the last 30 days'),
    rising: z.boolean(),
    peak: z.object({ month: z.string(), value: z.number(), ratio: z.number().nullable() }),
    lastYear: z.object({ month: z.string(), orders: z.number().int() }),
    units: z.array(named).describe('the lead (and co-units) by the catalogue rule for this area'),
    evidence: z.array(z.object({ id: z.string(), no: z.string(), title: z.string(), acceptedAt: z.string() })).describe('orders of the peak month a year earlier'),
    evidenceKey: z.string(),
  })
  .meta({ id: 'Forecast' });
const score = z.object({ method: z.enum(['naive', 'seasonal_naive', 'trend', 'blend', 'pooled']), forecasts: z.number().int(), mae: z.number(), wape: z.number() });
const action = z
  .object({
    id: z.string(),
    kind: z.enum(['order', 'alert']),
    source: z.enum(['spike', 'forecast']),
    evidenceKey: z.string(),
    category: named,
    district: named.nullable(),
    street: named.nullable(),
    units: z.array(named),
    order: z.object({ id: z.string(), no: z.string() }).nullable(),
    evidence: z.record(z.string(), z.unknown()),
    note: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'ProactiveAction' });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const code = z.string().trim().min(1).max(40);

export const proactiveRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/proactive/spikes',
    {
      schema: {
        tags: ['stats'],
        summary: '未诉先办 Spikes as they start: a problem class suddenly frequent in one street today, with its orders (my jurisdiction)',
        querystring: z.object({
          days: z.coerce.number().int().min(7).max(90).default(28).describe('baseline days before today'),
          minCount: z.coerce.number().int().min(2).max(1000).default(5),
          minZ: z.coerce.number().min(1).max(20).default(3),
        }),
        response: { 200: z.object({ day: z.string(), baselineDays: z.number(), spikes: z.array(spike) }), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['supervisor', 'leader', 'dispatcher', 'agent', 'admin', 'handler']);
      return listSpikes({ db: ctx.store.db, actor, now: ctx.now(), days: req.query.days, options: { minCount: req.query.minCount, minZ: req.query.minZ } });
    },
  );

  r.get(
    '/proactive/forecasts',
    {
      schema: {
        tags: ['stats'],
        summary: '未诉先办 Forecasts: problem classes (citywide and per district) whose coming month rises well above the last 30 days (my jurisdiction)',
        querystring: z.object({
          level: z.enum(['city', 'district', 'all']).default('all'),
          all: z.enum(['true', 'false']).default('false').describe('true: every class, rising or not'),
          category: code.optional().describe('a category code; its children are included'),
          district: code.optional(),
          minRatio: z.coerce.number().min(1).max(20).default(1.5).describe('forecast ÷ last 30 days at which a class is flagged'),
          minRise: z.coerce.number().min(0).max(100000).default(5).describe('forecast − last 30 days, in orders, at which a class is flagged'),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: { 200: z.object({ month: z.string(), nextMonth: z.string(), rise: z.object({ minRatio: z.number(), minRise: z.number() }), forecasts: z.array(forecast) }), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['supervisor', 'leader', 'dispatcher', 'admin', 'handler']);
      const q = req.query;
      return listForecasts({ db: ctx.store.db, actor, now: ctx.now(), query: { level: q.level, risingOnly: q.all !== 'true', category: q.category, district: q.district, limit: q.limit, rise: { minRatio: q.minRatio, minRise: q.minRise } } });
    },
  );

  r.get(
    '/proactive/forecasts/backtest',
    {
      schema: {
        tags: ['stats'],
        summary: '预测回测 One-month-ahead backtest of the forecasts on the stored orders, against naive, seasonal-naive and trend forecasts',
        response: { 200: z.object({ months: z.array(z.string()), origins: z.number().int(), city: z.array(score), district: z.array(score) }), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['supervisor', 'leader', 'admin']);
      return backtestForecasts({ db: ctx.store.db, actor, now: ctx.now() });
    },
  );

  r.get(
    '/proactive/actions',
    {
      schema: {
        tags: ['stats'],
        summary: '未诉先办记录 Proactive orders and alerts opened lately in my area (by people and by the job)',
        querystring: z.object({ days: z.coerce.number().int().min(1).max(366).default(60) }),
        response: { 200: z.object({ items: z.array(action) }), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['supervisor', 'leader', 'dispatcher', 'admin', 'handler']);
      return { items: await listProactiveActions({ db: ctx.store.db, actor, now: ctx.now(), days: req.query.days }) };
    },
  );

  r.post(
    '/proactive/actions',
    {
      schema: {
        tags: ['stats'],
        summary: '主动派单/预警 Open a proactive work order (through intake: dispatched, with clocks) or an alert from a spike or forecast, with its evidence; once per evidence',
        body: z
          .object({
            kind: z.enum(['order', 'alert']),
            source: z.enum(['spike', 'forecast']),
            categoryCode: code,
            streetCode: code.optional().describe("the spike's street"),
            districtCode: code.optional().describe("the forecast's district; absent for a citywide forecast"),
            leadUnitCode: code.optional().describe('the lead of the order; by the catalogue rule when absent'),
            unitCodes: z.array(code).max(10).optional().describe('units to alert; by the catalogue rule when absent'),
            note: z.string().trim().max(2000).optional(),
          })
          .meta({ id: 'OpenProactive' }),
        response: { 201: z.object({ id: z.string(), kind: z.enum(['order', 'alert']), evidenceKey: z.string(), order: z.object({ id: z.string(), no: z.string() }).nullable(), unitIds: z.array(z.string()) }), ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req, ['supervisor', 'leader']);
      return reply.status(201).send(await openProactive({ db: ctx.store.db, actor, input: req.body, now: ctx.now() }));
    },
  );
};
