import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getDeadlinePolicies, setDeadlinePolicies } from '../../app/policies/deadlinePolicies.js';
import { deadlinePolicySchema } from '../../domain/deadline/index.js';
import { roles } from '../../domain/roles.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

const staff = roles.filter((r) => r !== 'citizen');
const policySchema = deadlinePolicySchema.meta({ id: 'DeadlinePolicy' });
const policies = z.object({ policies: z.array(policySchema) });

export const policyRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/policies/deadlines',
    { schema: { tags: ['policies'], summary: '时限策略 Deadline policies, one per urgency (staff)', response: { 200: policies, 401: errorBody, 403: errorBody } } },
    async (req) => {
      requireActor(req, staff);
      return { policies: [...(await getDeadlinePolicies(ctx.store.db))] };
    },
  );
  r.put(
    '/policies/deadlines',
    {
      schema: {
        tags: ['policies'],
        summary: '设置时限策略 Replace the deadline policies (admin; exactly one per urgency; audited)',
        // The domain's own schema, so the edge rejects what the rules reject, field by field (policies.0.clocks.reply.amount).
        body: z.object({ policies: z.array(policySchema).min(1).max(20) }),
        response: { 200: policies, 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['admin']);
      return { policies: [...(await setDeadlinePolicies({ db: ctx.store.db, actor, policies: req.body.policies, now: ctx.now() }))] };
    },
  );
};
