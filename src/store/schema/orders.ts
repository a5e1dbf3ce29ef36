import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, doublePrecision, index, integer, jsonb, pgSequence, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity.js';

/** 诉求: what a citizen asked, from any channel. Consultations may close on the spot; the rest become orders. */
export const requests = pgTable(
  'requests',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    no: text('no').notNull().unique(),
    type: text('type').notNull(), // consultation | help | complaint | report | suggestion | praise
    channel: text('channel').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    urgency: text('urgency'),
    address: text('address'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    districtId: text('district_id'),
    streetId: text('street_id'),
    communityId: text('community_id'),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    citizenUserId: uuid('citizen_user_id').references(() => users.id),
    createdBy: uuid('created_by').references(() => users.id),
    idempotencyKey: text('idempotency_key'),
    orderId: uuid('order_id'),
    /** Set when a consultation was answered and closed on the spot (直接办结). */
    answer: text('answer'),
    knowledgeId: uuid('knowledge_id'),
    /** Older rows only: intake keeps the dispatch proposal on the order (`orders.proposal`), where it is read. */
    proposal: jsonb('proposal').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('requests_idempotency_idx').on(t.createdBy, t.idempotencyKey),
    index('requests_order_idx').on(t.orderId),
    index('requests_citizen_idx').on(t.citizenUserId),
    index('requests_created_idx').on(t.createdAt),
  ],
);

/** 工单: a request being handled by units, with its state, clocks and history. */
export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    no: text('no').notNull().unique(),
    requestId: uuid('request_id').notNull(),
    type: text('type').notNull(),
    channel: text('channel').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    categoryId: text('category_id'),
    urgency: text('urgency').notNull(),
    policyCode: text('policy_code').notNull(),
    address: text('address'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    districtId: text('district_id'),
    streetId: text('street_id'),
    communityId: text('community_id'),
    state: text('state').notNull(),
    version: integer('version').notNull().default(1),
    leadUnitId: text('lead_unit_id'),
    leadUnitPath: text('lead_unit_path'),
    stateBeforeReturn: text('state_before_return'),
    stateBeforePark: text('state_before_park'),
    extension: jsonb('extension').$type<Record<string, unknown> | null>(),
    reopenCount: integer('reopen_count').notNull().default(0),
    parkedUntil: timestamp('parked_until', { withTimezone: true }),
    mergedIntoId: uuid('merged_into_id'),
    assessmentExcluded: boolean('assessment_excluded').notNull().default(false),
    exclusionReason: text('exclusion_reason'),
    replyText: text('reply_text'),
    repliedAt: timestamp('replied_at', { withTimezone: true }),
    resolution: text('resolution'),
    satisfaction: text('satisfaction'),
    followedUpAt: timestamp('followed_up_at', { withTimezone: true }),
    /**
     * The latest 回访 answers, kept through a reopen (which clears resolution/satisfaction/followed_up_at): the
     * three rates count them. Copied by a trigger whenever followed_up_at is set (migration 0005), so bulk
     * inserts that write followed_up_at, resolution and satisfaction need not know these columns.
     */
    lastResolution: text('last_resolution'),
    lastSatisfaction: text('last_satisfaction'),
    lastFollowedUpAt: timestamp('last_followed_up_at', { withTimezone: true }),
    /**
     * 响应: the sign and response clocks of the current dispatch were met (true), one was missed (false), or not yet
     * decided (null). Kept by a statement trigger on order_clocks (migration 0005).
     */
    responseMet: boolean('response_met'),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** Denormalised from the reply clock for lists and filters. */
    replyDueAt: timestamp('reply_due_at', { withTimezone: true }),
    overdue: boolean('overdue').notNull().default(false),
    proposal: jsonb('proposal').$type<Record<string, unknown>>(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('orders_state_accepted_idx').on(t.state, t.acceptedAt.desc(), t.id.desc()),
    index('orders_accepted_idx').on(t.acceptedAt.desc(), t.id.desc()),
    index('orders_lead_path_idx').using('btree', sql`${t.leadUnitPath} text_pattern_ops`, t.acceptedAt.desc()),
    index('orders_category_idx').on(t.categoryId, t.acceptedAt.desc()),
    index('orders_district_idx').on(t.districtId, t.acceptedAt.desc()),
    index('orders_street_idx').on(t.streetId, t.acceptedAt.desc()),
    index('orders_reply_due_idx').on(t.replyDueAt).where(sql`${t.closedAt} IS NULL`),
    // The 回访 queue: replied orders, oldest reply first. The covering indexes of the three rates (on accepted_at
    // and last_followed_up_at, INCLUDE …) are hand-written in migration 0005: drizzle-kit cannot express INCLUDE.
    index('orders_follow_up_queue_idx').on(t.repliedAt, t.id).where(sql`${t.state} = 'replied'`),
    index('orders_text_trgm_idx').using('gin', sql`(${t.title} || ' ' || ${t.body}) gin_trgm_ops`),
  ],
);

