/**
 * Edit a knowledge entry (administrators) with an optimistic `version`: every accepted edit is a new version,
 * kept in knowledge_versions, so what an agent read out on a call can be found later. `active: false` retires it.
 */
import { eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, invalid, notFound } from '../../domain/errors.js';
import type { Db } from '../../store/db.js';
import { knowledge, knowledgeVersions } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { categoryNameOf, checkCategory, termsOf, viewOf, type KnowledgeInput, type KnowledgeView } from './knowledgeRecord.js';

export type KnowledgePatch = Partial<KnowledgeInput>;

const FIELDS = ['title', 'answer', 'categoryCode', 'keywords', 'active'] as const satisfies readonly (keyof KnowledgeInput)[];

export async function updateKnowledge(args: { db: Db; actor: Actor; id: string; version: number; patch: KnowledgePatch; now: Date }): Promise<KnowledgeView> {
  const { db, actor, id, version, patch, now } = args;
  const changed = FIELDS.filter((f) => patch[f] !== undefined);
  if (changed.length === 0) throw invalid('body', '至少修改一项（title、answer、categoryCode、keywords、active）');
  // A new category must be live; keeping the current one is fine even if it was retired since.
  const newCategoryName = patch.categoryCode !== undefined ? await checkCategory(db, patch.categoryCode) : undefined;
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(knowledge).where(eq(knowledge.id, id)).for('update');
    if (!before) throw notFound('知识条目');
    if (before.version !== version) throw new DomainError('VERSION_CONFLICT', `知识条目已被他人修改（当前版本 ${before.version}），请刷新后重试`);
    const next: KnowledgeInput = {
      title: patch.title ?? before.title,
      answer: patch.answer ?? before.answer,
      categoryCode: patch.categoryCode !== undefined ? patch.categoryCode : before.categoryId,
      keywords: patch.keywords ?? before.keywords,
      active: patch.active ?? before.active,
    };
    const [row] = await tx
      .update(knowledge)
      .set({ title: next.title, answer: next.answer, categoryId: next.categoryCode, keywords: next.keywords, active: next.active, terms: termsOf(next), version: before.version + 1, updatedBy: actor.userId, updatedAt: now })
      .where(eq(knowledge.id, id))
      .returning();
    if (!row) throw notFound('知识条目');
    await tx.insert(knowledgeVersions).values({ knowledgeId: id, version: row.version, title: row.title, answer: row.answer, keywords: row.keywords, active: row.active, editedBy: actor.userId, editedAt: now });
    await appendAudit(tx, {
      at: now,
      actorId: actor.userId,
      actorName: actor.username,
      action: before.active && !row.active ? 'knowledge.deactivate' : 'knowledge.update',
      targetType: 'knowledge',
      targetId: id,
      detail: { fromVersion: before.version, version: row.version, changed, title: row.title, ...(patch.categoryCode !== undefined ? { categoryCode: row.categoryId } : {}), ...(patch.active !== undefined ? { active: row.active } : {}) },
    });
    const categoryName = newCategoryName !== undefined ? newCategoryName : await categoryNameOf(tx, row.categoryId);
    return viewOf(row, categoryName);
  });
}
