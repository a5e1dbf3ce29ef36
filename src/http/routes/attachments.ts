import type { FastifyPluginAsync } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_ATTACHMENT_BYTES, readAttachment, storeAttachment } from '../../app/attachments/attachments.js';
import { DomainError } from '../../domain/errors.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

export const attachmentRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  await app.register(multipart, { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 5 } });
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/attachments',
    {
      schema: {
        tags: ['attachments'],
        summary: '上传附件 Upload a photo, document or recording (multipart field `file`, ≤ 10 MB)',
        consumes: ['multipart/form-data'],
        response: { 201: z.object({ id: z.string(), name: z.string(), type: z.string(), size: z.number(), url: z.string() }), 400: errorBody, 401: errorBody, 413: errorBody, 415: errorBody },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      if (!req.isMultipart()) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传，字段名 file');
      const file = await req.file();
      if (!file) throw new DomainError('VALIDATION_FAILED', '缺少文件', [{ field: 'file', reason: '必填' }]);
      const data = await file.toBuffer().catch((err: unknown) => {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new DomainError('PAYLOAD_TOO_LARGE', '文件超过 10 MB');
        throw err;
      });
      const stored = await storeAttachment({ db: ctx.store.db, actor, dataDir: ctx.config.dataDir, name: file.filename, data, now: ctx.now() });
      return reply.status(201).send(stored);
    },
  );
  r.get(
    '/attachments/:id',
    { schema: { tags: ['attachments'], summary: '下载附件 Download an attachment (401/404 in the error shape)', params: z.object({ id: z.string().max(64) }) } },
    async (req, reply) => {
      const a = await readAttachment({ db: ctx.store.db, actor: requireActor(req), dataDir: ctx.config.dataDir, id: req.params.id });
      return reply
        .header('content-type', a.mime)
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(a.name)}`)
        .header('x-content-type-options', 'nosniff')
        .send(a.data);
    },
  );
};
