import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { DEFAULT_ASSESSMENT_POLICY, parseAssessmentPolicy } from './policy.js';

describe('the assessment policy', () => {
  it('the defaults are valid and weigh resolution and satisfaction far above response', () => {
    const p = parseAssessmentPolicy(DEFAULT_ASSESSMENT_POLICY);
    assert.deepEqual(p, DEFAULT_ASSESSMENT_POLICY);
    assert.ok(p.weights.resolution > 3 * p.weights.response && p.weights.satisfaction > 3 * p.weights.response);
  });
  it('takes another city’s 30/35/35', () => {
    assert.deepEqual(parseAssessmentPolicy({ ...DEFAULT_ASSESSMENT_POLICY, weights: { response: 30, resolution: 35, satisfaction: 35 } }).weights, { response: 30, resolution: 35, satisfaction: 35 });
  });
  it('refuses weights that do not add up to 100, credits outside 0 … 1 and unknown fields, naming each in Chinese', () => {
    const err = (raw: unknown) => {
      try {
        parseAssessmentPolicy(raw);
      } catch (e) {
        assert.ok(e instanceof DomainError);
        assert.equal(e.code, 'VALIDATION_FAILED');
        return e;
      }
      assert.fail('accepted');
    };
    const sum = err({ ...DEFAULT_ASSESSMENT_POLICY, weights: { response: 10, resolution: 45, satisfaction: 40 } });
    assert.match(sum.message, /权重之和须为 100（现为 95）/);
    assert.equal(sum.fields?.[0]?.field, 'weights');
    const credit = err({ ...DEFAULT_ASSESSMENT_POLICY, basicSatisfiedCredit: 1.5 });
    assert.equal(credit.fields?.[0]?.field, 'basicSatisfiedCredit');
    assert.match(credit.message, /基本满意折算不能大于 1/);
    err({ ...DEFAULT_ASSESSMENT_POLICY, extra: 1 });
    err({ ...DEFAULT_ASSESSMENT_POLICY, surveyLinkDays: 0 });
    err({ ...DEFAULT_ASSESSMENT_POLICY, followUpWorkingDays: 1.5 });
    err(null);
  });
});
