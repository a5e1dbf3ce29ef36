/**
 * Plane geometry on lon/lat for grid cells and geofences: bounding boxes and point-in-polygon (even-odd rule,
 * holes respected). Cells are a few hundred metres across, so a flat test on degrees is exact enough.
 */

export type Position = [number, number];
export type PolygonGeometry = { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };
export type BBox = { minLng: number; minLat: number; maxLng: number; maxLat: number };

const isPosition = (p: unknown): p is Position => Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1]);

/** Why a ring is not usable, or null: closed, at least 4 positions, lon/lat in range. */
function ringProblem(ring: unknown): string | null {
  if (!Array.isArray(ring) || ring.length < 4) return '多边形的环至少需要4个点（首尾相同）';
  for (const p of ring) {
    if (!isPosition(p)) return '坐标必须是 [经度, 纬度] 数字对';
    if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90) return '经纬度超出范围';
  }
  const a = ring[0] as Position;
  const b = ring[ring.length - 1] as Position;
  if (a[0] !== b[0] || a[1] !== b[1]) return '多边形的环必须闭合（首尾坐标相同）';
  return null;
}

/**
 * Check a GeoJSON geometry is a Polygon or MultiPolygon we can use; returns it typed, or a Chinese reason.
 * @example parsePolygon({ type: 'Point', coordinates: [116, 40] }) // → { error: '几何类型必须是 Polygon 或 MultiPolygon' }
 */
export function parsePolygon(g: unknown): { geometry: PolygonGeometry } | { error: string } {
  if (!g || typeof g !== 'object') return { error: '缺少几何图形' };
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  if (type === 'Polygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0) return { error: '多边形没有坐标' };
    for (const ring of coordinates) {
      const p = ringProblem(ring);
      if (p) return { error: p };
    }
    return { geometry: { type, coordinates: coordinates as Position[][] } };
  }
  if (type === 'MultiPolygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0) return { error: '多边形没有坐标' };
    for (const poly of coordinates) {
      if (!Array.isArray(poly) || poly.length === 0) return { error: '多边形没有坐标' };
      for (const ring of poly) {
        const p = ringProblem(ring);
        if (p) return { error: p };
      }
    }
    return { geometry: { type, coordinates: coordinates as Position[][][] } };
  }
  return { error: '几何类型必须是 Polygon 或 MultiPolygon' };
}

function polygons(g: PolygonGeometry): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/** The bounding box of a polygon geometry. */
export function bboxOf(g: PolygonGeometry): BBox {
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (const poly of polygons(g))
    for (const [lng, lat] of poly[0] ?? []) {
      minLng = Math.min(minLng, lng);
      maxLng = Math.max(maxLng, lng);
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
    }
  return { minLng, minLat, maxLng, maxLat };
}

function inRing(lng: number, lat: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as Position;
    const [xj, yj] = ring[j] as Position;
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Whether a point lies inside a polygon (outer ring in, no hole in).
 * @example pointInPolygon(116.47, 39.99, cell.geometry) // → true
 */
export function pointInPolygon(lng: number, lat: number, g: PolygonGeometry): boolean {
  for (const poly of polygons(g)) {
    const [outer, ...holes] = poly;
    if (outer && inRing(lng, lat, outer) && !holes.some((h) => inRing(lng, lat, h))) return true;
  }
  return false;
}

/** Area-weighted centre of the outer rings (falls back to the bbox centre for degenerate shapes). */
export function centreOf(g: PolygonGeometry): Position {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (const poly of polygons(g)) {
    const ring = poly[0] ?? [];
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as Position;
      const [xj, yj] = ring[j] as Position;
      const f = xj * yi - xi * yj;
      a += f;
      cx += (xi + xj) * f;
      cy += (yi + yj) * f;
    }
  }
  if (Math.abs(a) < 1e-15) {
    const b = bboxOf(g);
    return [(b.minLng + b.maxLng) / 2, (b.minLat + b.maxLat) / 2];
  }
  return [cx / (3 * a), cy / (3 * a)];
}
