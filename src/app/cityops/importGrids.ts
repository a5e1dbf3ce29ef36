/**
 * 网格导入: grid cells from GeoJSON (a FeatureCollection of Polygon/MultiPolygon features with properties
 * `code`, `name`, `communityCode`) or CSV (columns `code,name,community_code,geometry` where `geometry` is a GeoJSON
 * geometry, or `coordinates` as `lng lat;lng lat;…`). Every feature or line is checked and every problem reported;
 * a file with any reject writes nothing. A cell is also a unit (level `grid`) under its community, so grid workers
 * are simply users of that unit. Re-importing a code replaces its shape and name.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden, type FieldProblem } from '../../domain/errors.js';
import { bboxOf, centreOf, parsePolygon, type PolygonGeometry, type Position } from '../../domain/alarm/index.js';
import type { Db } from '../../store/db.js';
import { gridCells, units } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { invalidateReference } from '../reference/referenceCache.js';

export type GridFeature = { code: string; name: string; communityCode: string; geometry: PolygonGeometry };
export type ImportReport = { format: 'geojson' | 'csv'; total: number; imported: number; created: number; updated: number; rejects: FieldProblem[] };

const CODE_RE = /^[A-Za-z0-9_-]{3,40}$/;
export const MAX_IMPORT_ROWS = 20_000;

/** Tell GeoJSON from CSV by the first non-blank character. */
export function sniffFormat(text: string): 'geojson' | 'csv' {
  return text.trimStart().startsWith('{') ? 'geojson' : 'csv';
}

