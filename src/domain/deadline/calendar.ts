/**
 * Working calendars and Asia/Shanghai civil time.
 *
 * All business time is Asia/Shanghai (UTC+8, no DST since 1991), so the helpers here shift instants by a fixed
 * offset and read them with UTC getters: the process time zone never enters.
 */
// The package's published data file, not its functions: chinese-days parses 'YYYY-MM-DD' as UTC midnight and then
// reads it with local getters, so its isWorkday() answers for the wrong day whenever the process TZ is west of UTC.
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/** A Shanghai civil date, `YYYY-MM-DD`. */
export type CivilDate = string;

/** Years (inclusive) for which a calendar knows the real holidays and make-up working days. */
export type Coverage = { from: number; to: number };

/** Tells working days from rest days. Outside `coverage()` it answers Mon–Fri, and callers flag that. */
export interface WorkCalendar {
  readonly name: string;
  /** `isWorkday('2026-10-10')` → `true` on China's calendar (a make-up Saturday, 调休). */
  isWorkday(date: CivilDate): boolean;
  /** Years with real data, e.g. `{ from: 2004, to: 2026 }`. */
  coverage(): Coverage;
}

/** Shanghai is UTC+8 all year; it has not observed DST since 1991. */
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The parts of a Shanghai wall-clock reading. `weekday` is 0 = Sunday … 6 = Saturday. */
export type ShanghaiDateTime = {
  date: CivilDate;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  weekday: number;
};

/**
 * Reads an instant on a Shanghai wall clock.
 * @example toShanghai(new Date('2026-09-29T13:40:00Z')).date // '2026-09-29' (21:40 in Shanghai)
 */
export function toShanghai(instant: Date): ShanghaiDateTime {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw new RangeError('invalid instant');
  const s = new Date(t + SHANGHAI_OFFSET_MS);
  return {
    date: s.toISOString().slice(0, 10),
    year: s.getUTCFullYear(),
    month: s.getUTCMonth() + 1,
    day: s.getUTCDate(),
    hour: s.getUTCHours(),
    minute: s.getUTCMinutes(),
    second: s.getUTCSeconds(),
    millisecond: s.getUTCMilliseconds(),
    weekday: s.getUTCDay(),
  };
}

/**
 * The Shanghai civil date of an instant.
 * @example shanghaiDate(new Date('2026-09-30T16:30:00Z')) // '2026-10-01' (00:30 in Shanghai)
 */
export function shanghaiDate(instant: Date): CivilDate {
  return toShanghai(instant).date;
}

/** Dates already read: deadline arithmetic reads the same few hundred dates over and over. */
const parsedDates = new Map<string, { year: number; month: number; day: number }>();

function parseCivil(date: CivilDate): { year: number; month: number; day: number } {
  const known = parsedDates.get(date);
  if (known) return known;
  const parsed = parseCivilOnce(date);
  if (parsedDates.size >= 20_000) parsedDates.clear();
  parsedDates.set(date, Object.freeze(parsed));
  return parsed;
}

function parseCivilOnce(date: CivilDate): { year: number; month: number; day: number } {
  const m = CIVIL_DATE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  // Date.UTC rolls 02-30 over to 03-02; a round trip catches impossible dates.
  const back = new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
  if (back !== date) throw new RangeError(`no such date: ${date}`);
  return { year, month, day };
}

