// Deadline clocks. Expected instants are written in ISO (UTC); Shanghai is UTC+8, so 16:00Z is Shanghai midnight.
// Run with TZ=UTC and TZ=America/New_York: results must not change.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { chinaCalendar, fromShanghai, mondayToFridayCalendar, shanghaiDate, withOverrides } from './calendar.js';
import {
  addWorkingDays,
  clockStatus,
  computeDue,
  countWorkingDays,
  dueSoonThreshold,
  extendClock,
  pauseClock,
  remaining,
  resumeClock,
  startClock,
  startPolicyClocks,
  stopClock,
  subtractWorkingDays,
} from './clock.js';
import type { Clock } from './clock.js';
import { policyForUrgency } from './policy.js';
import type { Duration } from './policy.js';

const sh = fromShanghai;
const iso = (d: Date) => d.toISOString();
const cal = chinaCalendar;
const MIN = 60_000;
const HOUR = 60 * MIN;

const wd = (amount: number): Duration => ({ amount, unit: 'working_days' });
/** The due instant, in ISO, of `duration` started at `start` on China's calendar. */
const dueOf = (start: Date, duration: Duration) => iso(computeDue({ start, duration, calendar: cal }).due);
const hours = (amount: number): Duration => ({ amount, unit: 'hours' });

const illegal = (e: unknown) => e instanceof DomainError && e.code === 'ILLEGAL_TRANSITION' && /[\u4e00-\u9fff]/.test(e.message);
const invalidInput = (e: unknown) => e instanceof DomainError && e.code === 'VALIDATION_FAILED';

/** Journey 1: accepted Tue 2026-09-29 21:40 Shanghai, general policy. */
const journey1Start = sh('2026-09-29', 21, 40);
const journey1Reply = (): Clock =>
  startClock({ kind: 'reply', start: journey1Start, duration: wd(7), warnBefore: { fraction: 0.2 }, calendar: cal });

