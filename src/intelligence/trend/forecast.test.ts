import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backtest, forecastCounts, forecastWithParent, holtForecast, isRise, seasonalForecast } from './forecast.js';

// Heating calls: low in summer, rising in October, peak in November; two years, Jan … Dec.
const HEAT = [40, 30, 12, 4, 2, 2, 2, 2, 3, 20, 90, 60];
const twoYears = [...HEAT, ...HEAT.map((x) => x * 1.1)];

describe('未诉先办 forecasts', () => {
  it('follows a straight trend with damped Holt', () => {
    const f = holtForecast([10, 20, 30, 40, 50], 2, { alpha: 0.5, beta: 0.2, phi: 0.8 });
    assert.ok(f[0] !== undefined && f[0] > 50 && f[0] < 65, String(f[0]));
    assert.ok(f[1] !== undefined && f[1] > f[0]);
    assert.deepEqual(holtForecast([], 2), [0, 0]);
  });

  it('foresees the heating season from last year, scaled by this year’s level', () => {
    // History up to September of the second year: the next two months are October and November.
    const upToSep = twoYears.slice(0, 21);
    const s = seasonalForecast(upToSep, 2);
    assert.ok(s);
    assert.ok(Math.abs((s[1] ?? 0) - 90 * 1.07) < 10, `November ≈ 96, got ${s[1]}`);
    const f = forecastCounts(upToSep, 2);
    assert.equal(f.method, 'blend');
    // The blend gives 40% to the trend, which has not seen the season: the peak is under-forecast but far above September's 3.
    assert.ok((f.values[1] ?? 0) > 40, `November forecast well above September, got ${f.values[1]}`);
    assert.equal(seasonalForecast(HEAT, 1), null, 'no seasonal forecast without a year and a quarter');
    assert.equal(forecastCounts(HEAT.slice(0, 8), 1).method, 'trend');
  });

  it('flags a rise well above now, and not a flat month', () => {
    assert.deepEqual(isRise({ now: 4, forecast: [6, 30] }), { rising: true, peak: 30, peakIndex: 1, ratio: 7.5 });
    assert.equal(isRise({ now: 40, forecast: [42, 44] }).rising, false);
    assert.equal(isRise({ now: 1, forecast: [3] }).rising, false, 'too few orders to matter');
  });

  it('lets a sparse area borrow the season of its parent', () => {
    const parent = twoYears.slice(0, 21);
    const area = parent.map((x) => Math.round(x / 10)); // a tenth of the city, rounded: noisy at this size
    const f = forecastWithParent(area, parent, 2);
    assert.equal(f.method, 'pooled');
    assert.ok((f.values[1] ?? 0) > 4 && (f.values[1] ?? 0) < 14, String(f.values[1]));
    assert.ok((f.values[1] ?? 0) > (f.values[0] ?? 0), 'November above October');
  });

  it('backtests one month ahead: the seasonal blend beats the naive forecast on seasonal series', () => {
    const series = new Map([
      ['heat', twoYears],
      ['flat', new Array(24).fill(10)],
    ]);
    const scores = new Map(backtest(series, { firstOrigin: 14 }).map((s) => [s.method, s]));
    const naive = scores.get('naive');
    const blend = scores.get('blend');
    assert.ok(naive && blend);
    assert.equal(naive.forecasts, 2 * 9);
    assert.ok(blend.wape < naive.wape, `blend ${blend.wape} vs naive ${naive.wape}`);
  });
});