/** `true` for a real `YYYY-MM-DD` date. @example isCivilDate('2026-02-29') // false */
export function isCivilDate(value: string): boolean {
  try {
    parseCivil(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant a Shanghai wall clock shows the given date and time.
 * @example fromShanghai('2026-09-29', 21, 40).toISOString() // '2026-09-29T13:40:00.000Z'
 */
export function fromShanghai(date: CivilDate, hour = 0, minute = 0, second = 0, millisecond = 0): Date {
  const { year, month, day } = parseCivil(date);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - SHANGHAI_OFFSET_MS);
}

/** 00:00 Shanghai on `date`. @example startOfShanghaiDay('2026-10-14').toISOString() // '2026-10-13T16:00:00.000Z' */
export function startOfShanghaiDay(date: CivilDate): Date {
  return fromShanghai(date);
}

/**
 * The last millisecond of `date` in Shanghai (23:59:59.999): the "end of the day" a working-day deadline falls on.
 * @example endOfShanghaiDay('2026-10-14').toISOString() // '2026-10-14T15:59:59.999Z'
 */
export function endOfShanghaiDay(date: CivilDate): Date {
  return new Date(fromShanghai(date).getTime() + DAY_MS - 1);
}

/** Calendar arithmetic on civil dates. @example addDays('2026-09-30', 1) // '2026-10-01' */
export function addDays(date: CivilDate, days: number): CivilDate {
  const { year, month, day } = parseCivil(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. @example weekday('2026-10-10') // 6 */
export function weekday(date: CivilDate): number {
  const { year, month, day } = parseCivil(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** The year of a civil date. @example yearOf('2027-02-06') // 2027 */
export function yearOf(date: CivilDate): number {
  return parseCivil(date).year;
}

/** Mon–Fri. @example isMondayToFriday('2026-10-10') // false */
export function isMondayToFriday(date: CivilDate): boolean {
  const d = weekday(date);
  return d >= 1 && d <= 5;
}

/**
 * Whether `calendar` has real data for `date`; when not, its answer was the Mon–Fri fallback.
 * @example isCovered(chinaCalendar, '2027-02-08') // false with chinese-days 1.5.7 (data ends 2026)
 */
export function isCovered(calendar: WorkCalendar, date: CivilDate): boolean {
  const { from, to } = calendar.coverage();
  const year = yearOf(date);
  return year >= from && year <= to;
}

/** What a calendar is built from: explicit holidays (rest days) and make-up working days (调休上班). */
export type CalendarData = {
  name: string;
  /** Rest days that would otherwise be Mon–Fri working days (and weekend days of a holiday, harmlessly). */
  holidays: Iterable<CivilDate>;
  /** Weekend days that are working days. */
  workdays: Iterable<CivilDate>;
  coverage: Coverage;
};

/**
 * A calendar from explicit data: listed make-up working days work, listed holidays rest, else Mon–Fri.
 * Operators can use it (with {@link withOverrides}) for a year the package does not know yet.
 * @example calendarFromData({ name: 't', holidays: ['2027-01-01'], workdays: [], coverage: { from: 2027, to: 2027 } })
 */
export function calendarFromData(data: CalendarData): WorkCalendar {
  const holidays = new Set<CivilDate>(data.holidays);
  const workdays = new Set<CivilDate>(data.workdays);
  const coverage = { ...data.coverage };
  return {
    name: data.name,
    isWorkday(date) {
      if (workdays.has(date)) return true;
      if (holidays.has(date)) return false;
      return isMondayToFriday(date);
    },
    coverage: () => ({ ...coverage }),
  };
}

/**
 * Layers published arrangements over a base calendar, e.g. next year's 调休 before the package ships them.
 * Coverage grows to include `extra.coverage` when the two ranges touch or overlap.
 * @example
 * withOverrides(chinaCalendar, { name: '2027', holidays: ['2027-01-01'], workdays: [], coverage: { from: 2027, to: 2027 } })
 */
export function withOverrides(base: WorkCalendar, extra: CalendarData): WorkCalendar {
  const holidays = new Set<CivilDate>(extra.holidays);
  const workdays = new Set<CivilDate>(extra.workdays);
  const b = base.coverage();
  const e = extra.coverage;
  // A gap between the ranges would make coverage() claim years nobody described.
  const joined = e.from <= b.to + 1 && e.to >= b.from - 1;
  const coverage = joined ? { from: Math.min(b.from, e.from), to: Math.max(b.to, e.to) } : b;
  return {
    name: `${base.name}+${extra.name}`,
    isWorkday(date) {
      if (workdays.has(date)) return true;
      if (holidays.has(date)) return false;
      const year = yearOf(date);
      // Inside the described years an unlisted day is an ordinary one, whatever the base guessed.
      if (year >= e.from && year <= e.to) return isMondayToFriday(date);
      return base.isWorkday(date);
    },
    coverage: () => ({ ...coverage }),
  };
}

type ChineseDaysData = {
  holidays: Record<CivilDate, string>;
  workdays: Record<CivilDate, string>;
};

function chinaCoverage(data: ChineseDaysData): Coverage {
  // Every covered year has 元旦 on January 1st, so the holiday keys span exactly the covered years.
  const years = Object.keys(data.holidays).map((d) => Number(d.slice(0, 4)));
  if (years.length === 0) return { from: 0, to: -1 };
  return { from: Math.min(...years), to: Math.max(...years) };
}

const chinaData: ChineseDaysData = chineseDays;

/**
 * China's statutory holidays and make-up working days (调休) from `chinese-days`; Mon–Fri outside its years.
 * @example chinaCalendar.isWorkday('2026-10-08') // true; chinaCalendar.isWorkday('2026-10-07') // false
 */
export const chinaCalendar: WorkCalendar = calendarFromData({
  name: 'china',
  holidays: Object.keys(chinaData.holidays),
  workdays: Object.keys(chinaData.workdays),
  coverage: chinaCoverage(chinaData),
});

/**
 * Plain Mon–Fri with no coverage at all: every answer is a fallback.
 * @example mondayToFridayCalendar.isWorkday('2026-10-01') // true
 */
export const mondayToFridayCalendar: WorkCalendar = calendarFromData({
  name: 'monday-to-friday',
  holidays: [],
  workdays: [],
  coverage: { from: 0, to: -1 },
});

/** One year's published arrangement (国务院办公厅 holiday notice), entered by an administrator. */
export type YearArrangement = { year: number; holidays: CivilDate[]; workdays: CivilDate[]; source: string | null };

const CIVIL = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Check administrators' year arrangements: real dates inside their year, make-up working days on weekends,
 * no day both rest and work, each year once. Returns the problems by field (empty when all is well).
 * @example arrangementProblems([{ year: 2027, holidays: ['2027-01-01'], workdays: ['2027-01-04'], source: null }])
 * // → [{ field: 'years.0.workdays.0', reason: '2027-01-04 不是周末，不需要调休上班' }]
 */
export function arrangementProblems(years: readonly YearArrangement[]): { field: string; reason: string }[] {
  const problems: { field: string; reason: string }[] = [];
  const seen = new Set<number>();
  years.forEach((y, i) => {
    if (!Number.isInteger(y.year) || y.year < 2000 || y.year > 2100) problems.push({ field: `years.${i}.year`, reason: '年份须在 2000–2100 之间' });
    if (seen.has(y.year)) problems.push({ field: `years.${i}.year`, reason: `${y.year} 年重复` });
    seen.add(y.year);
    const check = (list: readonly string[], name: 'holidays' | 'workdays') =>
      list.forEach((d, j) => {
        const field = `years.${i}.${name}.${j}`;
        if (!CIVIL.test(d) || addDays(d, 0) !== d) return problems.push({ field, reason: `${d} 不是有效日期` });
        if (yearOf(d) !== y.year) return problems.push({ field, reason: `${d} 不在 ${y.year} 年` });
        if (name === 'workdays' && isMondayToFriday(d)) return problems.push({ field, reason: `${d} 不是周末，不需要调休上班` });
        if (name === 'workdays' && y.holidays.includes(d)) return problems.push({ field, reason: `${d} 不能既放假又上班` });
        return undefined;
      });
    check(y.holidays, 'holidays');
    check(y.workdays, 'workdays');
  });
  return problems;
}

/**
 * The base calendar with each year's arrangement layered over it (a described year replaces the base's guess).
 * @example calendarWithArrangements(chinaCalendar, [{ year: 2027, holidays: ['2027-01-01'], workdays: [], source: null }])
 */
export function calendarWithArrangements(base: WorkCalendar, years: readonly YearArrangement[]): WorkCalendar {
  return [...years]
    .sort((a, b) => a.year - b.year)
    .reduce((cal, y) => withOverrides(cal, { name: String(y.year), holidays: y.holidays, workdays: y.workdays, coverage: { from: y.year, to: y.year } }), base);
}

const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A time from the data: `YYYY-MM-DD[ HH:mm[:ss]]` is Beijing wall-clock time; a string with `Z` or an offset is
 * an instant. Anything else is null.
 *
 * @example
 * parseBeijingTime('2019-02-28 11:25:05')?.toISOString() // → '2019-02-28T03:25:05.000Z'
 */
export function parseBeijingTime(value: string): Date | null {
  const s = value.trim();
  const m = LOCAL_TIME.exec(s);
  if (m) {
    const [, date = '', hh = '0', mm = '0', ss = '0'] = m;
    if (!isCivilDate(date) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return null;
    return fromShanghai(date, Number(hh), Number(mm), Number(ss));
  }
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(s)) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t);
}
