/** A whistle as its viewer may see it: units with their report-ins, linked orders, parts, history, next steps. */
import { and, inArray, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError } from '../../domain/errors.js';
import * as rules from '../../domain/whistle/index.js';
import type { DbOrTx } from '../../store/db.js';
import { orders } from '../../store/schema/index.js';
import { visibleCondition } from '../orders/orderRecord.js';
import { loadVisibleWhistle, type WhistleRecord } from './whistleRecord.js';

type Named = { code: string; name: string };

export type ReportInStatus = 'on_time' | 'late' | 'missing' | 'waiting';
export type WhistleAction = 'report_in' | 'record_part' | 'close';

export type WhistleDetail = {
  id: string;
  no: string;
  kind: rules.WhistleKind;
  kindLabel: string;
  state: 'open' | 'closed';
  version: number;
  street: Named;
  reason: string;
  place: string;
  meetAt: string;
  reportDueAt: string;
  blownAt: string;
  blownBy: string | null;
  summoned: { unit: Named; level: string; status: ReportInStatus; reportedAt: string | null; reportedBy: string | null; minutesLate: number | null; note: string | null }[];
  /** Unit codes by report-in status, from the domain's summary (as of closing for a closed whistle). */
  reportIns: Record<'onTime' | 'late' | 'missing' | 'waiting', string[]>;
  orders: { id: string; no: string; title: string; state: string; closedByWhistle: boolean }[];
  parts: { unit: Named; at: string; by: string | null; text: string }[];
  outcome: string | null;
  closedAt: string | null;
  closedBy: string | null;
  history: { id: number; at: string; type: string; actor: { name: string | null }; unit: Named | null; data: Record<string, unknown> }[];
  /** What the viewer may do now, judged by the same rules that will judge the request. */
  allowedActions: WhistleAction[];
};

function allowed(rec: WhistleRecord, actor: Actor, now: Date): WhistleAction[] {
  const w = rec.whistle;
  const unitId = actor.unitId ?? '';
  const can = (decide: () => unknown) => {
    try {
      decide();
      return true;
    } catch (err) {
      if (err instanceof DomainError) return false;
      throw err;
    }
  };
  const out: WhistleAction[] = [];
  if (can(() => rules.reportIn({ whistle: w, unitId, actor, now }))) out.push('report_in');
  if (can(() => rules.recordPart({ whistle: w, unitId, actor, now, text: '—' }))) out.push('record_part');
  if (can(() => rules.closeWhistle({ whistle: w, actor, now, outcome: '—', closedOrderIds: [] }))) out.push('close');
  return out;
}

async function whistleDetail(db: DbOrTx, actor: Actor, rec: WhistleRecord, now: Date): Promise<WhistleDetail> {
  const { row, whistle: w, events } = rec;
  const named = (id: string): Named => ({ code: id, name: rec.units.get(id)?.name ?? id });
  const summary = rules.whistleSummary(w, now);
  const status = new Map<string, ReportInStatus>([
    ...summary.onTime.map((u) => [u.unitId, 'on_time'] as const),
    ...summary.late.map((u) => [u.unitId, 'late'] as const),
    ...summary.missing.map((u) => [u.unitId, 'missing'] as const),
    ...summary.waiting.map((u) => [u.unitId, 'waiting'] as const),
  ]);
  const minutesLate = new Map(summary.late.map((u) => [u.unitId, u.minutesLate]));
  const nameOf = (type: string, unitId?: string) => events.find((e) => e.type === type && (unitId === undefined || e.unitId === unitId))?.actorName ?? null;
  // Linked orders the viewer may not open are left out rather than named.
  const conds = [inArray(orders.id, w.orderIds), visibleCondition(actor)].filter((c): c is SQL => !!c);
  const linked = w.orderIds.length ? await db.select({ id: orders.id, no: orders.no, title: orders.title, state: orders.state }).from(orders).where(and(...conds)) : [];
  const rank = (id: string) => w.orderIds.indexOf(id);
  return {
    id: row.id,
    no: row.no,
    kind: w.kind,
    kindLabel: rules.whistleKindLabels[w.kind],
    state: w.status,
    version: row.version,
    street: named(w.streetUnitId),
    reason: w.reason,
    place: w.place,
    meetAt: w.meetAt.toISOString(),
    reportDueAt: w.reportDueAt.toISOString(),
    blownAt: w.blownAt.toISOString(),
    blownBy: nameOf('whistle_blown'),
    summoned: w.summoned.map((u) => ({
      unit: named(u.unitId),
      level: u.level,
      status: status.get(u.unitId) ?? 'waiting',
      reportedAt: u.reportedAt?.toISOString() ?? null,
      reportedBy: u.reportedAt ? nameOf('reported_in', u.unitId) : null,
      minutesLate: minutesLate.get(u.unitId) ?? null,
      note: u.reportNote,
    })),
    reportIns: {
      onTime: summary.onTime.map((u) => u.unitId),
      late: summary.late.map((u) => u.unitId),
      missing: summary.missing.map((u) => u.unitId),
      waiting: summary.waiting.map((u) => u.unitId),
    },
    orders: linked.sort((a, b) => rank(a.id) - rank(b.id)).map((o) => ({ ...o, closedByWhistle: w.closedOrderIds.includes(o.id) })),
    parts: events.filter((e) => e.type === 'part_recorded').map((e) => ({ unit: named(e.unitId ?? w.streetUnitId), at: e.at.toISOString(), by: e.actorName, text: typeof e.data.text === 'string' ? e.data.text : '' })),
    outcome: w.outcome,
    closedAt: w.closedAt?.toISOString() ?? null,
    closedBy: w.closedAt ? nameOf('whistle_closed') : null,
    history: events.map((e) => ({ id: e.id, at: e.at.toISOString(), type: e.type, actor: { name: e.actorName }, unit: e.unitId ? named(e.unitId) : null, data: e.data })),
    allowedActions: allowed(rec, actor, now),
  };
}

/** getWhistle({ db, actor, whistleId, now }) → the detail, or 404 when the actor may not see it. */
export async function getWhistle(args: { db: DbOrTx; actor: Actor; whistleId: string; now: Date }): Promise<WhistleDetail> {
  const rec = await loadVisibleWhistle(args.db, args.actor, args.whistleId);
  return whistleDetail(args.db, args.actor, rec, args.now);
}
