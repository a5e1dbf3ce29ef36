/**
 * 每月一题 lists and detail: adopted topics the actor may see, with task progress (done of total, overdue) and the
 * class's monthly orders and rates from three months before adoption to now — did the problem shrink?
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { shanghaiDate } from '../../domain/deadline/index.js';
import type { DbOrTx } from '../../store/db.js';
import { topicTasks, topicUnits, topics, units } from '../../store/schema/index.js';
import { isHotline } from '../orders/orderRecord.js';
import { getReference, namesFromReference, type Reference } from '../reference/referenceCache.js';
import { addMonths, classKey, classMonths, monthOf, monthRange, type ClassRows } from './classMonths.js';
import { areaPathOf, loadVisibleTopic, oversees, presentTask, taskProgress, visibleTasks, type TaskProgress, type TaskView, type TopicRow } from './topicRecord.js';

type Named = { code: string; name: string };
export type TopicTrendPoint = { month: string; orders: number; resolutionRate: number | null; satisfactionRate: number | null; unresolvedShare: number | null };
export type TopicSummary = {
  id: string;
  no: string;
  month: string;
  title: string;
  description: string;
  state: 'active' | 'closed';
  category: Named;
  district: Named | null;
  leadUnits: Named[];
  adoptedAt: string;
  closedAt: string | null;
  outcome: string | null;
  progress: TaskProgress;
  baseline: Record<string, unknown> | null;
  trend: TopicTrendPoint[];
  /** Whether the viewer oversees it (adds and reopens tasks, closes it). */
  oversee: boolean;
  version: number;
};

const rate = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null);

/** The monthly trend of a topic's class from three months before its month to now. */
function trendOf(row: TopicRow, series: ClassRows | undefined, months: string[], now: Date): TopicTrendPoint[] {
  const from = addMonths(row.month, -3);
  return months.flatMap((m, i) => {
    if (m < from || m > monthOf(now)) return [];
    const c = series?.months[i];
    return [{
      month: m,
      orders: c?.orders ?? 0,
      resolutionRate: rate(series?.resolved[i] ?? 0, c?.followedUp ?? 0),
      satisfactionRate: rate(series?.satisfied[i] ?? 0, series?.answered[i] ?? 0),
      unresolvedShare: rate(c?.unresolved ?? 0, c?.followedUp ?? 0),
    }];
  });
}

