import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getUnit, listUnits } from '../../app/units/listUnits.js';
import { updateUnit } from '../../app/units/updateUnit.js';
import { createUnit } from '../../app/units/createUnit.js';
import { requireActor } from '../auth.js';
import { loadDistrictShapes } from '../../store/reference/index.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';
import { paging, unitLevelSchema, unitSchema } from '../schemas.js';

export const unitRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/units',
    {
      schema: {
        tags: ['units'],
        summary: '单位列表 Units of the organization tree',
        description: 'Beijing’s districts, streets/townships, communities, departments and companies. Public reference data.',
        security: [],
        querystring: z.object({
          level: unitLevelSchema.optional(),
          parent: z.string().max(40).optional().describe('direct children of this unit code'),
          under: z.string().max(40).optional().describe('anywhere below this unit code'),
          q: z.string().max(40).optional().describe('name, short name or code'),
          ...paging,
        }),
        response: { 200: z.object({ total: z.number().int(), items: z.array(unitSchema) }), 400: errorBody },
      },
    },
    async (req) => listUnits({ db: ctx.store.db, ...req.query }),
  );
  r.get(
    '/units/:code',
    { schema: { tags: ['units'], summary: '单位详情 One unit', security: [], params: z.object({ code: z.string().max(40) }), response: { 200: unitSchema.extend({ children: z.number().int() }), 404: errorBody } } },
    async (req) => getUnit({ db: ctx.store.db, code: req.params.code }),
  );
  const point = z
    .object({ lat: z.number().min(39.4).max(41.1).describe('WGS-84 latitude (Beijing spans 39.4–41.1)'), lng: z.number().min(115.4).max(117.6).describe('WGS-84 longitude (115.4–117.6)') })
    .describe('the unit’s point on the map: where a street appears on the leader’s map');
  r.patch(
    '/units/:code',
    {
      schema: {
        tags: ['units'],
        summary: '修改单位 Update a unit (admin): name of a non-official unit, its point on the map, active',
        description: 'Districts and streets keep their official names. A point must lie inside the unit’s own district. A unit still leading open orders cannot be deactivated. Audited.',
        params: z.object({ code: z.string().max(40) }),
        body: z
          .object({ name: z.string().trim().min(2).max(60).optional(), shortName: z.string().trim().min(1).max(30).optional(), point: point.nullable().optional(), active: z.boolean().optional() })
          .refine((b) => Object.keys(b).length > 0, { message: '至少修改一项' }),
        response: { 200: unitSchema, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['admin']);
      const { name, shortName, point: p, active } = req.body;
      return updateUnit({ db: ctx.store.db, actor, code: req.params.code, patch: { ...(name !== undefined ? { name } : {}), ...(shortName !== undefined ? { shortName } : {}), ...(p !== undefined ? { point: p } : {}), ...(active !== undefined ? { active } : {}) }, now: ctx.now() });
    },
  );
  r.post(
    '/units',
    {
      schema: {
        tags: ['units'],
        summary: '新增单位 Add a department, company, community or grid (admin)',
        description: 'Departments and companies hang under the city or a district with the code `<parent>-<ABBR>`; a community under its street and a grid under its community, with a code that starts with the parent’s. Audited.',
        body: z.object({
          parent: z.string().trim().min(6).max(40),
          level: z.enum(['department', 'company', 'community', 'grid']),
          abbr: z.string().trim().regex(/^[A-Z][A-Z0-9]{1,11}$/, '大写字母和数字，2–12 位').optional(),
          code: z.string().trim().regex(/^\d{9,15}$/, '9–15 位数字').optional(),
          name: z.string().trim().min(2).max(60),
          shortName: z.string().trim().min(1).max(30).optional(),
          kind: z.string().trim().max(20).optional(),
          point: point.optional(),
        }),
        response: { 201: unitSchema, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req, ['admin']);
      const b = req.body;
      const unit = await createUnit({
        db: ctx.store.db,
        actor,
        unit: { parent: b.parent, level: b.level, name: b.name, ...(b.abbr ? { abbr: b.abbr } : {}), ...(b.code ? { code: b.code } : {}), ...(b.shortName ? { shortName: b.shortName } : {}), ...(b.kind ? { kind: b.kind } : {}), ...(b.point ? { point: b.point } : {}) },
        now: ctx.now(),
      });
      return reply.status(201).send(unit);
    },
  );
  r.get(
    '/geo/districts',
    { schema: { tags: ['units'], summary: '区界 GeoJSON of the 16 districts (for maps)', security: [] } },
    async (_req, reply) => reply.header('cache-control', 'public, max-age=86400').type('application/geo+json').send(loadDistrictShapes()),
  );
};
