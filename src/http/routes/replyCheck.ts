import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkReply, MAX_REPLY_CHARS } from '../../app/orders/checkReply.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

const replyCheck = z.object({
  score: z.number(),
  dimensions: z.object({ relevance: z.number(), completeness: z.number(), explanation: z.number(), timeliness: z.number().nullable() }),
  reasons: z.array(z.string()),
  weak: z.boolean(),
});

export const replyCheckRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/orders/:id/reply-check',
    {
      schema: {
        tags: ['orders'],
        summary: '答复质量检查 Score a proposed reply against the order’s request (relevance, completeness, explanation, timeliness)',
        params: z.object({ id: z.string().max(64) }),
        body: z.object({ text: z.string().min(1).max(MAX_REPLY_CHARS).describe('the reply as the unit would send it') }),
        response: { 200: replyCheck, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['handler', 'agent', 'dispatcher', 'supervisor', 'leader', 'admin']);
      return checkReply({ db: ctx.store.db, actor, orderId: req.params.id, text: req.body.text, now: ctx.now() });
    },
  );
};
