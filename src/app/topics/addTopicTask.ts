/** 加任务: the topic's overseer adds a task for a responsible unit; the task, its history row, the notice and the audit row in one transaction. */
import type { Actor } from '../../domain/actor.js';
import { shanghaiDate } from '../../domain/deadline/index.js';
import { DomainError, forbidden } from '../../domain/errors.js';
import type { Db } from '../../store/db.js';
import { appendAudit } from '../audit/appendAudit.js';
import { getReference } from '../reference/referenceCache.js';
import { checkTask, insertTasks, type TaskInput } from './adoptTopic.js';
import { loadVisibleTopic, oversees } from './topicRecord.js';

export async function addTopicTask(args: { db: Db; actor: Actor; topicId: string; input: TaskInput; now: Date }): Promise<{ id: string }> {
  const { db, actor, now } = args;
  const ref = await getReference(db);
  return db.transaction(async (tx) => {
    const rec = await loadVisibleTopic(tx, ref, actor, args.topicId, { forUpdate: true });
    if (!oversees(actor, rec.areaPath)) throw forbidden('只有牵头领导或督办员可以添加任务');
    if (rec.row.state !== 'active') throw new DomainError('ILLEGAL_TRANSITION', '该题已结题，不能添加任务');
    const task = checkTask(ref, actor, args.input, 'task', shanghaiDate(now));
    const [id = ''] = await insertTasks(tx, { topicId: rec.row.id, topicNo: rec.row.no, topicTitle: rec.row.title, tasks: [task], actor, now });
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.displayName, action: 'topic.task.add', targetType: 'topic_task', targetId: id, detail: { topicId: rec.row.id, unitId: task.unit.id, dueDate: task.dueDate } });
    return { id };
  });
}
