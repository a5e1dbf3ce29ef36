/** 一网统管 — the digital base (grid cells, city components, sensors) and sensor readings over HTTP. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { importComponents } from '../../app/cityops/importComponents.js';
import { importGrids } from '../../app/cityops/importGrids.js';
import { ingestReadings } from '../../app/cityops/ingestReadings.js';
import { dispatchAutoAlarms } from '../../app/cityops/alarmToOrder.js';
import { parseReading } from '../../app/cityops/sensorMessage.js';
import { checkDeviceKey, listSensors, loadVisibleSensor, registerSensor } from '../../app/cityops/sensors.js';
import type { Actor } from '../../domain/actor.js';
import { DomainError } from '../../domain/errors.js';
import { componentStateLabels, type ComponentState } from '../../domain/alarm/index.js';
import { cityComponents, gridCells } from '../../store/schema/index.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

const staffRoles = ['agent', 'dispatcher', 'supervisor', 'handler', 'grid_worker', 'leader', 'admin'] as const;
const code = z.string().trim().min(1).max(40);
const featureCollection = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.object({ type: z.literal('Feature'), geometry: z.record(z.string(), z.unknown()), properties: z.record(z.string(), z.unknown()) })) });
const importBody = z.object({ content: z.string().min(1).max(16 * 1024 * 1024).describe('the GeoJSON or CSV file as text'), dryRun: z.boolean().default(false).describe('check only, write nothing') });
const importReport = z.object({ format: z.enum(['geojson', 'csv']), total: z.number().int(), imported: z.number().int(), created: z.number().int(), updated: z.number().int(), rejects: z.array(z.object({ field: z.string(), reason: z.string() })) }).meta({ id: 'ImportReport' });
const readingBody = z.object({ ts: z.union([z.iso.datetime({ offset: true }), z.number().int()]), metric: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/), value: z.number(), lng: z.number().min(-180).max(180).optional(), lat: z.number().min(-90).max(90).optional() });
const sensorView = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.string(),
    metrics: z.array(z.string()),
    lng: z.number().nullable(),
    lat: z.number().nullable(),
    gridId: z.string().nullable(),
    streetId: z.string().nullable(),
    componentId: z.string().nullable(),
    active: z.boolean(),
    latest: z.array(z.object({ metric: z.string(), value: z.number(), ts: z.string(), readings: z.number() })),
  })
  .meta({ id: 'Sensor' });

const inScope = (actor: Actor, column: unknown) => sql`${column} LIKE ${`${actor.scopePath ?? '/nothing/'}%`}`;

export const cityopsBaseRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/grids',
    {
      schema: {
        tags: ['cityops'],
        summary: '网格 Grid cells in my area as GeoJSON',
        description: 'Polygons with `code`, `name`, `communityCode`, `streetCode`, `demo` (synthetic demo shape) and the number of grid workers.',
        querystring: z.object({ street: code.optional(), community: code.optional() }),
        response: { 200: featureCollection, 401: errorBody, 403: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, staffRoles);
      const rows = await ctx.store.db
        .select({ g: gridCells, workers: sql<number>`(SELECT count(*)::int FROM users u WHERE u.unit_id = grid_cells.id AND u.role = 'grid_worker' AND u.active)` })
        .from(gridCells)
        .where(and(inScope(actor, gridCells.unitPath), req.query.street ? eq(gridCells.streetId, req.query.street) : undefined, req.query.community ? eq(gridCells.communityId, req.query.community) : undefined))
        .orderBy(asc(gridCells.id))
        .limit(5000);
      return {
        type: 'FeatureCollection' as const,
        features: rows.map(({ g, workers }) => ({ type: 'Feature' as const, geometry: g.geometry, properties: { code: g.id, name: g.name, communityCode: g.communityId, streetCode: g.streetId, districtCode: g.districtId, center: [g.centerLng, g.centerLat], demo: g.demo, gridWorkers: Number(workers) } })),
      };
    },
  );

  r.get(
    '/components',
    {
      schema: {
        tags: ['cityops'],
        summary: '城市部件 City components in my area as GeoJSON points',
        querystring: z.object({ street: code.optional(), grid: code.optional(), classCode: z.string().regex(/^\d{2,4}$/).optional().describe('a 4-digit class or a 2-digit major class'), state: z.enum(['normal', 'damaged', 'missing', 'removed']).optional(), limit: z.coerce.number().int().min(1).max(20000).default(5000) }),
        response: { 200: featureCollection, 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, staffRoles);
      const q = req.query;
      const rows = await ctx.store.db
        .select()
        .from(cityComponents)
        .where(and(inScope(actor, cityComponents.unitPath), q.street ? eq(cityComponents.streetId, q.street) : undefined, q.grid ? eq(cityComponents.gridId, q.grid) : undefined, q.classCode ? sql`${cityComponents.classCode} LIKE ${`${q.classCode}%`}` : undefined, q.state ? eq(cityComponents.state, q.state) : undefined))
        .orderBy(asc(cityComponents.code))
        .limit(q.limit);
      return {
        type: 'FeatureCollection' as const,
        features: rows.map((c) => ({
          type: 'Feature' as const,
          geometry: { type: 'Point', coordinates: [c.lng, c.lat] },
          properties: { id: c.id, code: c.code, classCode: c.classCode, className: c.className, name: c.name, state: c.state, stateLabel: componentStateLabels[c.state as ComponentState] ?? c.state, gridCode: c.gridId, streetCode: c.streetId, ownerUnitCode: c.ownerUnitId, demo: c.demo },
        })),
      };
    },
  );

  r.post(
    '/grids/import',
    {
      bodyLimit: 17 * 1024 * 1024,
      schema: {
        tags: ['cityops'],
        summary: '导入网格 Import grid cells from GeoJSON or CSV (admin; all or nothing)',
        description: 'GeoJSON: FeatureCollection of Polygon/MultiPolygon with properties `code`, `name`, `communityCode`. CSV: `code,name,community_code,geometry` (GeoJSON geometry) or `coordinates` (`lng lat;lng lat;…`). Any reject → 400 with every problem in `fields`, nothing written.',
        body: importBody,
        response: { 200: importReport, 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req) => importGrids({ db: ctx.store.db, actor: requireActor(req, ['admin']), text: req.body.content, dryRun: req.body.dryRun, now: ctx.now(), ip: req.ip }),
  );

  r.post(
    '/components/import',
    {
      bodyLimit: 17 * 1024 * 1024,
      schema: {
        tags: ['cityops'],
        summary: '导入部件 Import city components from GeoJSON or CSV (admin; all or nothing)',
        description: 'GeoJSON: Point features with `code`, `classCode` (GB/T 30428, 4 digits), `className?`, `name?`, `state?`, `ownerUnitCode?`, `streetCode?`. CSV: `code,class_code,class_name,name,lng,lat,state,owner_unit,street`.',
        body: importBody,
        response: { 200: importReport, 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req) => importComponents({ db: ctx.store.db, actor: requireActor(req, ['admin']), text: req.body.content, dryRun: req.body.dryRun, now: ctx.now(), ip: req.ip }),
  );

  r.get(
    '/sensors',
    {
      schema: { tags: ['cityops'], summary: '传感器 Sensors in my area with their latest readings', querystring: z.object({ kind: code.optional(), limit: z.coerce.number().int().min(1).max(5000).default(500) }), response: { 200: z.object({ items: z.array(sensorView) }), 401: errorBody, 403: errorBody } },
    },
    async (req) => ({ items: await listSensors({ db: ctx.store.db, actor: requireActor(req, staffRoles), kind: req.query.kind, limit: req.query.limit }) }),
  );

  r.post(
    '/sensors',
    {
      schema: {
        tags: ['cityops'],
        summary: '登记传感器 Register a sensor or camera (admin); its device key is shown once',
        description: 'Placed by `gridCode`, by the grid holding (`lng`,`lat`), by `componentCode`, or by `streetCode`. Cameras for video events are sensors of kind `camera`.',
        body: z.object({
          id: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/).describe('the {sensorId} of topic jiesu/sensors/{sensorId}'),
          name: z.string().trim().min(1).max(100),
          kind: z.string().regex(/^[a-z0-9_]{1,40}$/),
          metrics: z.array(z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/)).max(20).default([]),
          lng: z.number().min(-180).max(180).optional(),
          lat: z.number().min(-90).max(90).optional(),
          gridCode: code.optional(),
          streetCode: code.optional(),
          componentCode: code.optional(),
        }),
        response: { 201: z.object({ sensor: sensorView, deviceKey: z.string().describe('send as header x-device-key; stored only as a hash') }), 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => reply.status(201).send(await registerSensor({ db: ctx.store.db, actor: requireActor(req, ['admin']), input: req.body, now: ctx.now(), ip: req.ip })),
  );

  r.post(
    '/sensors/:id/readings',
    {
      schema: {
        tags: ['cityops'],
        summary: '上报读数 Post readings of one sensor over HTTP (device key or admin)',
        description: 'The same payload as MQTT topic `jiesu/sensors/{sensorId}`: one `{ ts, metric, value, lng?, lat? }` or an array of up to 1000. Authenticate with header `x-device-key` or an administrator’s bearer token. Stored and judged by the alert models in one transaction; a reading already stored (same sensor, metric and ts) is counted as a duplicate.',
        params: z.object({ id: z.string().max(64) }),
        headers: z.object({ 'x-device-key': z.string().max(200).optional() }),
        body: z.union([readingBody, z.array(readingBody).min(1).max(1000)]),
        response: {
          200: z.object({ received: z.number().int(), stored: z.number().int(), duplicates: z.number().int(), alarms: z.array(z.object({ id: z.string(), no: z.string(), raised: z.boolean(), count: z.number().int() })) }),
          400: errorBody,
          401: errorBody,
          403: errorBody,
          404: errorBody,
        },
      },
    },
    async (req) => {
      const key = req.headers['x-device-key'];
      if (key) {
        if (!(await checkDeviceKey(ctx.store.db, req.params.id, key))) throw new DomainError('UNAUTHENTICATED', '设备密钥无效');
      } else {
        await loadVisibleSensor(ctx.store.db, requireActor(req, ['admin']), req.params.id);
      }
      const items = Array.isArray(req.body) ? req.body : [req.body];
      const readings = items.map((it, i) => {
        const p = parseReading(req.params.id, it);
        if ('error' in p) throw new DomainError('VALIDATION_FAILED', `第 ${i + 1} 个读数：${p.error}`, [{ field: `body[${i}]`, reason: p.error }]);
        return p.reading;
      });
      const now = ctx.now();
      const res = await ingestReadings({ db: ctx.store.db, readings, now });
      if (res.unknownSensors.length) throw new DomainError('NOT_FOUND', '传感器不存在或已停用');
      const raised = res.alarms.filter((a) => a.raised).map((a) => a.id);
      if (raised.length) await dispatchAutoAlarms({ db: ctx.store.db, now, alarmIds: raised });
      return { received: res.received, stored: res.stored, duplicates: res.duplicates, alarms: res.alarms.map((a) => ({ id: a.id, no: a.no, raised: a.raised, count: a.count })) };
    },
  );
};
