/**
 * The indicators of an area and of its units at one level below it (or the area's own level), coloured by the
 * thresholds in force: the latest stored values when recent enough, otherwise computed fresh (and stored).
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError } from '../../domain/errors.js';
import { builtinIndicators, indicatorLevelLabels, isAtOrBelow, type IndicatorLevel, type IndicatorReading } from '../../domain/indicator/index.js';
import { queryRows, type Db } from '../../store/db.js';
import { getReference } from '../reference/referenceCache.js';
import { readingsOf, unitsInArea, type AreaUnit, type Computed } from './computeIndicators.js';
import { loadThresholds } from './indicatorCatalogue.js';
import { resolveIndicatorArea } from './indicatorArea.js';
import { recordIndicators } from './recordIndicators.js';

/** Stored values older than this are not served as "latest": the read computes fresh ones. */
export const LATEST_MAX_AGE_MS = 5 * 60_000;

export type UnitIndicators = { unit: { code: string; name: string; level: IndicatorLevel; levelLabel: string; parent: string | null; center: [number, number] | null }; indicators: IndicatorReading[] };

export async function readIndicators(args: { db: Db; actor: Actor; unit?: string | undefined; level?: IndicatorLevel | undefined; fresh?: boolean; now: Date }): Promise<{ at: string; source: 'stored' | 'computed'; own: string; trail: { code: string; name: string }[]; area: UnitIndicators; level: IndicatorLevel; units: UnitIndicators[] }> {
  const { db, actor, now } = args;
  const { area, own } = await resolveIndicatorArea(db, actor, args.unit);
  const level = args.level ?? area.level;
  if (!isAtOrBelow(area.level, level)) throw new DomainError('VALIDATION_FAILED', `层级「${indicatorLevelLabels[level]}」高于所选单位「${area.name}」，只能查看本级及下级`, [{ field: 'level', reason: '高于所选单位' }]);
  const levels: IndicatorLevel[] = level === area.level ? [level] : [area.level, level];
  const ref = await getReference(db);
  const units = unitsInArea(ref, area, levels).filter((u) => u.id === area.id || u.level === level);
  const areaUnit = units.find((u) => u.id === area.id) ?? { ...area, parentId: null };
  const thresholds = await loadThresholds(db);

  let at: Date | null = null;
  let values: Map<string, Map<string, Computed>> | null = null;
  if (!args.fresh) {
    const stored = await latestStored(db, units, now);
    if (stored) ({ at, values } = stored);
  }
  let source: 'stored' | 'computed' = 'stored';
  if (!values || !at) {
    const r = await recordIndicators({ db, area, levels, trigger: 'demand', actorName: actor.username, now });
    at = r.at;
    values = r.values;
    source = 'computed';
  }
  // Points for the map: the units' own coordinates, else the middle of their grid cells (the reference data has
  // points for districts only).
  const centers = new Map(
    (await queryRows<{ id: string; lat: number | null; lng: number | null }>(db, sql`SELECT u.id, coalesce(u.lat, g.lat) AS lat, coalesce(u.lng, g.lng) AS lng FROM units u
      LEFT JOIN LATERAL (SELECT avg(center_lat) AS lat, avg(center_lng) AS lng FROM grid_cells c WHERE c.street_id = u.id OR c.community_id = u.id OR c.id = u.id) g ON u.lat IS NULL
      WHERE u.id IN (${sql.join(
        units.map((u) => sql`${u.id}`),
        sql`, `,
      )})`)).map((r) => [r.id, r.lat !== null && r.lng !== null ? ([r.lng, r.lat] as [number, number]) : null]),
  );
  const present = (u: AreaUnit): UnitIndicators => ({ unit: { code: u.id, name: u.name, level: u.level, levelLabel: indicatorLevelLabels[u.level], parent: u.parentId, center: centers.get(u.id) ?? null }, indicators: readingsOf(u, values.get(u.id), builtinIndicators, thresholds) });
  // From the actor's own area down to this one, for the breadcrumb.
  const trail: { code: string; name: string }[] = [];
  for (let u = ref.units.get(area.id); u; u = u.parentId && u.id !== own.id ? ref.units.get(u.parentId) : undefined) trail.unshift({ code: u.id, name: u.name });
  return { at: at.toISOString(), source, own: own.id, trail, area: present(areaUnit), level, units: units.filter((u) => u.level === level && (u.id !== area.id || level === area.level)).map(present) };
}

/** The latest stored values of every unit, when all of them have values recorded within LATEST_MAX_AGE_MS. */
async function latestStored(db: Db, units: AreaUnit[], now: Date): Promise<{ at: Date; values: Map<string, Map<string, Computed>> } | null> {
  if (units.length === 0) return null;
  const since = new Date(now.getTime() - LATEST_MAX_AGE_MS);
  const rows = await queryRows<{ unit_id: string; key: string; at: Date | string; value: number | null; breakdown: Computed['breakdown'] }>(
    db,
    sql`SELECT DISTINCT ON (unit_id, key) unit_id, key, at, value, breakdown FROM indicator_values
        WHERE unit_id IN (${sql.join(
          units.map((u) => sql`${u.id}`),
          sql`, `,
        )}) AND at >= ${since} AND at <= ${now}
        ORDER BY unit_id, key, at DESC`,
  );
  const values = new Map<string, Map<string, Computed>>();
  let oldest: Date | null = null;
  for (const r of rows) {
    const t = new Date(r.at);
    if (!oldest || t < oldest) oldest = t;
    if (!values.has(r.unit_id)) values.set(r.unit_id, new Map());
    values.get(r.unit_id)!.set(r.key, { value: r.value, breakdown: r.breakdown });
  }
  const complete = units.every((u) => builtinIndicators.every((d) => values.get(u.id)?.has(d.key)));
  return complete && oldest ? { at: oldest, values } : null;
}
