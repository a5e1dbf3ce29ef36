/**
 * Live updates over Server-Sent Events. Each server LISTENs once on the database's live channel (NOTIFY is sent
 * in the transaction of each change, so only committed changes arrive, on every server) and forwards each event
 * to the connected users who may see it.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticate } from '../app/auth/authenticate.js';
import { LIVE_CHANNEL, type LiveEvent } from '../app/outbox/publish.js';
import type { Actor } from '../domain/actor.js';
import { isWithin } from '../domain/jurisdiction.js';
import { DomainError } from '../domain/errors.js';
import type { AppContext } from './context.js';
import { bearerOf } from './auth.js';

type Subscriber = { actor: Actor; send: (event: LiveEvent) => void };

export function mayReceive(actor: Actor, e: LiveEvent): boolean {
  if (e.kind === 'order' && actor.role === 'citizen') return e.requesterUserIds.includes(actor.userId);
  if (e.kind === 'alarm' && actor.role === 'citizen') return false;
  if (actor.scopePath === '/110000/') return true; // the hotline centre and city-wide roles see everything
  return e.unitPaths.some((p) => isWithin(actor.scopePath, p));
}

export const liveRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const subscribers = new Set<Subscriber>();
  const unlisten = await ctx.store.listen(LIVE_CHANNEL, (payload) => {
    let e: LiveEvent;
    try {
      e = JSON.parse(payload) as LiveEvent;
    } catch {
      return;
    }
    for (const s of subscribers) if (mayReceive(s.actor, e)) s.send(e);
  });
  app.addHook('onClose', async () => {
    await unlisten();
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/events/stream',
    {
      schema: {
        tags: ['live'],
        summary: '实时更新 Live order, whistle and alarm updates (Server-Sent Events)',
        description: 'EventSource cannot send headers, so the bearer token may be passed as `?token=`. Events: `order` and `whistle` with `{ orderId|whistleId, no, state }`, and `alarm` with `{ alarmId, no, state, severity, change }` (raised, acknowledged, assigned, cleared, ordered) for alarms in the subscriber’s area; a comment line every 25 s keeps proxies open.',
        querystring: z.object({ token: z.string().max(200).optional() }),
      },
    },
    async (req, reply) => {
      const token = req.query.token ?? bearerOf(req);
      if (!token) throw new DomainError('UNAUTHENTICATED', '请先登录');
      const actor = await authenticate({ db: ctx.store.db, token, now: ctx.now() });
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write(`retry: 3000\n: connected as ${actor.username}\n\n`);
      const sub: Subscriber = {
        actor,
        send: (e) => {
          const data =
            e.kind === 'order'
              ? { orderId: e.orderId, no: e.no, state: e.state, type: e.type }
              : e.kind === 'alarm'
                ? { alarmId: e.alarmId, no: e.no, state: e.state, severity: e.severity, change: e.change }
                : { whistleId: e.whistleId, no: e.no, state: e.state };
          res.write(`event: ${e.kind}\ndata: ${JSON.stringify(data)}\n\n`);
        },
      };
      subscribers.add(sub);
      const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
      const stop = () => {
        clearInterval(ping);
        subscribers.delete(sub);
      };
      req.raw.on('close', stop);
      app.server.once('close', () => {
        stop();
        res.end();
      });
    },
  );
};
