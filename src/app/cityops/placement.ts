/**
 * Where a thing lies: the grid cell that contains a point (bounding box in SQL, then point-in-polygon), or a
 * named grid, or a street — giving the grid, street and the unit path that decides who sees it.
 */
import { and, eq, gte, lte } from 'drizzle-orm';
import { invalid } from '../../domain/errors.js';
import { pointInPolygon, type PolygonGeometry } from '../../domain/alarm/index.js';
import type { DbOrTx } from '../../store/db.js';
import { gridCells, units } from '../../store/schema/index.js';
import type { SourcePlace } from './raiseAlarms.js';

/** The grid cell containing a point, or null. */
export async function gridAt(db: DbOrTx, lng: number, lat: number): Promise<typeof gridCells.$inferSelect | null> {
  const candidates = await db
    .select()
    .from(gridCells)
    .where(and(lte(gridCells.minLng, lng), gte(gridCells.maxLng, lng), lte(gridCells.minLat, lat), gte(gridCells.maxLat, lat)));
  return candidates.find((c) => pointInPolygon(lng, lat, c.geometry as PolygonGeometry)) ?? null;
}

/**
 * Resolve a place from what the caller knows: a grid code, else the grid at the point, else a street code.
 * Throws VALIDATION_FAILED (naming `gridCode`, `streetCode` or `lng`) when none places it.
 */
export async function resolvePlace(db: DbOrTx, p: { gridCode?: string | null | undefined; streetCode?: string | null | undefined; lng?: number | null | undefined; lat?: number | null | undefined }): Promise<SourcePlace> {
  const lng = p.lng ?? null;
  const lat = p.lat ?? null;
  if (p.gridCode) {
    const [g] = await db.select().from(gridCells).where(eq(gridCells.id, p.gridCode));
    if (!g) throw invalid('gridCode', `网格 ${p.gridCode} 不存在`);
    return { lng: lng ?? g.centerLng, lat: lat ?? g.centerLat, gridId: g.id, streetId: g.streetId, unitPath: g.unitPath };
  }
  if (lng !== null && lat !== null) {
    const g = await gridAt(db, lng, lat);
    if (g) return { lng, lat, gridId: g.id, streetId: g.streetId, unitPath: g.unitPath };
  }
  if (p.streetCode) {
    const [s] = await db.select({ id: units.id, path: units.path, level: units.level }).from(units).where(eq(units.id, p.streetCode));
    if (!s || s.level !== 'street') throw invalid('streetCode', `街道 ${p.streetCode} 不存在`);
    return { lng, lat, gridId: null, streetId: s.id, unitPath: s.path };
  }
  throw invalid(lng !== null ? 'lng' : 'gridCode', lng !== null ? '该位置不在任何网格内，请给出 streetCode' : '须给出网格编码 gridCode、网格内的经纬度或街道编码 streetCode');
}