describe('computeDue: working days', () => {
  it('journey 1: 7 working days after Tue 2026-09-29 across National Day is the end of 2026-10-14', () => {
    // Counted from the day after acceptance: 09-30 Wed (1); 10-01…10-07 holidays; 10-08 Thu (2), 10-09 Fri (3),
    // 10-10 make-up Sat (4); 10-11 Sun rest; 10-12 Mon (5), 10-13 Tue (6), 10-14 Wed (7).
    const { due, calendarFallback } = computeDue({ start: journey1Start, duration: wd(7), calendar: cal });
    assert.equal(iso(due), '2026-10-14T15:59:59.999Z'); // 2026-10-14 23:59:59.999 Shanghai
    assert.equal(shanghaiDate(due), '2026-10-14');
    assert.equal(calendarFallback, false);
  });

  it('counts days, not hours: any time on the day of acceptance gives the same due', () => {
    for (const start of [sh('2026-09-29'), sh('2026-09-29', 9), sh('2026-09-29', 23, 59, 59, 999)]) {
      assert.equal(iso(computeDue({ start, duration: wd(7), calendar: cal }).due), '2026-10-14T15:59:59.999Z');
    }
    // One minute later it is 09-30, and the count starts on 10-01: 10-08 … 10-15.
    const next = computeDue({ start: sh('2026-09-30', 0, 0), duration: wd(7), calendar: cal });
    assert.equal(iso(next.due), '2026-10-15T15:59:59.999Z');
  });

  it('uses the Shanghai date of the start, not the UTC date (00:30 Shanghai is still the previous UTC day)', () => {
    const start = new Date('2026-09-29T16:30:00.000Z'); // 2026-09-30 00:30 Shanghai
    assert.equal(iso(computeDue({ start, duration: wd(7), calendar: cal }).due), '2026-10-15T15:59:59.999Z');
  });

  it('starts on a holiday: accepted Sat 2026-10-03 (National Day), 1 working day → end of Thu 10-08', () => {
    const { due } = computeDue({ start: sh('2026-10-03', 10), duration: wd(1), calendar: cal });
    assert.equal(iso(due), '2026-10-08T15:59:59.999Z');
    // 7 days: 10-08, 10-09, 10-10 (make-up Sat), 10-12, 10-13, 10-14, 10-15.
    assert.equal(dueOf(sh('2026-10-03', 10), wd(7)), '2026-10-15T15:59:59.999Z');
  });

  it('starts on an ordinary weekend: Sat 2026-10-17, 1 working day → end of Mon 10-19', () => {
    assert.equal(dueOf(sh('2026-10-17', 15), wd(1)), '2026-10-19T15:59:59.999Z');
  });

  it('starts on the make-up Saturday 2026-10-10: that day is the day of acceptance and does not count', () => {
    // 10-11 Sunday rests, so day 1 is Mon 10-12.
    assert.equal(dueOf(sh('2026-10-10', 9), wd(1)), '2026-10-12T15:59:59.999Z');
  });

  it('counts a make-up Sunday: accepted Sat 2026-09-19, 1 working day → end of Sun 09-20', () => {
    assert.equal(dueOf(sh('2026-09-19', 14), wd(1)), '2026-09-20T15:59:59.999Z');
  });

  it('15 working days across Spring Festival 2026 (the latest one chinese-days 1.5.7 knows)', () => {
    // Accepted Fri 2026-02-13. 02-14 make-up Sat (1); 02-15…02-23 holidays; 02-24…02-27 (2–5); 02-28 make-up Sat (6);
    // 03-01 Sun rest; 03-02…03-06 (7–11); 03-09…03-12 (12–15).
    const { due, calendarFallback } = computeDue({ start: sh('2026-02-13', 16), duration: wd(15), calendar: cal });
    assert.equal(iso(due), '2026-03-12T15:59:59.999Z');
    assert.equal(calendarFallback, false);
  });

  it('Spring Festival 2027 is not in chinese-days 1.5.7: Mon–Fri is assumed and flagged', () => {
    // Accepted Fri 2027-02-05; Mon–Fri gives 02-08…02-12, 02-15…02-19, 02-22…02-26 — too early once 2027's
    // holidays are published, hence the flag.
    const { due, calendarFallback } = computeDue({ start: sh('2027-02-05', 10), duration: wd(15), calendar: cal });
    assert.equal(iso(due), '2027-02-26T15:59:59.999Z');
    assert.equal(calendarFallback, true);
  });

  it('flags a count that crosses from covered 2026 into uncovered 2027', () => {
    // 12-29, 12-30, 12-31 are known; 2027-01-01 (New Year, a Friday) is counted as a working day by the fallback.
    const r = computeDue({ start: sh('2026-12-28', 10), duration: wd(4), calendar: cal });
    assert.equal(iso(r.due), '2027-01-01T15:59:59.999Z');
    assert.equal(r.calendarFallback, true);
    assert.equal(computeDue({ start: sh('2026-12-28', 10), duration: wd(3), calendar: cal }).calendarFallback, false);
  });

  it('stops flagging once operators add the year with withOverrides', () => {
    // A fixture, not the real 2027 schedule.
    const fixture = { name: 'fixture', holidays: ['2027-01-01'], workdays: [], coverage: { from: 2027, to: 2027 } };
    const with2027 = withOverrides(cal, fixture);
    const r = computeDue({ start: sh('2026-12-28', 10), duration: wd(4), calendar: with2027 });
    assert.equal(iso(r.due), '2027-01-04T15:59:59.999Z');
    assert.equal(r.calendarFallback, false);
  });

  it('with no real calendar at all, everything is a fallback', () => {
    const r = computeDue({ start: journey1Start, duration: wd(7), calendar: mondayToFridayCalendar });
    assert.equal(iso(r.due), '2026-10-08T15:59:59.999Z'); // Mon–Fri ignores National Day
    assert.equal(r.calendarFallback, true);
  });

  it('zero working days is the end of the day of acceptance', () => {
    assert.equal(iso(computeDue({ start: journey1Start, duration: wd(0), calendar: cal }).due), '2026-09-29T15:59:59.999Z');
  });

  it('rejects fractional or negative working days and invalid starts', () => {
    assert.throws(() => computeDue({ start: journey1Start, duration: wd(1.5), calendar: cal }), invalidInput);
    assert.throws(() => computeDue({ start: journey1Start, duration: wd(-1), calendar: cal }), invalidInput);
    assert.throws(() => computeDue({ start: new Date(Number.NaN), duration: wd(1), calendar: cal }), invalidInput);
  });
});

