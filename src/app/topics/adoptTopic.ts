/**
 * 立题: a leader or supervisor takes a problem class up as the month's topic (每月一题), with lead units and tasks
 * for responsible units by due dates. The candidate's figures at adoption are kept as the baseline progress is read
 * against. Topic, lead units, tasks, history, notices to the units and the audit row are one transaction.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { shanghaiDate } from '../../domain/deadline/index.js';
import { DomainError, forbidden, invalid } from '../../domain/errors.js';
import { isWithin } from '../../domain/jurisdiction.js';
import type { Db, Tx } from '../../store/db.js';
import { topicTasks, topicUnits, topics } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { enqueueNotification } from '../outbox/publish.js';
import { activeUnit, getReference, type Reference } from '../reference/referenceCache.js';
import { addMonths, monthOf, monthStart } from './classMonths.js';
import { candidateWindow, classCandidates, evidenceOrders } from './listTopicCandidates.js';
import { addTopicEvent, areaPathOf } from './topicRecord.js';

export type TaskInput = { title: string; unitCode: string; dueDate: string };
export type AdoptTopicInput = {
  categoryCode: string;
  districtCode?: string | undefined;
  /** `YYYY-MM`; this month when absent. */
  month?: string | undefined;
  title?: string | undefined;
  description?: string | undefined;
  leadUnitCodes: string[];
  tasks?: TaskInput[] | undefined;
  /** Months of the candidate window the baseline is measured over (default 6). */
  months?: number | undefined;
};

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A unit the actor may assign work to: active, and within the actor's scope. */
export function assignableUnit(ref: Reference, actor: Actor, code: string, field: string): { id: string; path: string; name: string } {
  const u = activeUnit(ref, code);
  if (!u) throw invalid(field, `单位 ${code} 不存在`);
  if (!isWithin(actor.scopePath, u.path)) throw invalid(field, `${u.name}不在本辖区，不能指派`);
  return { id: u.id, path: u.path, name: u.name };
}

/** Check a task's fields and its unit; due today or later (Beijing). */
export function checkTask(ref: Reference, actor: Actor, t: TaskInput, field: string, today: string): { title: string; unit: { id: string; path: string; name: string }; dueDate: string } {
  if (!t.title.trim()) throw invalid(`${field}.title`, '任务名称不能为空');
  if (!DATE_RE.test(t.dueDate) || Number.isNaN(Date.parse(`${t.dueDate}T00:00:00Z`))) throw invalid(`${field}.dueDate`, '日期格式应为 YYYY-MM-DD');
  if (t.dueDate < today) throw invalid(`${field}.dueDate`, '截止日期不能早于今天');
  return { title: t.title.trim(), unit: assignableUnit(ref, actor, t.unitCode, `${field}.unitCode`), dueDate: t.dueDate };
}

export async function insertTasks(tx: Tx, args: { topicId: string; topicNo: string; topicTitle: string; tasks: ReturnType<typeof checkTask>[]; actor: Actor; now: Date }): Promise<string[]> {
  const { topicId, actor, now } = args;
  if (args.tasks.length === 0) return [];
  const rows = args.tasks.map((t) => ({ id: randomUUID(), topicId, title: t.title, unitId: t.unit.id, unitPath: t.unit.path, dueDate: t.dueDate, state: 'open', version: 1, createdAt: now, updatedAt: now }));
  await tx.insert(topicTasks).values(rows);
  for (const r of rows) await addTopicEvent(tx, { topicId, taskId: r.id, at: now, type: 'task_added', toState: 'open', actor, data: { title: r.title, unitId: r.unitId, dueDate: r.dueDate } });
  for (const unitId of [...new Set(rows.map((r) => r.unitId))]) {
    const mine = rows.filter((r) => r.unitId === unitId);
    await enqueueNotification(tx, { template: 'topic_task_assigned', title: `每月一题${args.topicNo}：${mine.length}项任务待办`, body: `${args.topicTitle}。${mine.map((r) => `${r.title}（${r.dueDate}前）`).join('；')}`, unitIds: [unitId] }, now);
  }
  return rows.map((r) => r.id);
}

