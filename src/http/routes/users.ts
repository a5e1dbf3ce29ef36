import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createUser, listUsers, updateUser } from '../../app/users/users.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';
import { paging, roleSchema } from '../schemas.js';

const userSchema = z
  .object({ id: z.string(), username: z.string(), displayName: z.string(), role: roleSchema, kind: z.enum(['staff', 'citizen']), unitId: z.string().nullable(), unitName: z.string().nullable(), active: z.boolean(), lockedUntil: z.string().nullable(), lastLoginAt: z.string().nullable() })
  .meta({ id: 'User' });
const password = z.string().min(10, '至少 10 个字符').max(200);

export const userRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/meta',
    { schema: { tags: ['system'], summary: '平台信息 Public facts the sign-in page needs', security: [], response: { 200: z.object({ name: z.string(), demo: z.boolean(), version: z.string() }) } } },
    async () => ({ name: '接诉 Jiesu', demo: ctx.config.demo, version: '0.1.0' }),
  );
  r.get(
    '/users',
    { schema: { tags: ['users'], summary: '用户列表 Accounts (admin)', querystring: z.object({ q: z.string().max(64).optional(), role: roleSchema.optional(), unit: z.string().max(40).optional(), ...paging }), response: { 200: z.object({ total: z.number().int(), items: z.array(userSchema) }), 401: errorBody, 403: errorBody } } },
    async (req) => {
      requireActor(req, ['admin']);
      return listUsers({ db: ctx.store.db, ...req.query });
    },
  );
  r.post(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: '新建用户 Create an account with a role and unit (admin)',
        body: z.object({ username: z.string().trim().regex(/^[a-z0-9_.-]{3,32}$/, '3–32 位小写字母、数字、._-'), displayName: z.string().trim().min(1).max(50), role: roleSchema, unitId: z.string().max(40).nullable().optional(), phone: z.string().max(20).optional(), password }),
        response: { 201: userSchema, 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => reply.status(201).send(await createUser({ db: ctx.store.db, actor: requireActor(req, ['admin']), input: req.body, now: ctx.now() })),
  );
  r.patch(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: '修改用户 Change role, unit, status; unlock; reset password (admin)',
        params: z.object({ id: z.string().max(64) }),
        body: z.object({ displayName: z.string().trim().min(1).max(50).optional(), role: roleSchema.optional(), unitId: z.string().max(40).nullable().optional(), active: z.boolean().optional(), unlock: z.boolean().optional(), password: password.optional() }),
        response: { 200: userSchema, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (req) => updateUser({ db: ctx.store.db, actor: requireActor(req, ['admin']), id: req.params.id, patch: req.body, now: ctx.now() }),
  );
};
