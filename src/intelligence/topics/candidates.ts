/**
 * 每月一题 candidates: which problem classes keep coming back, grow, spread and stay unsolved — the recurring, hard
 * problems a city takes up one a month. A class is one catalogue category citywide, or one category in one district.
 *
 * Figures of a class over the window (the last `months` complete months):
 * - size: its orders in the window; last: orders in the last month.
 * - mom: month-on-month growth of the last month, (last + 1) ÷ (previous + 1) − 1 (the +1 keeps 0 → 2 from reading ∞).
 * - yoy: year-on-year growth, (last + 1) ÷ (same month a year earlier + 1) − 1; null without that month.
 * - spread: distinct streets (and districts) with orders of the class in the window.
 * - unresolvedShare: of the window's followed-up orders, the share the citizen called unresolved or partly resolved, or
 *   that were reopened (重办).
 * - recurrence: months of the window with at least `minMonthly` orders.
 * score = 100 × (0.30 size + 0.20 growth + 0.15 spread + 0.25 unresolved + 0.10 recurrence), each part in [0, 1]:
 *   size = ln(1 + size) ÷ ln(1 + largest size among the classes); growth = clamp((g + 0.5) ÷ 1.5, 0, 1) with g the
 *   mean of mom and yoy (mom alone without yoy), so −50% reads 0, 0 reads ⅓ and +100% reads 1; spread = streets ÷ the
 *   most streets among the classes; unresolved = min(1, share ÷ 0.5); recurrence = months present ÷ months.
 */

export type ClassMonth = { orders: number; followedUp: number; unresolved: number };

export type ClassSeries = {
  key: string;
  categoryId: string;
  districtId: string | null;
  /** One entry per month, oldest first; the last `months` are the window, the 12 before serve year-on-year. */
  months: readonly ClassMonth[];
  streets: number;
  districts: number;
};

export type CandidateOptions = { months: number; minSize: number; minRecurrence: number; minMonthly: number };
export const defaultCandidateOptions: CandidateOptions = { months: 6, minSize: 20, minRecurrence: 3, minMonthly: 3 };

export const scoreWeights = { size: 0.3, growth: 0.2, spread: 0.15, unresolved: 0.25, recurrence: 0.1 } as const;

export type Candidate = {
  key: string;
  categoryId: string;
  districtId: string | null;
  size: number;
  last: number;
  previous: number;
  mom: number;
  yoy: number | null;
  streets: number;
  districts: number;
  followedUp: number;
  unresolvedShare: number | null;
  recurrence: number;
  /** Orders per month over the window, oldest first (for a sparkline). */
  series: number[];
  parts: Record<keyof typeof scoreWeights, number>;
  score: number;
};

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * rankCandidates([{ key: 'GY.04.01|', months: […18 months…], streets: 120, … }], { months: 6 }) → candidates, best first.
 * Classes below `minSize` orders or present in fewer than `minRecurrence` months are left out.
 */
export function rankCandidates(classes: readonly ClassSeries[], options: Partial<CandidateOptions> = {}): Candidate[] {
  const o = { ...defaultCandidateOptions, ...options };
  const figures = classes.map((c) => {
    const n = c.months.length;
    const window = c.months.slice(Math.max(0, n - o.months));
    const series = window.map((m) => m.orders);
    const size = series.reduce((a, b) => a + b, 0);
    const last = series.at(-1) ?? 0;
    const previous = series.at(-2) ?? 0;
    const yearAgo = n >= 13 ? c.months[n - 13]?.orders : undefined;
    const followedUp = window.reduce((a, m) => a + m.followedUp, 0);
    const unresolved = window.reduce((a, m) => a + m.unresolved, 0);
    return {
      c,
      size,
      last,
      previous,
      series,
      mom: (last + 1) / (previous + 1) - 1,
      yoy: yearAgo === undefined ? null : (last + 1) / (yearAgo + 1) - 1,
      followedUp,
      unresolvedShare: followedUp > 0 ? unresolved / followedUp : null,
      recurrence: series.filter((x) => x >= o.minMonthly).length,
    };
  });
  const kept = figures.filter((f) => f.size >= o.minSize && f.recurrence >= o.minRecurrence);
  const maxSize = Math.max(1, ...kept.map((f) => f.size));
  const maxStreets = Math.max(1, ...kept.map((f) => f.c.streets));
  return kept
    .map((f): Candidate => {
      const g = f.yoy === null ? f.mom : (f.mom + f.yoy) / 2;
      const parts = {
        size: Math.log1p(f.size) / Math.log1p(maxSize),
        growth: clamp01((g + 0.5) / 1.5),
        spread: f.c.streets / maxStreets,
        unresolved: f.unresolvedShare === null ? 0 : clamp01(f.unresolvedShare / 0.5),
        recurrence: f.recurrence / Math.max(1, Math.min(o.months, f.series.length)),
      };
      const score = 100 * (scoreWeights.size * parts.size + scoreWeights.growth * parts.growth + scoreWeights.spread * parts.spread + scoreWeights.unresolved * parts.unresolved + scoreWeights.recurrence * parts.recurrence);
      return {
        key: f.c.key,
        categoryId: f.c.categoryId,
        districtId: f.c.districtId,
        size: f.size,
        last: f.last,
        previous: f.previous,
        mom: round(f.mom),
        yoy: f.yoy === null ? null : round(f.yoy),
        streets: f.c.streets,
        districts: f.c.districts,
        followedUp: f.followedUp,
        unresolvedShare: f.unresolvedShare === null ? null : round(f.unresolvedShare, 3),
        recurrence: f.recurrence,
        series: f.series,
        parts: { size: round(parts.size, 3), growth: round(parts.growth, 3), spread: round(parts.spread, 3), unresolved: round(parts.unresolved, 3), recurrence: round(parts.recurrence, 3) },
        score: round(score, 1),
      };
    })
    .sort((a, b) => b.score - a.score || b.size - a.size || a.key.localeCompare(b.key));
}