/** Units on an order: the lead (主办), co-units (协办), with when each signed. */
export const orderUnits = pgTable(
  'order_units',
  {
    orderId: uuid('order_id').notNull(),
    unitId: text('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
    role: text('role').notNull(), // lead | co
    active: boolean('active').notNull().default(true),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.unitId] }),
    index('order_units_path_idx').using('btree', sql`${t.unitPath} text_pattern_ops`).where(sql`${t.active}`),
  ],
);

/** The append-only history of an order: every step, who took it, and what it carried. */
export const orderEvents = pgTable(
  'order_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: uuid('order_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    type: text('type').notNull(),
    fromState: text('from_state'),
    toState: text('to_state'),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    actorRole: text('actor_role'),
    actorUnitId: text('actor_unit_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('order_events_order_idx').on(t.orderId, t.id)],
);

/** Deadline clocks per order (sign, response, reply); the sweep selects by next_check_at. */
export const orderClocks = pgTable(
  'order_clocks',
  {
    orderId: uuid('order_id').notNull(),
    kind: text('kind').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    duration: jsonb('duration').$type<{ amount: number; unit: string }>().notNull(),
    extensions: jsonb('extensions').$type<{ amount: number; unit: string }[]>().notNull().default([]),
    warnBefore: jsonb('warn_before').$type<Record<string, unknown>>().notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    warnAt: timestamp('warn_at', { withTimezone: true }).notNull(),
    pausedAt: timestamp('paused_at', { withTimezone: true }),
    pausedMs: doublePrecision('paused_ms').notNull().default(0),
    pausedWorkingDays: integer('paused_working_days').notNull().default(0),
    stoppedAt: timestamp('stopped_at', { withTimezone: true }),
    calendarFallback: boolean('calendar_fallback').notNull().default(false),
    warnedAt: timestamp('warned_at', { withTimezone: true }),
    overdueAt: timestamp('overdue_at', { withTimezone: true }),
    /** When the sweep must look at this clock next (warn, then overdue); null when nothing is pending. */
    nextCheckAt: timestamp('next_check_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.kind] }), index('order_clocks_next_check_idx').on(t.nextCheckAt).where(sql`${t.nextCheckAt} IS NOT NULL`)],
);

/** Uploaded files (photos, audio, documents), stored under the data folder. */
export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    name: text('name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storedPath: text('stored_path').notNull(),
    ownerType: text('owner_type'), // request | order_event | whistle
    ownerId: text('owner_id'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('attachments_owner_idx').on(t.ownerType, t.ownerId)],
);

/** Knowledge base answers for consultations, searchable in Chinese (jieba terms in a tsvector). */
export const knowledge = pgTable(
  'knowledge',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    title: text('title').notNull(),
    answer: text('answer').notNull(),
    categoryId: text('category_id'),
    keywords: jsonb('keywords').$type<string[]>().notNull().default([]),
    /** jieba words of title, keywords and answer, space-separated, for to_tsvector('simple', …). */
    terms: text('terms').notNull(),
    version: integer('version').notNull().default(1),
    active: boolean('active').notNull().default(true),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('knowledge_terms_idx').using('gin', sql`to_tsvector('simple', ${t.terms})`)],
);

export const knowledgeVersions = pgTable(
  'knowledge_versions',
  {
    knowledgeId: uuid('knowledge_id').notNull(),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    answer: text('answer').notNull(),
    keywords: jsonb('keywords').$type<string[]>().notNull(),
    active: boolean('active').notNull(),
    editedBy: uuid('edited_by'),
    editedAt: timestamp('edited_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.knowledgeId, t.version] })],
);

/** The transactional outbox: written with the state change, delivered after commit, retried. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    topic: text('topic').notNull(), // notify | live | webhook …
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('outbox_pending_idx').on(t.availableAt).where(sql`${t.sentAt} IS NULL`)],
);

/** In-app notifications (the first channel; SMS and WeChat adapters plug in behind the same interface). */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    unitId: text('unit_id'),
    userId: uuid('user_id'),
    role: text('role'),
    title: text('title').notNull(),
    body: text('body').notNull(),
    orderId: uuid('order_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
    outboxId: bigint('outbox_id', { mode: 'number' }),
  },
  (t) => [index('notifications_unit_idx').on(t.unitId, t.createdAt), index('notifications_user_idx').on(t.userId, t.createdAt)],
);

/** 吹哨报到: a street summons departments to a place and time. */
export const whistles = pgTable(
  'whistles',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    no: text('no').notNull().unique(),
    streetId: text('street_id').notNull(),
    kind: text('kind').notNull(),
    reason: text('reason').notNull(),
    place: text('place').notNull(),
    meetAt: timestamp('meet_at', { withTimezone: true }).notNull(),
    reportDeadlineAt: timestamp('report_deadline_at', { withTimezone: true }).notNull(),
    state: text('state').notNull(), // open | closed
    outcome: text('outcome'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('whistles_street_idx').on(t.streetId, t.createdAt)],
);

export const whistleUnits = pgTable(
  'whistle_units',
  {
    whistleId: uuid('whistle_id').notNull(),
    unitId: text('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
    reportedAt: timestamp('reported_at', { withTimezone: true }),
    late: boolean('late'),
    note: text('note'),
    part: text('part'),
  },
  (t) => [primaryKey({ columns: [t.whistleId, t.unitId] }), index('whistle_units_unit_idx').on(t.unitId)],
);

export const whistleOrders = pgTable('whistle_orders', { whistleId: uuid('whistle_id').notNull(), orderId: uuid('order_id').notNull(), closedByWhistle: boolean('closed_by_whistle').notNull().default(false) }, (t) => [
  primaryKey({ columns: [t.whistleId, t.orderId] }),
  index('whistle_orders_order_idx').on(t.orderId),
]);

export const whistleEvents = pgTable(
  'whistle_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    whistleId: uuid('whistle_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    type: text('type').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    unitId: text('unit_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('whistle_events_whistle_idx').on(t.whistleId, t.id)],
);

/** Human-readable numbers (工单编号): sequences never block concurrent intake across servers. */
export const requestNoSeq = pgSequence('request_no_seq', { startWith: 1 });
export const orderNoSeq = pgSequence('order_no_seq', { startWith: 1 });
export const whistleNoSeq = pgSequence('whistle_no_seq', { startWith: 1 });

/** Labelled examples from the city's own work: dispatchers' category corrections, kept for retraining. */
export const trainingExamples = pgTable(
  'training_examples',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: uuid('order_id').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    categoryId: text('category_id').notNull(),
    previousCategoryId: text('previous_category_id'),
    source: text('source').notNull(), // correction
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('training_examples_created_idx').on(t.createdAt)],
);
