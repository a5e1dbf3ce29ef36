/**
 * Due instants and deadline clocks. Pure: every function takes `now` (or a start) and a calendar, and returns new
 * values. An instant is a `Date`; a day is a Shanghai civil date.
 *
 * Rules, in one place:
 * - `minutes`, `hours`, `calendar_days` are elapsed time: nights, weekends and holidays all count.
 * - `working_days: N` is "N working days after the day of acceptance": counting starts the day after the start's
 *   Shanghai date, and the clock is due at the end (23:59:59.999 Shanghai) of the Nth working day.
 * - `due` is the last instant still on time: overdue once `now > due`; met when stopped at or before `due`.
 * - A pause on an elapsed clock adds its length to `due`. A pause on a working-day clock adds one working day for
 *   each working day whose end passes while paused (the working days from the pause's Shanghai date, inclusive, to
 *   the resume's date, exclusive); a pause within one day adds nothing, like the day of acceptance.
 */
import { DomainError, invalid } from '../errors.js';
import {
  DAY_MS,
  addDays,
  endOfShanghaiDay,
  fromShanghai,
  isCovered,
  shanghaiDate,
  startOfShanghaiDay,
} from './calendar.js';
import type { CivilDate, WorkCalendar } from './calendar.js';
import type { ClockKind, DeadlinePolicy, Duration, WarnBefore } from './policy.js';

/** Fraction-based warnings never give less than this on elapsed clocks: a 10-minute warning is no warning. */
export const MIN_WARN_MS = 15 * 60 * 1000;
/** Fraction-based warnings on working-day clocks start at least one working day ahead. */
export const MIN_WARN_WORKING_DAYS = 1;
/** When a policy says nothing: warn with a fifth of the span left. */
export const DEFAULT_WARN_BEFORE: WarnBefore = { fraction: 0.2 };

export type DueResult = {
  due: Date;
  /** True when a day counted lay outside the calendar's coverage and was taken as Mon–Fri. */
  calendarFallback: boolean;
};

export type ClockStatus = 'running' | 'warning' | 'overdue' | 'paused' | 'met' | 'met_late';

/** A running, paused or stopped deadline. Plain data: the store keeps it as columns, the functions below move it. */
export type Clock = {
  readonly kind: ClockKind;
  readonly startedAt: Date;
  /** The allowance the policy gave at the start. */
  readonly duration: Duration;
  /** Approved extensions, in order. */
  readonly extensions: readonly Duration[];
  readonly warnBefore: WarnBefore;
  /** Last on-time instant, pauses and extensions included. */
  readonly due: Date;
  /** From this instant the clock is `warning` (stored so a sweep can select it). */
  readonly warnAt: Date;
  /** Set while paused. When the clock was stopped while paused, it stays set: the clock froze there. */
  readonly pausedAt?: Date;
  /** Wall-clock length of all closed pauses. */
  readonly pausedMs: number;
  /** Working days credited by closed pauses (working-day clocks only). */
  readonly pausedWorkingDays: number;
  /** Set when the clock's duty was done (signed, responded, replied). */
  readonly stoppedAt?: Date;
  /** True when any day counted for `due` lay outside the calendar's coverage (Mon–Fri was assumed). */
  readonly calendarFallback: boolean;
};

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

function instant(value: Date, field: string): number {
  const t = value.getTime();
  if (!Number.isFinite(t)) throw invalid(field, '时间无效');
  return t;
}

function checkDuration(d: Duration, field: string): void {
  if (!Number.isFinite(d.amount) || d.amount < 0) throw invalid(field, '时长必须是非负的有限数字');
  if (d.unit === 'working_days' && !Number.isInteger(d.amount)) throw invalid(field, '工作日数必须是整数');
}

function elapsedMs(d: Exclude<Duration['unit'], 'working_days'>, amount: number): number {
  switch (d) {
    case 'minutes':
      return amount * MINUTE_MS;
    case 'hours':
      return amount * HOUR_MS;
    case 'calendar_days':
      // Shanghai has no DST, so a calendar day is always 24 hours.
      return amount * DAY_MS;
  }
}

function illegal(message: string): DomainError {
  return new DomainError('ILLEGAL_TRANSITION', message);
}

/** Any real calendar has working days; this bounds the walk if a misconfigured one has none. */
function walkLimit(n: number): number {
  return 10 * n + 60;
}

