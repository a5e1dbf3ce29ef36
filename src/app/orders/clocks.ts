/** Carrying out the deadline engine's clock effects on an order's stored clocks, inside its transaction. */
import { and, eq, isNull, sql } from 'drizzle-orm';
import {
  clockStatus,
  extendClock,
  pauseClock,
  resumeClock,
  startPolicyClocks,
  stopClock,
  type Clock,
  type ClockKind,
  type ClockStatus,
  type DeadlinePolicy,
  type Duration,
  type WorkCalendar,
} from '../../domain/deadline/index.js';
import type { Tx } from '../../store/db.js';
import { orderClocks, orders } from '../../store/schema/index.js';

type ClockRow = typeof orderClocks.$inferSelect;

export function rowToClock(r: ClockRow): Clock {
  return {
    kind: r.kind as ClockKind,
    startedAt: r.startedAt,
    duration: r.duration as Duration,
    extensions: r.extensions as Duration[],
    warnBefore: r.warnBefore as Clock['warnBefore'],
    due: r.dueAt,
    warnAt: r.warnAt,
    ...(r.pausedAt ? { pausedAt: r.pausedAt } : {}),
    pausedMs: r.pausedMs,
    pausedWorkingDays: r.pausedWorkingDays,
    ...(r.stoppedAt ? { stoppedAt: r.stoppedAt } : {}),
    calendarFallback: r.calendarFallback,
  };
}

/** When the sweep must next look: the warning if not yet given, then the deadline; nothing once stopped or paused. */
export function nextCheckOf(c: Clock, marks: { warnedAt: Date | null; overdueAt: Date | null }): Date | null {
  if (c.stoppedAt || c.pausedAt) return null;
  if (!marks.warnedAt && c.warnAt < c.due) return c.warnAt;
  if (!marks.overdueAt) return c.due;
  return null;
}

/** The stored row of a clock with its sweep marks. */
export function clockValues(orderId: string, c: Clock, marks: { warnedAt: Date | null; overdueAt: Date | null }): ClockRow {
  return {
    orderId,
    kind: c.kind,
    startedAt: c.startedAt,
    duration: c.duration,
    extensions: [...c.extensions],
    warnBefore: c.warnBefore,
    dueAt: c.due,
    warnAt: c.warnAt,
    pausedAt: c.pausedAt ?? null,
    pausedMs: c.pausedMs,
    pausedWorkingDays: c.pausedWorkingDays,
    stoppedAt: c.stoppedAt ?? null,
    calendarFallback: c.calendarFallback,
    warnedAt: marks.warnedAt,
    overdueAt: marks.overdueAt,
    nextCheckAt: nextCheckOf(c, marks),
  };
}

export async function loadClocks(tx: Tx, orderId: string): Promise<ClockRow[]> {
  return tx.select().from(orderClocks).where(eq(orderClocks.orderId, orderId));
}

/** The stored rows of the named clocks started at `now` under the policy (a policy may have no clock of a kind). */
export function plannedClocks(orderId: string, kinds: readonly ClockKind[], policy: DeadlinePolicy, now: Date, calendar: WorkCalendar): ClockRow[] {
  const started = startPolicyClocks({ policy, start: now, calendar });
  return kinds.flatMap((kind) => {
    const c = started[kind];
    return c ? [clockValues(orderId, c, { warnedAt: null, overdueAt: null })] : [];
  });
}

/** (Re)start the named clocks from `now` under the policy, replacing any of the same kind. */
export async function startClocks(tx: Tx, orderId: string, kinds: readonly ClockKind[], policy: DeadlinePolicy, now: Date, calendar: WorkCalendar): Promise<void> {
  const values = plannedClocks(orderId, kinds, policy, now, calendar);
  if (values.length === 0) return;
  const ex = (col: string) => sql.raw(`excluded.${col}`);
  await tx
    .insert(orderClocks)
    .values(values)
    .onConflictDoUpdate({
      target: [orderClocks.orderId, orderClocks.kind],
      set: { startedAt: ex('started_at'), duration: ex('duration'), extensions: ex('extensions'), warnBefore: ex('warn_before'), dueAt: ex('due_at'), warnAt: ex('warn_at'), pausedAt: null, pausedMs: 0, pausedWorkingDays: 0, stoppedAt: null, calendarFallback: ex('calendar_fallback'), warnedAt: null, overdueAt: null, nextCheckAt: ex('next_check_at') },
    });
}

