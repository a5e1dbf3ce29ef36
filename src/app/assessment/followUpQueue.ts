/**
 * 待回访: replied orders waiting for the hotline to ask the citizen, oldest reply first, with the reply, the masked
 * contact (reveal is audited, POST /orders/{id}/contact/reveal) and when the follow-up is due.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { computeDue } from '../../domain/deadline/index.js';
import { getWorkCalendar } from '../policies/workCalendar.js';
import { DomainError } from '../../domain/errors.js';
import { maskName, maskPhone } from '../../domain/masking.js';
import { queryRows, type DbOrTx } from '../../store/db.js';
import { visibleCondition } from '../orders/orderRecord.js';
import { getAssessmentPolicy } from './assessmentPolicy.js';

type Row = { id: string; no: string; title: string; type: string; urgency: string; version: number; reply_text: string | null; replied_at: Date | string; reopen_count: number; lead_unit_id: string | null; lead_name: string | null; contact_name: string | null; contact_phone: string | null; at: string };

export type FollowUpItem = {
  id: string;
  no: string;
  title: string;
  type: string;
  urgency: string;
  version: number;
  reopenCount: number;
  leadUnit: { code: string; name: string } | null;
  reply: { text: string; at: string };
  followUpDueAt: string;
  overdue: boolean;
  contact: { name: string | null; phone: string | null };
};

export async function listFollowUps(args: { db: DbOrTx; actor: Actor; now: Date; limit?: number; cursor?: string }) {
  const { db, actor, now } = args;
  const limit = Math.min(Math.max(args.limit ?? 50, 1), 200);
  let after: { at: string; id: string } | null = null;
  if (args.cursor) {
    const [at, id] = Buffer.from(args.cursor, 'base64url').toString('utf8').split('|');
    if (!at || !/^\d{4}-\d{2}-\d{2} [\d:.]+[+-]\d{2}(:?\d{2})?$/.test(at) || !/^[0-9a-f-]{36}$/i.test(id ?? '')) throw new DomainError('VALIDATION_FAILED', '翻页游标无效', [{ field: 'cursor', reason: '无效' }]);
    after = { at, id: id ?? '' };
  }
  const vis = visibleCondition(actor);
  const where = sql`orders.state = 'replied'${vis ? sql` AND ${vis}` : sql``}`;
  const page = after ? sql` AND (orders.replied_at, orders.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``;
  // The follow-up deadline counts on the same calendar as every clock: with the years administrators entered.
  const [policy, calendar, rows, totals] = await Promise.all([
    getAssessmentPolicy(db),
    getWorkCalendar(db),
    queryRows<Row>(
      db,
      sql`SELECT orders.id, orders.no, orders.title, orders.type, orders.urgency, orders.version, orders.reply_text, orders.replied_at, orders.reopen_count, orders.lead_unit_id, u.name AS lead_name, r.contact_name, r.contact_phone, orders.replied_at::text AS at
        FROM orders LEFT JOIN units u ON u.id = orders.lead_unit_id LEFT JOIN requests r ON r.id = orders.request_id
        WHERE ${where}${page} ORDER BY orders.replied_at, orders.id LIMIT ${limit + 1}`,
    ),
    after ? Promise.resolve(null) : queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM orders WHERE ${where}`),
  ]);
  const items: FollowUpItem[] = rows.slice(0, limit).map((r) => {
    const repliedAt = new Date(r.replied_at);
    const due = computeDue({ start: repliedAt, duration: { amount: policy.followUpWorkingDays, unit: 'working_days' }, calendar }).due;
    return {
      id: r.id,
      no: r.no,
      title: r.title,
      type: r.type,
      urgency: r.urgency,
      version: r.version,
      reopenCount: r.reopen_count,
      leadUnit: r.lead_unit_id ? { code: r.lead_unit_id, name: r.lead_name ?? r.lead_unit_id } : null,
      reply: { text: r.reply_text ?? '', at: repliedAt.toISOString() },
      followUpDueAt: due.toISOString(),
      overdue: due.getTime() < now.getTime(),
      contact: { name: maskName(r.contact_name), phone: maskPhone(r.contact_phone) },
    };
  });
  const last = rows[limit - 1];
  return {
    total: totals ? Number(totals[0]?.n ?? 0) : null,
    followUpWorkingDays: policy.followUpWorkingDays,
    items,
    nextCursor: rows.length > limit && last ? Buffer.from(`${last.at}|${last.id}`).toString('base64url') : null,
  };
}
