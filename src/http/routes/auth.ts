import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { login } from '../../app/auth/login.js';
import { logout } from '../../app/auth/logout.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';
import { actorSchema, roleSchema } from '../schemas.js';

export const authRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: '登录 Sign in',
        security: [],
        body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
        response: {
          200: z.object({
            token: z.string(),
            expiresAt: z.iso.datetime(),
            user: z.object({ id: z.string(), username: z.string(), displayName: z.string(), role: roleSchema, kind: z.enum(['staff', 'citizen']), unitId: z.string().nullable() }),
          }),
          400: errorBody,
          401: errorBody,
          423: errorBody,
        },
      },
    },
    async (req) => {
      const res = await login({
        db: ctx.store.db,
        username: req.body.username,
        password: req.body.password,
        ip: req.ip,
        now: ctx.now(),
        policy: { tokenTtlMs: ctx.config.tokenTtlMs, lockoutAttempts: ctx.config.lockout.attempts, lockoutMinutes: ctx.config.lockout.minutes },
      });
      return { ...res, expiresAt: res.expiresAt.toISOString() };
    },
  );
  r.post('/auth/logout', { schema: { tags: ['auth'], summary: '退出 Sign out (revokes the token)', response: { 204: z.null(), 401: errorBody } } }, async (req, reply) => {
    const actor = requireActor(req);
    await logout({ db: ctx.store.db, token: req.token ?? '', actor, ip: req.ip, now: ctx.now() });
    return reply.status(204).send(null);
  });
  r.get('/auth/me', { schema: { tags: ['auth'], summary: '当前用户 The signed-in user', response: { 200: actorSchema, 401: errorBody } } }, async (req) => requireActor(req));
};
