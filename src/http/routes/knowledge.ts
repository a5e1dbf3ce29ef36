import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createKnowledge } from '../../app/knowledge/createKnowledge.js';
import { getKnowledge } from '../../app/knowledge/getKnowledge.js';
import { searchKnowledge } from '../../app/knowledge/searchKnowledge.js';
import { updateKnowledge } from '../../app/knowledge/updateKnowledge.js';
import { forbidden } from '../../domain/errors.js';
import { roles } from '../../domain/roles.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

const staff = roles.filter((r) => r !== 'citizen');
const named = z.object({ code: z.string(), name: z.string() }).nullable();

const knowledgeHit = z
  .object({ id: z.string(), title: z.string(), answer: z.string(), category: named, version: z.number().int(), active: z.boolean(), score: z.number().describe('0–1, best first; comparable within one search') })
  .meta({ id: 'KnowledgeHit' });
const knowledgeEntry = z
  .object({ id: z.string(), title: z.string(), answer: z.string(), category: named, keywords: z.array(z.string()), active: z.boolean(), version: z.number().int(), updatedAt: z.string() })
  .meta({ id: 'Knowledge' });
const knowledgeDetail = knowledgeEntry
  .extend({
    versions: z.array(z.object({ version: z.number().int(), title: z.string(), answer: z.string(), keywords: z.array(z.string()), active: z.boolean(), editedAt: z.string(), editedBy: z.string().nullable() })).describe('newest first'),
  })
  .meta({ id: 'KnowledgeDetail' });

// Chinese reasons: administrators read them next to the form field.
const editable = {
  title: z.string({ error: '标题必须是文字' }).trim().min(2, { error: '标题至少 2 个字' }).max(100, { error: '标题不能超过 100 个字' }),
  answer: z.string({ error: '答复必须是文字' }).trim().min(10, { error: '答复至少 10 个字' }).max(5000, { error: '答复不能超过 5000 个字' }),
  categoryCode: z
    .string({ error: '目录编码必须是文字' })
    .regex(/^[A-Z]{1,4}(\.\d{2}){0,3}$/, { error: '目录编码格式应如 ZW 或 ZW.01' })
    .nullable(),
  keywords: z
    .array(z.string({ error: '关键词必须是文字' }).trim().min(1, { error: '关键词不能为空' }).max(30, { error: '关键词不能超过 30 个字' }), { error: '关键词必须是列表' })
    .max(30, { error: '关键词不能超过 30 个' }),
  active: z.boolean({ error: '启用状态必须是 true 或 false' }),
};

export const knowledgeRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/knowledge',
    {
      schema: {
        tags: ['knowledge'],
        summary: '知识库检索 Search the knowledge base (staff; an empty q lists the latest edits)',
        querystring: z.object({
          q: z.string().max(200).default(''),
          limit: z.coerce.number().int().min(1).max(50).default(10),
          all: z.stringbool().default(false).describe('include retired entries (admin)'),
        }),
        response: { 200: z.object({ items: z.array(knowledgeHit) }), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, staff);
      if (req.query.all && actor.role !== 'admin') throw forbidden('只有管理员可以查看已停用的知识条目');
      return { items: await searchKnowledge({ db: ctx.store.db, q: req.query.q, limit: req.query.limit, includeInactive: req.query.all }) };
    },
  );
  r.get(
    '/knowledge/:id',
    {
      schema: {
        tags: ['knowledge'],
        summary: '知识条目 One entry with its version history (staff)',
        params: z.object({ id: z.uuid() }),
        response: { 200: knowledgeDetail, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      requireActor(req, staff);
      return getKnowledge({ db: ctx.store.db, id: req.params.id });
    },
  );
  r.post(
    '/knowledge',
    {
      schema: {
        tags: ['knowledge'],
        summary: '新增知识 Add an entry (admin)',
        body: z.object({ title: editable.title, answer: editable.answer, categoryCode: editable.categoryCode.default(null), keywords: editable.keywords.default([]), active: editable.active.default(true) }),
        response: { 201: knowledgeEntry, 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req, ['admin']);
      const created = await createKnowledge({ db: ctx.store.db, actor, input: req.body, now: ctx.now() });
      return reply.status(201).send(created);
    },
  );
  r.patch(
    '/knowledge/:id',
    {
      schema: {
        tags: ['knowledge'],
        summary: '修改知识 Edit an entry (admin; optimistic `version`; `active: false` retires it)',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          version: z.number({ error: '必须提供当前版本号 version' }).int().min(1),
          title: editable.title.optional(),
          answer: editable.answer.optional(),
          categoryCode: editable.categoryCode.optional(),
          keywords: editable.keywords.optional(),
          active: editable.active.optional(),
        }),
        response: { 200: knowledgeEntry, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['admin']);
      const { version, ...patch } = req.body;
      return updateKnowledge({ db: ctx.store.db, actor, id: req.params.id, version, patch, now: ctx.now() });
    },
  );
};