/** adoptTopic({ db, actor: leader, input: { categoryCode: 'GY.04.01', leadUnitCodes: ['110000-RL'], tasks: [...] }, now }) → { id, no } */
export async function adoptTopic(args: { db: Db; actor: Actor; input: AdoptTopicInput; now: Date }): Promise<{ id: string; no: string }> {
  const { db, actor, input, now } = args;
  if (actor.role !== 'leader' && actor.role !== 'supervisor') throw forbidden('只有领导或督办员可以立题');
  const ref = await getReference(db);
  const category = ref.categories.get(input.categoryCode);
  if (!category) throw invalid('categoryCode', '目录不存在');
  let districtId: string | null = null;
  if (input.districtCode) {
    const d = ref.units.get(input.districtCode);
    if (!d || d.level !== 'district') throw invalid('districtCode', '不是有效的区编码');
    districtId = d.id;
  }
  const areaPath = areaPathOf(ref, districtId);
  if (!isWithin(actor.scopePath, areaPath)) throw invalid('districtCode', districtId ? '该区不在本辖区' : '区级领导只能立本区的题，请选择区');
  const thisMonth = monthOf(now);
  const month = input.month ?? thisMonth;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw invalid('month', '月份格式应为 YYYY-MM');
  if (month < thisMonth || month > addMonths(thisMonth, 12)) throw invalid('month', '只能立本月或今后12个月内的题');
  if (input.leadUnitCodes.length === 0) throw invalid('leadUnitCodes', '至少指定一个牵头单位');
  const leads = [...new Set(input.leadUnitCodes)].map((c, i) => assignableUnit(ref, actor, c, `leadUnitCodes[${i}]`));
  const today = shanghaiDate(now);
  const tasks = (input.tasks ?? []).map((t, i) => checkTask(ref, actor, t, `tasks[${i}]`, today));

  // The candidate's figures now, over what this actor sees: the baseline of progress.
  const months = input.months ?? 6;
  const by = districtId ? 'district' : 'city';
  const only = [{ categoryId: category.id, districtId }];
  const [figures] = await classCandidates({ db, actor, now, months, by, only, options: { minSize: 0, minRecurrence: 0 } });
  const w = candidateWindow(now, months);
  const evidence = (await evidenceOrders({ db, actor, classes: only, by, since: monthStart(w.first), until: monthStart(addMonths(w.last, 1)), per: 20 })).get(`${category.id}|${districtId ?? ''}`) ?? [];
  const districtName = districtId ? (ref.units.get(districtId)?.name ?? districtId) : '';
  const title = input.title?.trim() || `${districtName}${category.name}问题治理`;

  try {
    return await db.transaction(async (tx) => {
      const [dup] = await tx.select({ no: topics.no }).from(topics).where(and(eq(topics.month, month), eq(topics.categoryId, category.id), districtId ? eq(topics.districtId, districtId) : sql`${topics.districtId} IS NULL`)).limit(1);
      if (dup) throw new DomainError('CONFLICT', `${month}已立该题（${dup.no}）`);
      const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(topics).where(eq(topics.month, month));
      const no = `MT${month.replace('-', '')}-${String((count?.n ?? 0) + 1).padStart(2, '0')}`;
      const id = randomUUID();
      const baseline = figures ? { ...figures, window: { from: w.first, to: w.last } } : null;
      await tx.insert(topics).values({
        id,
        no,
        month,
        title,
        description: input.description?.trim() ?? '',
        categoryId: category.id,
        districtId,
        state: 'active',
        baseline,
        evidenceOrderIds: evidence.map((e) => e.id),
        adoptedBy: actor.userId,
        adoptedAt: now,
        version: 1,
      });
      await tx.insert(topicUnits).values(leads.map((u) => ({ topicId: id, unitId: u.id, unitPath: u.path })));
      await addTopicEvent(tx, { topicId: id, at: now, type: 'topic_adopted', toState: 'active', actor, data: { month, categoryId: category.id, districtId, leadUnitIds: leads.map((u) => u.id), score: figures?.score ?? null } });
      await enqueueNotification(tx, { template: 'topic_adopted', title: `每月一题${no}：${title}`, body: `贵单位为牵头单位。${input.description?.trim() ?? ''}`, unitIds: leads.map((u) => u.id) }, now);
      const taskIds = await insertTasks(tx, { topicId: id, topicNo: no, topicTitle: title, tasks, actor, now });
      await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.displayName, action: 'topic.adopt', targetType: 'topic', targetId: id, detail: { no, month, categoryId: category.id, districtId, leadUnitIds: leads.map((u) => u.id), taskIds } });
      return { id, no };
    });
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string } };
    if (e.code === '23505' || e.cause?.code === '23505') throw new DomainError('CONFLICT', `${month}已立该题或题号冲突，请刷新后重试`);
    throw err;
  }
}
