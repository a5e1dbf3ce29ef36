import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rankCandidates, type ClassMonth, type ClassSeries } from './candidates.js';

const months = (orders: number[], unresolvedShare = 0): ClassMonth[] =>
  orders.map((n) => ({ orders: n, followedUp: n, unresolved: Math.round(n * unresolvedShare) }));
const cls = (key: string, orders: number[], extra: Partial<ClassSeries> = {}, unresolvedShare = 0): ClassSeries => ({
  key,
  categoryId: key,
  districtId: null,
  months: months(orders, unresolvedShare),
  streets: 10,
  districts: 3,
  ...extra,
});

describe('每月一题 candidates', () => {
  it('computes size, month-on-month and year-on-year growth, recurrence and unresolved share', () => {
    // 18 months: a year ago the last month had 9 orders, now 29 after 19.
    const history = [5, 5, 5, 5, 5, 9, 5, 5, 5, 5, 5, 5, 10, 10, 10, 10, 19, 29];
    const [c] = rankCandidates([cls('A', history, {}, 0.4)], { months: 6, minSize: 10 });
    assert.ok(c);
    assert.equal(c.size, 5 + 10 + 10 + 10 + 10 + 19 + 29 - 5);
    assert.equal(c.last, 29);
    assert.equal(c.previous, 19);
    assert.equal(c.mom, 0.5); // 30 / 20 − 1
    assert.equal(c.yoy, 2); // 30 / 10 − 1
    assert.equal(c.recurrence, 6);
    assert.ok(c.unresolvedShare !== null && Math.abs(c.unresolvedShare - 0.4) < 0.02);
    assert.deepEqual(c.series, [5, 10, 10, 10, 10, 19, 29].slice(-6));
  });

  it('leaves out small and one-off classes, and ranks the recurring, growing, unsolved, widespread one first', () => {
    const steady = cls('steady', new Array(18).fill(20), { streets: 40 }, 0.05);
    const hard = cls('hard', [...new Array(12).fill(10), 12, 14, 16, 20, 26, 34], { streets: 60 }, 0.45);
    const oneOff = cls('oneoff', [...new Array(17).fill(0), 80], { streets: 5 });
    const tiny = cls('tiny', new Array(18).fill(1));
    const ranked = rankCandidates([steady, hard, oneOff, tiny], { months: 6 });
    assert.deepEqual(
      ranked.map((c) => c.key),
      ['hard', 'steady'],
    );
    const [first] = ranked;
    assert.ok(first && first.parts.unresolved > 0.8 && first.parts.growth > 0.5);
    assert.ok(first.score <= 100 && first.score > 0);
  });

  it('has no year-on-year figure without a month a year earlier', () => {
    const [c] = rankCandidates([cls('short', [10, 10, 10, 10, 10, 10])], { months: 6 });
    assert.equal(c?.yoy, null);
    assert.equal(c?.mom, 0);
  });
});
