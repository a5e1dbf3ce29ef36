/**
 * Open311 GeoReport v2 under /open311/v2/, so existing 311 clients work unchanged: discovery, services, service
 * definitions, requests (POST, GET, GET one), tokens, and the servicerequestupdates extension — each in XML or
 * JSON by the `.xml` / `.json` suffix. Errors are the spec's, with a non-2xx status, for everything under the
 * prefix (validation, keys, limits, unknown paths, broken bodies). Reading services needs no key; requests,
 * tokens and updates need a key with open311:read, and posting one with open311:write.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allowsService, verifyApiKey, type ApiPrincipal, type ApiScope } from '../../app/integrations/apiKeys.js';
import { consumeRate } from '../../app/integrations/rateLimit.js';
import { flushKeyUses, recordKeyUse } from '../../app/integrations/usageLog.js';
import { listServiceRequests, type Open311Request } from '../../app/open311/listServiceRequests.js';
import { parseW3c } from '../../app/open311/present.js';
import { listServiceRequestUpdates, postServiceRequestUpdate } from '../../app/open311/serviceRequestUpdates.js';
import { attributesOf, listServices, serviceCategory } from '../../app/open311/services.js';
import { getOpen311Settings } from '../../app/open311/settings.js';
import { submitServiceRequest } from '../../app/open311/submitServiceRequest.js';
import { getReference } from '../../app/reference/referenceCache.js';
import { DomainError, notFound } from '../../domain/errors.js';
import type { AppContext } from '../context.js';
import { statusOf } from '../errors.js';
import { fieldsFromForm, fieldsFromObject, fieldsFromXml, formatOfUrl, sendErrors, sendList, sendObject, splitSuffix, type Format, type PostFields } from './format.js';

declare module 'fastify' {
  interface FastifyRequest {
    open311KeyId?: string;
  }
}

const BODY_LIMIT = 64 * 1024;
const SPEC = 'http://wiki.open311.org/GeoReport_v2';
const tags = ['open311'];
const optional = z.string().max(2000).optional();

function formatParam(file: string): { name: string; format: Format } {
  const s = splitSuffix(file);
  if (!s || !s.name) throw new DomainError('NOT_FOUND', `路径应以 .xml 或 .json 结尾：${file.slice(0, 80)}`);
  return s;
}

const presentRequest = (r: Open311Request) => ({
  service_request_id: r.serviceRequestId,
  status: r.status,
  status_notes: r.statusNotes,
  service_name: r.serviceName,
  service_code: r.serviceCode,
  description: r.description,
  agency_responsible: r.agencyResponsible,
  service_notice: r.serviceNotice,
  requested_datetime: r.requestedDatetime,
  updated_datetime: r.updatedDatetime,
  expected_datetime: r.expectedDatetime,
  address: r.address,
  address_id: r.addressId,
  zipcode: r.zipcode,
  lat: r.lat,
  long: r.long,
  media_url: r.mediaUrl,
});

export const open311Routes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const db = ctx.store.db;
  const r = app.withTypeProvider<ZodTypeProvider>();

  // Errors in the spec's form, in the format of the path's suffix.
  app.setErrorHandler((err: Error & { code?: string; statusCode?: number; validation?: { instancePath: string; message?: string }[]; validationContext?: string }, req, reply) => {
    const format = formatOfUrl(req.url);
    if (hasZodFastifySchemaValidationErrors(err)) {
      return sendErrors(reply, format, 400, err.validation.map((v) => ({ code: 400, description: `${[v.instancePath.split('/').filter(Boolean).join('.')].filter(Boolean)[0] ?? err.validationContext ?? 'request'}：${v.message ?? '无效'}` })));
    }
    if (err instanceof DomainError) {
      const status = statusOf[err.code];
      const errors = err.fields?.length && err.code === 'VALIDATION_FAILED' ? err.fields.map((f) => ({ code: status, description: `${f.field}：${f.reason}` })) : [{ code: status, description: err.message }];
      return sendErrors(reply, format, status, errors);
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendErrors(reply, format, 413, [{ code: 413, description: `请求体过大（最多 ${BODY_LIMIT / 1024} KB）` }]);
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendErrors(reply, format, 415, [{ code: 415, description: '不支持的内容类型：请用 application/x-www-form-urlencoded、application/json 或 application/xml' }]);
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err instanceof SyntaxError) return sendErrors(reply, format, 400, [{ code: 400, description: 'body：JSON 格式错误' }]);
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return sendErrors(reply, format, err.statusCode, [{ code: err.statusCode, description: `请求无效：${err.message}` }]);
    const correlationId = crypto.randomUUID();
    req.log.error({ err, correlationId }, 'open311 unhandled error');
    return sendErrors(reply, format, 500, [{ code: 500, description: `服务器内部错误，请联系管理员并提供编号 ${correlationId}` }]);
  });
  app.setNotFoundHandler((req, reply) => sendErrors(reply, formatOfUrl(req.url), 404, [{ code: 404, description: `接口不存在：${req.method} ${req.url.split('?')[0] ?? ''}` }]));

  // POST bodies: form-encoded per the spec, JSON, or XML; all become the same fields.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    try {
      done(null, fieldsFromForm(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    try {
      done(null, fieldsFromXml(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  // Every use of a key is logged (batched), whatever the outcome; what is buffered is written when the server closes.
  app.addHook('onClose', async () => flushKeyUses(db));
  app.addHook('onResponse', async (req, reply) => {
    if (req.open311KeyId) recordKeyUse(db, { keyId: req.open311KeyId, at: ctx.now(), method: req.method, route: `/open311/v2${req.routeOptions.url?.replace(/^\/open311\/v2/, '') ?? ''}`, status: reply.statusCode, ip: req.ip });
  });

  const postFields = (req: FastifyRequest): PostFields => {
    const b = req.body;
    if (b === undefined || b === null) return { fields: {}, attributes: {} };
    if (typeof b === 'object' && 'fields' in b && 'attributes' in b) return b as PostFields;
    return fieldsFromObject(b);
  };

  /** The key of the call (api_key in query or body, or the X-Api-Key header), checked, counted and rate limited. */
  async function principalOf(req: FastifyRequest, reply: FastifyReply, scope: ApiScope, fromBody?: PostFields): Promise<ApiPrincipal> {
    const q = req.query as Record<string, unknown> | undefined;
    const key = (typeof q?.api_key === 'string' ? q.api_key : undefined) ?? fromBody?.fields.api_key ?? (typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'] : undefined);
    const now = ctx.now();
    const p = await verifyApiKey({ db, key, scope, now });
    req.open311KeyId = p.keyId;
    const rate = await consumeRate({ db, keyId: p.keyId, limit: p.rateLimitPerMinute, now });
    if (!rate.allowed) {
      reply.header('retry-after', String(rate.retryAfterSeconds));
      throw new DomainError('RATE_LIMITED', `调用过于频繁：每分钟最多 ${rate.limit} 次，请 ${rate.retryAfterSeconds} 秒后再试`);
    }
    return p;
  }

  /** Public reads take an optional key: with one, its service allow-list applies. */
  async function optionalPrincipal(req: FastifyRequest, reply: FastifyReply): Promise<ApiPrincipal | null> {
    const q = req.query as Record<string, unknown> | undefined;
    if (typeof q?.api_key !== 'string' && typeof req.headers['x-api-key'] !== 'string') return null;
    return principalOf(req, reply, 'open311:read');
  }

  async function checkJurisdiction(id: string | undefined): Promise<void> {
    if (id === undefined) return;
    const s = await getOpen311Settings(db);
    if (id !== s.jurisdictionId) throw new DomainError('NOT_FOUND', `jurisdiction_id 未知：${id.slice(0, 80)}（本平台为 ${s.jurisdictionId}）`);
  }

  const jurisdictionQuery = z.object({ jurisdiction_id: optional, api_key: optional });

  for (const format of ['xml', 'json'] as const) {
    r.get(`/discovery.${format}`, { schema: { tags, summary: `Open311 discovery (${format})` } }, async (req, reply) => {
      const s = await getOpen311Settings(db);
      const base = `${req.protocol}://${req.host}/open311/v2/`;
      return sendObject(reply, format, 'discovery', {
        changeset: '2026-11-25T00:00:00+08:00',
        contact: '北京市12345市民服务热线 12345',
        key_service: `${req.protocol}://${req.host}/ 管理 → 接口与密钥（向管理员申请 api_key）`,
        endpoints: {
          endpoint: [{ specification: SPEC, url: base, changeset: '2026-11-25T00:00:00+08:00', type: 'production', formats: { format: ['text/xml', 'application/json'] } }],
        },
        jurisdiction_id: s.jurisdictionId,
      });
    });

    r.get(`/services.${format}`, { schema: { tags, summary: `服务目录 Services: the catalogue's leaf categories (${format})`, querystring: jurisdictionQuery } }, async (req, reply) => {
      await checkJurisdiction(req.query.jurisdiction_id);
      const p = await optionalPrincipal(req, reply);
      const ref = await getReference(db);
      const items = listServices(ref, (code) => !p || allowsService(p, code));
      return sendList(reply, format, 'services', 'service', items.map((s) => ({ service_code: s.code, service_name: s.name, description: s.description, metadata: s.metadata, type: s.type, keywords: s.keywords.join(','), group: s.group })));
    });

    r.get(
      `/requests.${format}`,
      {
        schema: {
          tags,
          summary: `查询诉求 Requests this key may see (${format}); contact details are never included`,
          querystring: jurisdictionQuery.extend({ service_request_id: optional.describe('comma-separated ids'), service_code: optional.describe('comma-separated codes'), start_date: optional, end_date: optional, status: optional.describe('open, closed or both, comma-separated') }),
        },
      },
      async (req, reply) => {
        await checkJurisdiction(req.query.jurisdiction_id);
        const p = await principalOf(req, reply, 'open311:read');
        const q = req.query;
        const list = (s: string | undefined) => s?.split(',').map((x) => x.trim()).filter(Boolean);
        const ids = list(q.service_request_id);
        if (ids && ids.length > 100) throw new DomainError('VALIDATION_FAILED', 'service_request_id：最多 100 个', [{ field: 'service_request_id', reason: '最多 100 个' }]);
        const date = (field: string, v: string | undefined) => {
          if (v === undefined) return undefined;
          const d = parseW3c(v);
          if (!d) throw new DomainError('VALIDATION_FAILED', `${field}：日期格式错误`, [{ field, reason: '日期格式错误（W3C，如 2026-09-29T21:40:00+08:00）' }]);
          return d;
        };
        const start = date('start_date', q.start_date);
        const end = date('end_date', q.end_date);
        if (start && end && start > end) throw new DomainError('VALIDATION_FAILED', 'start_date 晚于 end_date', [{ field: 'start_date', reason: '晚于 end_date' }]);
        const statuses = list(q.status);
        const badStatus = statuses?.filter((s) => s !== 'open' && s !== 'closed');
        if (badStatus?.length) throw new DomainError('VALIDATION_FAILED', `status：取值无效`, [{ field: 'status', reason: `取值无效（可选：open、closed）：${badStatus.join(',').slice(0, 40)}` }]);
        const items = await listServiceRequests({ db, actor: p.actor, services: p.services, filter: { ids, serviceCodes: list(q.service_code), start, end, status: statuses as ('open' | 'closed')[] | undefined }, now: ctx.now() });
        return sendList(reply, format, 'service_requests', 'request', items.map(presentRequest));
      },
    );

    r.post(
      `/requests.${format}`,
      {
        bodyLimit: BODY_LIMIT,
        schema: {
          tags,
          summary: `提交诉求 Create a service request (${format}): form-encoded per the spec (attribute[CODE]=…), JSON or XML`,
          description: 'Fields: api_key, jurisdiction_id, service_code, lat/long or address_string or address_id, attribute[CODE], description, media_url, first_name, last_name, email, phone, device_id, account_id. Goes through intake and intelligent dispatch like any channel (channel open311). Send an Idempotency-Key header so a retry creates nothing twice.',
          headers: z.object({ 'idempotency-key': z.string().min(8).max(100).optional() }),
        },
      },
      async (req, reply) => {
        const body = postFields(req);
        const p = await principalOf(req, reply, 'open311:write', body);
        const f = body.fields;
        const res = await submitServiceRequest({
          db,
          principal: p,
          fields: { ...f, attributes: body.attributes },
          propose: ctx.propose,
          threshold: ctx.config.dispatchThreshold,
          idempotencyKey: req.headers['idempotency-key'],
          now: ctx.now(),
        });
        return sendList(reply, format, 'service_requests', 'request', [{ service_request_id: res.serviceRequestId, token: res.token, service_notice: res.serviceNotice, account_id: res.accountId }], res.replayed ? 200 : 201);
      },
    );

    r.get(`/servicerequestupdates.${format}`, { schema: { tags, summary: `诉求进展 Updates of visible requests in a window (${format}); default: the last 24 hours`, querystring: jurisdictionQuery.extend({ start_date: optional, end_date: optional }) } }, async (req, reply) => {
      await checkJurisdiction(req.query.jurisdiction_id);
      const p = await principalOf(req, reply, 'open311:read');
      const now = ctx.now();
      const end = req.query.end_date !== undefined ? parseW3c(req.query.end_date) : now;
      const start = req.query.start_date !== undefined ? parseW3c(req.query.start_date) : new Date((end ?? now).getTime() - 86_400_000);
      if (!start) throw new DomainError('VALIDATION_FAILED', 'start_date：日期格式错误', [{ field: 'start_date', reason: '日期格式错误' }]);
      if (!end) throw new DomainError('VALIDATION_FAILED', 'end_date：日期格式错误', [{ field: 'end_date', reason: '日期格式错误' }]);
      if (start > end) throw new DomainError('VALIDATION_FAILED', 'start_date 晚于 end_date', [{ field: 'start_date', reason: '晚于 end_date' }]);
      const items = await listServiceRequestUpdates({ db, principal: p, start, end });
      return sendList(reply, format, 'service_request_updates', 'request_update', items.map((u) => ({ update_id: u.updateId, service_request_id: u.serviceRequestId, status: u.status, updated_datetime: u.updatedDatetime, description: u.description, media_url: u.mediaUrl })));
    });

    r.post(`/servicerequestupdates.${format}`, { bodyLimit: BODY_LIMIT, schema: { tags, summary: `补充进展 Post an update to a request (${format}): update_id, service_request_id, status, description, media_url` } }, async (req, reply) => {
      const body = postFields(req);
      await checkJurisdiction(body.fields.jurisdiction_id);
      const p = await principalOf(req, reply, 'open311:write', body);
      const res = await postServiceRequestUpdate({ db, principal: p, fields: body.fields, now: ctx.now() });
      return sendList(reply, format, 'service_request_updates', 'request_update', [{ update_id: res.updateId }], res.replayed ? 200 : 201);
    });
  }

  r.get('/services/:file', { schema: { tags, summary: '服务定义 Service definition: services/{service_code}.xml|json', params: z.object({ file: z.string().max(100) }), querystring: jurisdictionQuery } }, async (req, reply) => {
    const { name, format } = formatParam(req.params.file);
    await checkJurisdiction(req.query.jurisdiction_id);
    const p = await optionalPrincipal(req, reply);
    const ref = await getReference(db);
    const cat = serviceCategory(ref, name);
    if (!cat || (p && !allowsService(p, name))) throw notFound(`服务 ${name.slice(0, 40)} `);
    const attributes = attributesOf(cat).map((a) => ({
      variable: a.variable,
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      datatype_description: a.datatypeDescription,
      order: a.order,
      description: a.description,
      values: a.values.length ? (format === 'xml' ? { value: a.values } : a.values) : format === 'xml' ? null : [],
    }));
    return sendObject(reply, format, 'service_definition', { service_code: cat.id, attributes: format === 'xml' ? { attribute: attributes } : attributes });
  });

  r.get('/requests/:file', { schema: { tags, summary: '单个诉求 One request: requests/{service_request_id}.xml|json', params: z.object({ file: z.string().max(100) }), querystring: jurisdictionQuery } }, async (req, reply) => {
    const { name, format } = formatParam(req.params.file);
    await checkJurisdiction(req.query.jurisdiction_id);
    const p = await principalOf(req, reply, 'open311:read');
    const items = await listServiceRequests({ db, actor: p.actor, services: p.services, filter: { ids: [name] }, now: ctx.now() });
    if (items.length === 0) throw notFound(`诉求 ${name.slice(0, 40)} `);
    return sendList(reply, format, 'service_requests', 'request', items.map(presentRequest));
  });

  r.get('/tokens/:file', { schema: { tags, summary: '凭据查询 A token (the request number) to its service_request_id: tokens/{token}.xml|json', params: z.object({ file: z.string().max(100) }), querystring: jurisdictionQuery } }, async (req, reply) => {
    const { name, format } = formatParam(req.params.file);
    await checkJurisdiction(req.query.jurisdiction_id);
    const p = await principalOf(req, reply, 'open311:read');
    const items = await listServiceRequests({ db, actor: p.actor, services: p.services, filter: { tokens: [name] }, now: ctx.now() });
    if (items.length === 0) throw notFound(`凭据 ${name.slice(0, 40)} `);
    return sendList(reply, format, 'service_requests', 'request', items.map((i) => ({ service_request_id: i.serviceRequestId, token: name })));
  });

  // Anything else under the prefix: the spec's 404, not the web app or the platform's JSON.
  app.all('/*', { schema: { hide: true } }, (req, reply) => sendErrors(reply, formatOfUrl(req.url), 404, [{ code: 404, description: `接口不存在：${req.method} ${req.url.split('?')[0] ?? ''}` }]));
};
