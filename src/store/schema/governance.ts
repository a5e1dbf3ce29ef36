import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * 每月一题: a recurring, hard problem class a leader took up for a month — one category, citywide or in one
 * district — with its lead units, and the figures of the candidate when it was adopted (the baseline progress
 * is read against). One topic per category and area per month.
 */
export const topics = pgTable(
  'topics',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** 题号: MT + the month + a number, e.g. MT202611-01. */
    no: text('no').notNull().unique(),
    /** `YYYY-MM`: the month the topic belongs to. */
    month: text('month').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    categoryId: text('category_id').notNull(),
    /** The district the topic is limited to; null for the whole city. */
    districtId: text('district_id'),
    state: text('state').notNull(), // active | closed
    /** The candidate's figures when adopted (size, growth, spread, unresolved share, score), or null when created by hand. */
    baseline: jsonb('baseline').$type<Record<string, unknown> | null>(),
    /** Evidence order ids of the candidate when adopted. */
    evidenceOrderIds: jsonb('evidence_order_ids').$type<string[]>().notNull().default([]),
    outcome: text('outcome'),
    adoptedBy: uuid('adopted_by'),
    adoptedAt: timestamp('adopted_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [uniqueIndex('topics_month_class_idx').on(t.month, t.categoryId, sql`coalesce(${t.districtId}, '')`), index('topics_adopted_idx').on(t.adoptedAt)],
);

/** The lead units (牵头单位) of a topic, with their paths for jurisdiction. */
export const topicUnits = pgTable(
  'topic_units',
  {
    topicId: uuid('topic_id').notNull(),
    unitId: text('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
  },
  (t) => [primaryKey({ columns: [t.topicId, t.unitId] }), index('topic_units_path_idx').using('btree', sql`${t.unitPath} text_pattern_ops`)],
);

/** A task of a topic: what one responsible unit does by a date; open → in_progress → done. */
export const topicTasks = pgTable(
  'topic_tasks',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    topicId: uuid('topic_id').notNull(),
    title: text('title').notNull(),
    unitId: text('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
    /** `YYYY-MM-DD`, a Beijing calendar day: overdue after it ends. */
    dueDate: text('due_date').notNull(),
    state: text('state').notNull(), // open | in_progress | done
    note: text('note'),
    /** Attachments (ids) and order ids the unit gives as evidence of the work. */
    evidence: jsonb('evidence').$type<{ attachmentIds: string[]; orderIds: string[] }>().notNull().default({ attachmentIds: [], orderIds: [] }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [index('topic_tasks_topic_idx').on(t.topicId), index('topic_tasks_path_idx').using('btree', sql`${t.unitPath} text_pattern_ops`, t.dueDate)],
);

/** The append-only history of a topic and its tasks. */
export const topicEvents = pgTable(
  'topic_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    topicId: uuid('topic_id').notNull(),
    taskId: uuid('task_id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
    type: text('type').notNull(), // topic_adopted | task_added | task_started | task_done | task_reopened | topic_closed
    fromState: text('from_state'),
    toState: text('to_state'),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    actorUnitId: text('actor_unit_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('topic_events_topic_idx').on(t.topicId, t.id)],
);

/**
 * 未诉先办: a proactive work order or alert opened from a spike or a forecast, with its evidence. One of each kind
 * per evidence key (the same spike or forecast is never opened twice as an order, nor alerted twice).
 */
export const proactiveActions = pgTable(
  'proactive_actions',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    kind: text('kind').notNull(), // order | alert
    source: text('source').notNull(), // spike | forecast
    /** `spike:<category>|<street>|<day>` or `forecast:<category>|<area>|<month>`. */
    evidenceKey: text('evidence_key').notNull(),
    categoryId: text('category_id').notNull(),
    districtId: text('district_id'),
    streetId: text('street_id'),
    /** The units told (alert) or dispatched to (order). */
    unitIds: jsonb('unit_ids').$type<string[]>().notNull().default([]),
    /** The spike or forecast figures, and the evidence order ids, as they stood when opened. */
    evidence: jsonb('evidence').$type<Record<string, unknown>>().notNull(),
    orderId: uuid('order_id'),
    orderNo: text('order_no'),
    note: text('note'),
    /** Null when the scheduled job raised it. */
    createdBy: uuid('created_by'),
    createdByName: text('created_by_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('proactive_actions_evidence_idx').on(t.evidenceKey, t.kind), index('proactive_actions_created_idx').on(t.createdAt)],
);
