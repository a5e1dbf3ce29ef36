/**
 * Administering webhooks: subscriptions (url, events, secret shown once, the key that owns it), the delivery log
 * with each attempt, and replay of a delivery. Each change is audited in its transaction.
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden, invalid, notFound } from '../../domain/errors.js';
import type { Db } from '../../store/db.js';
import { apiKeys, webhookAttempts, webhookDeliveries, webhookSubscriptions } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import type { ApiPrincipal } from './apiKeys.js';
import type { WebhookEvent } from './webhookEvents.js';
import { assertWebhookTarget } from './webhookTarget.js';

const requireAdmin = (actor: Actor) => {
  if (actor.role !== 'admin') throw forbidden('只有管理员可以管理 Webhook');
};

export type SubscriptionView = { id: string; url: string; events: string[]; description: string | null; active: boolean; keyId: string | null; keyPrefix: string | null; createdAt: string };
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';
export type DeliveryView = { id: number; subscriptionId: string; event: string; orderId: string | null; status: DeliveryStatus; attempts: number; nextAttemptAt: string; lastStatusCode: number | null; lastError: string | null; lastDurationMs: number | null; deliveredAt: string | null; replayOf: number | null; createdAt: string };
export type AttemptView = { attempt: number; at: string; statusCode: number | null; durationMs: number; error: string | null };

async function subscriptionViews(db: Db, id?: string): Promise<SubscriptionView[]> {
  const rows = await db
    .select({ s: webhookSubscriptions, prefix: apiKeys.prefix })
    .from(webhookSubscriptions)
    .leftJoin(apiKeys, eq(apiKeys.id, webhookSubscriptions.keyId))
    .where(id ? eq(webhookSubscriptions.id, id) : undefined)
    .orderBy(desc(webhookSubscriptions.createdAt));
  return rows.map(({ s, prefix }) => ({ id: s.id, url: s.url, events: s.events, description: s.description, active: s.active, keyId: s.keyId, keyPrefix: prefix, createdAt: s.createdAt.toISOString() }));
}

export async function listSubscriptions(args: { db: Db; actor: Actor }): Promise<SubscriptionView[]> {
  requireAdmin(args.actor);
  return subscriptionViews(args.db);
}

/** createSubscription({ db, actor, input: { url: 'https://grid.example/hook', events: ['order.closed'] }, now }) → { secret: 'whsec_…', view } */
export async function createSubscription(args: { db: Db; actor: Actor; input: { url: string; events: WebhookEvent[]; keyId?: string | undefined; description?: string | undefined }; allowPrivate?: boolean; now: Date }): Promise<{ secret: string; view: SubscriptionView }> {
  const { db, actor, input, now } = args;
  requireAdmin(actor);
  await assertWebhookTarget(input.url, { allowPrivate: args.allowPrivate ?? false });
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const id = await db.transaction(async (tx) => {
    if (input.keyId) {
      const [k] = await tx.select({ id: apiKeys.id, revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, input.keyId));
      if (!k || k.revokedAt) throw invalid('keyId', '密钥不存在或已吊销');
    }
    const [row] = await tx
      .insert(webhookSubscriptions)
      .values({ url: input.url, events: [...new Set(input.events)], secret, keyId: input.keyId ?? null, description: input.description ?? null, createdAt: now, createdBy: actor.userId })
      .returning({ id: webhookSubscriptions.id });
    if (!row) throw new DomainError('INTERNAL', '无法创建订阅');
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.username, action: 'webhook.create', targetType: 'webhook', targetId: row.id, detail: { url: input.url, events: input.events, keyId: input.keyId ?? null } });
    return row.id;
  });
  const [view] = await subscriptionViews(db, id);
  if (!view) throw notFound('Webhook 订阅');
  return { secret, view };
}

export async function updateSubscription(args: { db: Db; actor: Actor; id: string; patch: { url?: string | undefined; events?: WebhookEvent[] | undefined; active?: boolean | undefined; description?: string | undefined }; allowPrivate?: boolean; now: Date }): Promise<SubscriptionView> {
  const { db, actor, id, patch, now } = args;
  requireAdmin(actor);
  if (patch.url !== undefined) await assertWebhookTarget(patch.url, { allowPrivate: args.allowPrivate ?? false });
  await db.transaction(async (tx) => {
    const [s] = await tx.select({ id: webhookSubscriptions.id }).from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id)).for('update');
    if (!s) throw notFound('Webhook 订阅');
    const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    if (Object.keys(set).length) await tx.update(webhookSubscriptions).set(set).where(eq(webhookSubscriptions.id, id));
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.username, action: 'webhook.update', targetType: 'webhook', targetId: id, detail: set });
  });
  const [view] = await subscriptionViews(db, id);
  if (!view) throw notFound('Webhook 订阅');
  return view;
}

