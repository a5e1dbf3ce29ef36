import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { builtinIndicators, colourOf, evaluate, indicatorByKey, isAtOrBelow, levelsFrom, parseThresholdSet, thresholdsAt, type ThresholdSet } from './index.js';

const rate = indicatorByKey('rates.satisfaction')!;
const overdue = indicatorByKey('orders.overdue_open')!;

describe('indicator thresholds → colour', () => {
  it('higher is worse: yellow from the yellow mark, red from the red mark, inclusive', () => {
    const t = { direction: 'higher_is_worse' as const, yellow: 2, red: 8 };
    assert.deepEqual([0, 1, 2, 7, 8, 100].map((v) => colourOf(v, t)), ['green', 'green', 'yellow', 'yellow', 'red', 'red']);
  });
  it('lower is worse: yellow at or below yellow, red at or below red', () => {
    const t = { direction: 'lower_is_worse' as const, yellow: 0.9, red: 0.8 };
    assert.deepEqual([1, 0.91, 0.9, 0.85, 0.8, 0].map((v) => colourOf(v, t)), ['green', 'green', 'yellow', 'yellow', 'red', 'red']);
  });
  it('no value or no thresholds: no colour (a rate with nothing to count is not red)', () => {
    assert.equal(colourOf(null, { direction: 'lower_is_worse', yellow: 0.9, red: 0.8 }), 'none');
    assert.equal(colourOf(3, null), 'none');
    assert.equal(colourOf(Number.NaN, { direction: 'higher_is_worse', yellow: 1, red: 2 }), 'none');
  });
  it('a level may have its own thresholds, or none; other levels take the default', () => {
    const set: ThresholdSet = { default: { direction: 'higher_is_worse', yellow: 1, red: 5 }, byLevel: { city: { direction: 'higher_is_worse', yellow: 50, red: 200 }, grid: null } };
    assert.equal(thresholdsAt(set, 'city')?.red, 200);
    assert.equal(thresholdsAt(set, 'community')?.red, 5);
    assert.equal(thresholdsAt(set, 'grid'), null);
    assert.equal(evaluate(overdue, 'city', { value: 30, breakdown: null }, set).colour, 'green');
    assert.equal(evaluate(overdue, 'community', { value: 30, breakdown: null }, set).colour, 'red');
    assert.equal(evaluate(overdue, 'grid', { value: 30, breakdown: null }, set).colour, 'none');
  });
  it('the built-in defaults colour the rates and overdue counts the way DOMAIN.md reads them', () => {
    assert.equal(evaluate(rate, 'street', { value: 0.97, breakdown: null }, rate.defaultThresholds).colour, 'green');
    assert.equal(evaluate(rate, 'street', { value: 0.79, breakdown: null }, rate.defaultThresholds).colour, 'red');
    assert.equal(evaluate(overdue, 'street', { value: 3, breakdown: null }, overdue.defaultThresholds).colour, 'yellow');
    assert.equal(evaluate(overdue, 'city', { value: 3, breakdown: null }, overdue.defaultThresholds).colour, 'green');
  });
});

describe('indicator threshold checks', () => {
  const refused = (raw: unknown, def = rate) => {
    try {
      parseThresholdSet(raw, def);
    } catch (e) {
      assert.ok(e instanceof DomainError);
      assert.equal(e.code, 'VALIDATION_FAILED');
      return e;
    }
    assert.fail('accepted');
  };
  it('accepts a valid set and keeps per-level entries', () => {
    const s = parseThresholdSet({ default: { direction: 'lower_is_worse', yellow: 0.9, red: 0.8 }, byLevel: { street: null } }, rate);
    assert.deepEqual(s, { default: { direction: 'lower_is_worse', yellow: 0.9, red: 0.8 }, byLevel: { street: null } });
  });
  it('refuses red on the wrong side of yellow, for either direction, naming the field', () => {
    const e1 = refused({ default: { direction: 'lower_is_worse', yellow: 0.8, red: 0.9 } });
    assert.equal(e1.fields?.[0]?.field, 'thresholds.default.red');
    assert.match(e1.message, /满意率/);
    const e2 = refused({ default: { direction: 'higher_is_worse', yellow: 5, red: 1 } }, overdue);
    assert.equal(e2.fields?.[0]?.field, 'thresholds.default.red');
  });
  it('refuses ratios outside 0…1, negative counts, unknown levels and directions, and missing parts', () => {
    assert.equal(refused({ default: { direction: 'lower_is_worse', yellow: 90, red: 80 } }).fields?.length, 2);
    assert.equal(refused({ default: { direction: 'higher_is_worse', yellow: -1, red: 2 } }, overdue).fields?.[0]?.field, 'thresholds.default.yellow');
    assert.match(refused({ default: null, byLevel: { province: null } }).fields?.[0]?.field ?? '', /^thresholds\.byLevel/);
    assert.equal(refused({ default: { direction: 'sideways', yellow: 1, red: 2 } }).fields?.[0]?.field, 'thresholds.default.direction');
    assert.equal(refused({ default: { direction: 'lower_is_worse', yellow: 0.9 } }).fields?.[0]?.field, 'thresholds.default.red');
    refused({});
    refused({ default: null, extra: 1 });
  });
});

describe('indicator catalogue and levels', () => {
  it('keys are unique and every default threshold set passes its own checks', () => {
    assert.equal(new Set(builtinIndicators.map((d) => d.key)).size, builtinIndicators.length);
    for (const d of builtinIndicators) assert.deepEqual(parseThresholdSet(d.defaultThresholds, d), d.defaultThresholds);
  });
  it('levels run city → grid', () => {
    assert.deepEqual(levelsFrom('street'), ['street', 'community', 'grid']);
    assert.ok(isAtOrBelow('district', 'grid'));
    assert.ok(isAtOrBelow('street', 'street'));
    assert.ok(!isAtOrBelow('street', 'district'));
  });
});
