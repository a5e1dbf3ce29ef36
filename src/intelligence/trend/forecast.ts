/**
 * 未诉先办, second part: seasonal and trend forecasts of monthly order counts per problem class and area, so a
 * street or department hears "heating calls will triple next month" in October, not from the citizens in November.
 *
 * The method (documented with measured backtest errors in docs/topics-proactive.md):
 * - seasonal: the same month a year earlier, scaled by how the last `levelMonths` months compare with the same
 *   months a year earlier (the level ratio, shrunk towards 1 with `levelPrior` pseudo-orders and clamped to
 *   [0.5, 2]): next November ≈ last November × (this Aug–Oct ÷ last Aug–Oct).
 * - trend: damped Holt (level + damped trend) over the monthly counts; used alone when there is no year of history.
 * - blend: `seasonalWeight` × seasonal + (1 − weight) × trend.
 * - sparse areas (a class in one district or street) borrow the season of the class citywide: the area's forecast is
 *   the parent's forecast × the area's share of the parent over the last 12 months (top-down), blended with the
 *   area's own forecast by how many orders it has (`poolOrders`).
 * A series runs oldest to newest over complete calendar months; horizon 1 is the month after the last one.
 */

export type ForecastOptions = {
  /** Months of the level ratio (default 20). */
  levelMonths: number;
  /** Pseudo-orders added to both sides of the level ratio so small counts do not swing it (default 20). */
  levelPrior: number;
  /** Weight of the seasonal forecast in the blend when a year and a quarter of history exists (default 0.6). */
  seasonalWeight: number;
  /** Holt smoothing of level and trend, and the damping of the trend (defaults 0.3, 0.1, 0.8). */
  alpha: number;
  beta: number;
  phi: number;
  /** Orders over 12 months at which an area trusts its own series as much as its parent's share (default 60). */
  poolOrders: number;
};

export const defaultForecastOptions: ForecastOptions = { levelMonths: 3, levelPrior: 20, seasonalWeight: 0.6, alpha: 0.3, beta: 0.1, phi: 0.8, poolOrders: 60 };

export type ForecastMethod = 'blend' | 'trend' | 'seasonal_naive' | 'naive' | 'pooled';

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Damped Holt: forecasts for horizons 1…h. An empty series forecasts zeros. */
export function holtForecast(counts: readonly number[], horizon: number, o: Pick<ForecastOptions, 'alpha' | 'beta' | 'phi'> = defaultForecastOptions): number[] {
  if (counts.length === 0) return new Array<number>(horizon).fill(0);
  let level = counts[0] ?? 0;
  let trend = counts.length > 1 ? (counts[1] ?? 0) - level : 0;
  for (let t = 1; t < counts.length; t++) {
    const y = counts[t] ?? 0;
    const prevLevel = level;
    level = o.alpha * y + (1 - o.alpha) * (level + o.phi * trend);
    trend = o.beta * (level - prevLevel) + (1 - o.beta) * o.phi * trend;
  }
  const out: number[] = [];
  let damp = 0;
  for (let h = 1; h <= horizon; h++) {
    damp += o.phi ** h;
    out.push(Math.max(0, level + damp * trend));
  }
  return out;
}

/**
 * Seasonal naive with a level ratio: y[t+h−12] × (last k months + prior) ÷ (same k months a year earlier + prior).
 * Null when the series is shorter than 12 + k months.
 */
export function seasonalForecast(counts: readonly number[], horizon: number, o: Pick<ForecastOptions, 'levelMonths' | 'levelPrior'> = defaultForecastOptions): number[] | null {
  const n = counts.length;
  const k = o.levelMonths;
  if (n < 12 + k || horizon > 12) return null;
  const recent = sum(counts.slice(n - k));
  const yearAgo = sum(counts.slice(n - 12 - k, n - 12));
  const ratio = clamp((recent + o.levelPrior) / (yearAgo + o.levelPrior), 0.5, 2);
  const out: number[] = [];
  for (let h = 1; h <= horizon; h++) out.push((counts[n - 12 + h - 1] ?? 0) * ratio);
  return out;
}

/**
 * forecast([…26 monthly counts], 2) → { values: [next month, the one after], method: 'blend' }
 * Seasonal blended with damped Holt when a year and a quarter of history exists, else Holt alone.
 */
export function forecastCounts(counts: readonly number[], horizon: number, options: Partial<ForecastOptions> = {}): { values: number[]; method: ForecastMethod } {
  const o = { ...defaultForecastOptions, ...options };
  const trend = holtForecast(counts, horizon, o);
  const seasonal = seasonalForecast(counts, horizon, o);
  if (!seasonal) return { values: trend.map(round1), method: 'trend' };
  return { values: seasonal.map((s, i) => round1(o.seasonalWeight * s + (1 - o.seasonalWeight) * (trend[i] ?? 0))), method: 'blend' };
}