/** The SQL condition for topics the actor may see (same rule as canSeeTopic). */
function visibleTopicCondition(actor: Actor): SQL | undefined {
  if (actor.role === 'citizen' || !actor.scopePath) return sql`false`;
  if (isHotline(actor)) return undefined;
  const prefix = `${actor.scopePath.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`(EXISTS (SELECT 1 FROM ${units} du WHERE du.id = ${topics.districtId} AND du.path LIKE ${prefix})
    OR EXISTS (SELECT 1 FROM ${topicUnits} tu WHERE tu.topic_id = ${topics.id} AND tu.unit_path LIKE ${prefix})
    OR EXISTS (SELECT 1 FROM ${topicTasks} tt WHERE tt.topic_id = ${topics.id} AND tt.unit_path LIKE ${prefix}))`;
}

async function summarise(db: DbOrTx, ref: Reference, actor: Actor, rows: TopicRow[], now: Date): Promise<TopicSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const leadRows = await db.select().from(topicUnits).where(inArray(topicUnits.topicId, ids));
  const taskRows = await db.select().from(topicTasks).where(inArray(topicTasks.topicId, ids)).orderBy(asc(topicTasks.dueDate));
  const today = shanghaiDate(now);
  const from = addMonths(rows.reduce((m, r) => (r.month < m ? r.month : m), monthOf(now)), -3);
  const to = monthOf(now);
  const months = monthRange(from, to);
  const cityRows = rows.filter((r) => !r.districtId);
  const districtRows = rows.filter((r) => r.districtId);
  const series = new Map<string, ClassRows>();
  if (cityRows.length) for (const [k, v] of await classMonths({ db, actor, from, to, by: 'city', only: cityRows.map((r) => ({ categoryId: r.categoryId, districtId: null })) })) series.set(k, v);
  if (districtRows.length) for (const [k, v] of await classMonths({ db, actor, from, to, by: 'district', only: districtRows.map((r) => ({ categoryId: r.categoryId, districtId: r.districtId })) })) series.set(k, v);
  const names = namesFromReference(ref);
  return rows.map((row) => {
    const areaPath = areaPathOf(ref, row.districtId);
    const tasks = visibleTasks(actor, { areaPath, tasks: taskRows.filter((t) => t.topicId === row.id) }).map((t) => presentTask(t, ref, today));
    return {
      id: row.id,
      no: row.no,
      month: row.month,
      title: row.title,
      description: row.description,
      state: row.state === 'closed' ? 'closed' : 'active',
      category: names.category(row.categoryId) ?? { code: row.categoryId, name: row.categoryId },
      district: names.unit(row.districtId),
      leadUnits: leadRows.filter((u) => u.topicId === row.id).map((u) => names.unit(u.unitId) ?? { code: u.unitId, name: u.unitId }),
      adoptedAt: row.adoptedAt.toISOString(),
      closedAt: row.closedAt?.toISOString() ?? null,
      outcome: row.outcome,
      progress: taskProgress(tasks),
      baseline: row.baseline,
      trend: trendOf(row, series.get(classKey(row.categoryId, row.districtId)), months, now),
      oversee: oversees(actor, areaPath),
      version: row.version,
    };
  });
}

/** listTopics({ db, actor, now, filter: { state: 'active' } }) → topics, newest month first. */
export async function listTopics(args: { db: DbOrTx; actor: Actor; now: Date; filter?: { state?: 'active' | 'closed' | undefined; month?: string | undefined; limit?: number | undefined } }): Promise<TopicSummary[]> {
  const { db, actor, now } = args;
  const f = args.filter ?? {};
  const conds = [visibleTopicCondition(actor), f.state ? eq(topics.state, f.state) : undefined, f.month ? eq(topics.month, f.month) : undefined].filter((c): c is SQL => !!c);
  const rows = await db
    .select()
    .from(topics)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(topics.month), desc(topics.adoptedAt))
    .limit(f.limit ?? 50);
  return summarise(db, await getReference(db), actor, rows, now);
}

export type TopicDetail = TopicSummary & {
  tasks: TaskView[];
  history: { id: number; at: string; type: string; taskId: string | null; from: string | null; to: string | null; actor: string | null; data: Record<string, unknown> }[];
  evidenceOrderIds: string[];
};

/** getTopic({ db, actor, topicId, now }) → the topic with its tasks (a unit sees only its own) and history; 404 when unseen. */
export async function getTopic(args: { db: DbOrTx; actor: Actor; topicId: string; now: Date }): Promise<TopicDetail> {
  const { db, actor, now } = args;
  const ref = await getReference(db);
  const rec = await loadVisibleTopic(db, ref, actor, args.topicId);
  const [summary] = await summarise(db, ref, actor, [rec.row], now);
  if (!summary) throw new Error('unreachable: a loaded topic summarises');
  const today = shanghaiDate(now);
  const tasks = visibleTasks(actor, rec).map((t) => presentTask(t, ref, today));
  const mine = new Set(tasks.map((t) => t.id));
  return {
    ...summary,
    tasks,
    history: rec.events
      .filter((e) => !e.taskId || mine.has(e.taskId))
      .map((e) => ({ id: e.id, at: e.at.toISOString(), type: e.type, taskId: e.taskId, from: e.fromState, to: e.toState, actor: e.actorName, data: e.data })),
    evidenceOrderIds: summary.oversee ? rec.row.evidenceOrderIds : [],
  };
}

export type MyTaskView = TaskView & { topic: { id: string; no: string; title: string; month: string; state: string } };

/** The tasks of the actor's units (and those under them), open ones first, by due date. */
export async function listMyTopicTasks(args: { db: DbOrTx; actor: Actor; now: Date; state?: 'open' | 'in_progress' | 'done' | 'pending' | undefined }): Promise<MyTaskView[]> {
  const { db, actor, now } = args;
  if (actor.role === 'citizen' || !actor.scopePath) return [];
  const prefix = `${actor.scopePath.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const stateCond = args.state === 'pending' ? sql`${topicTasks.state} <> 'done'` : args.state ? eq(topicTasks.state, args.state) : undefined;
  const rows = await db
    .select({ task: topicTasks, topic: { id: topics.id, no: topics.no, title: topics.title, month: topics.month, state: topics.state } })
    .from(topicTasks)
    .innerJoin(topics, eq(topics.id, topicTasks.topicId))
    .where(and(sql`${topicTasks.unitPath} LIKE ${prefix}`, stateCond))
    .orderBy(sql`${topicTasks.state} = 'done'`, asc(topicTasks.dueDate))
    .limit(200);
  const ref = await getReference(db);
  const today = shanghaiDate(now);
  return rows.map((r) => ({ ...presentTask(r.task, ref, today), topic: r.topic }));
}