const deliveryView = (d: typeof webhookDeliveries.$inferSelect): DeliveryView => ({
  id: d.id,
  subscriptionId: d.subscriptionId,
  event: d.event,
  orderId: d.orderId,
  status: d.status as DeliveryStatus,
  attempts: d.attempts,
  nextAttemptAt: d.nextAttemptAt.toISOString(),
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  lastDurationMs: d.lastDurationMs,
  deliveredAt: d.deliveredAt?.toISOString() ?? null,
  replayOf: d.replayOf,
  createdAt: d.createdAt.toISOString(),
});

/** The delivery log, newest first, with each delivery's attempts (keyset paging on id). */
export async function listDeliveries(args: { db: Db; actor: Actor; subscriptionId?: string | undefined; status?: DeliveryStatus | undefined; before?: number | undefined; limit: number }): Promise<(DeliveryView & { log: AttemptView[] })[]> {
  requireAdmin(args.actor);
  const conds: SQL[] = [];
  if (args.subscriptionId) conds.push(eq(webhookDeliveries.subscriptionId, args.subscriptionId));
  if (args.status) conds.push(eq(webhookDeliveries.status, args.status));
  if (args.before) conds.push(lt(webhookDeliveries.id, args.before));
  const rows = await args.db.select().from(webhookDeliveries).where(and(...conds)).orderBy(desc(webhookDeliveries.id)).limit(args.limit);
  const attempts = rows.length ? await args.db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, rows.map((r) => r.id))).orderBy(webhookAttempts.id) : [];
  return rows.map((r) => ({
    ...deliveryView(r),
    log: attempts.filter((a) => a.deliveryId === r.id).map((a) => ({ attempt: a.attempt, at: a.at.toISOString(), statusCode: a.statusCode, durationMs: a.durationMs, error: a.error })),
  }));
}

/** Send a delivery again, as a new delivery with the same body (the original and its log stay as they were). */
export async function replayDelivery(args: { db: Db; actor: Actor; id: number; now: Date }): Promise<DeliveryView> {
  const { db, actor, id, now } = args;
  requireAdmin(actor);
  return db.transaction(async (tx) => {
    const [d] = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
    if (!d) throw notFound('投递记录');
    const [copy] = await tx
      .insert(webhookDeliveries)
      .values({ subscriptionId: d.subscriptionId, event: d.event, sourceEventId: d.sourceEventId, orderId: d.orderId, payload: d.payload, status: 'pending', nextAttemptAt: now, replayOf: d.id, createdAt: now })
      .returning();
    if (!copy) throw new DomainError('INTERNAL', '无法重放');
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.username, action: 'webhook.replay', targetType: 'webhook_delivery', targetId: String(d.id), detail: { replay: copy.id } });
    return deliveryView(copy);
  });
}

/** An integrating system's own subscriptions (key with webhooks:manage): always owned by the key, so bounded by its jurisdiction. */
export async function listOwnSubscriptions(args: { db: Db; principal: ApiPrincipal }): Promise<SubscriptionView[]> {
  return (await subscriptionViews(args.db)).filter((s) => s.keyId === args.principal.keyId);
}

export async function createOwnSubscription(args: { db: Db; principal: ApiPrincipal; input: { url: string; events: WebhookEvent[]; description?: string | undefined }; allowPrivate?: boolean; now: Date }): Promise<{ secret: string; view: SubscriptionView }> {
  const { db, principal, input, now } = args;
  await assertWebhookTarget(input.url, { allowPrivate: args.allowPrivate ?? false });
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookSubscriptions)
      .values({ url: input.url, events: [...new Set(input.events)], secret, keyId: principal.keyId, description: input.description ?? null, createdAt: now, createdBy: principal.actor.userId })
      .returning({ id: webhookSubscriptions.id });
    if (!row) throw new DomainError('INTERNAL', '无法创建订阅');
    await appendAudit(tx, { at: now, actorId: principal.actor.userId, actorName: principal.actor.username, action: 'webhook.create', targetType: 'webhook', targetId: row.id, detail: { url: input.url, events: input.events, keyId: principal.keyId, byKey: principal.prefix } });
    return row.id;
  });
  const [view] = await subscriptionViews(db, id);
  if (!view) throw notFound('Webhook 订阅');
  return { secret, view };
}