async function updateClock(tx: Tx, row: ClockRow, next: Clock): Promise<void> {
  const v = clockValues(row.orderId, next, { warnedAt: row.warnedAt, overdueAt: row.overdueAt });
  await tx.update(orderClocks).set(v).where(and(eq(orderClocks.orderId, row.orderId), eq(orderClocks.kind, row.kind)));
}

export async function stopClockOf(tx: Tx, orderId: string, kind: ClockKind, now: Date): Promise<void> {
  const [row] = await tx.select().from(orderClocks).where(and(eq(orderClocks.orderId, orderId), eq(orderClocks.kind, kind), isNull(orderClocks.stoppedAt)));
  if (row) await updateClock(tx, row, stopClock(rowToClock(row), now));
}

export async function pauseClockOf(tx: Tx, orderId: string, kind: ClockKind, now: Date): Promise<void> {
  const [row] = await tx.select().from(orderClocks).where(and(eq(orderClocks.orderId, orderId), eq(orderClocks.kind, kind)));
  // A paused, stopped or overdue clock stays as it is: a pause must not hide a lateness.
  if (!row || row.stoppedAt || row.pausedAt) return;
  const c = rowToClock(row);
  if (clockStatus(c, now) === 'overdue') return;
  await updateClock(tx, row, pauseClock(c, now));
}

export async function resumeClockOf(tx: Tx, orderId: string, kind: ClockKind, now: Date, calendar: WorkCalendar, extendDays?: number): Promise<void> {
  const [row] = await tx.select().from(orderClocks).where(and(eq(orderClocks.orderId, orderId), eq(orderClocks.kind, kind)));
  if (!row || row.stoppedAt) return;
  let c = rowToClock(row);
  if (c.pausedAt) c = resumeClock(c, now, calendar);
  // An extension is counted in the clock's own kind of days (working days under the general policies).
  if (extendDays && extendDays > 0) c = extendClock(c, { amount: extendDays, unit: c.duration.unit === 'working_days' ? 'working_days' : 'calendar_days' }, calendar);
  // An extension moves the deadline: the warning and overdue marks start again.
  const marks = extendDays ? { warnedAt: null, overdueAt: null } : { warnedAt: row.warnedAt, overdueAt: row.overdueAt };
  await tx.update(orderClocks).set(clockValues(row.orderId, c, marks)).where(and(eq(orderClocks.orderId, row.orderId), eq(orderClocks.kind, row.kind)));
}

export async function cancelClocks(tx: Tx, orderId: string): Promise<void> {
  await tx.delete(orderClocks).where(eq(orderClocks.orderId, orderId));
}

/** Copy the reply deadline and the overdue flag onto the order row, for lists and filters. */
export async function denormaliseDeadlines(tx: Tx, orderId: string, now: Date): Promise<void> {
  const rows = await loadClocks(tx, orderId);
  const reply = rows.find((r) => r.kind === 'reply');
  const overdue = rows.some((r) => clockStatus(rowToClock(r), now) === 'overdue');
  await tx.update(orders).set({ replyDueAt: reply?.dueAt ?? null, overdue }).where(eq(orders.id, orderId));
}

export type ClockView = { kind: ClockKind; startedAt: string; dueAt: string; status: ClockStatus; stoppedAt: string | null; pausedAt: string | null; calendarFallback: boolean };

export function clockView(r: ClockRow, now: Date): ClockView {
  const c = rowToClock(r);
  return {
    kind: c.kind,
    startedAt: c.startedAt.toISOString(),
    dueAt: c.due.toISOString(),
    status: clockStatus(c, now),
    stoppedAt: c.stoppedAt?.toISOString() ?? null,
    pausedAt: c.pausedAt?.toISOString() ?? null,
    calendarFallback: c.calendarFallback,
  };
}
