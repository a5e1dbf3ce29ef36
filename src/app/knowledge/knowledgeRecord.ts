/** What the knowledge use-cases share: the shapes they return, the indexed terms of an entry, category checks. */
import { eq } from 'drizzle-orm';
import { invalid } from '../../domain/errors.js';
import { searchTerms } from '../../intelligence/text/words.js';
import type { DbOrTx } from '../../store/db.js';
import { categories, type knowledge } from '../../store/schema/index.js';

export type Named = { code: string; name: string } | null;

export type KnowledgeRow = typeof knowledge.$inferSelect;

export type KnowledgeView = {
  id: string;
  title: string;
  answer: string;
  category: Named;
  keywords: string[];
  active: boolean;
  version: number;
  updatedAt: string;
};

/** What an administrator writes; the rest (terms, version, who and when) follows from it. */
export type KnowledgeInput = {
  title: string;
  answer: string;
  categoryCode: string | null;
  keywords: string[];
  active: boolean;
};

export function viewOf(row: KnowledgeRow, categoryName: string | null): KnowledgeView {
  return {
    id: row.id,
    title: row.title,
    answer: row.answer,
    category: row.categoryId ? { code: row.categoryId, name: categoryName ?? row.categoryId } : null,
    keywords: row.keywords,
    active: row.active,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The `terms` column: jieba search words of title, keywords and answer, space-separated, for
 * `to_tsvector('simple', terms)`. Title and keywords come first only for readability; ranking weighs them in SQL.
 *
 * @example
 * termsOf({ title: '居住证怎么办理', keywords: ['暂住证'], answer: '…' }) // → '居住 居住证 办理 暂住 暂住证 …'
 */
export function termsOf(entry: Pick<KnowledgeInput, 'title' | 'keywords' | 'answer'>): string {
  return [...searchTerms(entry.title), ...entry.keywords.flatMap((k) => searchTerms(k)), ...searchTerms(entry.answer)].join(' ');
}

/** The catalogue name of `code`; a knowledge entry may only point at an active category. */
export async function checkCategory(db: DbOrTx, code: string | null): Promise<string | null> {
  if (code === null) return null;
  const [cat] = await db.select({ name: categories.name, active: categories.active }).from(categories).where(eq(categories.id, code)).limit(1);
  if (!cat || !cat.active) throw invalid('categoryCode', '目录不存在或已停用');
  return cat.name;
}

export async function categoryNameOf(db: DbOrTx, code: string | null): Promise<string | null> {
  if (code === null) return null;
  const [cat] = await db.select({ name: categories.name }).from(categories).where(eq(categories.id, code)).limit(1);
  return cat?.name ?? null;
}
