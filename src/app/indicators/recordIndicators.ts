/**
 * Compute the indicators of an area's units and store them (values at one instant + a run row), in one transaction.
 * The schedule records the city, its districts and streets; reads record what they had to compute fresh.
 */
import { sql } from 'drizzle-orm';
import type { IndicatorLevel } from '../../domain/indicator/index.js';
import { builtinIndicators } from '../../domain/indicator/index.js';
import { queryRows, type Db } from '../../store/db.js';
import { indicatorRuns } from '../../store/schema/index.js';
import { getAssessmentPolicy } from '../assessment/assessmentPolicy.js';
import { computeIndicators, type ComputedValues, type IndicatorArea } from './computeIndicators.js';

/** How long stored values are kept (trends reach this far back). */
export const KEEP_VALUES_DAYS = 14;

/** Compute and store; `durationMs` covers both. */
export async function recordIndicators(args: { db: Db; area: IndicatorArea; levels: readonly IndicatorLevel[]; trigger: 'job' | 'demand'; actorName?: string | null; now: Date }): Promise<ComputedValues & { valueCount: number; durationMs: number }> {
  const { db, area, levels, trigger, now } = args;
  const started = performance.now();
  const policy = await getAssessmentPolicy(db);
  const computed = await computeIndicators({ db, area, levels, catalogue: builtinIndicators, policy, now });
  const rows: { unit_id: string; key: string; level: string; value: number | null; breakdown: unknown }[] = [];
  for (const u of computed.units) for (const [key, c] of computed.values.get(u.id) ?? []) rows.push({ unit_id: u.id, key, level: u.level, value: c.value, breakdown: c.breakdown });
  let durationMs = 0;
  await db.transaction(async (tx) => {
    // One statement for all values: the rows travel as one JSON parameter.
    for (let i = 0; i < rows.length; i += 20_000) {
      const chunk = JSON.stringify(rows.slice(i, i + 20_000));
      await tx.execute(sql`INSERT INTO indicator_values (unit_id, key, at, level, value, breakdown)
        SELECT x.unit_id, x.key, ${now}, x.level, x.value, x.breakdown FROM jsonb_to_recordset(${chunk}::jsonb) AS x(unit_id text, key text, level text, value float8, breakdown jsonb)
        ON CONFLICT (unit_id, key, at) DO UPDATE SET value = excluded.value, breakdown = excluded.breakdown, level = excluded.level`);
    }
    durationMs = Math.round(performance.now() - started);
    await tx.insert(indicatorRuns).values({ at: now, trigger, areaUnitId: area.id, levels: [...levels], valueCount: rows.length, durationMs, actorName: args.actorName ?? null });
  });
  return { ...computed, valueCount: rows.length, durationMs };
}

/** The scheduled run: the whole city at city, district and street level; values older than KEEP_VALUES_DAYS go. */
export async function runIndicatorJob(args: { db: Db; now: Date }): Promise<{ valueCount: number; durationMs: number; pruned: number }> {
  const { db, now } = args;
  const [city] = await queryRows<{ id: string; name: string; path: string }>(db, sql`SELECT id, name, path FROM units WHERE level = 'city' AND active ORDER BY id LIMIT 1`);
  if (!city) return { valueCount: 0, durationMs: 0, pruned: 0 };
  const r = await recordIndicators({ db, area: { ...city, level: 'city' }, levels: ['city', 'district', 'street'], trigger: 'job', now });
  const cutoff = new Date(now.getTime() - KEEP_VALUES_DAYS * 86_400_000);
  // By level and instant, so the (level, at) index finds the old rows.
  const pruned = await queryRows<{ n: number }>(db, sql`WITH d AS (DELETE FROM indicator_values WHERE level IN ('city', 'district', 'street', 'community', 'grid') AND at < ${cutoff} RETURNING 1) SELECT count(*)::int AS n FROM d`);
  await db.execute(sql`DELETE FROM indicator_runs WHERE at < ${cutoff}`);
  return { valueCount: r.valueCount, durationMs: r.durationMs, pruned: pruned[0]?.n ?? 0 };
}

/** Every 15 minutes: fresh enough for a big screen (which reads fresh values on demand), ~350k values a day. */
export const INDICATOR_JOB_EVERY_MS = 15 * 60_000;