/**
 * The Nth working day after `date` (not counting `date` itself); `n = 0` gives `date`.
 * @example addWorkingDays('2026-09-29', 7, chinaCalendar) // { date: '2026-10-14', calendarFallback: false }
 */
export function addWorkingDays(
  date: CivilDate,
  n: number,
  calendar: WorkCalendar,
): { date: CivilDate; calendarFallback: boolean } {
  if (!Number.isInteger(n) || n < 0) throw invalid('workingDays', '工作日数必须是非负整数');
  let day = date;
  let left = n;
  let fallback = false;
  for (let steps = 0; left > 0; steps++) {
    if (steps > walkLimit(n)) throw new RangeError(`calendar ${calendar.name} has no working days after ${date}`);
    day = addDays(day, 1);
    if (!isCovered(calendar, day)) fallback = true;
    if (calendar.isWorkday(day)) left--;
  }
  return { date: day, calendarFallback: fallback };
}

/**
 * The Nth working day before `date` (not counting `date` itself).
 * @example subtractWorkingDays('2026-10-08', 1, chinaCalendar).date // '2026-09-30'
 */
export function subtractWorkingDays(
  date: CivilDate,
  n: number,
  calendar: WorkCalendar,
): { date: CivilDate; calendarFallback: boolean } {
  if (!Number.isInteger(n) || n < 0) throw invalid('workingDays', '工作日数必须是非负整数');
  let day = date;
  let left = n;
  let fallback = false;
  for (let steps = 0; left > 0; steps++) {
    if (steps > walkLimit(n)) throw new RangeError(`calendar ${calendar.name} has no working days before ${date}`);
    day = addDays(day, -1);
    if (!isCovered(calendar, day)) fallback = true;
    if (calendar.isWorkday(day)) left--;
  }
  return { date: day, calendarFallback: fallback };
}

/**
 * Working days in `[from, to)`: those whose end passes between 00:00 of `from` and 00:00 of `to`.
 * @example countWorkingDays('2026-09-30', '2026-10-09', chinaCalendar).count // 2 (09-30 and 10-08)
 */
export function countWorkingDays(
  from: CivilDate,
  to: CivilDate,
  calendar: WorkCalendar,
): { count: number; calendarFallback: boolean } {
  let count = 0;
  let fallback = false;
  for (let day = from; day < to; day = addDays(day, 1)) {
    if (!isCovered(calendar, day)) fallback = true;
    if (calendar.isWorkday(day)) count++;
  }
  return { count, calendarFallback: fallback };
}

/** Moves an instant N working days later, keeping its Shanghai time of day (an end-of-day due stays end of day). */
function shiftByWorkingDays(at: Date, n: number, calendar: WorkCalendar): DueResult {
  if (n === 0) return { due: at, calendarFallback: false };
  const date = shanghaiDate(at);
  const timeOfDay = at.getTime() - startOfShanghaiDay(date).getTime();
  const target = addWorkingDays(date, n, calendar);
  return { due: new Date(fromShanghai(target.date).getTime() + timeOfDay), calendarFallback: target.calendarFallback };
}

/**
 * When a duration started at `start` runs out (the last on-time instant).
 * @example
 * const start = fromShanghai('2026-09-29', 21, 40);
 * computeDue({ start, duration: { amount: 7, unit: 'working_days' }, calendar: chinaCalendar })
 * // { due: 2026-10-14T15:59:59.999Z (end of 2026-10-14 in Shanghai), calendarFallback: false }
 */
export function computeDue({
  start,
  duration,
  calendar,
}: {
  start: Date;
  duration: Duration;
  calendar: WorkCalendar;
}): DueResult {
  const t = instant(start, 'start');
  checkDuration(duration, 'duration');
  if (duration.unit === 'working_days') {
    const last = addWorkingDays(shanghaiDate(start), duration.amount, calendar);
    return { due: endOfShanghaiDay(last.date), calendarFallback: last.calendarFallback };
  }
  return { due: new Date(t + elapsedMs(duration.unit, duration.amount)), calendarFallback: false };
}

type ThresholdInput = Pick<Clock, 'startedAt' | 'due' | 'duration' | 'extensions' | 'pausedMs' | 'warnBefore'>;

/** 00:00 Shanghai after the k-th working day before the due's date: from then on at most k working days are left. */
function startOfLastWorkingDays(due: Date, k: number, calendar: WorkCalendar): number {
  return endOfShanghaiDay(subtractWorkingDays(shanghaiDate(due), k, calendar).date).getTime() + 1;
}

