import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandPoints } from '../../app/indicators/commandPoints.js';
import { indicatorReaderRoles, resolveIndicatorArea } from '../../app/indicators/indicatorArea.js';
import { listIndicatorCatalogue } from '../../app/indicators/indicatorCatalogue.js';
import { indicatorTrend } from '../../app/indicators/indicatorTrend.js';
import { readIndicators } from '../../app/indicators/readIndicators.js';
import { recordIndicators } from '../../app/indicators/recordIndicators.js';
import { setIndicatorThresholds } from '../../app/indicators/setIndicatorThresholds.js';
import { DomainError } from '../../domain/errors.js';
import { indicatorColours, indicatorLevels, isAtOrBelow, levelsFrom } from '../../domain/indicator/index.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

const code = z.string().trim().min(1).max(40);
const level = z.enum(indicatorLevels).describe('city 全市 · district 区 · street 街道/乡镇 · community 社区/村 · grid 网格');
const thresholds = z.object({ direction: z.enum(['higher_is_worse', 'lower_is_worse']), yellow: z.number(), red: z.number() }).nullable();
const thresholdSet = z.object({ default: thresholds, byLevel: z.record(z.string(), thresholds).optional() });

const reading = z
  .object({
    key: z.string(),
    name: z.string(),
    unitLabel: z.string(),
    valueUnit: z.enum(['count', 'ratio', 'reading']),
    value: z.number().nullable().describe('ratios as fractions 0…1; null when there was nothing to count'),
    breakdown: z.array(z.object({ code: z.string(), name: z.string(), count: z.number() })).nullable(),
    colour: z.enum(indicatorColours),
    thresholds,
  })
  .meta({ id: 'IndicatorReading' });
const unitIndicators = z.object({ unit: z.object({ code: z.string(), name: z.string(), level, levelLabel: z.string(), parent: z.string().nullable(), center: z.tuple([z.number(), z.number()]).nullable().describe('[lng, lat]') }), indicators: z.array(reading) }).meta({ id: 'UnitIndicators' });

const definition = z
  .object({
    key: z.string(),
    name: z.string(),
    unitLabel: z.string(),
    valueUnit: z.enum(['count', 'ratio', 'reading']),
    kind: z.string(),
    description: z.string(),
    source: z.enum(['orders', 'cityops']),
    params: z.object({ metric: z.string(), aggregate: z.enum(['avg', 'max', 'min']), windowMinutes: z.number() }).optional(),
    defaultThresholds: thresholdSet,
    thresholds: thresholdSet,
    thresholdsVersion: z.number().int(),
    thresholdsUpdatedAt: z.string().nullable(),
    thresholdsUpdatedBy: z.string().nullable(),
    customised: z.boolean(),
  })
  .meta({ id: 'IndicatorDefinition' });

