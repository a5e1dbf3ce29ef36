import { bigserial, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * 指标阈值: an administrator's thresholds for one built-in indicator (the catalogue itself is code:
 * `domain/indicator/definition.ts`). No row: the indicator's default thresholds apply.
 */
export const indicatorThresholds = pgTable('indicator_thresholds', {
  key: text('key').primaryKey(),
  /** A `ThresholdSet`: `{ default, byLevel? }`. */
  thresholds: jsonb('thresholds').$type<Record<string, unknown>>().notNull(),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: text('updated_by').notNull(),
});

/**
 * 指标值: one indicator of one unit (city, district, street, community or grid) as computed at one instant, by the
 * schedule or on demand. The screen reads the latest; trends read the series. Colours are not stored: they follow
 * the thresholds in force when read.
 */
export const indicatorValues = pgTable(
  'indicator_values',
  {
    unitId: text('unit_id').notNull(),
    key: text('key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    level: text('level').notNull(),
    /** Null where there was nothing to count (a rate without a denominator). */
    value: doublePrecision('value'),
    breakdown: jsonb('breakdown').$type<{ code: string; name: string; count: number }[] | null>(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.key, t.at] }), index('indicator_values_level_at_idx').on(t.level, t.at)],
);

/** One computation: when, why (`job` or `demand`), over which area and levels, how many values and how long it took. */
export const indicatorRuns = pgTable(
  'indicator_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    trigger: text('trigger').notNull(), // job | demand
    areaUnitId: text('area_unit_id').notNull(),
    levels: jsonb('levels').$type<string[]>().notNull(),
    valueCount: integer('value_count').notNull(),
    durationMs: integer('duration_ms').notNull(),
    actorName: text('actor_name'),
  },
  (t) => [index('indicator_runs_at_idx').on(t.at)],
);
