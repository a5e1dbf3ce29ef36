/**
 * Bulk import of historical orders: one job row per upload (polled by the admin page for its progress bar), and
 * the source number of every imported order, so a re-import skips what is already in. See docs/exchange-bulk.md.
 */
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export type ImportReject = { line: number; field: string; code: string; reason: string };

export const importJobs = pgTable(
  'import_jobs',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** csv | xlsx | jsonl */
    format: text('format').notNull(),
    fileName: text('file_name').notNull(),
    /** running | done | failed | interrupted (no progress for a while: the server stopped mid-import) */
    state: text('state').notNull(),
    totalRows: integer('total_rows').notNull().default(0),
    processedRows: integer('processed_rows').notNull().default(0),
    importedRows: integer('imported_rows').notNull().default(0),
    /** Rows whose source number was imported before (idempotent re-import). */
    skippedRows: integer('skipped_rows').notNull().default(0),
    rejectedRows: integer('rejected_rows').notNull().default(0),
    /** The first rejects (line, field, code, reason); the count above is the full number. */
    rejects: jsonb('rejects').$type<ImportReject[]>().notNull().default([]),
    error: text('error'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** Touched after each batch; a running job whose heartbeat is old was cut off by a restart. */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
  },
  (t) => [index('import_jobs_created_idx').on(t.createdAt)],
);

/** 原工单编号 → our order: the key that makes a re-import add nothing twice. */
export const importedOrders = pgTable('imported_orders', {
  sourceNo: text('source_no').primaryKey(),
  orderId: uuid('order_id').notNull(),
  jobId: uuid('job_id'),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull(),
});
