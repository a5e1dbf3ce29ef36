/**
 * Webhook delivery, the outbox's 'webhook' kind. Order events reach the outbox by trigger in the transaction that
 * wrote them (migration 0009). This job, after commit: (1) fans each outbox row out into one delivery per
 * matching subscription, whose owner may see the order; (2) claims due deliveries with SKIP LOCKED and a lease,
 * so several servers share the work and no HTTP call runs inside a transaction; (3) POSTs each signed body and
 * logs the attempt; a failure is retried with exponential back-off, up to MAX_ATTEMPTS. The target is checked again
 * before each call (webhookTarget.ts): one that now resolves to a private address fails at once, with the reason.
 */
import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { isWithin, scopePathOf, type UnitLevel } from '../../domain/jurisdiction.js';
import type { Db } from '../../store/db.js';
import { apiKeys, categories, orders, outbox, units, webhookAttempts, webhookDeliveries, webhookSubscriptions } from '../../store/schema/index.js';
import { signWebhook } from './signature.js';
import { guardedPost, webhookTargetProblem, type WebhookSender } from './webhookTarget.js';
import { webhookEventOf } from './webhookEvents.js';

export const MAX_ATTEMPTS = 8;
const LEASE_MS = 60_000;
const TIMEOUT_MS = 10_000;
/** 10 s, 20 s, 40 s … capped at 6 hours. */
export const retryDelayMs = (attempts: number): number => Math.min(6 * 3600_000, 10_000 * 2 ** Math.max(0, attempts - 1));

type OutboxWebhook = { eventId: number; orderId: string; type: string; at: string; from: string | null; to: string | null };

/** Turn pending outbox rows of topic 'webhook' into deliveries. Returns how many deliveries were created. */
export async function fanOutWebhooks(args: { db: Db; now: Date; batch?: number }): Promise<number> {
  return args.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(outbox)
      .where(and(isNull(outbox.sentAt), lte(outbox.availableAt, args.now), eq(outbox.topic, 'webhook')))
      .orderBy(asc(outbox.id))
      .limit(args.batch ?? 500)
      .for('update', { skipLocked: true });
    if (rows.length === 0) return 0;
    const subs = await tx
      .select({ s: webhookSubscriptions, unitPath: units.path, unitLevel: units.level })
      .from(webhookSubscriptions)
      .leftJoin(apiKeys, eq(apiKeys.id, webhookSubscriptions.keyId))
      .leftJoin(units, eq(units.id, apiKeys.ownerUnitId))
      .where(and(eq(webhookSubscriptions.active, true), sql`(${apiKeys.id} IS NULL OR ${apiKeys.revokedAt} IS NULL)`));
    const events = rows.map((r) => r.payload as unknown as OutboxWebhook);
    const orderIds = [...new Set(events.map((e) => e.orderId))];
    const orderRows = orderIds.length
      ? await tx
          .select({ o: orders, categoryName: categories.name, leadName: units.name })
          .from(orders)
          .leftJoin(categories, eq(categories.id, orders.categoryId))
          .leftJoin(units, eq(units.id, orders.leadUnitId))
          .where(inArray(orders.id, orderIds))
      : [];
    const byId = new Map(orderRows.map((r) => [r.o.id, r]));
    const values: (typeof webhookDeliveries.$inferInsert)[] = [];
    for (const e of events) {
      const event = webhookEventOf(e.type);
      const row = byId.get(e.orderId);
      if (!event || !row) continue;
      const o = row.o;
      const placePath = o.districtId ? `/110000/${o.districtId}/${o.streetId ? `${o.streetId}/` : ''}` : null;
      const payload = {
        id: `evt_${e.eventId}`,
        event,
        occurredAt: new Date(e.at).toISOString(),
        order: {
          id: o.id,
          no: o.no,
          state: e.to ?? o.state,
          previousState: e.from,
          title: o.title,
          channel: o.channel,
          serviceCode: o.categoryId,
          category: o.categoryId ? { code: o.categoryId, name: row.categoryName ?? o.categoryId } : null,
          leadUnit: o.leadUnitId ? { code: o.leadUnitId, name: row.leadName ?? o.leadUnitId } : null,
          districtCode: o.districtId,
          streetCode: o.streetId,
          dueAt: o.replyDueAt?.toISOString() ?? null,
        },
      };
      for (const { s, unitPath, unitLevel } of subs) {
        if (!s.events.includes(event)) continue;
        if (s.keyId && unitPath) {
          // A key's subscription hears only of orders its owner unit may see (a street: its own).
          const scope = scopePathOf({ path: unitPath, level: unitLevel as UnitLevel });
          if (!isWithin(scope, o.leadUnitPath) && !isWithin(scope, placePath)) continue;
        }
        values.push({ subscriptionId: s.id, event, sourceEventId: e.eventId, orderId: o.id, payload, status: 'pending', nextAttemptAt: args.now, createdAt: args.now });
      }
    }
    if (values.length) await tx.insert(webhookDeliveries).values(values).onConflictDoNothing();
    await tx.update(outbox).set({ sentAt: args.now, attempts: sql`${outbox.attempts} + 1` }).where(inArray(outbox.id, rows.map((r) => r.id)));
    return values.length;
  });
}

