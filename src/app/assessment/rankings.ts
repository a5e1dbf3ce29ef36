/**
 * 月度排名: the three rates and composite score of every street/township (Beijing's 343 in one table), district,
 * city department or public-service company for a month, ranked city-wide, with the change from the month before.
 * Each viewer sees the rows of their own jurisdiction (DOMAIN.md: each level sees its own), with city-wide ranks.
 */
import { and, eq, ne, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { addMonths, assess, changeFrom, emptyCounts, rankUnits, type AssessmentCounts, type AssessmentPolicy, type Change, type Month, type Rates, type Score } from '../../domain/assessment/index.js';
import { isWithin } from '../../domain/jurisdiction.js';
import type { DbOrTx } from '../../store/db.js';
import { units } from '../../store/schema/index.js';
import { checkMonth, monthFigures, type MonthFigures } from './monthFigures.js';

export const rankingKinds = ['street', 'district', 'department', 'company'] as const;
export type RankingKind = (typeof rankingKinds)[number];

export const rankingKindLabels: Record<RankingKind, string> = { street: '街道（乡镇）', district: '区', department: '市级部门', company: '公共服务企业' };

type UnitRow = { id: string; name: string; shortName: string; path: string; parentId: string | null };

/** The units a ranking compares: the 343 streets/townships (development zones are outside them), the 16 districts, … */
function unitsOf(kind: RankingKind): SQL | undefined {
  switch (kind) {
    case 'street':
      return and(eq(units.level, 'street'), ne(units.kind, '开发区'));
    case 'district':
      return eq(units.level, 'district');
    case 'department':
      return and(eq(units.level, 'department'), eq(units.parentId, '110000'));
    case 'company':
      return eq(units.level, 'company');
  }
}

export type RankingRow = {
  rank: number | null;
  code: string;
  name: string;
  district: { code: string; name: string } | null;
  counts: AssessmentCounts;
  attention: boolean;
} & Rates &
  Score &
  Change;

export type Ranking = {
  kind: RankingKind;
  month: Month;
  previousMonth: Month;
  source: MonthFigures['source'];
  /** When the snapshot was counted; null when counted live. */
  countedAt: string | null;
  policy: AssessmentPolicy;
  /** Units of this kind in the city, and how many have a score this month. */
  units: number;
  ranked: number;
  /** The viewer's rows (all of them for city-wide viewers), best first. */
  rows: RankingRow[];
};

/** DOMAIN.md names the worst streets/townships for 治理类 attention; the other tables only rank. */
function rankMonth(kind: RankingKind, list: readonly UnitRow[], figures: MonthFigures) {
  const rows = list.map((u) => {
    const counts = figures.byUnit.get(u.id) ?? emptyCounts();
    return { unitId: u.id, unit: u, counts, volume: counts.assessed + counts.followedUp, ...assess(counts, figures.policy) };
  });
  return rankUnits(rows, kind === 'street' ? figures.policy.attentionCount : 0);
}

/**
 * getRanking({ db, actor, kind: 'street', month: '2026-10', now }) → the month's street table for the viewer.
 * `live` counts this month afresh instead of reading its snapshot (exact to the second, slower at city scale).
 */
export async function getRanking(args: { db: DbOrTx; actor: Actor; kind: RankingKind; month: Month; now: Date; live?: boolean }): Promise<Ranking> {
  const { db, actor, kind, month } = args;
  checkMonth(month, args.now);
  const previousMonth = addMonths(month, -1);
  const [list, districts, current, previous] = await Promise.all([
    db.select({ id: units.id, name: units.name, shortName: units.shortName, path: units.path, parentId: units.parentId }).from(units).where(and(eq(units.active, true), unitsOf(kind))).orderBy(units.id),
    db.select({ id: units.id, name: units.name }).from(units).where(eq(units.level, 'district')),
    monthFigures(db, month, { now: args.now, live: args.live ?? false }),
    // Last month only for the change: its snapshot when there is one, even when this month is counted live.
    monthFigures(db, previousMonth, { now: args.now }),
  ]);
  const districtName = new Map(districts.map((d) => [d.id, d.name]));
  const now = rankMonth(kind, list, current);
  const before = new Map(rankMonth(kind, list, previous).map((r) => [r.unitId, r]));
  const mine = actor.scopePath;
  const rows: RankingRow[] = now
    .filter((r) => isWithin(mine, r.unit.path))
    .map((r) => ({
      rank: r.rank,
      code: r.unit.id,
      name: r.unit.name,
      district: kind === 'street' && r.unit.parentId ? { code: r.unit.parentId, name: districtName.get(r.unit.parentId) ?? r.unit.parentId } : null,
      counts: r.counts,
      responseRate: r.responseRate,
      resolutionRate: r.resolutionRate,
      satisfactionRate: r.satisfactionRate,
      score: r.score,
      partial: r.partial,
      attention: r.attention,
      ...changeFrom(r, before.get(r.unitId)),
    }));
  return {
    kind,
    month,
    previousMonth,
    source: current.source,
    countedAt: current.countedAt?.toISOString() ?? null,
    policy: current.policy,
    units: list.length,
    ranked: now.filter((r) => r.rank !== null).length,
    rows,
  };
}
