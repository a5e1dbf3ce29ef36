// Run under several process time zones (TZ=UTC, TZ=America/New_York): nothing here may depend on it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import chineseDays from 'chinese-days';
import {
  addDays,
  calendarFromData,
  chinaCalendar,
  endOfShanghaiDay,
  fromShanghai,
  isCivilDate,
  isCovered,
  mondayToFridayCalendar,
  shanghaiDate,
  startOfShanghaiDay,
  toShanghai,
  weekday,
  withOverrides,
} from './calendar.js';

describe('Shanghai civil time', () => {
  it('reads an instant on the Shanghai wall clock', () => {
    const t = toShanghai(new Date('2026-09-29T13:40:00.000Z'));
    assert.deepEqual(t, {
      date: '2026-09-29',
      year: 2026,
      month: 9,
      day: 29,
      hour: 21,
      minute: 40,
      second: 0,
      millisecond: 0,
      weekday: 2,
    });
  });

  it('puts 16:00Z on the next Shanghai day', () => {
    assert.equal(shanghaiDate(new Date('2026-09-30T15:59:59.999Z')), '2026-09-30');
    assert.equal(shanghaiDate(new Date('2026-09-30T16:00:00.000Z')), '2026-10-01');
  });

  it('turns a Shanghai wall-clock reading into an instant', () => {
    assert.equal(fromShanghai('2026-09-29', 21, 40).toISOString(), '2026-09-29T13:40:00.000Z');
    assert.equal(fromShanghai('2027-01-01').toISOString(), '2026-12-31T16:00:00.000Z');
    assert.equal(startOfShanghaiDay('2026-10-14').toISOString(), '2026-10-13T16:00:00.000Z');
    assert.equal(endOfShanghaiDay('2026-10-14').toISOString(), '2026-10-14T15:59:59.999Z');
  });

  it('round-trips every hour of a year', () => {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000 + 1_234) {
      const s = toShanghai(new Date(t));
      const back = fromShanghai(s.date, s.hour, s.minute, s.second, s.millisecond);
      assert.equal(back.getTime(), t);
    }
  });

  it('does calendar arithmetic on civil dates across months, years and leap days', () => {
    assert.equal(addDays('2026-09-30', 1), '2026-10-01');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(addDays('2028-02-28', 1), '2028-02-29');
    assert.equal(addDays('2026-03-01', -1), '2026-02-28');
    assert.equal(weekday('2026-09-29'), 2);
    assert.equal(weekday('2026-10-10'), 6);
    assert.equal(weekday('2026-09-20'), 0);
  });

  it('rejects malformed and impossible dates', () => {
    assert.equal(isCivilDate('2026-10-14'), true);
    assert.equal(isCivilDate('2026-02-29'), false);
    assert.equal(isCivilDate('2026-9-1'), false);
    assert.equal(isCivilDate('20261014'), false);
    assert.throws(() => fromShanghai('2026-02-30'), RangeError);
    assert.throws(() => toShanghai(new Date(Number.NaN)), RangeError);
  });
});

