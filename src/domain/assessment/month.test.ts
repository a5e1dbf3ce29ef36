import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addMonths, isMonth, monthOf, monthRange, monthsToClose } from './month.js';

describe('assessment months (Beijing calendar)', () => {
  it('a month runs from Beijing midnight of its first day to that of the next', () => {
    assert.deepEqual(monthRange('2026-10'), { from: new Date('2026-09-30T16:00:00Z'), to: new Date('2026-10-31T16:00:00Z') });
    assert.deepEqual(monthRange('2026-12'), { from: new Date('2026-11-30T16:00:00Z'), to: new Date('2026-12-31T16:00:00Z') });
    assert.deepEqual(monthRange('2028-02'), { from: new Date('2028-01-31T16:00:00Z'), to: new Date('2028-02-29T16:00:00Z') }, 'leap February');
  });
  it('an instant belongs to the Beijing month it falls in', () => {
    assert.equal(monthOf(new Date('2026-09-30T15:59:59.999Z')), '2026-09');
    assert.equal(monthOf(new Date('2026-09-30T16:00:00Z')), '2026-10');
    assert.equal(monthOf(new Date('2026-12-31T16:00:00Z')), '2027-01');
  });
  it('steps across years', () => {
    assert.equal(addMonths('2026-01', -1), '2025-12');
    assert.equal(addMonths('2026-12', 1), '2027-01');
    assert.equal(addMonths('2026-05', -17), '2024-12');
    assert.equal(addMonths('2026-05', 0), '2026-05');
  });
  it('accepts only YYYY-MM', () => {
    assert.ok(isMonth('2026-10'));
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-10', '2026-10-01', '']) assert.equal(isMonth(bad), false, bad);
    assert.throws(() => monthRange('2026-13'), { code: 'VALIDATION_FAILED' });
  });
  it('closes a month some days after it ends, newest first, looking back at most two', () => {
    // 2026-11-06 00:00 Beijing is 2026-11-05T16:00Z; October ended 2026-10-31T16:00Z.
    assert.deepEqual(monthsToClose(new Date('2026-11-05T16:00:00Z'), 5), ['2026-10', '2026-09']);
    assert.deepEqual(monthsToClose(new Date('2026-11-05T15:59:59Z'), 5), ['2026-09', '2026-08'], 'October not yet: its 5 days are not over');
    assert.deepEqual(monthsToClose(new Date('2026-11-01T00:00:00Z'), 0, 1), ['2026-10']);
  });
});
