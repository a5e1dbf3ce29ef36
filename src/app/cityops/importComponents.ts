/**
 * 部件导入: city components from GeoJSON (Point features with properties `code`, `classCode`, `className?`, `name?`,
 * `state?`, `ownerUnitCode?`) or CSV (`code,class_code,class_name,name,lng,lat,state,owner_unit`). Each is placed
 * in the grid cell that contains it (or must name `streetCode`/`street` when outside every cell). Every feature or
 * line is checked; a file with any reject writes nothing. Re-importing a code updates it.
 */
import { inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden, type FieldProblem } from '../../domain/errors.js';
import { componentClass, componentStates, pointInPolygon, type ComponentState, type PolygonGeometry } from '../../domain/alarm/index.js';
import type { Db } from '../../store/db.js';
import { cityComponents, gridCells, units } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { MAX_IMPORT_ROWS, readCsv, readFeatures, sniffFormat, type ImportReport } from './importGrids.js';

type ComponentFeature = { where: string; code: string; classCode: string; className: string; name: string | null; lng: number; lat: number; state: ComponentState; ownerUnitCode: string | null; streetCode: string | null };

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

export function parseComponentFile(text: string): { format: 'geojson' | 'csv'; items: ComponentFeature[]; rejects: FieldProblem[] } {
  const format = sniffFormat(text);
  const rejects: FieldProblem[] = [];
  const items: ComponentFeature[] = [];
  const take = (where: string, p: Record<string, unknown>, lng: unknown, lat: unknown) => {
    const before = rejects.length;
    const code = str(p.code);
    if (!/^[A-Za-z0-9_-]{3,40}$/.test(code)) rejects.push({ field: `${where}.code`, reason: '部件标识码须为 3–40 位字母、数字、_ 或 -' });
    const cls = componentClass(str(p.classCode ?? p.class_code), str(p.className ?? p.class_name) || null);
    if ('error' in cls) rejects.push({ field: `${where}.classCode`, reason: cls.error });
    const x = typeof lng === 'number' ? lng : Number(str(lng));
    const y = typeof lat === 'number' ? lat : Number(str(lat));
    if (!Number.isFinite(x) || !Number.isFinite(y) || str(lng) === '' || x < -180 || x > 180 || y < -90 || y > 90) rejects.push({ field: `${where}.lng`, reason: '经纬度缺失或超出范围' });
    const state = (str(p.state) || 'normal') as ComponentState;
    if (!componentStates.includes(state)) rejects.push({ field: `${where}.state`, reason: `取值无效（可选：${componentStates.join('、')}）` });
    if (rejects.length === before && !('error' in cls)) {
      items.push({ where, code, classCode: cls.code, className: cls.name, name: str(p.name) || null, lng: x, lat: y, state, ownerUnitCode: str(p.ownerUnitCode ?? p.owner_unit) || null, streetCode: str(p.streetCode ?? p.street) || null });
    }
  };
  if (format === 'geojson') {
    const r = readFeatures(text);
    if ('error' in r) return { format, items, rejects: [{ field: 'file', reason: r.error }] };
    r.features.forEach((f, i) => {
      const g = f.geometry as { type?: unknown; coordinates?: unknown } | null;
      const where = `features[${i}]`;
      if (!g || g.type !== 'Point' || !Array.isArray(g.coordinates)) {
        rejects.push({ field: `${where}.geometry`, reason: '部件几何须为 Point' });
        return;
      }
      take(where, f.properties, g.coordinates[0], g.coordinates[1]);
    });
  } else {
    const r = readCsv(text);
    if ('error' in r) return { format, items, rejects: [{ field: 'file', reason: r.error }] };
    r.records.forEach((rec, i) => take(`line ${i + 2}`, rec, rec.lng, rec.lat));
  }
  const seen = new Map<string, string>();
  for (const it of items) {
    const prev = seen.get(it.code);
    if (prev) rejects.push({ field: `${it.where}.code`, reason: `与 ${prev} 重复` });
    seen.set(it.code, it.where);
  }
  if (items.length + rejects.length === 0) rejects.push({ field: 'file', reason: '文件中没有部件' });
  if (items.length > MAX_IMPORT_ROWS) rejects.push({ field: 'file', reason: `一次最多导入 ${MAX_IMPORT_ROWS} 个` });
  return { format, items, rejects };
}

