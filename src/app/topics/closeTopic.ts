/** 结题: the topic's overseer closes it with its outcome; open tasks stay as they are, on record. One transaction with its history and audit rows. */
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden, invalid } from '../../domain/errors.js';
import { eq } from 'drizzle-orm';
import type { Db } from '../../store/db.js';
import { topics } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { getReference } from '../reference/referenceCache.js';
import { addTopicEvent, loadVisibleTopic, oversees } from './topicRecord.js';

export async function closeTopic(args: { db: Db; actor: Actor; topicId: string; outcome: string; version: number; now: Date }): Promise<{ id: string; version: number }> {
  const { db, actor, now } = args;
  const outcome = args.outcome.trim();
  if (!outcome) throw invalid('outcome', '结题须写明成效');
  const ref = await getReference(db);
  return db.transaction(async (tx) => {
    const rec = await loadVisibleTopic(tx, ref, actor, args.topicId, { forUpdate: true });
    if (!oversees(actor, rec.areaPath)) throw forbidden('只有牵头领导或督办员可以结题');
    if (rec.row.state !== 'active') throw new DomainError('ILLEGAL_TRANSITION', '该题已结题');
    if (rec.row.version !== args.version) throw new DomainError('VERSION_CONFLICT', '该题已被他人更新，请刷新后重试');
    const open = rec.tasks.filter((t) => t.state !== 'done').length;
    const version = rec.row.version + 1;
    await tx.update(topics).set({ state: 'closed', outcome, closedAt: now, version }).where(eq(topics.id, rec.row.id));
    await addTopicEvent(tx, { topicId: rec.row.id, at: now, type: 'topic_closed', fromState: 'active', toState: 'closed', actor, data: { outcome, openTasks: open } });
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.displayName, action: 'topic.close', targetType: 'topic', targetId: rec.row.id, detail: { no: rec.row.no, openTasks: open } });
    return { id: rec.row.id, version };
  });
}
