/**
 * 三率: the response, resolution and satisfaction rates of a unit over a period, and the composite score, from the
 * counts behind them. Pure: the store counts, this divides. See docs/assessment.md for the definitions.
 */
import type { AssessmentPolicy } from './policy.js';

/**
 * What the rates are computed from, for one unit and period. `assessed` orders are those accepted in the period
 * with a lead unit and not excluded; the follow-up counts are of orders whose latest 回访 fell in the period.
 */
export type AssessmentCounts = {
  assessed: number;
  /** Sign and response clocks met in time. */
  responseMet: number;
  /** A sign or response clock missed. */
  responseLate: number;
  /** Neither yet: the clocks still run (or the order never reached the unit's first response). */
  responsePending: number;
  /** Accepted in the period but excluded from assessment (invalid, malicious, merged repeats). */
  excluded: number;
  followedUp: number;
  resolved: number;
  partly: number;
  unresolved: number;
  satisfied: number;
  basic: number;
  unsatisfied: number;
  /** 未评价: the citizen did not rate; left out of the satisfaction rate. */
  noAnswer: number;
};

export const countKeys = ['assessed', 'responseMet', 'responseLate', 'responsePending', 'excluded', 'followedUp', 'resolved', 'partly', 'unresolved', 'satisfied', 'basic', 'unsatisfied', 'noAnswer'] as const satisfies readonly (keyof AssessmentCounts)[];

export function emptyCounts(): AssessmentCounts {
  return { assessed: 0, responseMet: 0, responseLate: 0, responsePending: 0, excluded: 0, followedUp: 0, resolved: 0, partly: 0, unresolved: 0, satisfied: 0, basic: 0, unsatisfied: 0, noAnswer: 0 };
}

/** Add `b` into `a` (a unit's figures are the sum of the units under it). Returns `a`. */
export function addCounts(a: AssessmentCounts, b: AssessmentCounts): AssessmentCounts {
  for (const k of countKeys) a[k] += b[k];
  return a;
}

export type Rates = {
  /** 响应率 = met / (met + late); pending orders are not yet decided. */
  responseRate: number | null;
  /** 解决率 = (resolved + partly × credit) / followed up. */
  resolutionRate: number | null;
  /** 满意率 = (satisfied + basic × credit) / answered (satisfied + basic + unsatisfied). */
  satisfactionRate: number | null;
};

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/**
 * The three rates as fractions (0 … 1), null where nothing was there to count.
 * @example ratesOf({ ...emptyCounts(), responseMet: 9, responseLate: 1 }, DEFAULT_ASSESSMENT_POLICY).responseRate // 0.9
 */
export function ratesOf(c: AssessmentCounts, policy: Pick<AssessmentPolicy, 'partlyResolvedCredit' | 'basicSatisfiedCredit'>): Rates {
  return {
    responseRate: ratio(c.responseMet, c.responseMet + c.responseLate),
    resolutionRate: ratio(c.resolved + c.partly * policy.partlyResolvedCredit, c.followedUp),
    satisfactionRate: ratio(c.satisfied + c.basic * policy.basicSatisfiedCredit, c.satisfied + c.basic + c.unsatisfied),
  };
}

export type Score = {
  /** 综合得分 in points (0 … 100), to 0.01; null when no rate could be computed. */
  score: number | null;
  /** True when a rate was missing and the others' weights were scaled up to stand for it. */
  partial: boolean;
};

/** Round half away from zero to 2 decimals, so equal scores compare equal (no floating-point dust). */
export function roundPoints(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x) * 100 + 1e-9) / 100;
}

/**
 * The composite score: the weighted mean of the rates that exist, in points. A missing rate (no follow-ups yet,
 * say) leaves the score to the others, rescaled, and marks it partial.
 * @example scoreOf({ responseRate: 1, resolutionRate: 0.9, satisfactionRate: 0.8 }, { response: 10, resolution: 45, satisfaction: 45 }) // { score: 86.5, partial: false }
 */
export function scoreOf(rates: Rates, weights: AssessmentPolicy['weights']): Score {
  const parts: [number | null, number][] = [
    [rates.responseRate, weights.response],
    [rates.resolutionRate, weights.resolution],
    [rates.satisfactionRate, weights.satisfaction],
  ];
  let sum = 0;
  let weight = 0;
  let partial = false;
  for (const [rate, w] of parts) {
    if (rate === null) {
      if (w > 0) partial = true;
      continue;
    }
    sum += rate * w;
    weight += w;
  }
  if (weight === 0) return { score: null, partial };
  return { score: roundPoints((sum / weight) * 100), partial };
}

/** Rates and score together, for a unit's figures. */
export function assess(c: AssessmentCounts, policy: AssessmentPolicy): Rates & Score {
  const rates = ratesOf(c, policy);
  return { ...rates, ...scoreOf(rates, policy.weights) };
}