describe('computeDue: elapsed time', () => {
  it('journey 5: gas at 02:00 on a holiday (2026-10-02), response due 2 hours later at 04:00 the same night', () => {
    const { due, calendarFallback } = computeDue({ start: sh('2026-10-02', 2), duration: hours(2), calendar: cal });
    assert.equal(iso(due), '2026-10-01T20:00:00.000Z'); // 2026-10-02 04:00 Shanghai
    assert.equal(calendarFallback, false);
  });

  it('24 hours for a utility outage run through the holiday: 09-30 18:00 → 10-01 18:00', () => {
    const { due } = computeDue({ start: sh('2026-09-30', 18), duration: hours(24), calendar: cal });
    assert.equal(iso(due), iso(sh('2026-10-01', 18)));
    assert.equal(iso(due), '2026-10-01T10:00:00.000Z');
  });

  it('minutes and calendar days', () => {
    assert.equal(dueOf(sh('2026-10-02', 2), { amount: 30, unit: 'minutes' }), '2026-10-01T18:30:00.000Z');
    assert.equal(dueOf(sh('2026-10-01', 10), { amount: 3, unit: 'calendar_days' }), iso(sh('2026-10-04', 10)));
    assert.equal(dueOf(sh('2026-10-02', 2), hours(1.5)), iso(sh('2026-10-02', 3, 30)));
  });

  it('ignores coverage: elapsed time needs no calendar', () => {
    assert.equal(computeDue({ start: sh('2030-01-01'), duration: hours(24), calendar: cal }).calendarFallback, false);
  });
});

describe('working-day arithmetic', () => {
  it('adds, subtracts and counts working days', () => {
    assert.equal(addWorkingDays('2026-09-29', 7, cal).date, '2026-10-14');
    assert.equal(addWorkingDays('2026-09-29', 0, cal).date, '2026-09-29');
    assert.equal(subtractWorkingDays('2026-10-08', 1, cal).date, '2026-09-30');
    assert.equal(subtractWorkingDays('2026-10-14', 7, cal).date, '2026-09-29');
    assert.equal(countWorkingDays('2026-09-30', '2026-10-15', cal).count, 7);
    assert.equal(countWorkingDays('2026-10-01', '2026-10-08', cal).count, 0);
    assert.equal(countWorkingDays('2026-10-14', '2026-10-14', cal).count, 0);
  });

  it('refuses to walk forever through a calendar without working days', () => {
    const never = { name: 'never', isWorkday: () => false, coverage: () => ({ from: 2000, to: 2100 }) };
    assert.throws(() => addWorkingDays('2026-01-01', 3, never), RangeError);
  });
});

