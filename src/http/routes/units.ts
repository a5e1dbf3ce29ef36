import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getUnit, listUnits } from '../../app/units/listUnits.js';
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
  r.get(
    '/geo/districts',
    { schema: { tags: ['units'], summary: '区界 GeoJSON of the 16 districts (for maps)', security: [] } },
    async (_req, reply) => reply.header('cache-control', 'public, max-age=86400').type('application/geo+json').send(loadDistrictShapes()),
  );
};
