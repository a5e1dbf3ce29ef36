import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { statsOverview } from '../../app/stats/overview.js';
import { DomainError } from '../../domain/errors.js';
import { addDays, startOfShanghaiDay } from '../../domain/deadline/index.js';
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
        querystring: z.object({ from: z.iso.date().or(z.iso.datetime({ offset: true })).optional().describe('a date (Beijing day) or an instant'), to: z.iso.date().or(z.iso.datetime({ offset: true })).optional().describe('a date (inclusive, Beijing day) or an instant (exclusive)') }),
        response: { 200: z.record(z.string(), z.unknown()), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['leader', 'admin', 'supervisor', 'dispatcher', 'agent', 'handler']);
      const now = ctx.now();
      // A bare date is a Beijing day: `from` at its start, `to` through its end.
      const day = (d: string, end: boolean) => (d.length === 10 ? new Date(startOfShanghaiDay(end ? addDays(d, 1) : d)) : new Date(d));
      const to = req.query.to ? day(req.query.to, true) : now;
      const from = req.query.from ? day(req.query.from, false) : new Date(to.getTime() - 30 * 86_400_000);
      if (from >= to) throw new DomainError('VALIDATION_FAILED', '开始时间必须早于结束时间', [{ field: 'from', reason: '晚于 to' }]);
      if (to.getTime() - from.getTime() > 400 * 86_400_000) throw new DomainError('VALIDATION_FAILED', '统计区间不能超过 400 天', [{ field: 'from', reason: '区间过长' }]);
      return statsOverview({ db: ctx.store.db, actor, from, to });
    },
  );
};
