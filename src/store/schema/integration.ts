/** Open interfaces: API keys for integrating systems (scopes, rate limits, use log), webhooks and their deliveries. */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity.js';

/**
 * 接口密钥: one per integrating system. The secret is shown once; only its SHA-256 is kept (keys are 32 random
 * bytes, so a fast hash is enough). During a rotation the previous secret stays valid until `previous_valid_until`.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** The public part of the key, shown in lists and logs: `jsk_` + 8 characters. */
    prefix: text('prefix').notNull().unique(),
    secretHash: text('secret_hash').notNull(),
    previousSecretHash: text('previous_secret_hash'),
    previousValidUntil: timestamp('previous_valid_until', { withTimezone: true }),
    systemName: text('system_name').notNull(),
    ownerUnitId: text('owner_unit_id').notNull(),
    /** The staff user the key acts as (role agent in the owner unit): intake, history and jurisdiction as for a person. */
    serviceUserId: uuid('service_user_id').notNull().references(() => users.id),
    /** open311:read | open311:write | webhooks:manage | exchange */
    scopes: jsonb('scopes').$type<string[]>().notNull(),
    /** Service codes (categories) the key may file and read; null: all. */
    services: jsonb('services').$type<string[] | null>(),
    rateLimitPerMinute: integer('rate_limit_per_minute').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
);

/** Every use of a key, written in batches (see app/integrations/usageLog.ts). */
export const apiKeyUses = pgTable(
  'api_key_uses',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    keyId: uuid('key_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    method: text('method').notNull(),
    route: text('route').notNull(),
    status: integer('status').notNull(),
    ip: text('ip'),
  },
  (t) => [index('api_key_uses_key_idx').on(t.keyId, t.at)],
);

/** Fixed-window rate counters, one row per key and minute, shared by every server process (upsert + returning). */
export const apiRateWindows = pgTable(
  'api_rate_windows',
  {
    keyId: uuid('key_id').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.windowStart] })],
);

/** Open311 `servicerequestupdates` posted by a client: update_id is unique per key, so a retry adds nothing. */
export const open311InboundUpdates = pgTable(
  'open311_inbound_updates',
  {
    keyId: uuid('key_id').notNull(),
    updateId: text('update_id').notNull(),
    orderId: uuid('order_id').notNull(),
    status: text('status'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.updateId] })],
);

/** A webhook subscription: where to POST which order events, signed with its secret. */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  keyId: uuid('key_id'),
  url: text('url').notNull(),
  events: jsonb('events').$type<string[]>().notNull(),
  /** HMAC-SHA256 key; kept readable because every delivery is signed with it. */
  secret: text('secret').notNull(),
  description: text('description'),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  createdBy: uuid('created_by'),
});

/** One event for one subscription: retried with back-off until it succeeds or runs out of attempts. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    subscriptionId: uuid('subscription_id').notNull(),
    event: text('event').notNull(),
    /** The order event behind it (order_events.id); with the subscription, unique for first deliveries. */
    sourceEventId: bigint('source_event_id', { mode: 'number' }),
    orderId: uuid('order_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').notNull(), // pending | succeeded | failed
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    lastDurationMs: integer('last_duration_ms'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    replayOf: bigint('replay_of', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_sub_idx').on(t.subscriptionId, t.id),
    uniqueIndex('webhook_deliveries_once_idx').on(t.subscriptionId, t.sourceEventId).where(sql`${t.replayOf} IS NULL`),
  ],
);

/** The delivery log: each attempt with its status code, duration and error. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: bigint('delivery_id', { mode: 'number' }).notNull(),
    attempt: integer('attempt').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.id)],
);
