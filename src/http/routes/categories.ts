import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createCategory, listCategories, updateCategory } from '../../app/catalogue/categories.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';
import { categorySchema, coUnitRefSchema, departmentRefSchema, handlingSchema, urgencySchema } from '../schemas.js';

const code = z.string().regex(/^[A-Z]{1,4}(\.\d{2}){0,3}$/, 'like CX, CX.03 or CX.03.02');
const editable = {
  name: z.string().trim().min(1).max(40),
  handling: handlingSchema,
  department: departmentRefSchema.nullable(),
  coUnits: z.array(coUnitRefSchema).max(5),
  urgency: urgencySchema,
  keywords: z.array(z.string().trim().min(1).max(20)).max(50),
  active: z.boolean(),
};

export const categoryRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/categories',
    { schema: { tags: ['catalogue'], summary: '派单目录 The dispatch catalogue (flat; parent links form the tree)', security: [], querystring: z.object({ all: z.coerce.boolean().default(false) }), response: { 200: z.array(categorySchema) } } },
    async (req) => listCategories({ db: ctx.store.db, includeInactive: req.query.all }),
  );
  r.post(
    '/categories',
    {
      schema: {
        tags: ['catalogue'],
        summary: '新增目录 Create a category (admin)',
        body: z.object({ code, parent: code.nullable(), ...editable, active: editable.active.optional() }),
        response: { 201: categorySchema, 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req, ['admin']);
      const created = await createCategory({ db: ctx.store.db, actor, input: req.body, now: ctx.now() });
      return reply.status(201).send(created);
    },
  );
  r.patch(
    '/categories/:code',
    {
      schema: {
        tags: ['catalogue'],
        summary: '修改目录 Update a category (admin; optimistic `version`)',
        params: z.object({ code }),
        body: z.object({ version: z.number().int().min(1), ...Object.fromEntries(Object.entries(editable).map(([k, v]) => [k, v.optional()])) } as { version: z.ZodNumber } & { [K in keyof typeof editable]: z.ZodOptional<(typeof editable)[K]> }),
        response: { 200: categorySchema, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['admin']);
      const { version, ...patch } = req.body;
      return updateCategory({ db: ctx.store.db, actor, code: req.params.code, version, patch, now: ctx.now() });
    },
  );
};
