/** An indicator of one unit over time, from stored values, coloured by the thresholds in force. */
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError } from '../../domain/errors.js';
import { colourOf, indicatorByKey, thresholdsAt, type IndicatorColour } from '../../domain/indicator/index.js';
import type { DbOrTx } from '../../store/db.js';
import { indicatorValues } from '../../store/schema/index.js';
import { loadThresholds } from './indicatorCatalogue.js';
import { resolveIndicatorArea } from './indicatorArea.js';

export async function indicatorTrend(args: { db: DbOrTx; actor: Actor; key: string; unit?: string | undefined; from: Date; to: Date }): Promise<{ key: string; name: string; unit: { code: string; name: string }; points: { at: string; value: number | null; colour: IndicatorColour }[] }> {
  const def = indicatorByKey(args.key);
  if (!def) throw new DomainError('NOT_FOUND', `指标 ${args.key} 不存在`, [{ field: 'key', reason: '不存在' }]);
  const { area } = await resolveIndicatorArea(args.db, args.actor, args.unit);
  const t = thresholdsAt((await loadThresholds(args.db)).get(def.key) ?? def.defaultThresholds, area.level);
  const rows = await args.db
    .select({ at: indicatorValues.at, value: indicatorValues.value })
    .from(indicatorValues)
    .where(and(eq(indicatorValues.unitId, area.id), eq(indicatorValues.key, def.key), gte(indicatorValues.at, args.from), lte(indicatorValues.at, args.to)))
    .orderBy(asc(indicatorValues.at))
    .limit(5000);
  return { key: def.key, name: def.name, unit: { code: area.id, name: area.name }, points: rows.map((r) => ({ at: r.at.toISOString(), value: r.value, colour: colourOf(r.value, t) })) };
}