/** importComponents({ db, actor: admin, text, now }) → a report; all or nothing (VALIDATION_FAILED lists rejects). */
export async function importComponents(args: { db: Db; actor: Actor | null; text: string; now: Date; demo?: boolean; dryRun?: boolean; ip?: string | null }): Promise<ImportReport> {
  const { db, actor, now } = args;
  if (actor && actor.role !== 'admin') throw forbidden('只有管理员可以导入部件');
  const { format, items, rejects } = parseComponentFile(args.text);
  // Place each point: the cells whose boxes hold any of them, then point-in-polygon in memory.
  const placed = new Map<string, { gridId: string | null; streetId: string | null; unitPath: string }>();
  if (items.length) {
    const box = items.reduce((b, it) => ({ minLng: Math.min(b.minLng, it.lng), maxLng: Math.max(b.maxLng, it.lng), minLat: Math.min(b.minLat, it.lat), maxLat: Math.max(b.maxLat, it.lat) }), { minLng: Infinity, maxLng: -Infinity, minLat: Infinity, maxLat: -Infinity });
    const cells = await db
      .select({ id: gridCells.id, streetId: gridCells.streetId, unitPath: gridCells.unitPath, geometry: gridCells.geometry, minLng: gridCells.minLng, maxLng: gridCells.maxLng, minLat: gridCells.minLat, maxLat: gridCells.maxLat })
      .from(gridCells)
      .where(sql`${gridCells.maxLng} >= ${box.minLng} AND ${gridCells.minLng} <= ${box.maxLng} AND ${gridCells.maxLat} >= ${box.minLat} AND ${gridCells.minLat} <= ${box.maxLat}`);
    const unitCodes = [...new Set(items.flatMap((it) => [it.streetCode, it.ownerUnitCode]).filter((x): x is string => !!x))];
    const unitMap = new Map(unitCodes.length ? (await db.select({ id: units.id, path: units.path, level: units.level }).from(units).where(inArray(units.id, unitCodes))).map((u) => [u.id, u]) : []);
    for (const it of items) {
      if (it.ownerUnitCode && !unitMap.has(it.ownerUnitCode)) rejects.push({ field: `${it.where}.ownerUnitCode`, reason: `单位 ${it.ownerUnitCode} 不存在` });
      const cell = cells.find((c) => it.lng >= c.minLng && it.lng <= c.maxLng && it.lat >= c.minLat && it.lat <= c.maxLat && pointInPolygon(it.lng, it.lat, c.geometry as PolygonGeometry));
      if (cell) {
        placed.set(it.code, { gridId: cell.id, streetId: cell.streetId, unitPath: cell.unitPath });
        continue;
      }
      const street = it.streetCode ? unitMap.get(it.streetCode) : undefined;
      if (street && street.level === 'street') placed.set(it.code, { gridId: null, streetId: street.id, unitPath: street.path });
      else rejects.push({ field: `${it.where}.${it.streetCode ? 'streetCode' : 'lng'}`, reason: it.streetCode ? `街道 ${it.streetCode} 不存在` : '位置不在任何网格内，请给出所属街道 streetCode' });
    }
  }
  if (rejects.length) {
    throw new DomainError('VALIDATION_FAILED', `部件导入未执行：${rejects.length} 处问题（${rejects.slice(0, 3).map((r) => `${r.field}：${r.reason}`).join('；')}${rejects.length > 3 ? '…' : ''}）`, rejects);
  }
  const existing = new Set((await db.select({ code: cityComponents.code }).from(cityComponents).where(inArray(cityComponents.code, items.map((i) => i.code)))).map((r) => r.code));
  const report: ImportReport = { format, total: items.length, imported: items.length, created: items.length - existing.size, updated: existing.size, rejects: [] };
  if (args.dryRun) return report;
  await db.transaction(async (tx) => {
    const rows = items.map((it) => {
      const p = placed.get(it.code) as { gridId: string | null; streetId: string | null; unitPath: string };
      return { code: it.code, classCode: it.classCode, className: it.className, name: it.name, lng: it.lng, lat: it.lat, state: it.state, gridId: p.gridId, ownerUnitId: it.ownerUnitCode, streetId: p.streetId, unitPath: p.unitPath, demo: args.demo === true, createdAt: now, updatedAt: now };
    });
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .insert(cityComponents)
        .values(rows.slice(i, i + 500))
        .onConflictDoUpdate({
          target: cityComponents.code,
          set: { classCode: sql`excluded.class_code`, className: sql`excluded.class_name`, name: sql`excluded.name`, lng: sql`excluded.lng`, lat: sql`excluded.lat`, state: sql`excluded.state`, gridId: sql`excluded.grid_id`, ownerUnitId: sql`excluded.owner_unit_id`, streetId: sql`excluded.street_id`, unitPath: sql`excluded.unit_path`, updatedAt: sql`excluded.updated_at` },
        });
    }
    await appendAudit(tx, { at: now, actorId: actor?.userId ?? null, actorName: actor?.displayName ?? '系统', action: 'component.import', targetType: 'city_components', targetId: null, detail: { format, imported: report.imported, created: report.created, updated: report.updated, demo: args.demo === true }, ip: args.ip ?? null });
  });
  return report;
}