/**
 * An area's forecast that borrows its parent's season: parent forecast × the area's share of the parent over the last
 * 12 months, blended with the area's own forecast by weight n ÷ (n + poolOrders), n = the area's orders in 12 months.
 */
export function forecastWithParent(counts: readonly number[], parentCounts: readonly number[], horizon: number, options: Partial<ForecastOptions> = {}): { values: number[]; method: ForecastMethod } {
  const o = { ...defaultForecastOptions, ...options };
  const own = forecastCounts(counts, horizon, o);
  const mine = sum(counts.slice(-12));
  const parentYear = sum(parentCounts.slice(-12));
  if (parentYear === 0) return own;
  const share = mine / parentYear;
  const parent = forecastCounts(parentCounts, horizon, o);
  const w = mine / (mine + o.poolOrders);
  return { values: parent.values.map((p, i) => round1(w * (own.values[i] ?? 0) + (1 - w) * p * share)), method: 'pooled' };
}

export type RiseOptions = {
  /** Forecast ÷ the current level at which a class is flagged (default 1.5). */
  minRatio: number;
  /** Forecast − current level, in orders per month, at which a class is flagged (default 5). */
  minRise: number;
};
export const defaultRiseOptions: RiseOptions = { minRatio: 1.5, minRise: 5 };

/**
 * Whether a class will rise well above now: the highest forecast of the coming months against the current level (the
 * last 30 days' orders). isRise({ now: 4, forecast: [6, 30] }) → { rising: true, peak: 30, peakIndex: 1, ratio: 7.5 }
 */
export function isRise(args: { now: number; forecast: readonly number[] }, options: Partial<RiseOptions> = {}): { rising: boolean; peak: number; peakIndex: number; ratio: number | null } {
  const o = { ...defaultRiseOptions, ...options };
  let peak = -Infinity;
  let peakIndex = -1;
  args.forecast.forEach((f, i) => {
    if (f > peak) {
      peak = f;
      peakIndex = i;
    }
  });
  if (peakIndex < 0) return { rising: false, peak: 0, peakIndex: -1, ratio: null };
  const ratio = args.now > 0 ? round2(peak / args.now) : null;
  const rising = peak - args.now >= o.minRise && peak >= o.minRatio * Math.max(args.now, 1);
  return { rising, peak, peakIndex, ratio };
}

export type BacktestMethod = 'naive' | 'seasonal_naive' | 'trend' | 'blend' | 'pooled';
export type BacktestScore = { method: BacktestMethod; forecasts: number; mae: number; wape: number };

/**
 * Rolling-origin backtest, one month ahead: for every origin from `firstOrigin` to the second-last month, forecast
 * month origin+1 from the months up to origin and compare. WAPE = Σ|error| ÷ Σ actual (robust to zero months).
 * `parents` (same keys) gives each series its parent for the pooled method; series without one skip it.
 */
export function backtest(series: ReadonlyMap<string, readonly number[]>, args: { firstOrigin: number; parents?: ReadonlyMap<string, readonly number[]>; options?: Partial<ForecastOptions> }): BacktestScore[] {
  const o = { ...defaultForecastOptions, ...args.options };
  const acc = new Map<BacktestMethod, { abs: number; actual: number; n: number }>();
  const add = (m: BacktestMethod, f: number, y: number) => {
    const a = acc.get(m) ?? { abs: 0, actual: 0, n: 0 };
    a.abs += Math.abs(f - y);
    a.actual += y;
    a.n += 1;
    acc.set(m, a);
  };
  for (const [key, counts] of series) {
    const parent = args.parents?.get(key);
    for (let origin = args.firstOrigin; origin < counts.length - 1; origin++) {
      const past = counts.slice(0, origin + 1);
      const y = counts[origin + 1] ?? 0;
      add('naive', past.at(-1) ?? 0, y);
      add('seasonal_naive', past.length >= 12 ? (past[past.length - 12] ?? 0) : (past.at(-1) ?? 0), y);
      add('trend', holtForecast(past, 1, o)[0] ?? 0, y);
      const blend = forecastCounts(past, 1, o).values[0] ?? 0;
      add('blend', blend, y);
      if (parent) add('pooled', forecastWithParent(past, parent.slice(0, origin + 1), 1, o).values[0] ?? 0, y);
    }
  }
  return [...acc.entries()].map(([method, a]) => ({ method, forecasts: a.n, mae: round2(a.abs / Math.max(a.n, 1)), wape: a.actual > 0 ? round2(a.abs / a.actual) : 0 }));
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