describe('warnings (dueSoonThreshold)', () => {
  it('journey 5: the 2-hour emergency response warns at 1 hour and is overdue after 2', () => {
    const clocks = startPolicyClocks({ policy: policyForUrgency('emergency'), start: sh('2026-10-02', 2), calendar: cal });
    const response = clocks.response;
    assert.ok(response);
    assert.equal(iso(response.due), '2026-10-01T20:00:00.000Z'); // 04:00 Shanghai
    assert.equal(iso(response.warnAt), '2026-10-01T19:00:00.000Z'); // 03:00 Shanghai
    assert.equal(clockStatus(response, sh('2026-10-02', 2, 0)), 'running');
    assert.equal(clockStatus(response, sh('2026-10-02', 2, 59, 59, 999)), 'running');
    assert.equal(clockStatus(response, sh('2026-10-02', 3, 0)), 'warning');
    assert.equal(clockStatus(response, sh('2026-10-02', 4, 0)), 'warning'); // due itself is still on time
    assert.equal(clockStatus(response, sh('2026-10-02', 4, 0, 0, 1)), 'overdue');
    assert.equal(remaining(response, sh('2026-10-02', 3, 30)), 30 * MIN);
    assert.equal(remaining(response, sh('2026-10-02', 4, 30)), -30 * MIN);
  });

  it('journey 5: an emergency has no separate sign clock; its one duty is feedback within 2 hours', () => {
    const clocks = startPolicyClocks({ policy: policyForUrgency('emergency'), start: sh('2026-10-02', 2), calendar: cal });
    assert.equal(clocks.sign, undefined);
    assert.ok(clocks.response);
  });

  it('journey 1: the 7-working-day reply warns from 00:00 on its last day (a fifth of 7 is 1 working day)', () => {
    const reply = journey1Reply();
    assert.equal(iso(reply.warnAt), '2026-10-13T16:00:00.000Z'); // 2026-10-14 00:00 Shanghai
    assert.equal(clockStatus(reply, sh('2026-09-30', 9)), 'running');
    assert.equal(clockStatus(reply, sh('2026-10-13', 23, 59, 59, 999)), 'running');
    assert.equal(clockStatus(reply, sh('2026-10-14')), 'warning');
    assert.equal(clockStatus(reply, sh('2026-10-14', 23, 59, 59, 999)), 'warning');
    assert.equal(clockStatus(reply, sh('2026-10-15')), 'overdue');
  });

  it('a fifth of 15 working days is 3: the complex reply warns when 3 working days are left', () => {
    const reply = startClock({ kind: 'reply', start: sh('2026-02-13', 16), duration: wd(15), calendar: cal });
    // Due end of 03-12; three working days left from 00:00 on 03-10 (03-10, 03-11, 03-12).
    assert.equal(iso(reply.warnAt), iso(sh('2026-03-10')));
  });

  it('a warning day before a holiday reaches across it: due Thu 10-08 warns from 10-01 00:00', () => {
    // 2 working days after 09-29: 09-30, 10-08. The last working day before the due date is 09-30.
    const reply = startClock({ kind: 'reply', start: journey1Start, duration: wd(2), calendar: cal });
    assert.equal(iso(reply.due), '2026-10-08T15:59:59.999Z');
    assert.equal(iso(reply.warnAt), iso(sh('2026-10-01')));
  });

  it('fractions of hour clocks: 20% of 2 h is 24 min; 20% of 1 h is lifted to 15 min', () => {
    const general = startPolicyClocks({ policy: policyForUrgency('general'), start: journey1Start, calendar: cal });
    assert.equal(general.sign?.warnAt.getTime(), (general.sign?.due.getTime() ?? 0) - 24 * MIN);
    const utility = startPolicyClocks({ policy: policyForUrgency('utility'), start: journey1Start, calendar: cal });
    assert.equal(utility.sign?.warnAt.getTime(), (utility.sign?.due.getTime() ?? 0) - 15 * MIN);
  });

  it('warnBefore as a duration: hours before due, or from the start of the last N working days', () => {
    const byHours = startClock({ kind: 'reply', start: journey1Start, duration: wd(7), warnBefore: hours(1), calendar: cal });
    assert.equal(iso(byHours.warnAt), '2026-10-14T14:59:59.999Z');
    const byDays = startClock({ kind: 'reply', start: journey1Start, duration: wd(7), warnBefore: wd(2), calendar: cal });
    assert.equal(iso(byDays.warnAt), iso(sh('2026-10-13'))); // 10-13 and 10-14 left
  });

  it('never warns before the clock started', () => {
    const c = startClock({ kind: 'sign', start: sh('2026-10-02', 2), duration: { amount: 10, unit: 'minutes' }, calendar: cal });
    assert.equal(iso(c.warnAt), iso(c.startedAt)); // the 15-minute floor exceeds the whole span
    assert.equal(clockStatus(c, c.startedAt), 'warning');
    const d = startClock({ kind: 'reply', start: journey1Start, duration: wd(1), warnBefore: wd(5), calendar: cal });
    assert.equal(iso(d.warnAt), iso(journey1Start));
  });

  it('recomputes from the clock itself', () => {
    const reply = journey1Reply();
    assert.equal(iso(dueSoonThreshold(reply, cal)), iso(reply.warnAt));
  });
});

