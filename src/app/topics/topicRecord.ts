/**
 * Topics in the store: loading a topic with its lead units, tasks and history; who may see it and who oversees it;
 * and the presenter the routes return. A topic's area is its district, or the city for a citywide topic.
 */
import { asc, eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { notFound } from '../../domain/errors.js';
import { isWithin } from '../../domain/jurisdiction.js';
import type { DbOrTx, Tx } from '../../store/db.js';
import { topicEvents, topicTasks, topicUnits, topics } from '../../store/schema/index.js';
import { CITY_PATH } from '../orders/orderRecord.js';
import type { Reference } from '../reference/referenceCache.js';
import { isTaskOverdue, type TaskState } from './taskLifecycle.js';

export type TopicRow = typeof topics.$inferSelect;
export type TopicTaskRow = typeof topicTasks.$inferSelect;
export type TopicRecord = { row: TopicRow; units: (typeof topicUnits.$inferSelect)[]; tasks: TopicTaskRow[]; events: (typeof topicEvents.$inferSelect)[]; areaPath: string };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string) => UUID_RE.test(id);

/** The path of a topic's area: its district's, or the city's. */
export function areaPathOf(ref: Reference, districtId: string | null): string {
  return (districtId && ref.units.get(districtId)?.path) || CITY_PATH;
}

/** Leaders and supervisors whose scope covers the topic's area oversee it: they add, reopen and close. */
export function oversees(actor: Actor, areaPath: string): boolean {
  return (actor.role === 'leader' || actor.role === 'supervisor') && isWithin(actor.scopePath, areaPath);
}

/** Those who oversee a topic see all of it; a unit sees a topic it leads or has tasks in, and only its own tasks. */
export function canSeeTopic(actor: Actor, rec: Pick<TopicRecord, 'areaPath' | 'units' | 'tasks'>): boolean {
  if (actor.role === 'citizen' || !actor.scopePath) return false;
  if (isWithin(actor.scopePath, rec.areaPath)) return true;
  return rec.units.some((u) => isWithin(actor.scopePath, u.unitPath)) || rec.tasks.some((t) => isWithin(actor.scopePath, t.unitPath));
}

export function visibleTasks(actor: Actor, rec: Pick<TopicRecord, 'areaPath' | 'tasks'>): TopicTaskRow[] {
  if (isWithin(actor.scopePath, rec.areaPath)) return rec.tasks;
  return rec.tasks.filter((t) => isWithin(actor.scopePath, t.unitPath));
}

export async function loadTopicRecord(db: DbOrTx, ref: Reference, id: string, opts: { forUpdate?: boolean } = {}): Promise<TopicRecord | null> {
  if (!isUuid(id)) return null;
  const q = db.select().from(topics).where(eq(topics.id, id)).limit(1);
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  if (!row) return null;
  // One after another: inside a transaction the handle is one connection.
  const units = await db.select().from(topicUnits).where(eq(topicUnits.topicId, id));
  const tasks = await db.select().from(topicTasks).where(eq(topicTasks.topicId, id)).orderBy(asc(topicTasks.dueDate), asc(topicTasks.createdAt), asc(topicTasks.id));
  const events = await db.select().from(topicEvents).where(eq(topicEvents.topicId, id)).orderBy(asc(topicEvents.id));
  return { row, units, tasks, events, areaPath: areaPathOf(ref, row.districtId) };
}

/** A topic the actor may see, or 404 — another district's topic is "not found", never "forbidden". */
export async function loadVisibleTopic(db: DbOrTx, ref: Reference, actor: Actor, id: string, opts: { forUpdate?: boolean } = {}): Promise<TopicRecord> {
  const rec = await loadTopicRecord(db, ref, id, opts);
  if (!rec || !canSeeTopic(actor, rec)) throw notFound('每月一题');
  return rec;
}

export async function addTopicEvent(tx: Tx, e: { topicId: string; taskId?: string | null; at: Date; type: string; fromState?: string | null; toState?: string | null; actor: Actor | null; data?: Record<string, unknown> }): Promise<void> {
  await tx.insert(topicEvents).values({
    topicId: e.topicId,
    taskId: e.taskId ?? null,
    at: e.at,
    type: e.type,
    fromState: e.fromState ?? null,
    toState: e.toState ?? null,
    actorId: e.actor?.userId ?? null,
    actorName: e.actor?.displayName ?? '系统',
    actorUnitId: e.actor?.unitId ?? null,
    data: e.data ?? {},
  });
}

type Named = { code: string; name: string };
export type TaskView = { id: string; title: string; unit: Named; dueDate: string; state: TaskState; overdue: boolean; note: string | null; evidence: { attachmentIds: string[]; orderIds: string[] }; version: number; doneAt: string | null; updatedAt: string };

export function presentTask(t: TopicTaskRow, ref: Reference, today: string): TaskView {
  const state = t.state as TaskState;
  return {
    id: t.id,
    title: t.title,
    unit: { code: t.unitId, name: ref.units.get(t.unitId)?.name ?? t.unitId },
    dueDate: t.dueDate,
    state,
    overdue: isTaskOverdue({ state, dueDate: t.dueDate }, today),
    note: t.note,
    evidence: t.evidence,
    version: t.version,
    doneAt: t.doneAt?.toISOString() ?? null,
    updatedAt: t.updatedAt.toISOString(),
  };
}

export type TaskProgress = { total: number; done: number; inProgress: number; open: number; overdue: number };

export function taskProgress(tasks: readonly TaskView[]): TaskProgress {
  return {
    total: tasks.length,
    done: tasks.filter((t) => t.state === 'done').length,
    inProgress: tasks.filter((t) => t.state === 'in_progress').length,
    open: tasks.filter((t) => t.state === 'open').length,
    overdue: tasks.filter((t) => t.overdue).length,
  };
}
