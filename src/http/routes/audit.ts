import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAudit } from '../../app/audit/listAudit.js';
import { verifyAuditChain } from '../../app/audit/appendAudit.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';
import { paging } from '../schemas.js';

const entry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});

export const auditRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: '审计日志 The append-only audit trail (admin)',
        querystring: z.object({ action: z.string().max(60).optional(), actor: z.string().max(64).optional(), targetId: z.string().max(64).optional(), ...paging }),
        response: { 200: z.object({ items: z.array(entry) }), 401: errorBody, 403: errorBody },
      },
    },
    async (req) => {
      requireActor(req, ['admin']);
      return listAudit({ db: ctx.store.db, ...req.query });
    },
  );
  r.get(
    '/audit/verify',
    { schema: { tags: ['audit'], summary: '校验审计链 Verify the hash chain (admin)', response: { 200: z.object({ ok: z.boolean(), rows: z.number().int(), brokenAt: z.number().int().optional() }), 401: errorBody, 403: errorBody } } },
    async (req) => {
      requireActor(req, ['admin']);
      return verifyAuditChain(ctx.store.db);
    },
  );
};
