/** 考核月: Beijing calendar months as instants, for periods that start and end at Beijing midnight. */
import { DomainError } from '../errors.js';

/** `YYYY-MM`. */
export type Month = string;

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** `isMonth('2026-10')` → true; `isMonth('2026-13')` → false. */
export function isMonth(value: string): boolean {
  return MONTH_RE.test(value);
}

function parts(month: Month): { year: number; month: number } {
  const m = MONTH_RE.exec(month);
  if (!m) throw new DomainError('VALIDATION_FAILED', `月份格式应为 YYYY-MM：${month}`, [{ field: 'month', reason: '格式应为 YYYY-MM' }]);
  return { year: Number(m[1]), month: Number(m[2]) };
}

const format = (year: number, month: number): Month => `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;

/**
 * The month as a half-open range of instants: from Beijing midnight of its first day to that of the next month.
 * @example monthRange('2026-10') // { from: 2026-09-30T16:00:00Z, to: 2026-10-31T16:00:00Z }
 */
export function monthRange(month: Month): { from: Date; to: Date } {
  const { year, month: m } = parts(month);
  return { from: new Date(Date.UTC(year, m - 1, 1) - SHANGHAI_OFFSET_MS), to: new Date(Date.UTC(year, m, 1) - SHANGHAI_OFFSET_MS) };
}

/** `addMonths('2026-01', -1)` → `'2025-12'`. */
export function addMonths(month: Month, n: number): Month {
  const { year, month: m } = parts(month);
  const index = year * 12 + (m - 1) + n;
  return format(Math.floor(index / 12), (index % 12) + 1);
}

/** The Beijing month an instant falls in: `monthOf(new Date('2026-09-30T16:00:00Z'))` → `'2026-10'`. */
export function monthOf(instant: Date): Month {
  const d = new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
  return format(d.getUTCFullYear(), d.getUTCMonth() + 1);
}

/**
 * The months due to be frozen at `now`: ended at least `closeAfterDays` days ago, newest first, at most `lookBack`
 * (the job closes a month it missed while the server was down, but never walks back through history).
 * @example monthsToClose(new Date('2026-11-06T00:00:00Z'), 5, 2) // ['2026-10', '2026-09']
 */
export function monthsToClose(now: Date, closeAfterDays: number, lookBack = 2): Month[] {
  const out: Month[] = [];
  for (let i = 1; i <= lookBack + 1 && out.length < lookBack; i++) {
    const m = addMonths(monthOf(now), -i);
    if (monthRange(m).to.getTime() + closeAfterDays * 86_400_000 <= now.getTime()) out.push(m);
  }
  return out;
}
