/**
 * 下钻: the orders behind any figure of the three rates — the ones a unit's count of, say, late responses in October
 * is made of — listed with their numbers, oldest first, in pages. Same anchors and conditions as the counts.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError } from '../../domain/errors.js';
import { queryRows, type DbOrTx } from '../../store/db.js';
import { assessedUnit, periodOf, type PeriodInput } from './unitRates.js';

/** Each figure's orders: which date puts them in the period, and what else they must be. */
const measureDefs = {
  assessed: { anchor: 'accepted', where: sql`NOT o.assessment_excluded`, label: '参评工单' },
  response_met: { anchor: 'accepted', where: sql`NOT o.assessment_excluded AND o.response_met`, label: '按时响应' },
  response_late: { anchor: 'accepted', where: sql`NOT o.assessment_excluded AND o.response_met = false`, label: '响应超时' },
  response_pending: { anchor: 'accepted', where: sql`NOT o.assessment_excluded AND o.response_met IS NULL`, label: '响应未定' },
  excluded: { anchor: 'accepted', where: sql`o.assessment_excluded`, label: '不计考核' },
  followed_up: { anchor: 'follow_up', where: sql`NOT o.assessment_excluded`, label: '已回访' },
  resolved: { anchor: 'follow_up', where: sql`NOT o.assessment_excluded AND o.last_resolution = 'resolved'`, label: '解决' },
  partly: { anchor: 'follow_up', where: sql`NOT o.assessment_excluded AND o.last_resolution = 'partly'`, label: '部分解决' },
  unresolved: { anchor: 'follow_up', where: sql`NOT o.assessment_excluded AND o.last_resolution = 'unresolved'`, label: '未解决' },
  answered: { anchor: 'follow_up', where: sql`NOT o.assessment_excluded AND o.last_satisfaction IN ('satisfied', 'basic', 'unsatisfied')`, label: '已评价' },
  satisfied: { anchor: 'follow_up', where: sql`NOT o.assessment_excluded AND o.last_satisfaction = 'satisfied'`, label: '满意' },
  basic: { anchor: 'follow_up', where: sql`NOT o.assessment_excluded AND o.last_satisfaction = 'basic'`, label: '基本满意' },
  unsatisfied: { anchor: 'follow_up', where: sql`NOT o.assessment_excluded AND o.last_satisfaction = 'unsatisfied'`, label: '不满意' },
  no_answer: { anchor: 'follow_up', where: sql`NOT o.assessment_excluded AND o.last_satisfaction = 'no_answer'`, label: '未评价' },
} satisfies Record<string, { anchor: 'accepted' | 'follow_up'; where: SQL; label: string }>;

export type Measure = keyof typeof measureDefs;
export const measures = Object.keys(measureDefs) as Measure[];
export const measureLabels = Object.fromEntries(measures.map((m) => [m, measureDefs[m].label])) as Record<Measure, string>;

export type AssessedOrder = {
  id: string;
  no: string;
  title: string;
  state: string;
  leadUnit: { code: string; name: string } | null;
  acceptedAt: string;
  repliedAt: string | null;
  followedUpAt: string | null;
  resolution: string | null;
  satisfaction: string | null;
  responseMet: boolean | null;
  excluded: boolean;
  exclusionReason: string | null;
};

type Row = { id: string; no: string; title: string; state: string; lead_unit_id: string | null; lead_name: string | null; accepted_at: Date | string; replied_at: Date | string | null; last_followed_up_at: Date | string | null; last_resolution: string | null; last_satisfaction: string | null; response_met: boolean | null; assessment_excluded: boolean; exclusion_reason: string | null; at: string };

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** The cursor carries the anchor as PostgreSQL wrote it (microseconds), so no row is skipped or repeated. */
function readCursor(cursor: string | undefined): { at: string; id: string } | null {
  if (!cursor) return null;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/.test(at ?? '') || !/^[0-9a-f-]{36}$/i.test(id ?? '')) throw new DomainError('VALIDATION_FAILED', '翻页游标无效', [{ field: 'cursor', reason: '无效' }]);
  return { at: at ?? '', id: id ?? '' };
}

/**
 * assessedOrders({ db, actor, unitCode: '110105026', period: { month: '2026-10' }, measure: 'response_late', now })
 * → the late responses of 望京街道 in October: `{ total, items: [{ no: 'GD…', … }], nextCursor }`.
 */
export async function assessedOrders(args: { db: DbOrTx; actor: Actor; unitCode?: string; period: PeriodInput; measure: Measure; now: Date; limit?: number; cursor?: string }) {
  const { db, actor, measure } = args;
  const unit = await assessedUnit(db, actor, args.unitCode);
  const period = periodOf(args.period, args.now);
  const def = measureDefs[measure];
  const anchor = def.anchor === 'accepted' ? sql`o.accepted_at` : sql`o.last_followed_up_at`;
  const prefix = `${unit.path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const where = sql`o.lead_unit_path LIKE ${prefix} AND ${anchor} >= ${period.from} AND ${anchor} < ${period.to} AND ${def.where}`;
  const limit = Math.min(Math.max(args.limit ?? 50, 1), 500);
  const after = readCursor(args.cursor);
  const page = after ? sql` AND (${anchor}, o.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``;
  const [rows, totals] = await Promise.all([
    queryRows<Row>(
      db,
      sql`SELECT o.id, o.no, o.title, o.state, o.lead_unit_id, u.name AS lead_name, o.accepted_at, o.replied_at, o.last_followed_up_at, o.last_resolution, o.last_satisfaction, o.response_met, o.assessment_excluded, o.exclusion_reason, (${anchor})::text AS at
        FROM orders o LEFT JOIN units u ON u.id = o.lead_unit_id
        WHERE ${where}${page} ORDER BY ${anchor}, o.id LIMIT ${limit + 1}`,
    ),
    after ? Promise.resolve(null) : queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM orders o WHERE ${where}`),
  ]);
  const more = rows.length > limit;
  const items: AssessedOrder[] = rows.slice(0, limit).map((r) => ({
    id: r.id,
    no: r.no,
    title: r.title,
    state: r.state,
    leadUnit: r.lead_unit_id ? { code: r.lead_unit_id, name: r.lead_name ?? r.lead_unit_id } : null,
    acceptedAt: iso(r.accepted_at) ?? '',
    repliedAt: iso(r.replied_at),
    followedUpAt: iso(r.last_followed_up_at),
    resolution: r.last_resolution,
    satisfaction: r.last_satisfaction,
    responseMet: r.response_met,
    excluded: r.assessment_excluded,
    exclusionReason: r.exclusion_reason,
  }));
  const last = rows[limit - 1];
  return {
    unit: { code: unit.code, name: unit.name, level: unit.level },
    period: { month: period.month, from: period.from.toISOString(), to: period.to.toISOString() },
    measure,
    measureLabel: def.label,
    total: totals ? Number(totals[0]?.n ?? 0) : null,
    items,
    nextCursor: more && last ? Buffer.from(`${last.at}|${last.id}`).toString('base64url') : null,
  };
}
