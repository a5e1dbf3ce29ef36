/** 排名: units ordered by composite score, with the change from the month before. Pure. */
import { roundPoints } from './rates.js';

export type Rankable = { unitId: string; score: number | null; /** orders behind the figure, for the order among equals */ volume: number };

export type Ranked<T> = T & {
  /** 1 for the best; equal scores share a rank (1, 2, 2, 4); null when the unit has no score this month. */
  rank: number | null;
  /** Among the worst `attentionCount` ranked (when more than that many are): named for 治理类 attention. */
  attention: boolean;
};

/**
 * Rank by score, best first; equal scores share a rank; units without a score come last, unranked.
 * Among equals, the unit with more orders is listed first, then by code, so the order is stable.
 * @example rankUnits([{ unitId: 'a', score: 90, volume: 1 }, { unitId: 'b', score: 95, volume: 1 }], 0).map((r) => r.rank) // [1, 2] for b, a
 */
export function rankUnits<T extends Rankable>(rows: readonly T[], attentionCount: number): Ranked<T>[] {
  const sorted = [...rows].sort((a, b) => {
    if (a.score === null || b.score === null) {
      if (a.score !== b.score) return a.score === null ? 1 : -1;
    } else if (a.score !== b.score) return b.score - a.score;
    return b.volume - a.volume || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0);
  });
  const ranked: Ranked<T>[] = [];
  let rank = 0;
  let prev: number | null = null;
  sorted.forEach((row, i) => {
    if (row.score === null) {
      ranked.push({ ...row, rank: null, attention: false });
      return;
    }
    if (row.score !== prev) rank = i + 1;
    prev = row.score;
    ranked.push({ ...row, rank, attention: false });
  });
  // The worst `attentionCount` positions, and anyone tied with the last of them; none when too few are ranked
  // for "the worst" to mean anything.
  const scored = ranked.filter((r) => r.rank !== null);
  if (attentionCount > 0 && scored.length > attentionCount) {
    const cut = scored[Math.max(0, scored.length - attentionCount)];
    const threshold = cut?.rank ?? Infinity;
    for (const r of scored) if ((r.rank ?? 0) >= threshold) r.attention = true;
  }
  return ranked;
}

export type Change = {
  previousRank: number | null;
  previousScore: number | null;
  /** Places moved up since last month (positive: better); null when either month is unranked. */
  rankChange: number | null;
  /** Points gained since last month, to 0.01; null when either month has no score. */
  scoreChange: number | null;
};

/**
 * The change of a unit from its previous month.
 * @example changeFrom({ rank: 3, score: 91.5 }, { rank: 5, score: 90 }) // { previousRank: 5, previousScore: 90, rankChange: 2, scoreChange: 1.5 }
 */
export function changeFrom(current: { rank: number | null; score: number | null }, previous: { rank: number | null; score: number | null } | undefined): Change {
  const previousRank = previous?.rank ?? null;
  const previousScore = previous?.score ?? null;
  return {
    previousRank,
    previousScore,
    rankChange: current.rank !== null && previousRank !== null ? previousRank - current.rank : null,
    scoreChange: current.score !== null && previousScore !== null ? roundPoints(current.score - previousScore) : null,
  };
}