/**
 * The instant a clock turns `warning`; never before it started.
 * - `{ fraction: f }` on an elapsed clock: when `f` of the allowed span (extensions included) is left, but at
 *   least {@link MIN_WARN_MS} ahead.
 * - `{ fraction: f }` on a working-day clock: when `max(1, floor(f × allowed working days))` working days are left,
 *   i.e. from 00:00 after the k-th working day before the due date (7 days at 0.2 → the whole last day).
 * - A duration in elapsed units: that long before `due`; in working days: as above with k = the amount.
 * @example dueSoonThreshold(emergencyResponse, chinaCalendar) // 03:00 for 2 h from 02:00 at { fraction: 0.5 }
 */
export function dueSoonThreshold(clock: ThresholdInput, calendar: WorkCalendar): Date {
  const start = clock.startedAt.getTime();
  const due = clock.due.getTime();
  const wb = clock.warnBefore;
  let at: number;
  if ('fraction' in wb) {
    if (clock.duration.unit === 'working_days') {
      const extra = clock.extensions.filter((e) => e.unit === 'working_days').reduce((s, e) => s + e.amount, 0);
      // The epsilon keeps 0.3 × 10 = 2.9999… from flooring to 2.
      const k = Math.max(MIN_WARN_WORKING_DAYS, Math.floor(wb.fraction * (clock.duration.amount + extra) + 1e-9));
      at = startOfLastWorkingDays(clock.due, k, calendar);
    } else {
      const span = due - start - clock.pausedMs;
      at = due - Math.max(MIN_WARN_MS, Math.round(wb.fraction * span));
    }
  } else if (wb.unit === 'working_days') {
    at = startOfLastWorkingDays(clock.due, wb.amount, calendar);
  } else {
    at = due - elapsedMs(wb.unit, wb.amount);
  }
  return new Date(Math.max(at, start));
}

/**
 * Starts a clock at `start`.
 * @example
 * const duration = { amount: 7, unit: 'working_days' } as const;
 * startClock({ kind: 'reply', start, duration, warnBefore: { fraction: 0.2 }, calendar: chinaCalendar })
 */
export function startClock({
  kind,
  start,
  duration,
  warnBefore = DEFAULT_WARN_BEFORE,
  calendar,
}: {
  kind: ClockKind;
  start: Date;
  duration: Duration;
  warnBefore?: WarnBefore;
  calendar: WorkCalendar;
}): Clock {
  const { due, calendarFallback } = computeDue({ start, duration, calendar });
  const base = {
    kind,
    startedAt: start,
    duration,
    extensions: [],
    warnBefore,
    due,
    pausedMs: 0,
    pausedWorkingDays: 0,
    calendarFallback,
  };
  return { ...base, warnAt: dueSoonThreshold(base, calendar) };
}

/**
 * Starts every clock a policy defines, all at `start`.
 * @example startPolicyClocks({ policy: policyForUrgency('emergency'), start, calendar: chinaCalendar }).response?.due
 */
export function startPolicyClocks({
  policy,
  start,
  calendar,
}: {
  policy: DeadlinePolicy;
  start: Date;
  calendar: WorkCalendar;
}): { sign?: Clock; response?: Clock; reply: Clock } {
  const make = (kind: ClockKind, duration: Duration) =>
    startClock({ kind, start, duration, warnBefore: policy.warnBefore, calendar });
  const { sign, response, reply } = policy.clocks;
  return {
    ...(sign ? { sign: make('sign', sign) } : {}),
    ...(response ? { response: make('response', response) } : {}),
    reply: make('reply', reply),
  };
}

/**
 * Freezes a running clock (e.g. while an extension is pending). An overdue clock cannot be paused: extensions are
 * asked before the deadline, and a pause must not hide a lateness.
 * @example pauseClock(clock, now).pausedAt === now
 */
export function pauseClock(clock: Clock, now: Date): Clock {
  const t = instant(now, 'now');
  if (clock.stoppedAt) throw illegal('时限已结束，不能暂停');
  if (clock.pausedAt) throw illegal('时限已暂停');
  if (t < clock.startedAt.getTime()) throw illegal('暂停时间早于计时开始时间');
  if (t > clock.due.getTime()) throw illegal('时限已超期，不能暂停');
  return { ...clock, pausedAt: now };
}

/**
 * Restarts a paused clock and moves `due` by the pause (see the rules at the top of this file).
 * @example
 * const paused = pauseClock(reply, fromShanghai('2026-09-30', 10));
 * resumeClock(paused, fromShanghai('2026-10-08', 10), chinaCalendar) // a working-day clock gains 1 day (09-30)
 */
