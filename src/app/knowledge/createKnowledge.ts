/** Add an answer to the knowledge base (administrators): the entry, its first version and an audit record together. */
import type { Actor } from '../../domain/actor.js';
import type { Db } from '../../store/db.js';
import { knowledge, knowledgeVersions } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { checkCategory, termsOf, viewOf, type KnowledgeInput, type KnowledgeView } from './knowledgeRecord.js';

export async function createKnowledge(args: { db: Db; actor: Actor; input: KnowledgeInput; now: Date }): Promise<KnowledgeView> {
  const { db, actor, input, now } = args;
  const categoryName = await checkCategory(db, input.categoryCode);
  const terms = termsOf(input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(knowledge)
      .values({ title: input.title, answer: input.answer, categoryId: input.categoryCode, keywords: input.keywords, terms, version: 1, active: input.active, updatedBy: actor.userId, updatedAt: now })
      .returning();
    if (!row) throw new Error('knowledge insert returned no row');
    await tx.insert(knowledgeVersions).values({ knowledgeId: row.id, version: 1, title: row.title, answer: row.answer, keywords: row.keywords, active: row.active, editedBy: actor.userId, editedAt: now });
    await appendAudit(tx, {
      at: now,
      actorId: actor.userId,
      actorName: actor.username,
      action: 'knowledge.create',
      targetType: 'knowledge',
      targetId: row.id,
      detail: { version: 1, title: row.title, categoryCode: row.categoryId, active: row.active },
    });
    return viewOf(row, categoryName);
  });
}
