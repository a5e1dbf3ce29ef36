import { and, asc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { UnitLevel } from '../../domain/jurisdiction.js';
import { notFound } from '../../domain/errors.js';
import type { Db } from '../../store/db.js';
import { units } from '../../store/schema/index.js';

export type UnitView = { code: string; name: string; shortName: string; level: UnitLevel; kind: string | null; parent: string | null; path: string; lat: number | null; lng: number | null };

export const unitView = (u: typeof units.$inferSelect): UnitView => ({
  code: u.id,
  name: u.name,
  shortName: u.shortName,
  level: u.level as UnitLevel,
  kind: u.kind,
  parent: u.parentId,
  path: u.path,
  lat: u.lat,
  lng: u.lng,
});

/** listUnits({ db, level: 'street', under: '110105' }) → Beijing's units, filtered and paged. */
export async function listUnits(args: {
  db: Db;
  level?: UnitLevel | undefined;
  parent?: string | undefined;
  under?: string | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}): Promise<{ total: number; items: UnitView[] }> {
  const conds: SQL[] = [eq(units.active, true)];
  if (args.level) conds.push(eq(units.level, args.level));
  if (args.parent) conds.push(eq(units.parentId, args.parent));
  if (args.under) conds.push(sql`${units.path} LIKE ${`%/${args.under}/%`}`);
  if (args.q) {
    const pattern = `%${args.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const c = or(ilike(units.name, pattern), ilike(units.shortName, pattern), eq(units.id, args.q));
    if (c) conds.push(c);
  }
  const where = and(...conds);
  const [countRow] = await args.db.select({ n: sql<number>`count(*)::int` }).from(units).where(where);
  const rows = await args.db.select().from(units).where(where).orderBy(asc(units.path)).limit(args.limit).offset(args.offset);
  return { total: countRow?.n ?? 0, items: rows.map(unitView) };
}

export async function getUnit(args: { db: Db; code: string }): Promise<UnitView & { children: number }> {
  const [u] = await args.db.select().from(units).where(eq(units.id, args.code)).limit(1);
  if (!u) throw notFound('单位');
  const [c] = await args.db.select({ n: sql<number>`count(*)::int` }).from(units).where(eq(units.parentId, u.id));
  return { ...unitView(u), children: c?.n ?? 0 };
}