export function resumeClock(clock: Clock, now: Date, calendar: WorkCalendar): Clock {
  const t = instant(now, 'now');
  if (clock.stoppedAt) throw illegal('时限已结束，不能恢复');
  const { pausedAt } = clock;
  if (!pausedAt) throw illegal('时限未暂停，不能恢复');
  if (t < pausedAt.getTime()) throw illegal('恢复时间早于暂停时间');
  const spanMs = t - pausedAt.getTime();
  let moved: DueResult;
  let credited = 0;
  if (clock.duration.unit === 'working_days') {
    const counted = countWorkingDays(shanghaiDate(pausedAt), shanghaiDate(now), calendar);
    credited = counted.count;
    const shifted = shiftByWorkingDays(clock.due, credited, calendar);
    moved = { due: shifted.due, calendarFallback: counted.calendarFallback || shifted.calendarFallback };
  } else {
    moved = { due: new Date(clock.due.getTime() + spanMs), calendarFallback: false };
  }
  const { pausedAt: _closed, ...running } = clock;
  const next = {
    ...running,
    due: moved.due,
    pausedMs: clock.pausedMs + spanMs,
    pausedWorkingDays: clock.pausedWorkingDays + credited,
    calendarFallback: clock.calendarFallback || moved.calendarFallback,
  };
  return { ...next, warnAt: dueSoonThreshold(next, calendar) };
}

/**
 * Stops a clock because its duty was done. Stopping a paused clock keeps `pausedAt`: the clock froze there, on time.
 * @example clockStatus(stopClock(clock, now), now) // 'met' or 'met_late'
 */
export function stopClock(clock: Clock, now: Date): Clock {
  const t = instant(now, 'now');
  if (clock.stoppedAt) throw illegal('时限已结束');
  if (t < clock.startedAt.getTime()) throw illegal('结束时间早于计时开始时间');
  return { ...clock, stoppedAt: now };
}

/**
 * Grants an approved extension: working days move `due` to the same time of day N working days later (the end of
 * the day for working-day clocks); elapsed units add their length. Works on running, paused and overdue clocks.
 * @example extendClock(clock, { amount: 5, unit: 'working_days' }, chinaCalendar).due
 */
export function extendClock(clock: Clock, duration: Duration, calendar: WorkCalendar): Clock {
  if (clock.stoppedAt) throw illegal('时限已结束，不能延期');
  checkDuration(duration, 'extension');
  if (duration.amount === 0) throw invalid('extension', '延期时长必须大于 0');
  const moved =
    duration.unit === 'working_days'
      ? shiftByWorkingDays(clock.due, duration.amount, calendar)
      : { due: new Date(clock.due.getTime() + elapsedMs(duration.unit, duration.amount)), calendarFallback: false };
  const next = {
    ...clock,
    extensions: [...clock.extensions, duration],
    due: moved.due,
    calendarFallback: clock.calendarFallback || moved.calendarFallback,
  };
  return { ...next, warnAt: dueSoonThreshold(next, calendar) };
}

/**
 * Where a clock stands at `now`. Stopped clocks are judged by the last instant they ran (the pause, if stopped while
 * paused); `due` itself is still on time.
 * @example clockStatus(emergencyResponse, fromShanghai('2026-10-02', 3, 0)) // 'warning'
 */
export function clockStatus(clock: Clock, now: Date): ClockStatus {
  const t = instant(now, 'now');
  if (clock.stoppedAt) {
    const ranUntil = (clock.pausedAt ?? clock.stoppedAt).getTime();
    return ranUntil <= clock.due.getTime() ? 'met' : 'met_late';
  }
  if (clock.pausedAt) return 'paused';
  if (t > clock.due.getTime()) return 'overdue';
  if (t >= clock.warnAt.getTime()) return 'warning';
  return 'running';
}

/**
 * Milliseconds from `now` to `due`: negative once overdue. Frozen while paused; for a stopped clock, the margin it
 * was met with (negative: how late).
 * @example remaining(clock, fromShanghai('2026-10-02', 3, 30)) // 1_800_000 for a clock due at 04:00
 */
export function remaining(clock: Clock, now: Date): number {
  const ranUntil = clock.pausedAt ?? clock.stoppedAt ?? now;
  return clock.due.getTime() - instant(ranUntil, 'now');
}
