/** The catalogue as it stands: built-in definitions with the thresholds an administrator set (or the defaults). */
import { builtinIndicators, parseThresholdSet, type IndicatorDefinition, type ThresholdSet } from '../../domain/indicator/index.js';
import type { DbOrTx } from '../../store/db.js';
import { indicatorThresholds } from '../../store/schema/index.js';

export type CatalogueEntry = IndicatorDefinition & { thresholds: ThresholdSet; thresholdsVersion: number; thresholdsUpdatedAt: string | null; thresholdsUpdatedBy: string | null; customised: boolean };

/** Thresholds in force by key: stored ones (re-checked; a row that no longer passes falls back to the default). */
export async function loadThresholds(db: DbOrTx): Promise<Map<string, ThresholdSet>> {
  const rows = await db.select().from(indicatorThresholds);
  const m = new Map<string, ThresholdSet>();
  for (const r of rows) {
    const def = builtinIndicators.find((d) => d.key === r.key);
    if (!def) continue;
    try {
      m.set(r.key, parseThresholdSet(r.thresholds, def));
    } catch {
      /* an unreadable row: the default applies */
    }
  }
  return m;
}

export async function listIndicatorCatalogue(args: { db: DbOrTx }): Promise<CatalogueEntry[]> {
  const rows = new Map((await args.db.select().from(indicatorThresholds)).map((r) => [r.key, r]));
  const inForce = await loadThresholds(args.db);
  return builtinIndicators.map((d) => {
    const r = rows.get(d.key);
    return { ...d, thresholds: inForce.get(d.key) ?? d.defaultThresholds, thresholdsVersion: r?.version ?? 0, thresholdsUpdatedAt: r?.updatedAt.toISOString() ?? null, thresholdsUpdatedBy: r?.updatedBy ?? null, customised: inForce.has(d.key) };
  });
}