describe('status transitions', () => {
  it('running → warning → overdue → met_late', () => {
    const reply = journey1Reply();
    const seen = [sh('2026-10-09', 10), sh('2026-10-14', 9), sh('2026-10-15', 9)].map((t) => clockStatus(reply, t));
    assert.deepEqual(seen, ['running', 'warning', 'overdue']);
    const late = stopClock(reply, sh('2026-10-15', 9));
    assert.equal(clockStatus(late, sh('2026-10-20')), 'met_late');
    assert.equal(remaining(late, sh('2026-10-20')), -(9 * HOUR + 1)); // 9 h and 1 ms late
  });

  it('met at the due instant exactly, late one millisecond after', () => {
    const reply = journey1Reply();
    assert.equal(clockStatus(stopClock(reply, reply.due), sh('2026-11-01')), 'met');
    assert.equal(clockStatus(stopClock(reply, new Date(reply.due.getTime() + 1)), sh('2026-11-01')), 'met_late');
  });

  it('journey 1: replied on 10-12 → met, with the margin kept', () => {
    const done = stopClock(journey1Reply(), sh('2026-10-12', 16));
    assert.equal(clockStatus(done, sh('2026-10-30')), 'met');
    assert.equal(remaining(done, sh('2026-10-30')), sh('2026-10-15').getTime() - 1 - sh('2026-10-12', 16).getTime());
  });

  it('refuses to stop twice or before the start', () => {
    const done = stopClock(journey1Reply(), sh('2026-10-12', 16));
    assert.throws(() => stopClock(done, sh('2026-10-13')), illegal);
    assert.throws(() => stopClock(journey1Reply(), sh('2026-09-29', 21)), illegal);
  });
});

