/** Bearer-token authentication at the edge: resolves the actor once per request for the use-cases. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor.js';
import { DomainError, forbidden } from '../domain/errors.js';
import type { Role } from '../domain/roles.js';
import { authenticate, watchSessions } from '../app/auth/authenticate.js';
import type { AppContext } from './context.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    token: string | null;
  }
}

export function bearerOf(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1] ?? null;
}

export async function installAuth(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // Sessions looked up are kept briefly; every server hears logouts and account changes (see watchSessions).
  const unwatch = await watchSessions(ctx.store);
  app.addHook('onClose', async () => {
    await unwatch();
  });
  app.decorateRequest('actor', null);
  app.decorateRequest('token', null);
  app.addHook('onRequest', async (req) => {
    const token = bearerOf(req);
    if (!token) return;
    req.token = token;
    req.actor = await authenticate({ db: ctx.store.db, token, now: ctx.now() });
  });
}

/** The signed-in actor, or 401. With roles, 403 unless the actor has one of them. */
export function requireActor(req: FastifyRequest, roles?: readonly Role[]): Actor {
  if (!req.actor) throw new DomainError('UNAUTHENTICATED', '请先登录');
  if (roles && !roles.includes(req.actor.role)) throw forbidden('当前角色无权执行此操作');
  return req.actor;
}
