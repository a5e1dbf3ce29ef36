/**
 * A month's figures per unit (districts, streets, departments, companies and the city), from a snapshot of counts:
 * final once the month is closed (关账), provisional while it is open — recounted by the assessment job every few
 * minutes, so a ranking reads a few hundred rows instead of the month's hundreds of thousands of orders. Without a
 * fresh snapshot (or asked to), the figures are counted live. See docs/assessment.md, "Scale".
 */
import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { addMonths, countKeys, emptyCounts, monthOf, monthRange, monthsToClose, parseAssessmentPolicy, type AssessmentCounts, type AssessmentPolicy, type Month } from '../../domain/assessment/index.js';
import { DomainError } from '../../domain/errors.js';
import { queryRows, type Db, type DbOrTx, type Tx } from '../../store/db.js';
import { assessmentMonths, assessmentSnapshots } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { getAssessmentPolicy } from './assessmentPolicy.js';
import { countsByLeadPath, rollUp } from './figures.js';

/** Snapshots keep units down to streets and district departments (path depth 2): what the rankings show. */
const SNAPSHOT_DEPTH = 2;
/** The job recounts an open month this often… */
export const REFRESH_EVERY_MS = 5 * 60_000;
/** …and a provisional count older than this (the job has stopped) is not trusted: the figures are counted live. */
export const PROVISIONAL_MAX_AGE_MS = 15 * 60_000;

export type MonthFigures = {
  month: Month;
  /** `snapshot`: closed, final; `provisional`: an open month's count at `countedAt`; `live`: counted just now. */
  source: 'snapshot' | 'provisional' | 'live';
  countedAt: Date | null;
  policy: AssessmentPolicy;
  /** By unit id (the last segment of its path). */
  byUnit: Map<string, AssessmentCounts>;
};

const unitIdOf = (path: string) => path.split('/').filter(Boolean).pop() ?? '';

async function liveByUnit(db: DbOrTx, month: Month): Promise<Map<string, AssessmentCounts>> {
  const rolled = rollUp(await countsByLeadPath(db, monthRange(month), { levels: SNAPSHOT_DEPTH + 1 }), SNAPSHOT_DEPTH);
  return new Map([...rolled].map(([path, c]) => [unitIdOf(path), c]));
}

/** Refuse months after the current one: there is nothing to assess yet. */
export function checkMonth(month: Month, now: Date): void {
  monthRange(month);
  if (month > monthOf(now)) throw new DomainError('VALIDATION_FAILED', `${month} 尚未开始，不能考核`, [{ field: 'month', reason: '晚于本月' }]);
}

export async function monthFigures(db: DbOrTx, month: Month, opts: { now: Date; live?: boolean }): Promise<MonthFigures> {
  if (!opts.live) {
    const [row] = await db.select().from(assessmentMonths).where(eq(assessmentMonths.month, month)).limit(1);
    if (row && (row.final || opts.now.getTime() - row.closedAt.getTime() <= PROVISIONAL_MAX_AGE_MS)) {
      const rows = await db.select().from(assessmentSnapshots).where(eq(assessmentSnapshots.month, month));
      const byUnit = new Map<string, AssessmentCounts>();
      for (const r of rows) {
        const c = emptyCounts();
        for (const k of countKeys) c[k] = r[k];
        byUnit.set(r.unitId, c);
      }
      return { month, source: row.final ? 'snapshot' : 'provisional', countedAt: row.closedAt, policy: parseAssessmentPolicy(row.policy), byUnit };
    }
  }
  return { month, source: 'live', countedAt: null, policy: await getAssessmentPolicy(db), byUnit: await liveByUnit(db, month) };
}

async function writeSnapshot(tx: Tx, month: Month): Promise<number> {
  const byUnit = await liveByUnit(tx, month);
  await tx.delete(assessmentSnapshots).where(eq(assessmentSnapshots.month, month));
  const rows = [...byUnit].map(([unitId, c]) => ({ month, unitId, ...c }));
  for (let i = 0; i < rows.length; i += 500) await tx.insert(assessmentSnapshots).values(rows.slice(i, i + 500));
  return rows.length;
}

/**
 * Freeze a month: count it, store a snapshot per unit and the policy in force, in one transaction. Without `again`
 * a month already final is left alone (two servers running the job close it once); with it, it is counted anew.
 * Returns null when there was nothing to do.
 */
