/**
 * 历史工单导入 over HTTP (admins): upload the file as the request body (CSV, xlsx or JSONL, up to 50 MB); the
 * file is read and its headings checked at once (a bad file is a 400 and nothing is written), then the import runs
 * in the background and the job row is polled for progress and the reject report.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createImportJob, getImportJob, listImportJobs, requireImporter, runImport } from '../../app/bulk/importOrders.js';
import { formatOfName, ImportFileError, importFormats, readImportFile, type ImportFormat } from '../../app/bulk/readers.js';
import { DomainError } from '../../domain/errors.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;
const uploadTypes = ['text/csv', 'application/x-ndjson', 'application/jsonl', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream'];

const reject = z.object({ line: z.number().int(), field: z.string(), code: z.string(), reason: z.string() });
const jobSchema = z
  .object({ id: z.string(), format: z.string(), fileName: z.string(), state: z.enum(['running', 'done', 'failed', 'interrupted']).or(z.string()), total: z.number().int(), processed: z.number().int(), imported: z.number().int(), skipped: z.number().int(), rejected: z.number().int(), rejects: z.array(reject).describe('the first 1,000 problems, by line'), error: z.string().nullable(), createdAt: z.string(), finishedAt: z.string().nullable() })
  .meta({ id: 'ImportJob' });

export const bulkRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  // The upload is the raw body; these parsers apply to this plugin's routes only.
  app.addContentTypeParser(uploadTypes, { parseAs: 'buffer', bodyLimit: IMPORT_MAX_BYTES }, (_req, body, done) => done(null, body));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;

  r.post(
    '/bulk/imports',
    {
      bodyLimit: IMPORT_MAX_BYTES,
      schema: {
        tags: ['bulk'],
        summary: '导入历史工单 Upload historical orders (CSV, xlsx, JSONL) — admin',
        description: 'Body: the file itself (Content-Type text/csv, application/x-ndjson or the xlsx type). Columns: docs/exchange-bulk.md. Answers 202 with the job; poll GET /bulk/imports/{id}. Batches of 500 are written all-or-nothing; rows already imported (same source number) are skipped.',
        querystring: z.object({ fileName: z.string().trim().min(1).max(200), format: z.enum(importFormats).optional().describe('default: from the file name') }),
        response: { 202: jobSchema, 400: errorBody, 401: errorBody, 403: errorBody, 413: errorBody, 415: errorBody },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      requireImporter(actor);
      const format: ImportFormat | null = req.query.format ?? formatOfName(req.query.fileName);
      if (!format) throw new DomainError('VALIDATION_FAILED', '无法识别文件格式：请上传 .csv、.xlsx 或 .jsonl 文件', [{ field: 'querystring.format', reason: '必填（文件名无可识别的扩展名）' }]);
      if (!Buffer.isBuffer(req.body)) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', '请以文件内容作为请求体上传（Content-Type: text/csv、application/x-ndjson 或 xlsx）');
      const now = ctx.now();
      let source;
      try {
        source = await readImportFile(format, req.body);
      } catch (err) {
        if (err instanceof ImportFileError) throw new DomainError('VALIDATION_FAILED', `文件无法导入：${err.message}`, [{ field: err.field, reason: err.message }]);
        throw err;
      }
      const jobId = await createImportJob({ db, actor, format, fileName: req.query.fileName, now });
      // The import goes on after the answer; its outcome (done or failed) is on the job row.
      void runImport({ db, actor, jobId, source, now }).catch((err: unknown) => req.log.error({ err, jobId }, 'import failed'));
      return reply.status(202).send(await getImportJob({ db, actor, id: jobId }));
    },
  );

  r.get('/bulk/imports', { schema: { tags: ['bulk'], summary: '导入任务 Recent import jobs (admin)', response: { 200: z.object({ items: z.array(jobSchema) }), 401: errorBody, 403: errorBody } } }, async (req) => ({ items: await listImportJobs({ db, actor: requireActor(req) }) }));

  r.get(
    '/bulk/imports/:id',
    { schema: { tags: ['bulk'], summary: '导入进度 One import job: progress and rejected rows (admin)', params: z.object({ id: z.uuid() }), response: { 200: jobSchema, 401: errorBody, 403: errorBody, 404: errorBody } } },
    async (req) => getImportJob({ db, actor: requireActor(req), id: req.params.id }),
  );
};
