import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * 考核月: a month whose three-rate figures are counted into `assessment_snapshots`. Final once frozen (关账) by the
 * assessment job some days after the month ends; until then provisional, recounted by the job every few minutes so
 * that rankings of the open months read a few hundred rows instead of the month's orders.
 */
export const assessmentMonths = pgTable('assessment_months', {
  /** `YYYY-MM`, a Beijing calendar month. */
  month: text('month').primaryKey(),
  /** When the snapshot was counted (for a final month: when it was closed). */
  closedAt: timestamp('closed_at', { withTimezone: true }).notNull(),
  /** False while the month is open and its snapshot a provisional count. */
  final: boolean('final').notNull().default(true),
  /** The assessment policy (weights) in force when the month was closed. */
  policy: jsonb('policy').$type<Record<string, unknown>>().notNull(),
  /** Who counted it: `job` (closing), `refresh` (provisional), or the user name of an administrator who closed it again. */
  closedBy: text('closed_by').notNull(),
});

/** The counts behind the three rates of one unit in one closed month (districts, streets, departments, companies). */
export const assessmentSnapshots = pgTable(
  'assessment_snapshots',
  {
    month: text('month').notNull(),
    unitId: text('unit_id').notNull(),
    assessed: integer('assessed').notNull().default(0),
    responseMet: integer('response_met').notNull().default(0),
    responseLate: integer('response_late').notNull().default(0),
    responsePending: integer('response_pending').notNull().default(0),
    excluded: integer('excluded').notNull().default(0),
    followedUp: integer('followed_up').notNull().default(0),
    resolved: integer('resolved').notNull().default(0),
    partly: integer('partly').notNull().default(0),
    unresolved: integer('unresolved').notNull().default(0),
    satisfied: integer('satisfied').notNull().default(0),
    basic: integer('basic').notNull().default(0),
    unsatisfied: integer('unsatisfied').notNull().default(0),
    noAnswer: integer('no_answer').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.month, t.unitId] })],
);
