import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ASSESSMENT_POLICY } from './policy.js';
import { addCounts, assess, emptyCounts, ratesOf, roundPoints, scoreOf, type AssessmentCounts } from './rates.js';

const counts = (c: Partial<AssessmentCounts>): AssessmentCounts => ({ ...emptyCounts(), ...c });
const policy = { partlyResolvedCredit: 0, basicSatisfiedCredit: 0.8 };

describe('the three rates', () => {
  it('response rate is met over decided (met + late); pending orders wait', () => {
    assert.equal(ratesOf(counts({ assessed: 12, responseMet: 9, responseLate: 1, responsePending: 2 }), policy).responseRate, 0.9);
    assert.equal(ratesOf(counts({ assessed: 3, responsePending: 3 }), policy).responseRate, null);
    assert.equal(ratesOf(counts({ responseLate: 4 }), policy).responseRate, 0);
  });
  it('resolution rate counts 部分解决 by its credit, over every follow-up', () => {
    const c = counts({ followedUp: 10, resolved: 6, partly: 2, unresolved: 2 });
    assert.equal(ratesOf(c, policy).resolutionRate, 0.6);
    assert.equal(ratesOf(c, { ...policy, partlyResolvedCredit: 0.5 }).resolutionRate, 0.7);
    assert.equal(ratesOf(c, { ...policy, partlyResolvedCredit: 1 }).resolutionRate, 0.8);
    assert.equal(ratesOf(counts({}), policy).resolutionRate, null);
  });
  it('satisfaction rate counts 基本满意 by its credit and leaves 未评价 out of the denominator', () => {
    const c = counts({ followedUp: 12, satisfied: 5, basic: 5, unsatisfied: 0, noAnswer: 2 });
    assert.equal(ratesOf(c, policy).satisfactionRate, 0.9);
    assert.equal(ratesOf(c, { ...policy, basicSatisfiedCredit: 1 }).satisfactionRate, 1);
    assert.equal(ratesOf(c, { ...policy, basicSatisfiedCredit: 0 }).satisfactionRate, 0.5);
    assert.equal(ratesOf(counts({ followedUp: 3, noAnswer: 3 }), policy).satisfactionRate, null, 'nobody answered: no rate, not 0');
    assert.equal(ratesOf(counts({ unsatisfied: 2 }), policy).satisfactionRate, 0);
  });
  it('adds counts key by key', () => {
    const a = counts({ assessed: 1, resolved: 2, noAnswer: 3 });
    addCounts(a, counts({ assessed: 10, resolved: 20, basic: 5 }));
    assert.deepEqual(a, counts({ assessed: 11, resolved: 22, noAnswer: 3, basic: 5 }));
  });
});

describe('the composite score', () => {
  const w = DEFAULT_ASSESSMENT_POLICY.weights;
  it('weights the rates (Beijing default 10/45/45) into points', () => {
    assert.deepEqual(scoreOf({ responseRate: 1, resolutionRate: 0.9, satisfactionRate: 0.8 }, w), { score: 86.5, partial: false });
    assert.deepEqual(scoreOf({ responseRate: 1, resolutionRate: 1, satisfactionRate: 1 }, w), { score: 100, partial: false });
    assert.deepEqual(scoreOf({ responseRate: 0, resolutionRate: 0, satisfactionRate: 0 }, w), { score: 0, partial: false });
    assert.deepEqual(scoreOf({ responseRate: 0.5, resolutionRate: 0.7, satisfactionRate: 0.9 }, { response: 30, resolution: 35, satisfaction: 35 }), { score: 71, partial: false });
  });
  it('rescales over the rates that exist and says so', () => {
    assert.deepEqual(scoreOf({ responseRate: 0.8, resolutionRate: null, satisfactionRate: null }, w), { score: 80, partial: true });
    assert.deepEqual(scoreOf({ responseRate: null, resolutionRate: 0.9, satisfactionRate: 0.7 }, w), { score: 80, partial: true });
    assert.deepEqual(scoreOf({ responseRate: null, resolutionRate: null, satisfactionRate: null }, w), { score: null, partial: true });
  });
  it('a rate weighted 0 that is missing does not make the score partial', () => {
    assert.deepEqual(scoreOf({ responseRate: null, resolutionRate: 0.5, satisfactionRate: 0.5 }, { response: 0, resolution: 50, satisfaction: 50 }), { score: 50, partial: false });
  });
  it('rounds to 0.01 points so equal figures compare equal', () => {
    assert.equal(roundPoints(86.499999999), 86.5);
    assert.equal(roundPoints(2 / 3 * 100), 66.67);
    assert.equal(roundPoints(-1.005), -1.01);
    const a = scoreOf({ responseRate: 0.1 + 0.2, resolutionRate: 0.3, satisfactionRate: 0.3 }, w).score;
    assert.equal(a, 30);
  });
  it('assess gives rates and score from counts in one go', () => {
    const r = assess(counts({ assessed: 10, responseMet: 10, followedUp: 10, resolved: 9, unresolved: 1, satisfied: 8, basic: 0, unsatisfied: 2 }), DEFAULT_ASSESSMENT_POLICY);
    assert.equal(r.responseRate, 1);
    assert.equal(r.resolutionRate, 0.9);
    assert.equal(r.satisfactionRate, 0.8);
    assert.equal(r.score, 86.5);
    assert.equal(r.partial, false);
  });
});