export async function closeMonth(args: { db: Db; month: Month; now: Date; closedBy: string; again?: boolean; actor?: Actor }): Promise<{ month: Month; units: number } | null> {
  const { db, month, now } = args;
  return db.transaction(async (tx) => {
    const policy = await getAssessmentPolicy(tx);
    // The month's row is the lock: a second server waits here, then finds the month final and does nothing.
    const won = await tx
      .insert(assessmentMonths)
      .values({ month, closedAt: now, policy, closedBy: args.closedBy, final: true })
      .onConflictDoUpdate({ target: assessmentMonths.month, set: { closedAt: now, policy, closedBy: args.closedBy, final: true }, ...(args.again ? {} : { setWhere: sql`${assessmentMonths.final} = false` }) })
      .returning({ month: assessmentMonths.month });
    if (won.length === 0) return null;
    const units = await writeSnapshot(tx, month);
    if (args.actor) await appendAudit(tx, { at: now, actorId: args.actor.userId, actorName: args.actor.username, action: 'assessment.month.close', targetType: 'assessment_month', targetId: month, detail: { units, policy } });
    return { month, units };
  });
}

/** Recount an open month's provisional snapshot now (the job; an administrator after a bulk import). Null if final. */
export async function refreshMonth(args: { db: Db; month: Month; now: Date }): Promise<{ month: Month; units: number } | null> {
  const { db, month, now } = args;
  return db.transaction(async (tx) => {
    const policy = await getAssessmentPolicy(tx);
    const won = await tx
      .insert(assessmentMonths)
      .values({ month, closedAt: now, policy, closedBy: 'refresh', final: false })
      .onConflictDoUpdate({ target: assessmentMonths.month, set: { closedAt: now, policy, closedBy: 'refresh' }, setWhere: sql`${assessmentMonths.final} = false` })
      .returning({ month: assessmentMonths.month });
    if (won.length === 0) return null;
    return { month, units: await writeSnapshot(tx, month) };
  });
}

/**
 * The monthly job: close each recent month that ended `closeAfterDays` ago and is not final yet. A month without a
 * single dispatched order is left open (nothing to freeze; a later import of old orders still counts).
 */
export async function closeAssessmentMonths(args: { db: Db; now: Date }): Promise<Month[]> {
  const policy = await getAssessmentPolicy(args.db);
  const closed: Month[] = [];
  for (const month of monthsToClose(args.now, policy.closeAfterDays)) {
    const { from, to } = monthRange(month);
    const [any] = await queryRows<{ one: number }>(args.db, sql`SELECT 1 AS one FROM orders WHERE lead_unit_path IS NOT NULL AND accepted_at >= ${from} AND accepted_at < ${to} LIMIT 1`);
    if (!any) continue;
    const done = await closeMonth({ db: args.db, month, now: args.now, closedBy: 'job' });
    if (done) closed.push(done.month);
  }
  return closed;
}

/** Recount the open months (this one, and the last until it is closed) whose provisional count is due. */
export async function refreshOpenMonths(args: { db: Db; now: Date }): Promise<Month[]> {
  const current = monthOf(args.now);
  const refreshed: Month[] = [];
  for (const month of [current, addMonths(current, -1)]) {
    const [row] = await args.db.select().from(assessmentMonths).where(eq(assessmentMonths.month, month)).limit(1);
    if (row?.final) continue;
    // A little slack, so a job that fires every REFRESH_EVERY_MS does not skip every other turn.
    if (row && args.now.getTime() - row.closedAt.getTime() < REFRESH_EVERY_MS - 30_000) continue;
    if (await refreshMonth({ db: args.db, month, now: args.now })) refreshed.push(month);
  }
  return refreshed;
}

/** What the assessment job does each turn: close what is due, then recount the open months. */
export async function runAssessmentJob(args: { db: Db; now: Date }): Promise<{ closed: Month[]; refreshed: Month[] }> {
  const closed = await closeAssessmentMonths(args);
  const refreshed = await refreshOpenMonths(args);
  return { closed, refreshed };
}

/** An administrator closes a finished month again (after late exclusions or an import): audited. */
export async function recloseMonth(args: { db: Db; actor: Actor; month: Month; now: Date }): Promise<{ month: Month; units: number }> {
  checkMonth(args.month, args.now);
  if (monthRange(args.month).to.getTime() > args.now.getTime()) throw new DomainError('ILLEGAL_TRANSITION', `${args.month} 尚未结束，不能关账`);
  const done = await closeMonth({ db: args.db, month: args.month, now: args.now, closedBy: args.actor.username, again: true, actor: args.actor });
  if (!done) throw new Error('closeMonth with again returned nothing');
  return done;
}

/** An administrator recounts an open month's provisional figures now (after a bulk import, say). */
export async function recountOpenMonth(args: { db: Db; actor: Actor; month: Month; now: Date }): Promise<{ month: Month; units: number }> {
  checkMonth(args.month, args.now);
  const done = await refreshMonth({ db: args.db, month: args.month, now: args.now });
  if (!done) throw new DomainError('ILLEGAL_TRANSITION', `${args.month} 已关账，如需重算请重新关账`);
  return done;
}
