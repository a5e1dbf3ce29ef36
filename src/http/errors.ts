/** One error shape for the whole API, `{ code, message, fields? }`, and the one table from domain codes to HTTP. */
import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError, type ErrorCode, type FieldProblem } from '../domain/errors.js';

export const statusOf: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  VERSION_CONFLICT: 409,
  ILLEGAL_TRANSITION: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  LINK_INVALID: 404,
  LINK_EXPIRED: 410,
  LINK_USED: 409,
  DUPLICATE_EVIDENCE: 409,
  WEBHOOK_TARGET_REFUSED: 400,
  INTERNAL: 500,
};

export const errorBody = z
  .object({
    code: z.string().describe('stable English identifier, e.g. VALIDATION_FAILED'),
    message: z.string().describe('human-readable, in Chinese'),
    fields: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
    correlationId: z.string().optional(),
  })
  .meta({ id: 'Error' });

/** Zod's English messages into short Chinese reasons a clerk can act on. */
function reasonOf(issue: { code?: string; message: string; minimum?: unknown; maximum?: unknown; expected?: unknown; values?: unknown; format?: unknown; input?: unknown }): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.message.includes('received undefined') ? '必填' : `类型错误（应为 ${String(issue.expected)}）`;
    case 'too_small':
      return `过短或过小（最小 ${String(issue.minimum)}）`;
    case 'too_big':
      return `过长或过大（最大 ${String(issue.maximum)}）`;
    case 'invalid_value':
      return `取值无效${Array.isArray(issue.values) ? `（可选：${issue.values.join('、')}）` : ''}`;
    case 'invalid_format':
      return typeof issue.format === 'string' ? `格式错误（应为 ${issue.format}）` : '格式错误';
    case 'invalid_union':
      return '格式错误';
    case 'unrecognized_keys':
      return '包含未知字段';
    case undefined:
    default:
      return issue.message;
  }
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const fields: FieldProblem[] = err.validation.map((v) => {
        // fastify-type-provider-zod puts zod's issue code in `keyword` and the rest of the issue in `params`.
        const issue = { ...(v.params), code: v.keyword, message: v.message ?? '无效' };
        const p = v.instancePath.split('/').filter(Boolean);
        const field = [where === 'body' ? '' : where, ...p].filter(Boolean).join('.') || where;
        return { field, reason: reasonOf(issue) };
      });
      return reply.status(400).send({ code: 'VALIDATION_FAILED', message: `请求参数有误：${fields.map((f) => `${f.field}（${f.reason}）`).join('；')}`, fields });
    }
    if (err instanceof DomainError) {
      return reply.status(statusOf[err.code]).send({ code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send({ code: 'PAYLOAD_TOO_LARGE', message: '请求体过大' });
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.status(415).send({ code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型' });
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (err.statusCode === 400 && err instanceof SyntaxError)) {
      return reply.status(400).send({ code: 'VALIDATION_FAILED', message: '请求体不是有效的 JSON', fields: [{ field: 'body', reason: 'JSON 格式错误' }] });
    }
    if (err.statusCode === 429) return reply.status(429).send({ code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500 && !isResponseSerializationError(err)) {
      return reply.status(err.statusCode).send({ code: 'BAD_REQUEST', message: `请求无效：${err.message}` });
    }
    const correlationId = randomUUID();
    req.log.error({ err, correlationId }, 'unhandled error');
    return reply.status(500).send({ code: 'INTERNAL', message: `服务器内部错误，请联系管理员并提供编号 ${correlationId}`, correlationId });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ code: 'NOT_FOUND', message: `接口不存在：${req.method} ${req.url.split('?')[0] ?? ''}` });
  });
}
