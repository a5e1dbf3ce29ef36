import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listNotifications, markNotificationsRead } from '../../app/notifications/listNotifications.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

export const notificationRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/notifications',
    {
      schema: {
        tags: ['live'],
        summary: '站内通知 My notifications (to me and my unit)',
        querystring: z.object({ unread: z.enum(['true', 'false']).default('false'), limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ unread: z.number().int(), items: z.array(z.object({ id: z.number(), title: z.string(), body: z.string(), orderId: z.string().nullable(), createdAt: z.string(), readAt: z.string().nullable() })) }), 401: errorBody },
      },
    },
    async (req) => listNotifications({ db: ctx.store.db, actor: requireActor(req), unreadOnly: req.query.unread === 'true', limit: req.query.limit }),
  );
  r.post(
    '/notifications/read',
    { schema: { tags: ['live'], summary: '标记已读 Mark notifications read', body: z.object({ ids: z.array(z.number().int()).min(1).max(500) }), response: { 200: z.object({ marked: z.number().int() }), 400: errorBody, 401: errorBody } } },
    async (req) => ({ marked: await markNotificationsRead({ db: ctx.store.db, actor: requireActor(req), ids: req.body.ids, now: ctx.now() }) }),
  );
};
