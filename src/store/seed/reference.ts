/**
 * Reference data into the database: Beijing's units, the handling units that are not places, and the default
 * dispatch catalogue. Idempotent: rows that exist are left alone, so an administrator's edits survive restarts.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db.js';
import { categories, units } from '../schema/index.js';
import { allOrganizationUnits, defaultCategories, loadDivisions } from '../reference/index.js';

type UnitRow = typeof units.$inferInsert;

/** Build every unit row of the organization tree with its materialised path. */
export function referenceUnitRows(): UnitRow[] {
  const d = loadDivisions();
  const rows: UnitRow[] = [];
  const pathOf = new Map<string, string>();
  const add = (r: Omit<UnitRow, 'path' | 'depth'>) => {
    const parentPath = r.parentId ? pathOf.get(r.parentId) : '/';
    if (parentPath === undefined) throw new Error(`unit ${r.id} names unknown parent ${String(r.parentId)}`);
    const path = `${parentPath}${r.id}/`;
    pathOf.set(r.id, path);
    rows.push({ ...r, path, depth: path.split('/').length - 3 });
  };
  add({ id: d.city.code, name: d.city.name, shortName: '北京', level: 'city', parentId: null });
  for (const x of d.districts) add({ id: x.code, name: x.name, shortName: x.name.replace(/区$/, ''), level: 'district', parentId: d.city.code, lat: x.lat ?? null, lng: x.lng ?? null });
  for (const x of d.streets)
    add({ id: x.code, name: x.name, shortName: shortStreetName(x.name), level: 'street', kind: x.kind, parentId: x.district });
  for (const x of d.communities) add({ id: x.code, name: x.name, shortName: shortCommunityName(x.name), level: 'community', parentId: x.street });
  for (const o of allOrganizationUnits(d.districts))
    add({ id: o.code, name: o.name, shortName: o.shortName, level: o.level, kind: o.service ?? o.abbr ?? null, parentId: o.parent });
  return rows;
}

/** 望京街道 → 望京, 南口镇 → 南口, 王四营地区 → 王四营 */
export function shortStreetName(name: string): string {
  return name.replace(/(街道办事处|街道|地区办事处|地区|镇|乡)$/, '') || name;
}

/** 花家地西里社区居委会 → 花家地西里 */
export function shortCommunityName(name: string): string {
  return name.replace(/(社区居民委员会|社区居委会|居民委员会|居委会|村民委员会|村委会|社区|村)$/, '') || name;
}

export async function seedReference(db: Db): Promise<{ units: number; categories: number }> {
  const rows = referenceUnitRows();
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insert(units).values(rows.slice(i, i + 1000)).onConflictDoNothing();
  }
  const cats = defaultCategories.map((c, i) => ({
    id: c.code,
    parentId: c.parent ?? null,
    name: c.name,
    depth: c.code.split('.').length - 1,
    handling: c.handling,
    department: c.department ?? null,
    coUnits: [...(c.coUnits ?? [])],
    urgency: c.urgency,
    keywords: [...c.keywords],
    sort: i,
  }));
  for (let i = 0; i < cats.length; i += 500) {
    await db.insert(categories).values(cats.slice(i, i + 500)).onConflictDoNothing();
  }
  const [r] = await queryRows<{ u: number; c: number }>(db, sql`SELECT (SELECT count(*) FROM units)::int AS u, (SELECT count(*) FROM categories)::int AS c`);
  return { units: r?.u ?? 0, categories: r?.c ?? 0 };
}
