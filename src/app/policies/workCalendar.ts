/**
 * The working-day calendar deadlines count on: China's holidays from chinese-days, plus the years an administrator
 * has entered from the State Council's notice before the package ships them (e.g. 2027 while 1.5.7 ends in 2026).
 */
import { eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { arrangementProblems, calendarWithArrangements, chinaCalendar, type WorkCalendar, type YearArrangement } from '../../domain/deadline/index.js';
import { DomainError } from '../../domain/errors.js';
import type { Db, DbOrTx } from '../../store/db.js';
import { settings } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';

const KEY = 'calendar_arrangements';

/** Read on every step that starts or moves a clock, so kept for a few seconds; another server's edit shows within CACHE_MS. */
const CACHE_MS = 5_000;
const cache = new WeakMap<object, { at: number; years: readonly YearArrangement[]; calendar: WorkCalendar }>();

export async function getCalendarArrangements(db: DbOrTx): Promise<YearArrangement[]> {
  const [row] = await db.select().from(settings).where(eq(settings.key, KEY)).limit(1);
  return row ? (row.value as YearArrangement[]) : [];
}

/** getWorkCalendar(db) → chinaCalendar with the administrators' years layered over it. */
export async function getWorkCalendar(db: DbOrTx, opts: { cacheKey?: object } = {}): Promise<WorkCalendar> {
  const key = opts.cacheKey;
  const hit = key ? cache.get(key) : undefined;
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.calendar;
  const years = await getCalendarArrangements(db);
  const calendar = years.length ? calendarWithArrangements(chinaCalendar, years) : chinaCalendar;
  if (key) cache.set(key, { at: Date.now(), years, calendar });
  return calendar;
}

/** The years the calendar knows: from the package, and from administrators. */
export function calendarCoverage(calendar: WorkCalendar, years: readonly YearArrangement[]): { package: { from: number; to: number }; entered: number[]; effective: { from: number; to: number } } {
  return { package: chinaCalendar.coverage(), entered: years.map((y) => y.year).sort(), effective: calendar.coverage() };
}

/** Replace the entered years (admin, audited). Clocks already running keep their deadlines; new clocks use the change. */
export async function setCalendarArrangements(args: { db: Db; actor: Actor; years: YearArrangement[]; now: Date }): Promise<YearArrangement[]> {
  const years = args.years.map((y) => ({ year: y.year, holidays: [...new Set(y.holidays)].sort(), workdays: [...new Set(y.workdays)].sort(), source: y.source ?? null }));
  const problems = arrangementProblems(years);
  if (problems.length) throw new DomainError('VALIDATION_FAILED', `节假日安排有误：${problems[0]?.reason ?? ''}`, problems);
  await args.db.transaction(async (tx) => {
    const before = await getCalendarArrangements(tx);
    await tx
      .insert(settings)
      .values({ key: KEY, value: years, updatedAt: args.now })
      .onConflictDoUpdate({ target: settings.key, set: { value: years, updatedAt: args.now } });
    await appendAudit(tx, { at: args.now, actorId: args.actor.userId, actorName: args.actor.username, action: 'policy.calendar.update', targetType: 'settings', targetId: KEY, detail: { before, after: years } });
  });
  cache.delete(args.db);
  return years;
}
