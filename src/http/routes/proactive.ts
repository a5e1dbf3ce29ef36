import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listSpikes } from '../../app/proactive/listSpikes.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

const named = z.object({ code: z.string(), name: z.string() });
const spike = z.object({
  category: named,
  street: named,
  district: named.nullable(),
  today: z.number().describe('requests of this class in this street today (Beijing day)'),
  expected: z.number().describe('the daily mean over the baseline days'),
  z: z.number().describe('deviations above the mean (Poisson floor)'),
  ratio: z.number().nullable(),
  orders: z.array(z.object({ id: z.string(), no: z.string(), title: z.string(), acceptedAt: z.string() })),
});

export const proactiveRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/proactive/spikes',
    {
      schema: {
        tags: ['stats'],
        summary: '未诉先办 Spikes as they start: a problem class suddenly frequent in one street today, with its orders (my jurisdiction)',
        querystring: z.object({
          days: z.coerce.number().int().min(7).max(90).default(28).describe('baseline days before today'),
          minCount: z.coerce.number().int().min(2).max(1000).default(5),
          minZ: z.coerce.number().min(1).max(20).default(3),
        }),
        response: { 200: z.object({ day: z.string(), baselineDays: z.number(), spikes: z.array(spike) }), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['supervisor', 'leader', 'dispatcher', 'agent', 'admin', 'handler']);
      return listSpikes({ db: ctx.store.db, actor, now: ctx.now(), days: req.query.days, options: { minCount: req.query.minCount, minZ: req.query.minZ } });
    },
  );
};
