/** The HTTP server: Fastify with zod validation, OpenAPI at /docs, one error shape, bearer auth. */
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { installAuth } from './auth.js';
import type { AppContext } from './context.js';
import { installErrorHandling } from './errors.js';
import { systemRoutes } from './routes/system.js';
import { authRoutes } from './routes/auth.js';
import { unitRoutes } from './routes/units.js';
import { categoryRoutes } from './routes/categories.js';
import { auditRoutes } from './routes/audit.js';
import { orderRoutes } from './routes/orders.js';
import { knowledgeRoutes } from './routes/knowledge.js';
import { policyRoutes } from './routes/policies.js';
import { calendarRoutes } from './routes/calendar.js';
import { proactiveRoutes } from './routes/proactive.js';
import { notificationRoutes } from './routes/notifications.js';
import { liveRoutes } from './live.js';
import { attachmentRoutes } from './routes/attachments.js';
import { statsRoutes } from './routes/stats.js';
import { userRoutes } from './routes/users.js';
import { whistleRoutes } from './routes/whistles.js';
import { indicatorRoutes } from './routes/indicators.js';
import { hotRoutes } from './routes/hot.js';
import { topicRoutes } from './routes/topics.js';
import { replyCheckRoutes } from './routes/replyCheck.js';
import { assessmentRoutes } from './routes/assessment.js';
import { cityopsAlarmRoutes } from './routes/cityopsAlarms.js';
import { cityopsBaseRoutes } from './routes/cityopsBase.js';
import { cityopsEventRoutes } from './routes/cityopsEvents.js';
import { integrationRoutes } from './routes/integrations.js';
import { open311Routes } from './open311/routes.js';
import { exchangeRoutes } from './routes/exchange.js';
import { bulkRoutes } from './routes/bulk.js';
import { ordersExportRoutes } from './routes/ordersExport.js';

export async function buildServer(ctx: AppContext, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ? { level: ctx.config.logLevel } : false,
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    genReqId: () => crypto.randomUUID(),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Jiesu 接诉 API', description: '接诉即办 citizen-request hub and 一网统管 city operations. Errors share one shape: `{ code, message, fields? }`.', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'an integration key (another platform, an app): see docs/open311-webhooks.md' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await installAuth(app, ctx);
  await app.register(systemRoutes(ctx));
  await app.register(authRoutes(ctx), { prefix: '/api/v1' });
  await app.register(unitRoutes(ctx), { prefix: '/api/v1' });
  await app.register(categoryRoutes(ctx), { prefix: '/api/v1' });
  await app.register(auditRoutes(ctx), { prefix: '/api/v1' });
  await app.register(orderRoutes(ctx), { prefix: '/api/v1' });
  await app.register(knowledgeRoutes(ctx), { prefix: '/api/v1' });
  await app.register(policyRoutes(ctx), { prefix: '/api/v1' });
  await app.register(calendarRoutes(ctx), { prefix: '/api/v1' });
  await app.register(proactiveRoutes(ctx), { prefix: '/api/v1' });
  await app.register(notificationRoutes(ctx), { prefix: '/api/v1' });
  await app.register(liveRoutes(ctx), { prefix: '/api/v1' });
  await app.register(attachmentRoutes(ctx), { prefix: '/api/v1' });
  await app.register(statsRoutes(ctx), { prefix: '/api/v1' });
  await app.register(userRoutes(ctx), { prefix: '/api/v1' });
  await app.register(whistleRoutes(ctx), { prefix: '/api/v1' });
  await app.register(indicatorRoutes(ctx), { prefix: '/api/v1' });
  await app.register(hotRoutes(ctx), { prefix: '/api/v1' });
  await app.register(topicRoutes(ctx), { prefix: '/api/v1' });
  await app.register(replyCheckRoutes(ctx), { prefix: '/api/v1' });
  await app.register(assessmentRoutes(ctx), { prefix: '/api/v1' });
  await app.register(cityopsBaseRoutes(ctx), { prefix: '/api/v1' });
  await app.register(cityopsAlarmRoutes(ctx), { prefix: '/api/v1' });
  await app.register(cityopsEventRoutes(ctx), { prefix: '/api/v1' });
  await app.register(integrationRoutes(ctx), { prefix: '/api/v1' });
  await app.register(open311Routes(ctx), { prefix: '/open311/v2' });
  await app.register(exchangeRoutes(ctx), { prefix: '/api/v1' });
  await app.register(bulkRoutes(ctx), { prefix: '/api/v1' });
  await app.register(ordersExportRoutes(ctx), { prefix: '/api/v1' });
  await serveWeb(app);
  return app;
}

export const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** The built web workspaces, with the SPA's routes falling back to index.html (API paths keep their 404s). */
async function serveWeb(app: FastifyInstance): Promise<void> {
  if (!existsSync(path.join(webDist, 'index.html'))) return;
  await app.register(fastifyStatic, { root: webDist, wildcard: false, index: 'index.html', maxAge: '1h', immutable: false });
  app.get('/*', { schema: { hide: true } }, (req, reply) => {
    const p = req.url.split('?')[0] ?? '/';
    if (p.startsWith('/api/') || p.startsWith('/docs') || p.startsWith('/open311/') || path.extname(p)) {
      return reply.status(404).send({ code: 'NOT_FOUND', message: `接口不存在：${req.method} ${p}` });
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