/** Read CSV text into records keyed by lower-cased header names. */
export function readCsv(text: string): { records: Record<string, string>[] } | { error: string } {
  try {
    const records = parseCsv<Record<string, string>>(text.replace(/^\uFEFF/, ''), { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, relax_column_count: false });
    return { records };
  } catch (err) {
    return { error: `CSV 无法解析：${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Features of a FeatureCollection, or a reason the file is not one. */
export function readFeatures(text: string): { features: { properties: Record<string, unknown>; geometry: unknown }[] } | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { error: 'GeoJSON 不是有效的 JSON' };
  }
  const fc = doc as { type?: unknown; features?: unknown };
  if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) return { error: 'GeoJSON 须为 FeatureCollection' };
  return { features: (fc.features as { properties?: unknown; geometry?: unknown }[]).map((f) => ({ properties: (f && typeof f.properties === 'object' && f.properties ? f.properties : {}) as Record<string, unknown>, geometry: f?.geometry })) };
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** Parse a grid file into features and per-feature problems (no database). */
export function parseGridFile(text: string): { format: 'geojson' | 'csv'; features: (GridFeature & { where: string })[]; rejects: FieldProblem[] } {
  const format = sniffFormat(text);
  const rejects: FieldProblem[] = [];
  const features: (GridFeature & { where: string })[] = [];
  const take = (where: string, code: string, name: string, communityCode: string, geometry: unknown) => {
    const before = rejects.length;
    if (!CODE_RE.test(code)) rejects.push({ field: `${where}.code`, reason: '网格编码须为 3–40 位字母、数字、_ 或 -' });
    if (!name || name.length > 60) rejects.push({ field: `${where}.name`, reason: '网格名称必填，最长60字' });
    if (!/^\d{12}$/.test(communityCode)) rejects.push({ field: `${where}.communityCode`, reason: '社区编码须为12位数字' });
    const g = parsePolygon(geometry);
    if ('error' in g) rejects.push({ field: `${where}.geometry`, reason: g.error });
    if (rejects.length === before && 'geometry' in g) features.push({ where, code, name, communityCode, geometry: g.geometry });
  };
  if (format === 'geojson') {
    const r = readFeatures(text);
    if ('error' in r) return { format, features, rejects: [{ field: 'file', reason: r.error }] };
    r.features.forEach((f, i) => take(`features[${i}]`, str(f.properties.code), str(f.properties.name), str(f.properties.communityCode ?? f.properties.community_code), f.geometry));
  } else {
    const r = readCsv(text);
    if ('error' in r) return { format, features, rejects: [{ field: 'file', reason: r.error }] };
    r.records.forEach((rec, i) => {
      const where = `line ${i + 2}`;
      let geometry: unknown = null;
      if (rec.geometry) {
        try {
          geometry = JSON.parse(rec.geometry);
        } catch {
          geometry = 'bad';
        }
      } else if (rec.coordinates) {
        const ring = rec.coordinates.split(';').map((p) => p.trim().split(/[\s,]+/).map(Number) as Position);
        geometry = { type: 'Polygon', coordinates: [ring] };
      }
      take(where, str(rec.code), str(rec.name), str(rec.community_code ?? rec.communitycode), geometry);
    });
  }
  const seen = new Map<string, string>();
  for (const f of features) {
    const prev = seen.get(f.code);
    if (prev) rejects.push({ field: `${f.where}.code`, reason: `与 ${prev} 重复` });
    seen.set(f.code, f.where);
  }
  if (features.length + rejects.length === 0) rejects.push({ field: 'file', reason: '文件中没有网格' });
  if (features.length > MAX_IMPORT_ROWS) rejects.push({ field: 'file', reason: `一次最多导入 ${MAX_IMPORT_ROWS} 个` });
  return { format, features, rejects };
}

/**
 * importGrids({ db, actor: admin, text, now }) → a report; throws VALIDATION_FAILED listing every reject
 * (`features[3].geometry`, `line 7.community_code`) and writes nothing when there is one. `dryRun` only checks.
 */
export async function importGrids(args: { db: Db; actor: Actor | null; text: string; now: Date; demo?: boolean; dryRun?: boolean; ip?: string | null }): Promise<ImportReport> {
  const { db, actor, now } = args;
  if (actor && actor.role !== 'admin') throw forbidden('只有管理员可以导入网格');
  const { format, features, rejects } = parseGridFile(args.text);
  const total = features.length + new Set(rejects.filter((r) => r.field !== 'file').map((r) => r.field.split('.')[0])).size;
  const communities = new Map(
    features.length
      ? (await db.select({ id: units.id, path: units.path, depth: units.depth, level: units.level }).from(units).where(inArray(units.id, [...new Set(features.map((f) => f.communityCode))]))).map((u) => [u.id, u])
      : [],
  );
  for (const f of features) {
    const c = communities.get(f.communityCode);
    if (!c || c.level !== 'community') rejects.push({ field: `${f.where}.communityCode`, reason: `社区 ${f.communityCode} 不存在` });
  }
  const clash = features.length ? await db.select({ id: units.id, level: units.level }).from(units).where(inArray(units.id, features.map((f) => f.code))) : [];
  for (const u of clash) if (u.level !== 'grid') rejects.push({ field: `${features.find((f) => f.code === u.id)?.where ?? 'file'}.code`, reason: `编码 ${u.id} 已被非网格单位占用` });
  if (rejects.length) {
    throw new DomainError('VALIDATION_FAILED', `网格导入未执行：${rejects.length} 处问题（${rejects.slice(0, 3).map((r) => `${r.field}：${r.reason}`).join('；')}${rejects.length > 3 ? '…' : ''}）`, rejects);
  }
  const existing = new Set(clash.map((u) => u.id));
  const report: ImportReport = { format, total, imported: features.length, created: features.length - existing.size, updated: existing.size, rejects: [] };
  if (args.dryRun) return report;
  await db.transaction(async (tx) => {
    const unitRows = features.map((f) => {
      const c = communities.get(f.communityCode) as { path: string; depth: number };
      const [lng, lat] = centreOf(f.geometry);
      return { id: f.code, name: f.name, shortName: f.name, level: 'grid', parentId: f.communityCode, path: `${c.path}${f.code}/`, depth: c.depth + 1, lat, lng, active: true };
    });
    for (let i = 0; i < unitRows.length; i += 500) {
      await tx
        .insert(units)
        .values(unitRows.slice(i, i + 500))
        .onConflictDoUpdate({ target: units.id, set: { name: sql`excluded.name`, shortName: sql`excluded.short_name`, parentId: sql`excluded.parent_id`, path: sql`excluded.path`, depth: sql`excluded.depth`, lat: sql`excluded.lat`, lng: sql`excluded.lng`, active: sql`true` } });
    }
    const cellRows = features.map((f, i) => {
      const b = bboxOf(f.geometry);
      const [centerLng, centerLat] = centreOf(f.geometry);
      const path = (unitRows[i] as { path: string }).path;
      const seg = path.split('/').filter(Boolean);
      return { id: f.code, name: f.name, communityId: f.communityCode, streetId: seg[2] ?? '', districtId: seg[1] ?? '', unitPath: path, geometry: f.geometry, ...b, centerLng, centerLat, demo: args.demo === true, createdAt: now, updatedAt: now };
    });
    for (let i = 0; i < cellRows.length; i += 500) {
      await tx
        .insert(gridCells)
        .values(cellRows.slice(i, i + 500))
        .onConflictDoUpdate({
          target: gridCells.id,
          set: { name: sql`excluded.name`, communityId: sql`excluded.community_id`, streetId: sql`excluded.street_id`, districtId: sql`excluded.district_id`, unitPath: sql`excluded.unit_path`, geometry: sql`excluded.geometry`, minLng: sql`excluded.min_lng`, minLat: sql`excluded.min_lat`, maxLng: sql`excluded.max_lng`, maxLat: sql`excluded.max_lat`, centerLng: sql`excluded.center_lng`, centerLat: sql`excluded.center_lat`, demo: sql`excluded.demo`, updatedAt: sql`excluded.updated_at` },
        });
    }
    await appendAudit(tx, { at: now, actorId: actor?.userId ?? null, actorName: actor?.displayName ?? '系统', action: 'grid.import', targetType: 'grid_cells', targetId: null, detail: { format, imported: report.imported, created: report.created, updated: report.updated, demo: args.demo === true }, ip: args.ip ?? null });
  });
  invalidateReference(db);
  return report;
}