describe('pause and resume', () => {
  it('elapsed clock: the due moves by the paused time', () => {
    const reply = startClock({ kind: 'reply', start: sh('2026-10-02', 2), duration: hours(24), calendar: cal });
    assert.equal(iso(reply.due), iso(sh('2026-10-03', 2)));
    const paused = pauseClock(reply, sh('2026-10-02', 10));
    assert.equal(clockStatus(paused, sh('2026-10-05')), 'paused'); // even past the old due
    assert.equal(remaining(paused, sh('2026-10-05')), 16 * HOUR); // frozen at the pause
    const resumed = resumeClock(paused, sh('2026-10-02', 13, 30), cal);
    assert.equal(iso(resumed.due), iso(sh('2026-10-03', 5, 30)));
    assert.equal(resumed.pausedMs, 3.5 * HOUR);
    assert.equal(resumed.pausedAt, undefined);
    assert.equal(clockStatus(resumed, sh('2026-10-02', 20)), 'running');
    assert.equal(clockStatus(resumed, sh('2026-10-03', 3)), 'warning'); // 4.8 h before 05:30
    assert.equal(clockStatus(resumed, sh('2026-10-03', 5, 31)), 'overdue');
    // Warning keeps 20% of the 24-hour allowance, not of the stretched wall-clock span.
    assert.equal(resumed.due.getTime() - resumed.warnAt.getTime(), 4.8 * HOUR);
  });

  it('working-day clock paused across National Day: only 09-30 ends while paused → +1 working day', () => {
    // Journey 1's reply, extension requested Wed 09-30 10:00, decided Thu 10-08 10:00.
    // Working days whose end passed while paused: [09-30, 10-08) → 09-30 only.
    const resumed = resumeClock(pauseClock(journey1Reply(), sh('2026-09-30', 10)), sh('2026-10-08', 10), cal);
    assert.equal(iso(resumed.due), '2026-10-15T15:59:59.999Z');
    assert.equal(resumed.pausedWorkingDays, 1);
    assert.equal(resumed.pausedMs, 8 * 24 * HOUR);
    assert.equal(iso(resumed.warnAt), iso(sh('2026-10-15'))); // still one working day of warning
  });

  it('working-day clock paused Thu 10-08 to Mon 10-12: 10-08, 10-09 and make-up Sat 10-10 are credited', () => {
    const resumed = resumeClock(pauseClock(journey1Reply(), sh('2026-10-08', 10)), sh('2026-10-12', 9), cal);
    assert.equal(resumed.pausedWorkingDays, 3);
    // 10-14 + 3 working days: 10-15, 10-16, 10-19.
    assert.equal(iso(resumed.due), '2026-10-19T15:59:59.999Z');
  });

  it('a pause within one day, or only over rest days, credits nothing', () => {
    const sameDay = resumeClock(pauseClock(journey1Reply(), sh('2026-10-09', 10)), sh('2026-10-09', 15), cal);
    assert.equal(iso(sameDay.due), '2026-10-14T15:59:59.999Z');
    assert.equal(sameDay.pausedMs, 5 * HOUR);
    assert.equal(sameDay.pausedWorkingDays, 0);
    const holiday = resumeClock(pauseClock(journey1Reply(), sh('2026-10-03', 10)), sh('2026-10-05', 10), cal);
    assert.equal(iso(holiday.due), '2026-10-14T15:59:59.999Z');
  });

  it('pauses add up', () => {
    let c = journey1Reply();
    c = resumeClock(pauseClock(c, sh('2026-09-30', 10)), sh('2026-10-08', 10), cal); // +1
    c = resumeClock(pauseClock(c, sh('2026-10-12', 10)), sh('2026-10-13', 10), cal); // +1 (10-12)
    assert.equal(c.pausedWorkingDays, 2);
    assert.equal(iso(c.due), '2026-10-16T15:59:59.999Z');
  });

  it('stopping while paused counts as met and keeps where it froze', () => {
    const paused = pauseClock(journey1Reply(), sh('2026-10-14', 20));
    const done = stopClock(paused, sh('2026-10-20', 9));
    assert.equal(clockStatus(done, sh('2026-10-30')), 'met');
    assert.equal(iso(done.pausedAt ?? new Date(0)), iso(sh('2026-10-14', 20)));
    assert.equal(remaining(done, sh('2026-10-30')), 4 * HOUR - 1);
  });

  it('refuses illegal moves', () => {
    const reply = journey1Reply();
    assert.throws(() => pauseClock(reply, sh('2026-10-15')), illegal); // already overdue
    assert.throws(() => pauseClock(pauseClock(reply, sh('2026-10-09')), sh('2026-10-09', 1)), illegal);
    assert.throws(() => pauseClock(reply, sh('2026-09-29', 20)), illegal); // before the start
    assert.throws(() => pauseClock(stopClock(reply, sh('2026-10-09')), sh('2026-10-10')), illegal);
    assert.throws(() => resumeClock(reply, sh('2026-10-09'), cal), illegal);
    assert.throws(() => resumeClock(pauseClock(reply, sh('2026-10-09')), sh('2026-10-08'), cal), illegal);
    const stoppedWhilePaused = stopClock(pauseClock(reply, sh('2026-10-09')), sh('2026-10-09', 1));
    assert.throws(() => resumeClock(stoppedWhilePaused, sh('2026-10-10'), cal), illegal);
    assert.throws(() => pauseClock(reply, new Date(Number.NaN)), invalidInput);
  });

  it('flags a pause whose credit reaches into uncovered 2027', () => {
    const late = startClock({ kind: 'reply', start: sh('2026-12-21', 10), duration: wd(7), calendar: cal });
    assert.equal(iso(late.due), '2026-12-30T15:59:59.999Z');
    assert.equal(late.calendarFallback, false);
    const resumed = resumeClock(pauseClock(late, sh('2026-12-28', 10)), sh('2026-12-30', 10), cal); // +2
    assert.equal(iso(resumed.due), '2027-01-01T15:59:59.999Z');
    assert.equal(resumed.calendarFallback, true);
  });
});

