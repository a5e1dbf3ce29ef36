/** 三率 of one unit (and everything under it) for a month or any period, with the counts behind each rate. */
import { eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { assess, emptyCounts, monthRange, type AssessmentCounts, type AssessmentPolicy, type Month, type Rates, type Score } from '../../domain/assessment/index.js';
import { DomainError, notFound } from '../../domain/errors.js';
import { isWithin } from '../../domain/jurisdiction.js';
import type { DbOrTx } from '../../store/db.js';
import { units } from '../../store/schema/index.js';
import { getAssessmentPolicy } from './assessmentPolicy.js';
import { countsUnder, type Period } from './figures.js';
import { checkMonth, monthFigures } from './monthFigures.js';

export type UnitRef = { code: string; name: string; level: string; path: string };

/** The unit by code, which must lie in the actor's jurisdiction; by default the actor's own (the city for the hotline). */
export async function assessedUnit(db: DbOrTx, actor: Actor, code: string | undefined): Promise<UnitRef> {
  const scope = actor.scopePath;
  if (!scope) throw new DomainError('FORBIDDEN', '无权查看考核数据');
  const id = code ?? scope.split('/').filter(Boolean).pop() ?? '';
  const [u] = await db.select({ code: units.id, name: units.name, level: units.level, path: units.path }).from(units).where(eq(units.id, id)).limit(1);
  if (!u) throw notFound(`单位 ${id} `);
  if (!isWithin(scope, u.path)) throw new DomainError('FORBIDDEN', `${u.name}不在您的管辖范围内`);
  return u;
}

export type PeriodInput = { month: Month } | { from: Date; to: Date };

export type UnitRates = {
  unit: Omit<UnitRef, 'path'>;
  period: { month: Month | null; from: string; to: string };
  source: 'snapshot' | 'provisional' | 'live';
  counts: AssessmentCounts;
  policy: AssessmentPolicy;
} & Rates &
  Score;

export function periodOf(input: PeriodInput, now: Date): Period & { month: Month | null } {
  if ('month' in input) {
    checkMonth(input.month, now);
    return { ...monthRange(input.month), month: input.month };
  }
  if (input.from >= input.to) throw new DomainError('VALIDATION_FAILED', '开始时间必须早于结束时间', [{ field: 'from', reason: '晚于 to' }]);
  if (input.to.getTime() - input.from.getTime() > 400 * 86_400_000) throw new DomainError('VALIDATION_FAILED', '统计区间不能超过 400 天', [{ field: 'from', reason: '区间过长' }]);
  return { from: input.from, to: input.to, month: null };
}

/**
 * unitRates({ db, actor, unitCode: '110105026', period: { month: '2026-10' }, now }) → 望京街道's rates in October.
 * A month's districts and streets come from its snapshot (final or provisional), like the rankings; anything else
 * is counted live.
 */
export async function unitRates(args: { db: DbOrTx; actor: Actor; unitCode?: string; period: PeriodInput; now: Date }): Promise<UnitRates> {
  const { db, actor } = args;
  const unit = await assessedUnit(db, actor, args.unitCode);
  const period = periodOf(args.period, args.now);
  const depth = unit.path.split('/').filter(Boolean).length - 1;
  let figures: { source: UnitRates['source']; counts: AssessmentCounts; policy: AssessmentPolicy } | null = null;
  if (period.month && depth <= 2) {
    const f = await monthFigures(db, period.month, { now: args.now });
    if (f.source !== 'live') figures = { source: f.source, counts: f.byUnit.get(unit.code) ?? emptyCounts(), policy: f.policy };
  }
  figures ??= { source: 'live', counts: await countsUnder(db, period, unit.path), policy: await getAssessmentPolicy(db) };
  const { source, counts, policy } = figures;
  return {
    unit: { code: unit.code, name: unit.name, level: unit.level },
    period: { month: period.month, from: period.from.toISOString(), to: period.to.toISOString() },
    source,
    counts,
    policy,
    ...assess(counts, policy),
  };
}
