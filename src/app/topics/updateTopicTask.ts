/**
 * 任务进展: the responsible unit starts or completes its task (with a note and evidence); the topic's overseer may
 * also complete it, or reopen a task not really done. The task, its history row and the audit row in one transaction;
 * a stale version is refused.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden, invalid, notFound } from '../../domain/errors.js';
import { isWithin } from '../../domain/jurisdiction.js';
import type { Db } from '../../store/db.js';
import { attachments, orders, topicTasks } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { visibleCondition } from '../orders/orderRecord.js';
import { enqueueNotification } from '../outbox/publish.js';
import { getReference } from '../reference/referenceCache.js';
import { decideTaskStep, type TaskAction, type TaskActorKind, type TaskState } from './taskLifecycle.js';
import { addTopicEvent, isUuid, loadVisibleTopic, oversees } from './topicRecord.js';

export type TaskStepInput = { action: TaskAction; version: number; note?: string | undefined; attachmentIds?: string[] | undefined; orderIds?: string[] | undefined };

export async function updateTopicTask(args: { db: Db; actor: Actor; taskId: string; input: TaskStepInput; now: Date }): Promise<{ id: string; state: TaskState; version: number }> {
  const { db, actor, input, now } = args;
  if (!isUuid(args.taskId)) throw notFound('任务');
  const ref = await getReference(db);
  return db.transaction(async (tx) => {
    const [task] = await tx.select().from(topicTasks).where(eq(topicTasks.id, args.taskId)).limit(1).for('update');
    if (!task) throw notFound('任务');
    const rec = await loadVisibleTopic(tx, ref, actor, task.topicId).catch(() => {
      throw notFound('任务');
    });
    const owner = oversees(actor, rec.areaPath);
    const ownUnit = isWithin(actor.scopePath, task.unitPath);
    if (!owner && !ownUnit) throw notFound('任务');
    if (!owner && !['handler', 'leader', 'supervisor'].includes(actor.role)) throw forbidden('只有承办人或领导可以更新任务');
    if (rec.row.state !== 'active') throw new DomainError('ILLEGAL_TRANSITION', '该题已结题，任务不能再变更');
    if (input.version !== task.version) throw new DomainError('VERSION_CONFLICT', '任务已被他人更新，请刷新后重试');
    const by: TaskActorKind = owner ? 'owner' : 'unit';
    const step = decideTaskStep({ state: task.state as TaskState, action: input.action, by, note: input.note });

    // Evidence: the actor's own uploads not yet used elsewhere, and orders the actor may see.
    const attachmentIds = [...new Set(input.attachmentIds ?? [])];
    if (attachmentIds.length) {
      const found = await tx.select({ id: attachments.id, ownerId: attachments.ownerId, createdBy: attachments.createdBy }).from(attachments).where(inArray(attachments.id, attachmentIds));
      const ok = new Set(found.filter((a) => a.createdBy === actor.userId && (!a.ownerId || a.ownerId === task.id)).map((a) => a.id));
      const bad = attachmentIds.filter((id) => !ok.has(id));
      if (bad.length) throw invalid('attachmentIds', `附件不存在或不属于当前用户：${bad.join('、')}`);
      await tx.update(attachments).set({ ownerType: 'topic_task', ownerId: task.id }).where(inArray(attachments.id, attachmentIds));
    }
    const orderIds = [...new Set(input.orderIds ?? [])];
    if (orderIds.length) {
      const seen = new Set((await tx.select({ id: orders.id }).from(orders).where(and(inArray(orders.id, orderIds), visibleCondition(actor)))).map((o) => o.id));
      const bad = orderIds.filter((id) => !seen.has(id));
      if (bad.length) throw invalid('orderIds', `工单不存在：${bad.join('、')}`);
    }
    const evidence = { attachmentIds: [...new Set([...task.evidence.attachmentIds, ...attachmentIds])], orderIds: [...new Set([...task.evidence.orderIds, ...orderIds])] };
    const version = task.version + 1;
    await tx
      .update(topicTasks)
      .set({ state: step.to, note: input.note?.trim() || task.note, evidence, version, updatedAt: now, doneAt: step.to === 'done' ? now : null })
      .where(eq(topicTasks.id, task.id));
    await addTopicEvent(tx, { topicId: task.topicId, taskId: task.id, at: now, type: step.event, fromState: task.state, toState: step.to, actor, data: { note: input.note?.trim() ?? null, attachmentIds, orderIds, by } });
    if (step.event === 'task_reopened') {
      await enqueueNotification(tx, { template: 'topic_task_reopened', title: `每月一题${rec.row.no}：任务被退回`, body: `${task.title}：${input.note?.trim() ?? ''}`, unitIds: [task.unitId] }, now);
    }
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.displayName, action: `topic.task.${input.action}`, targetType: 'topic_task', targetId: task.id, detail: { topicId: task.topicId, from: task.state, to: step.to } });
    return { id: task.id, state: step.to, version };
  });
}