describe('extensions', () => {
  it('journey 1 extended by 5 working days: 10-15, 10-16, 10-19, 10-20, 10-21', () => {
    const extended = extendClock(journey1Reply(), wd(5), cal);
    assert.equal(iso(extended.due), '2026-10-21T15:59:59.999Z');
    assert.deepEqual(extended.extensions, [wd(5)]);
    // 20% of 12 working days is 2: warning from 00:00 on 10-20.
    assert.equal(iso(extended.warnAt), iso(sh('2026-10-20')));
  });

  it('brings an overdue clock back to running', () => {
    const reply = journey1Reply();
    assert.equal(clockStatus(reply, sh('2026-10-15', 9)), 'overdue');
    assert.equal(clockStatus(extendClock(reply, wd(5), cal), sh('2026-10-15', 9)), 'running');
  });

  it('extends an elapsed clock by elapsed time, and by working days at the same time of day', () => {
    const reply = startClock({ kind: 'reply', start: sh('2026-09-30', 2), duration: hours(24), calendar: cal });
    assert.equal(iso(extendClock(reply, hours(12), cal).due), iso(sh('2026-10-01', 14)));
    // Due Thu 10-01 02:00 (a holiday); one working day later is 10-08 02:00.
    assert.equal(iso(extendClock(reply, wd(1), cal).due), iso(sh('2026-10-08', 2)));
  });

  it('extends a paused clock; the pause still credits on resume', () => {
    const paused = pauseClock(journey1Reply(), sh('2026-10-09', 10));
    const extended = extendClock(paused, wd(5), cal);
    assert.equal(clockStatus(extended, sh('2026-10-09', 11)), 'paused');
    const resumed = resumeClock(extended, sh('2026-10-12', 10), cal); // +2: 10-09, 10-10
    assert.equal(iso(resumed.due), '2026-10-23T15:59:59.999Z'); // 10-21 + 2: 10-22, 10-23
  });

  it('refuses to extend a stopped clock or by nothing', () => {
    assert.throws(() => extendClock(stopClock(journey1Reply(), sh('2026-10-09')), wd(5), cal), illegal);
    assert.throws(() => extendClock(journey1Reply(), wd(0), cal), invalidInput);
    assert.throws(() => extendClock(journey1Reply(), hours(-1), cal), invalidInput);
  });
});

describe('startPolicyClocks', () => {
  it('journey 1 under the general policy: sign 23:40, response next day 21:40, reply end of 10-14', () => {
    const c = startPolicyClocks({ policy: policyForUrgency('general'), start: journey1Start, calendar: cal });
    assert.equal(iso(c.sign?.due ?? new Date(0)), iso(sh('2026-09-29', 23, 40)));
    assert.equal(iso(c.response?.due ?? new Date(0)), iso(sh('2026-09-30', 21, 40)));
    assert.equal(iso(c.reply.due), '2026-10-14T15:59:59.999Z');
    assert.deepEqual([c.sign?.kind, c.response?.kind, c.reply.kind], ['sign', 'response', 'reply']);
  });

  it('starts only the clocks a policy defines', () => {
    const policy = { ...policyForUrgency('general'), clocks: { reply: wd(3) } };
    const c = startPolicyClocks({ policy, start: journey1Start, calendar: cal });
    assert.deepEqual(Object.keys(c), ['reply']);
  });

  it('emergency reply: 24 hours, so 02:00 on a holiday is due 02:00 the next day', () => {
    const c = startPolicyClocks({ policy: policyForUrgency('emergency'), start: sh('2026-10-02', 2), calendar: cal });
    assert.equal(iso(c.reply.due), iso(sh('2026-10-03', 2)));
  });
});
