/**
 * Load the seed answers (src/store/seed/knowledge.ts) into an empty knowledge base, each as version 1.
 * Idempotent: once the table has any row, administrators own it and nothing is added back.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../store/db.js';
import { categories, knowledge, knowledgeVersions } from '../../store/schema/index.js';
import { knowledgeSeeds } from '../../store/seed/knowledge.js';
import { termsOf } from './knowledgeRecord.js';

// Any fixed number; it only keeps two servers starting at once from seeding twice.
const SEED_LOCK = 8412346;

/** Returns how many entries were added (0 when the table already had rows). */
export async function seedKnowledge(args: { db: Db; now: Date }): Promise<number> {
  const { db, now } = args;
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${SEED_LOCK})`);
    const [existing] = await tx.select({ n: sql<number>`count(*)::int` }).from(knowledge);
    if (Number(existing?.n ?? 0) > 0) return 0;
    // Seeds whose category was removed from the catalogue keep their text without the link.
    const live = new Set((await tx.select({ id: categories.id }).from(categories)).map((c) => c.id));
    const rows = await tx
      .insert(knowledge)
      .values(
        knowledgeSeeds.map((s) => ({
          title: s.title,
          answer: s.answer,
          categoryId: s.categoryCode !== null && live.has(s.categoryCode) ? s.categoryCode : null,
          keywords: [...s.keywords],
          terms: termsOf({ title: s.title, keywords: [...s.keywords], answer: s.answer }),
          version: 1,
          active: true,
          updatedAt: now,
        })),
      )
      .returning();
    await tx.insert(knowledgeVersions).values(rows.map((r) => ({ knowledgeId: r.id, version: 1, title: r.title, answer: r.answer, keywords: r.keywords, active: true, editedAt: now })));
    return rows.length;
  });
}
