/** 报到统计: late and missing report-ins per summoned department over a period, from the domain's counting rule. */
import { and, inArray, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import * as rules from '../../domain/whistle/index.js';
import type { Db } from '../../store/db.js';
import { whistleUnits, whistles } from '../../store/schema/index.js';
import { toWhistle, unitInfo, visibleWhistleCondition } from './whistleRecord.js';

export type ReportInStatsRow = { unit: { code: string; name: string }; level: string; summoned: number; onTime: number; late: number; missing: number };

/**
 * whistleStats({ db, actor: leaderCy, from, to, now }) → per unit summoned by whistles blown in [from, to) that
 * the actor may see, worst first. A unit of a still-open whistle whose deadline has passed counts as missing.
 */
export async function whistleStats(args: { db: Db; actor: Actor; from?: Date | undefined; to?: Date | undefined; now: Date }): Promise<{ from: string | null; to: string | null; whistles: number; items: ReportInStatsRow[] }> {
  const { db, actor, from, to, now } = args;
  const conds: SQL[] = [];
  const vis = visibleWhistleCondition(actor);
  if (vis) conds.push(vis);
  if (from) conds.push(sql`${whistles.createdAt} >= ${from}`);
  if (to) conds.push(sql`${whistles.createdAt} < ${to}`);
  const rows = await db.select().from(whistles).where(conds.length ? and(...conds) : undefined);
  const unitRows = rows.length ? await db.select().from(whistleUnits).where(inArray(whistleUnits.whistleId, rows.map((r) => r.id))) : [];
  const info = await unitInfo(db, [...rows.map((r) => r.streetId), ...unitRows.map((u) => u.unitId)]);
  // Grouped once: a period may hold thousands of whistles.
  const byWhistle = new Map<string, typeof unitRows>();
  for (const u of unitRows) {
    const list = byWhistle.get(u.whistleId);
    if (list) list.push(u);
    else byWhistle.set(u.whistleId, [u]);
  }
  const ws = rows.map((row) => toWhistle({ row, streetPath: info.get(row.streetId)?.path ?? '', unitRows: byWhistle.get(row.id) ?? [], unitLevels: info, orderRows: [], events: [] }));
  return {
    from: from?.toISOString() ?? null,
    to: to?.toISOString() ?? null,
    whistles: ws.length,
    items: rules.lateCountsByDepartment(ws, now).map((r) => ({
      unit: { code: r.unitId, name: info.get(r.unitId)?.name ?? r.unitId },
      level: info.get(r.unitId)?.level ?? 'department',
      summoned: r.summoned,
      onTime: r.onTime,
      late: r.late,
      missing: r.missing,
    })),
  };
}