describe('chinaCalendar (chinese-days data)', () => {
  it('covers 2004 to 2026 with chinese-days 1.5.7', () => {
    assert.deepEqual(chinaCalendar.coverage(), { from: 2004, to: 2026 });
    assert.equal(isCovered(chinaCalendar, '2026-12-31'), true);
    assert.equal(isCovered(chinaCalendar, '2027-01-01'), false);
    assert.equal(isCovered(chinaCalendar, '2003-12-31'), false);
  });

  it('knows the 2026 National Day holidays and the make-up days around them', () => {
    const expected: Record<string, boolean> = {
      '2026-09-19': false, // Saturday
      '2026-09-20': true, // Sunday, make-up working day for National Day
      '2026-09-25': false, // Friday, Mid-Autumn
      '2026-09-29': true, // Tuesday, journey 1's day of acceptance
      '2026-09-30': true, // Wednesday
      '2026-10-01': false,
      '2026-10-02': false,
      '2026-10-03': false,
      '2026-10-04': false,
      '2026-10-05': false,
      '2026-10-06': false,
      '2026-10-07': false,
      '2026-10-08': true, // Thursday
      '2026-10-09': true, // Friday
      '2026-10-10': true, // Saturday, make-up working day
      '2026-10-11': false, // Sunday
      '2026-10-12': true, // Monday
    };
    for (const [date, work] of Object.entries(expected)) {
      assert.equal(chinaCalendar.isWorkday(date), work, date);
    }
  });

  it('knows Spring Festival 2026 (02-15 to 02-23, make-up Saturdays 02-14 and 02-28)', () => {
    assert.equal(chinaCalendar.isWorkday('2026-02-13'), true);
    assert.equal(chinaCalendar.isWorkday('2026-02-14'), true);
    for (let d = '2026-02-15'; d <= '2026-02-23'; d = addDays(d, 1)) assert.equal(chinaCalendar.isWorkday(d), false, d);
    assert.equal(chinaCalendar.isWorkday('2026-02-24'), true);
    assert.equal(chinaCalendar.isWorkday('2026-02-28'), true);
    assert.equal(chinaCalendar.isWorkday('2026-03-01'), false);
  });

  it('falls back to Mon–Fri outside its years, and says so through coverage', () => {
    // 2027-01-01 is New Year's Day and a Friday: the fallback cannot know, which is why callers get a flag.
    assert.equal(chinaCalendar.isWorkday('2027-01-01'), true);
    assert.equal(isCovered(chinaCalendar, '2027-01-01'), false);
    assert.equal(chinaCalendar.isWorkday('2027-01-02'), false);
  });

  it('agrees with chinese-days’ own isWorkday for every day 2004–2026 where that function works (TZ east of UTC)', {
    skip: new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset() > 0 ? 'chinese-days functions are wrong west of UTC' : false,
  }, () => {
    for (let d = '2004-01-01'; d <= '2026-12-31'; d = addDays(d, 1)) {
      assert.equal(chinaCalendar.isWorkday(d), chineseDays.isWorkday(d), d);
    }
  });

  it('is right where chinese-days’ isWorkday is wrong (process TZ west of UTC)', {
    skip: new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset() > 0 ? false : 'only observable west of UTC',
  }, () => {
    // Monday after National Day: chinese-days reads it as Sunday 10-11 when TZ=America/New_York.
    assert.equal(chineseDays.isWorkday('2026-10-12'), false);
    assert.equal(chinaCalendar.isWorkday('2026-10-12'), true);
  });
});

describe('calendars from data and overrides', () => {
  // A made-up arrangement for a year chinese-days does not know yet; not the real 2027 schedule.
  const fixture2027 = {
    name: 'fixture-2027',
    holidays: ['2027-01-01', '2027-02-08', '2027-02-09'],
    workdays: ['2027-02-13'],
    coverage: { from: 2027, to: 2027 },
  };

  it('layers a published year over the base calendar and extends coverage', () => {
    const cal = withOverrides(chinaCalendar, fixture2027);
    assert.deepEqual(cal.coverage(), { from: 2004, to: 2027 });
    assert.equal(cal.isWorkday('2027-01-01'), false);
    assert.equal(cal.isWorkday('2027-02-08'), false);
    assert.equal(cal.isWorkday('2027-02-13'), true); // a Saturday
    assert.equal(cal.isWorkday('2027-02-10'), true);
    assert.equal(cal.isWorkday('2026-10-10'), true); // base data still answers for 2026
    assert.equal(cal.isWorkday('2026-10-01'), false);
    assert.equal(isCovered(cal, '2027-06-01'), true);
  });

  it('does not claim years between two ranges that do not touch', () => {
    const cal = withOverrides(chinaCalendar, { ...fixture2027, coverage: { from: 2029, to: 2029 } });
    assert.deepEqual(cal.coverage(), { from: 2004, to: 2026 });
  });

  it('builds a plain calendar from lists', () => {
    const cal = calendarFromData(fixture2027);
    assert.equal(cal.name, 'fixture-2027');
    assert.equal(cal.isWorkday('2027-02-09'), false);
    assert.equal(cal.isWorkday('2027-02-14'), false); // Sunday, not listed
  });

  it('Mon–Fri calendar covers nothing', () => {
    assert.equal(mondayToFridayCalendar.isWorkday('2026-10-01'), true);
    assert.equal(mondayToFridayCalendar.isWorkday('2026-10-10'), false);
    assert.equal(isCovered(mondayToFridayCalendar, '2026-10-01'), false);
  });
});
