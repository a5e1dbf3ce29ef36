import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { statsOverview } from '../../app/stats/overview.js';
import { DomainError } from '../../domain/errors.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

export const statsRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/stats/overview',
    {
      schema: {
        tags: ['stats'],
        summary: '总览 Volumes, overdue and the three rates by district and street, trend and top categories (my jurisdiction)',
        querystring: z.object({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() }),
        response: { 200: z.record(z.string(), z.unknown()), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['leader', 'admin', 'supervisor', 'dispatcher', 'agent', 'handler']);
      const now = ctx.now();
      const to = req.query.to ? new Date(req.query.to) : now;
      const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - 30 * 86_400_000);
      if (from >= to) throw new DomainError('VALIDATION_FAILED', '开始时间必须早于结束时间', [{ field: 'from', reason: '晚于 to' }]);
      if (to.getTime() - from.getTime() > 400 * 86_400_000) throw new DomainError('VALIDATION_FAILED', '统计区间不能超过 400 天', [{ field: 'from', reason: '区间过长' }]);
      return statsOverview({ db: ctx.store.db, actor, from, to });
    },
  );
};
