import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isReady } from '../../store/db.js';
import type { AppContext } from '../context.js';

export const systemRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/healthz', { schema: { tags: ['system'], summary: 'Alive', security: [], response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));
  r.get(
    '/readyz',
    { schema: { tags: ['system'], summary: 'Database migrated and reachable', security: [], response: { 200: z.object({ status: z.literal('ready'), database: z.string() }), 503: z.object({ status: z.literal('not_ready'), database: z.string() }) } } },
    async (_req, reply) => {
      const ready = await isReady(ctx.store);
      if (!ready) return reply.status(503).send({ status: 'not_ready' as const, database: ctx.store.kind });
      return { status: 'ready' as const, database: ctx.store.kind };
    },
  );
};
