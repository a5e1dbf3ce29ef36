/** Alert models in the store: loading the active ones ready to evaluate (geofences resolved to grid polygons). */
import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../store/db.js';
import { alertModels, gridCells } from '../../store/schema/index.js';
import { isSeverity, type CompiledModel, type PolygonGeometry, type RuleKind, type RuleParams, type SourceType } from '../../domain/alarm/index.js';

export type AlertModelRow = typeof alertModels.$inferSelect;

/** Compiled fences by model id and version: grid polygons rarely change, and a model edit bumps its version. */
const fenceCache = new Map<string, PolygonGeometry[]>();

/** The model row as the rule engine sees it (kind/params as validated when it was saved). */
export function specOf(row: AlertModelRow): CompiledModel {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as RuleKind,
    sourceType: row.sourceType as SourceType,
    scope: row.scope,
    params: { kind: row.kind, ...row.params } as RuleParams,
    severity: isSeverity(row.severity) ? row.severity : 'warning',
    recovery: row.recovery ?? null,
  };
}

/** Active models of the given source types, compiled. One query (plus one for fences not yet cached). */
export async function loadActiveModels(db: DbOrTx, sourceTypes: SourceType[]): Promise<{ models: CompiledModel[]; rows: Map<string, AlertModelRow> }> {
  const rows = await db.select().from(alertModels).where(and(eq(alertModels.active, true), inArray(alertModels.sourceType, sourceTypes)));
  const models: CompiledModel[] = [];
  for (const row of rows) {
    const spec = specOf(row);
    if (spec.params.kind === 'geofence') {
      const key = `${row.id}:${row.version}`;
      let fence = fenceCache.get(key);
      if (!fence) {
        fence = spec.params.polygon ? [spec.params.polygon] : [];
        const ids = spec.params.gridIds ?? [];
        if (ids.length) {
          const cells = await db.select({ geometry: gridCells.geometry }).from(gridCells).where(inArray(gridCells.id, ids));
          fence.push(...cells.map((c) => c.geometry as PolygonGeometry));
        }
        fenceCache.set(key, fence);
      }
      spec.fence = fence;
    }
    models.push(spec);
  }
  return { models, rows: new Map(rows.map((r) => [r.id, r])) };
}
