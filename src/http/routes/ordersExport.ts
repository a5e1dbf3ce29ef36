/** GET /orders/export: the order list, with the list's filters and jurisdiction, as CSV or xlsx (streamed). */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { exportOrders } from '../../app/bulk/exportOrders.js';
import { DomainError } from '../../domain/errors.js';
import { orderStates } from '../../domain/order/index.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';
import { orderListFilters } from '../schemas.js';


export const ordersExportRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/orders/export',
    {
      schema: {
        tags: ['orders'],
        summary: '导出工单列表 Export the orders I may see, with the list filters, as CSV or xlsx',
        description: 'The same filters as GET /orders; at most 100,000 rows, newest first. Contact name and phone are masked for every role (the full ones only through the audited reveal).',
        querystring: z.object({
          format: z.enum(['csv', 'xlsx']).default('csv'),
          ...orderListFilters,
        }),
        response: { 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req, ['agent', 'dispatcher', 'supervisor', 'handler', 'grid_worker', 'leader', 'admin']);
      const q = req.query;
      const states = q.state?.split(',').map((s) => s.trim()).filter(Boolean);
      const bad = states?.filter((s) => !(orderStates as readonly string[]).includes(s));
      if (bad?.length) throw new DomainError('VALIDATION_FAILED', `未知的工单状态：${bad.join('、')}`, [{ field: 'querystring.state', reason: `未知状态 ${bad.join(',')}` }]);
      const now = ctx.now();
      const stream = exportOrders({
        db: ctx.store.db,
        actor,
        format: q.format,
        now,
        filter: { state: states, unit: q.unit, category: q.category, district: q.district, street: q.street, overdue: q.overdue === undefined ? undefined : q.overdue === 'true', dueWithinHours: q.dueWithinHours, extension: q.extension, q: q.q, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined },
      });
      const stamp = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace(/[-:T]/g, '');
      const name = `工单导出-${stamp}.${q.format}`;
      // A stream is not a JSON body: sent untyped (the 200 answer is the file, documented above).
      return (reply as FastifyReply)
        .header('content-type', q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="orders-${stamp}.${q.format}"; filename*=UTF-8''${encodeURIComponent(name)}`)
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );
};