export const indicatorRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/indicators',
    {
      schema: {
        tags: ['indicators'],
        summary: '指标 Indicators of an area and of its units at one level, coloured by thresholds',
        description:
          '`unit` defaults to your own area (the city for the hotline centre, your street for a street). `level` (default: the unit\'s own) may be lower: `unit=110105&level=street` gives each street of 朝阳区. The latest stored values are served when every unit has values from the last 5 minutes; otherwise (or with `fresh=true`) they are computed now and stored. Another area than your own and below it is 403.',
        querystring: z.object({ unit: code.optional(), level: level.optional(), fresh: z.enum(['true', 'false']).optional() }),
        response: { 200: z.object({ at: z.string(), source: z.enum(['stored', 'computed']), own: z.string().describe('your own area'), trail: z.array(z.object({ code: z.string(), name: z.string() })).describe('from your own area down to this one'), area: unitIndicators, level, units: z.array(unitIndicators) }), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      const q = req.query;
      return readIndicators({ db: ctx.store.db, actor: requireActor(req, indicatorReaderRoles), unit: q.unit, level: q.level, fresh: q.fresh === 'true', now: ctx.now() });
    },
  );

  r.post(
    '/indicators/compute',
    {
      schema: {
        tags: ['indicators'],
        summary: '计算指标 Compute and store the indicators of an area now',
        description: 'For the area `unit` (default: your own) at the given levels (default: its own level and the next one down). Levels above the area are refused.',
        body: z.object({ unit: code.optional(), levels: z.array(level).min(1).max(5).optional() }).optional(),
        response: { 200: z.object({ at: z.string(), area: z.object({ code: z.string(), name: z.string(), level }), levels: z.array(level), units: z.number().int(), values: z.number().int(), durationMs: z.number().int() }), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['supervisor', 'leader', 'admin', 'dispatcher']);
      const { area } = await resolveIndicatorArea(ctx.store.db, actor, req.body?.unit);
      const levels = req.body?.levels ?? levelsFrom(area.level).slice(0, 2);
      const above = levels.filter((l) => !isAtOrBelow(area.level, l));
      if (above.length > 0) throw new DomainError('VALIDATION_FAILED', `层级 ${above.join('、')} 高于所选单位「${area.name}」`, [{ field: 'levels', reason: '高于所选单位' }]);
      const run = await recordIndicators({ db: ctx.store.db, area, levels: [...new Set(levels)], trigger: 'demand', actorName: actor.username, now: ctx.now() });
      return { at: run.at.toISOString(), area: { code: area.id, name: area.name, level: area.level }, levels: [...new Set(levels)], units: run.units.length, values: run.valueCount, durationMs: run.durationMs };
    },
  );

  r.get(
    '/indicators/trend',
    {
      schema: {
        tags: ['indicators'],
        summary: '指标趋势 One indicator of one unit over time (stored values)',
        querystring: z.object({ key: z.string().max(80), unit: code.optional(), from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() }),
        response: { 200: z.object({ key: z.string(), name: z.string(), unit: z.object({ code: z.string(), name: z.string() }), points: z.array(z.object({ at: z.string(), value: z.number().nullable(), colour: z.enum(indicatorColours) })) }), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      const q = req.query;
      const to = q.to ? new Date(q.to) : ctx.now();
      const from = q.from ? new Date(q.from) : new Date(to.getTime() - 24 * 3_600_000);
      if (from >= to) throw new DomainError('VALIDATION_FAILED', '开始时间必须早于结束时间', [{ field: 'from', reason: '晚于 to' }]);
      return indicatorTrend({ db: ctx.store.db, actor: requireActor(req, indicatorReaderRoles), key: q.key, unit: q.unit, from, to });
    },
  );

  r.get(
    '/indicators/definitions',
    {
      schema: {
        tags: ['indicators'],
        summary: '指标目录 The indicator catalogue with the thresholds in force',
        response: { 200: z.object({ items: z.array(definition) }), 401: errorBody, 403: errorBody },
      },
    },
    async (req) => {
      requireActor(req, indicatorReaderRoles);
      return { items: await listIndicatorCatalogue({ db: ctx.store.db }) };
    },
  );

  r.put(
    '/indicators/definitions/:key/thresholds',
    {
      schema: {
        tags: ['indicators'],
        summary: '修改指标阈值 Set an indicator\'s thresholds (admin, audited)',
        description: '`higher_is_worse`: yellow ≤ red; `lower_is_worse`: red ≤ yellow; ratios within 0…1, counts ≥ 0. `byLevel` overrides the default for a level (null: no colour there). `thresholds: null` restores the defaults. `version` is the `thresholdsVersion` read (409 when stale).',
        params: z.object({ key: z.string().max(80) }),
        body: z.object({ thresholds: z.unknown().describe('{ default: { direction, yellow, red } | null, byLevel?: { street: {…} } } or null'), version: z.number().int().min(0) }),
        response: { 200: z.object({ key: z.string(), thresholds: thresholdSet, version: z.number().int() }), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['admin']);
      return setIndicatorThresholds({ db: ctx.store.db, actor, key: req.params.key, thresholds: req.body.thresholds ?? null, version: req.body.version, now: ctx.now() });
    },
  );

  r.get(
    '/command/map',
    {
      schema: {
        tags: ['indicators'],
        summary: '大屏地图 Open orders with coordinates, open alarms and grid cells of an area',
        description: 'Orders are those you may see, located in the area; alarms lie in the area; grid cells only for a street or smaller.',
        querystring: z.object({ unit: code.optional(), limit: z.coerce.number().int().min(1).max(2000).default(500) }),
        response: { 200: z.record(z.string(), z.unknown()), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (req) => commandPoints({ db: ctx.store.db, actor: requireActor(req, indicatorReaderRoles), unit: req.query.unit, limit: req.query.limit }),
  );
};
