/** The dispatch catalogue (派单目录): read as a tree, edited by administrators with an audit record. */
import { asc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, notFound } from '../../domain/errors.js';
import type { Db } from '../../store/db.js';
import { categories, units } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { invalidateReference } from '../reference/referenceCache.js';

export type Handling = 'territorial' | 'sectoral' | 'district';
export type Urgency = 'emergency' | 'utility' | 'general' | 'complex';
export type DepartmentRef = { level: 'city' | 'district'; abbr: string };
export type CategoryView = {
  code: string;
  parent: string | null;
  name: string;
  depth: number;
  handling: Handling;
  department: DepartmentRef | null;
  coUnits: { level: 'city' | 'district' | 'street'; abbr?: string }[];
  urgency: Urgency;
  keywords: string[];
  active: boolean;
  version: number;
};

const view = (c: typeof categories.$inferSelect): CategoryView => ({
  code: c.id,
  parent: c.parentId,
  name: c.name,
  depth: c.depth,
  handling: c.handling as Handling,
  department: c.department ?? null,
  coUnits: c.coUnits,
  urgency: c.urgency as Urgency,
  keywords: c.keywords,
  active: c.active,
  version: c.version,
});

export async function listCategories(args: { db: Db; includeInactive?: boolean }): Promise<CategoryView[]> {
  const rows = await args.db.select().from(categories).orderBy(asc(categories.sort), asc(categories.id));
  return rows.filter((r) => args.includeInactive || r.active).map(view);
}

export type CategoryInput = Omit<CategoryView, 'depth' | 'version' | 'active'> & { active?: boolean };

async function checkDepartment(db: Db, input: Pick<CategoryInput, 'handling' | 'department'>): Promise<void> {
  if (input.handling === 'sectoral' && !input.department) {
    throw new DomainError('VALIDATION_FAILED', '条线类目录必须指定承办部门', [{ field: 'department', reason: '条线类（sectoral）必填' }]);
  }
  if (input.department) {
    const [hit] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(units)
      .where(sql`${units.id} LIKE ${`%-${input.department.abbr}`}`);
    if (!hit?.n) throw new DomainError('VALIDATION_FAILED', `未知的部门简称 ${input.department.abbr}`, [{ field: 'department.abbr', reason: '不存在的部门' }]);
  }
}

/** Create a category under an existing parent (or at the top). */
export async function createCategory(args: { db: Db; actor: Actor; input: CategoryInput; now: Date }): Promise<CategoryView> {
  const { db, input } = args;
  await checkDepartment(db, input);
  let depth = 0;
  if (input.parent) {
    const [p] = await db.select().from(categories).where(eq(categories.id, input.parent)).limit(1);
    if (!p) throw new DomainError('VALIDATION_FAILED', '上级目录不存在', [{ field: 'parent', reason: '不存在' }]);
    depth = p.depth + 1;
  }
  const created = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(categories)
      .values({ id: input.code, parentId: input.parent, name: input.name, depth, handling: input.handling, department: input.department, coUnits: input.coUnits, urgency: input.urgency, keywords: input.keywords, active: input.active ?? true, sort: 10_000, updatedAt: args.now })
      .onConflictDoNothing()
      .returning();
    const row = inserted[0];
    if (!row) throw new DomainError('CONFLICT', `目录编码 ${input.code} 已存在`, [{ field: 'code', reason: '已存在' }]);
    await appendAudit(tx, { at: args.now, actorId: args.actor.userId, actorName: args.actor.username, action: 'category.create', targetType: 'category', targetId: row.id, detail: { after: view(row) } });
    return view(row);
  });
  invalidateReference(db);
  return created;
}

/** Update a category; `version` must match the stored one (optimistic locking). */
export async function updateCategory(args: { db: Db; actor: Actor; code: string; version: number; patch: Partial<Omit<CategoryInput, 'code' | 'parent'>>; now: Date }): Promise<CategoryView> {
  const { db, code, patch } = args;
  const [before] = await db.select().from(categories).where(eq(categories.id, code)).limit(1);
  if (!before) throw notFound('目录');
  const merged = { handling: patch.handling ?? (before.handling as Handling), department: patch.department === undefined ? before.department : patch.department };
  await checkDepartment(db, merged);
  const updated = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(categories)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.handling !== undefined ? { handling: patch.handling } : {}),
        ...(patch.department !== undefined ? { department: patch.department } : {}),
        ...(patch.coUnits !== undefined ? { coUnits: patch.coUnits } : {}),
        ...(patch.urgency !== undefined ? { urgency: patch.urgency } : {}),
        ...(patch.keywords !== undefined ? { keywords: patch.keywords } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        version: sql`${categories.version} + 1`,
        updatedAt: args.now,
      })
      .where(sql`${categories.id} = ${code} AND ${categories.version} = ${args.version}`)
      .returning();
    if (!row) throw new DomainError('VERSION_CONFLICT', '目录已被他人修改，请刷新后重试');
    await appendAudit(tx, { at: args.now, actorId: args.actor.userId, actorName: args.actor.username, action: 'category.update', targetType: 'category', targetId: code, detail: { before: view(before), after: view(row) } });
    return view(row);
  });
  invalidateReference(db);
  return updated;
}
