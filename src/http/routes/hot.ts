import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listHotIssues, MAX_HOT_DAYS } from '../../app/hot/listHotIssues.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

const signals = z.object({ messages: z.number(), people: z.number(), reactions: z.number(), days: z.number(), growth: z.number(), ageDays: z.number() });
const issue = z.object({
  rank: z.number(),
  heat: z.number(),
  place: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  description: z.string(),
  keywords: z.array(z.string()),
  signals,
  orders: z.array(z.object({ id: z.string(), no: z.string(), title: z.string(), acceptedAt: z.string() })),
});

export const hotRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/hot-issues',
    {
      schema: {
        tags: ['stats'],
        summary: '热点问题 Hot issues: recent orders about one problem in one place, ranked by heat (my jurisdiction)',
        querystring: z.object({
          days: z.coerce.number().int().min(1).max(MAX_HOT_DAYS).default(30).describe('look back this many days (default 30)'),
          top: z.coerce.number().int().min(1).max(100).default(10).describe('how many issues (default 10)'),
        }),
        response: {
          200: z.object({ from: z.string(), to: z.string(), scanned: z.number(), truncated: z.boolean(), issues: z.array(issue) }),
          400: errorBody,
          401: errorBody,
          403: errorBody,
        },
      },
    },
    async (req) => {
      // Unit staff see the issues of their own jurisdiction (visibleCondition in the use-case).
      const actor = requireActor(req, ['supervisor', 'leader', 'dispatcher', 'agent', 'admin', 'handler']);
      return listHotIssues({ db: ctx.store.db, actor, days: req.query.days, top: req.query.top, now: ctx.now() });
    },
  );
};
