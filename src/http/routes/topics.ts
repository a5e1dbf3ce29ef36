import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addTopicTask } from '../../app/topics/addTopicTask.js';
import { adoptTopic } from '../../app/topics/adoptTopic.js';
import { closeTopic } from '../../app/topics/closeTopic.js';
import { listTopicCandidates } from '../../app/topics/listTopicCandidates.js';
import { getTopic, listMyTopicTasks, listTopics } from '../../app/topics/listTopics.js';
import { taskActions, taskStates } from '../../app/topics/taskLifecycle.js';
import { updateTopicTask } from '../../app/topics/updateTopicTask.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

const code = z.string().trim().min(1).max(40);
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');
const day = z.iso.date();
const named = z.object({ code: z.string(), name: z.string() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

const candidate = z
  .object({
    key: z.string(),
    category: named,
    district: named.nullable(),
    size: z.number().int().describe('orders in the window'),
    last: z.number().int().describe('orders in the last month of the window'),
    previous: z.number().int(),
    mom: z.number().describe('month-on-month growth of the last month, (last+1)/(previous+1)−1'),
    yoy: z.number().nullable().describe('year-on-year growth of the last month; null without a month a year earlier'),
    streets: z.number().int().describe('distinct streets reached in the window'),
    districts: z.number().int(),
    followedUp: z.number().int(),
    unresolvedShare: z.number().nullable().describe('of followed-up orders: unresolved or partly resolved, or reopened'),
    recurrence: z.number().int().describe('months of the window with at least 3 orders'),
    series: z.array(z.number()),
    months: z.array(z.string()),
    parts: z.object({ size: z.number(), growth: z.number(), spread: z.number(), unresolved: z.number(), recurrence: z.number() }),
    score: z.number().describe('0–100, see docs/topics-proactive.md'),
    evidence: z.array(z.object({ id: z.string(), no: z.string(), title: z.string(), acceptedAt: z.string(), state: z.string(), unresolved: z.boolean(), street: named.nullable() })),
    adopted: z.object({ id: z.string(), no: z.string(), month: z.string() }).nullable(),
  })
  .meta({ id: 'TopicCandidate' });

const task = z
  .object({
    id: z.string(),
    title: z.string(),
    unit: named,
    dueDate: z.string(),
    state: z.enum(taskStates),
    overdue: z.boolean(),
    note: z.string().nullable(),
    evidence: z.object({ attachmentIds: z.array(z.string()), orderIds: z.array(z.string()) }),
    version: z.number().int(),
    doneAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'TopicTask' });

const topicSummary = z
  .object({
    id: z.string(),
    no: z.string(),
    month: z.string(),
    title: z.string(),
    description: z.string(),
    state: z.enum(['active', 'closed']),
    category: named,
    district: named.nullable(),
    leadUnits: z.array(named),
    adoptedAt: z.string(),
    closedAt: z.string().nullable(),
    outcome: z.string().nullable(),
    progress: z.object({ total: z.number().int(), done: z.number().int(), inProgress: z.number().int(), open: z.number().int(), overdue: z.number().int() }),
    baseline: z.record(z.string(), z.unknown()).nullable(),
    trend: z.array(z.object({ month: z.string(), orders: z.number().int(), resolutionRate: z.number().nullable(), satisfactionRate: z.number().nullable(), unresolvedShare: z.number().nullable() })),
    oversee: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'TopicSummary' });

const topicDetail = topicSummary
  .extend({
    tasks: z.array(task),
    history: z.array(z.object({ id: z.number(), at: z.string(), type: z.string(), taskId: z.string().nullable(), from: z.string().nullable(), to: z.string().nullable(), actor: z.string().nullable(), data: z.record(z.string(), z.unknown()) })),
    evidenceOrderIds: z.array(z.string()),
  })
  .meta({ id: 'TopicDetail' });

const taskInput = z.object({ title: z.string().trim().min(1).max(200), unitCode: code, dueDate: day.describe('YYYY-MM-DD, Beijing day') });

export const topicRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const readers = ['supervisor', 'leader', 'dispatcher', 'admin', 'handler', 'grid_worker', 'agent'] as const;

  r.get(
    '/topics/candidates',
    {
      schema: {
        tags: ['topics'],
        summary: '每月一题候选 Recurring problem classes of the last complete months, scored, with evidence orders (my jurisdiction)',
        querystring: z.object({
          months: z.coerce.number().int().min(3).max(24).default(6).describe('complete months in the window'),
          limit: z.coerce.number().int().min(1).max(50).default(10),
          scope: z.enum(['city', 'district']).default('city').describe('classes citywide, or per district'),
          minSize: z.coerce.number().int().min(1).max(100000).optional(),
        }),
        response: { 200: z.object({ window: z.object({ from: z.string(), to: z.string() }), months: z.array(z.string()), scope: z.enum(['city', 'district']), candidates: z.array(candidate) }), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['supervisor', 'leader', 'admin']);
      return listTopicCandidates({ db: ctx.store.db, actor, now: ctx.now(), query: req.query });
    },
  );

  r.get(
    '/topics',
    {
      schema: {
        tags: ['topics'],
        summary: '每月一题 Adopted topics I may see, with task progress and the order trend since adoption',
        querystring: z.object({ state: z.enum(['active', 'closed']).optional(), month: month.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ items: z.array(topicSummary) }), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req, [...readers]);
      return { items: await listTopics({ db: ctx.store.db, actor, now: ctx.now(), filter: req.query }) };
    },
  );

  r.post(
    '/topics',
    {
      schema: {
        tags: ['topics'],
        summary: '立题 Adopt a problem class as a monthly topic, with lead units and tasks (leader, supervisor)',
        body: z
          .object({
            categoryCode: code,
            districtCode: code.optional().describe('limit the topic to one district; required for a district leader'),
            month: month.optional().describe('this month when absent'),
            title: z.string().trim().max(200).optional(),
            description: z.string().trim().max(4000).optional(),
            leadUnitCodes: z.array(code).min(1).max(5),
            tasks: z.array(taskInput).max(30).optional(),
            months: z.number().int().min(3).max(24).optional().describe('window of the baseline figures'),
          })
          .meta({ id: 'AdoptTopic' }),
        response: { 201: z.object({ id: z.string(), no: z.string() }), ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req, ['leader', 'supervisor']);
      return reply.status(201).send(await adoptTopic({ db: ctx.store.db, actor, input: req.body, now: ctx.now() }));
    },
  );

  r.get(
    '/topics/tasks/mine',
    {
      schema: {
        tags: ['topics'],
        summary: '我的每月一题任务 Tasks of my unit (and the units under it), pending first',
        querystring: z.object({ state: z.enum(['open', 'in_progress', 'done', 'pending']).optional() }),
        response: { 200: z.object({ items: z.array(task.extend({ topic: z.object({ id: z.string(), no: z.string(), title: z.string(), month: z.string(), state: z.string() }) })) }), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req, [...readers]);
      return { items: await listMyTopicTasks({ db: ctx.store.db, actor, now: ctx.now(), state: req.query.state }) };
    },
  );

  r.get(
    '/topics/:id',
    { schema: { tags: ['topics'], summary: '每月一题详情 A topic with its tasks (a unit sees its own) and history', params: z.object({ id: z.string() }), response: { 200: topicDetail, ...errors } } },
    async (req) => {
      const actor = requireActor(req, [...readers]);
      return getTopic({ db: ctx.store.db, actor, topicId: req.params.id, now: ctx.now() });
    },
  );

  r.post(
    '/topics/:id/tasks',
    { schema: { tags: ['topics'], summary: '加任务 Add a task to a topic (its leader or supervisor)', params: z.object({ id: z.string() }), body: taskInput, response: { 201: z.object({ id: z.string() }), ...errors } } },
    async (req, reply) => {
      const actor = requireActor(req, ['leader', 'supervisor']);
      return reply.status(201).send(await addTopicTask({ db: ctx.store.db, actor, topicId: req.params.id, input: req.body, now: ctx.now() }));
    },
  );

  r.post(
    '/topics/:id/close',
    {
      schema: { tags: ['topics'], summary: '结题 Close a topic with its outcome', params: z.object({ id: z.string() }), body: z.object({ outcome: z.string().trim().min(1).max(4000), version: z.number().int().min(1) }), response: { 200: z.object({ id: z.string(), version: z.number().int() }), ...errors } },
    },
    async (req) => {
      const actor = requireActor(req, ['leader', 'supervisor']);
      return closeTopic({ db: ctx.store.db, actor, topicId: req.params.id, outcome: req.body.outcome, version: req.body.version, now: ctx.now() });
    },
  );

  r.post(
    '/topics/tasks/:taskId/transitions',
    {
      schema: {
        tags: ['topics'],
        summary: '任务进展 Start, complete (with a note and evidence) or reopen a task',
        params: z.object({ taskId: z.string() }),
        body: z.object({
          action: z.enum(taskActions).describe('start 开始 · complete 完成 · reopen 退回 (overseer only)'),
          version: z.number().int().min(1).describe('the version you saw; a stale one is a 409'),
          note: z.string().trim().max(2000).optional().describe('required to complete or reopen'),
          attachmentIds: z.array(z.uuid()).max(20).optional(),
          orderIds: z.array(z.uuid()).max(50).optional(),
        }),
        response: { 200: z.object({ id: z.string(), state: z.enum(taskStates), version: z.number().int() }), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['handler', 'leader', 'supervisor']);
      return updateTopicTask({ db: ctx.store.db, actor, taskId: req.params.taskId, input: req.body, now: ctx.now() });
    },
  );
};
