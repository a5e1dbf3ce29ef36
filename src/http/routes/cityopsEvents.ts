/** 一网统管 — video-analysis events, grid workers' patrol reports and external data tables. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dispatchAutoAlarms } from '../../app/cityops/alarmToOrder.js';
import { filePatrolReport, listPatrolReports, patrolKinds, readEventFile, recordVideoEvent, upsertExternalRows, videoEventKinds } from '../../app/cityops/eventSources.js';
import { checkDeviceKey } from '../../app/cityops/sensors.js';
import { DomainError } from '../../domain/errors.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

const staffRoles = ['agent', 'dispatcher', 'supervisor', 'handler', 'grid_worker', 'leader', 'admin'] as const;
const code = z.string().trim().min(1).max(40);
const raisedAlarms = z.array(z.object({ id: z.string(), no: z.string(), raised: z.boolean(), count: z.number().int() }));
const kindList = (m: Record<string, string>) => Object.entries(m).map(([k, v]) => `${k} ${v}`).join(' · ');

const patrolView = z
  .object({
    id: z.string(),
    kind: z.string(),
    kindLabel: z.string(),
    description: z.string(),
    lng: z.number().nullable(),
    lat: z.number().nullable(),
    address: z.string().nullable(),
    gridId: z.string().nullable(),
    streetId: z.string().nullable(),
    photos: z.array(z.string()),
    reporter: z.string(),
    at: z.string(),
    alarm: z.object({ id: z.string(), no: z.string(), state: z.string() }).nullable(),
    order: z.object({ id: z.string(), no: z.string() }).nullable(),
  })
  .meta({ id: 'PatrolReport' });

export const cityopsEventRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/video-events',
    {
      bodyLimit: 14 * 1024 * 1024,
      schema: {
        tags: ['cityops'],
        summary: '视频分析事件 Post a video-analysis event with its snapshot (camera device key or admin)',
        description: `The camera is a registered sensor of kind \`camera\`; authenticate with its \`x-device-key\`. Kinds: ${kindList(videoEventKinds)}. \`snapshotBase64\`: a JPG/PNG (≤ 10 MB), kept as an attachment and shown with the alarm. The alert models of source \`video\` judge it at once.`,
        headers: z.object({ 'x-device-key': z.string().max(200).optional() }),
        body: z.object({
          cameraId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
          kind: z.string().max(40),
          confidence: z.number().min(0).max(1).optional(),
          at: z.iso.datetime({ offset: true }),
          lng: z.number().min(-180).max(180).optional(),
          lat: z.number().min(-90).max(90).optional(),
          snapshotBase64: z.string().max(14 * 1024 * 1024).optional(),
          data: z.record(z.string(), z.unknown()).optional(),
        }),
        response: { 201: z.object({ id: z.string(), snapshotUrl: z.string().nullable(), alarms: raisedAlarms }), 400: errorBody, 401: errorBody, 403: errorBody, 413: errorBody, 415: errorBody },
      },
    },
    async (req, reply) => {
      const key = req.headers['x-device-key'];
      if (key) {
        if (!(await checkDeviceKey(ctx.store.db, req.body.cameraId, key))) throw new DomainError('UNAUTHENTICATED', '设备密钥无效');
      } else requireActor(req, ['admin']);
      const b = req.body;
      const now = ctx.now();
      const res = await recordVideoEvent({ db: ctx.store.db, dataDir: ctx.config.dataDir, input: { ...b, at: new Date(b.at) }, now });
      const raised = res.alarms.filter((a) => a.raised).map((a) => a.id);
      if (raised.length) await dispatchAutoAlarms({ db: ctx.store.db, now, alarmIds: raised });
      return reply.status(201).send({ id: res.id, snapshotUrl: b.snapshotBase64 ? `/api/v1/video-events/${res.id}/snapshot` : null, alarms: res.alarms.map((a) => ({ id: a.id, no: a.no, raised: a.raised, count: a.count })) });
    },
  );

  r.get(
    '/video-events/:id/snapshot',
    { schema: { tags: ['cityops'], summary: '事件抓拍 The snapshot of a video event (staff of its area)', params: z.object({ id: z.string().max(64) }) } },
    async (req, reply) => {
      const f = await readEventFile({ db: ctx.store.db, actor: requireActor(req, staffRoles), dataDir: ctx.config.dataDir, owner: 'video_event', ownerId: req.params.id });
      return reply.type(f.mime).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(f.data);
    },
  );

  r.post(
    '/patrol-reports',
    {
      schema: {
        tags: ['cityops'],
        summary: '巡查上报 A grid worker files a problem found on patrol',
        description: `Photos are uploaded first (\`POST /attachments\`) and passed as \`attachmentIds\`. Placed by \`gridCode\` or the grid holding (\`lng\`,\`lat\`); must be in your area. Kinds: ${kindList(patrolKinds)}. The alert models of source \`patrol\` judge it (e.g. open an alarm, or an order straight away with auto-dispatch).`,
        body: z.object({
          kind: z.string().max(40),
          description: z.string().trim().min(2).max(2000),
          lng: z.number().min(-180).max(180).optional(),
          lat: z.number().min(-90).max(90).optional(),
          address: z.string().trim().max(200).optional(),
          gridCode: code.optional(),
          componentCode: code.optional(),
          attachmentIds: z.array(z.uuid()).max(9).default([]),
        }),
        response: { 201: z.object({ report: patrolView, alarms: raisedAlarms }), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req, ['grid_worker', 'handler']);
      const now = ctx.now();
      const res = await filePatrolReport({ db: ctx.store.db, actor, input: req.body, now });
      const raised = res.alarms.filter((a) => a.raised).map((a) => a.id);
      if (raised.length) await dispatchAutoAlarms({ db: ctx.store.db, now, alarmIds: raised });
      const [report] = (await listPatrolReports({ db: ctx.store.db, actor, mine: true, limit: 20 })).filter((p) => p.id === res.id);
      if (!report) throw new DomainError('INTERNAL', '巡查上报未能读取');
      return reply.status(201).send({ report, alarms: res.alarms.map((a) => ({ id: a.id, no: a.no, raised: a.raised, count: a.count })) });
    },
  );

  r.get(
    '/patrol-reports',
    { schema: { tags: ['cityops'], summary: '巡查上报列表 Patrol reports in my area (mine=true: my own)', querystring: z.object({ mine: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }), response: { 200: z.object({ items: z.array(patrolView) }), 401: errorBody, 403: errorBody } } },
    async (req) => ({ items: await listPatrolReports({ db: ctx.store.db, actor: requireActor(req, staffRoles), mine: req.query.mine === 'true', limit: req.query.limit }) }),
  );

  r.get(
    '/patrol-reports/:id/photos/:photoId',
    { schema: { tags: ['cityops'], summary: '巡查照片 A photo of a patrol report', params: z.object({ id: z.string().max(64), photoId: z.string().max(64) }) } },
    async (req, reply) => {
      const f = await readEventFile({ db: ctx.store.db, actor: requireActor(req, staffRoles), dataDir: ctx.config.dataDir, owner: 'patrol_report', ownerId: req.params.id, attachmentId: req.params.photoId });
      return reply.type(f.mime).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(f.data);
    },
  );

  r.put(
    '/external-tables/:table/rows',
    {
      schema: {
        tags: ['cityops'],
        summary: '外部数据 Upsert rows of an external table, e.g. health_certificates (admin, audited)',
        description: 'Rows are keyed by `key` within the table; each is placed by `gridCode`, a point inside a grid, or `streetCode`. Expiry models (`kind: expiry`, `scope.table`) raise alarms for rows that expire within their days, swept every few minutes.',
        params: z.object({ table: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/) }),
        body: z.object({
          rows: z
            .array(
              z.object({
                key: z.string().trim().min(1).max(100),
                subject: z.string().trim().min(1).max(100).describe('e.g. the person'),
                holder: z.string().trim().max(200).optional().describe('e.g. the business'),
                expiresAt: z.iso.datetime({ offset: true }).optional(),
                lng: z.number().min(-180).max(180).optional(),
                lat: z.number().min(-90).max(90).optional(),
                streetCode: code.optional(),
                gridCode: code.optional(),
                data: z.record(z.string(), z.unknown()).optional(),
              }),
            )
            .min(1)
            .max(5000),
        }),
        response: { 200: z.object({ table: z.string(), created: z.number().int(), updated: z.number().int() }), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req) =>
      upsertExternalRows({
        db: ctx.store.db,
        actor: requireActor(req, ['admin']),
        table: req.params.table,
        rows: req.body.rows.map((r) => ({ ...r, expiresAt: r.expiresAt ? new Date(r.expiresAt) : undefined })),
        now: ctx.now(),
        ip: req.ip,
      }),
  );
};
