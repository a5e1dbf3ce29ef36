/** One knowledge entry with its version history, newest first (also retired entries: they may be reactivated). */
import { desc, eq } from 'drizzle-orm';
import { notFound } from '../../domain/errors.js';
import type { DbOrTx } from '../../store/db.js';
import { knowledge, knowledgeVersions, users } from '../../store/schema/index.js';
import { categoryNameOf, viewOf, type KnowledgeView } from './knowledgeRecord.js';

export type KnowledgeVersionView = {
  version: number;
  title: string;
  answer: string;
  keywords: string[];
  active: boolean;
  editedAt: string;
  editedBy: string | null;
};

export type KnowledgeDetail = KnowledgeView & { versions: KnowledgeVersionView[] };

export async function getKnowledge(args: { db: DbOrTx; id: string }): Promise<KnowledgeDetail> {
  const { db, id } = args;
  const [row] = await db.select().from(knowledge).where(eq(knowledge.id, id)).limit(1);
  if (!row) throw notFound('知识条目');
  const [categoryName, versions] = await Promise.all([
    categoryNameOf(db, row.categoryId),
    db
      .select({ v: knowledgeVersions, editor: users.displayName })
      .from(knowledgeVersions)
      .leftJoin(users, eq(users.id, knowledgeVersions.editedBy))
      .where(eq(knowledgeVersions.knowledgeId, id))
      .orderBy(desc(knowledgeVersions.version)),
  ]);
  return {
    ...viewOf(row, categoryName),
    versions: versions.map(({ v, editor }) => ({ version: v.version, title: v.title, answer: v.answer, keywords: v.keywords, active: v.active, editedAt: v.editedAt.toISOString(), editedBy: editor })),
  };
}