type Claimed = { id: number; attempt: number; url: string; secret: string; event: string; payload: Record<string, unknown> };

async function claimDue(db: Db, now: Date, batch: number): Promise<Claimed[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ d: webhookDeliveries, url: webhookSubscriptions.url, secret: webhookSubscriptions.secret })
      .from(webhookDeliveries)
      .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
      .where(and(eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.nextAttemptAt, now)))
      .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id))
      .limit(batch)
      .for('update', { of: webhookDeliveries, skipLocked: true });
    if (due.length === 0) return [];
    // The lease: a server that dies mid-call leaves the delivery due again a minute later.
    await tx
      .update(webhookDeliveries)
      .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
      .where(inArray(webhookDeliveries.id, due.map((r) => r.d.id)));
    return due.map((r) => ({ id: r.d.id, attempt: r.d.attempts + 1, url: r.url, secret: r.secret, event: r.d.event, payload: r.d.payload }));
  });
}

async function post(c: Claimed, now: Date, fetchImpl: WebhookSender, allowPrivate: boolean): Promise<{ statusCode: number | null; durationMs: number; error: string | null; refused: boolean }> {
  const body = JSON.stringify(c.payload);
  const started = performance.now();
  const problem = await webhookTargetProblem(c.url, { allowPrivate });
  // A name that does not resolve now may later (retried as usual); an address we must not call never becomes one.
  if (problem) return { statusCode: null, durationMs: Math.round(performance.now() - started), error: `${problem.code}: ${problem.reason}`, refused: problem.code !== 'UNRESOLVABLE' };
  try {
    const res = await fetchImpl(c.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Jiesu-Webhooks/1', 'x-jiesu-event': c.event, 'x-jiesu-delivery': String(c.id), 'x-jiesu-signature': signWebhook(c.secret, body, Math.floor(now.getTime() / 1000)) },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const durationMs = Math.round(performance.now() - started);
    return { statusCode: res.status, durationMs, error: res.ok ? null : `HTTP ${res.status}`, refused: false };
  } catch (err) {
    // The socket's own lookup found a private address (the name changed since the check): never retried.
    const refused = (err as { code?: unknown }).code === 'PRIVATE_ADDRESS';
    const error = refused ? `PRIVATE_ADDRESS: ${(err as Error).message}` : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { statusCode: null, durationMs: Math.round(performance.now() - started), error: error.slice(0, 500), refused };
  }
}

/** One run of the job: fan out, then send what is due. `allowPrivate`: JIESU_WEBHOOK_ALLOW_PRIVATE (tests, lab networks). */
export async function deliverWebhooks(args: { db: Db; now: Date; fetchImpl?: WebhookSender; batch?: number; allowPrivate?: boolean }): Promise<{ created: number; sent: number; failed: number }> {
  const { db, now } = args;
  const fetchImpl = args.fetchImpl ?? guardedPost({ allowPrivate: args.allowPrivate ?? false });
  const created = await fanOutWebhooks({ db, now });
  const claimed = await claimDue(db, now, args.batch ?? 20);
  let sent = 0;
  let failed = 0;
  await Promise.all(
    claimed.map(async (c) => {
      const r = await post(c, now, fetchImpl, args.allowPrivate ?? false);
      const ok = r.error === null;
      if (ok) sent++;
      else failed++;
      const status = ok ? 'succeeded' : r.refused || c.attempt >= MAX_ATTEMPTS ? 'failed' : 'pending';
      await db.transaction(async (tx) => {
        await tx.insert(webhookAttempts).values({ deliveryId: c.id, attempt: c.attempt, at: now, statusCode: r.statusCode, durationMs: r.durationMs, error: r.error });
        await tx
          .update(webhookDeliveries)
          .set({ status, lastStatusCode: r.statusCode, lastError: r.error, lastDurationMs: r.durationMs, deliveredAt: ok ? now : null, nextAttemptAt: ok || status === 'failed' ? now : new Date(now.getTime() + retryDelayMs(c.attempt)) })
          .where(eq(webhookDeliveries.id, c.id));
      });
    }),
  );
  return { created, sent, failed };
}
