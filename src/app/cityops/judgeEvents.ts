/**
 * Video-analysis events and patrol reports through the same alert models as sensor readings: the active models of
 * the event's source type judge it (kinds `event` and `repeat`), with per-(model, source) state locked in the
 * database, and alarms are raised or repeated (or cleared, when a recovery holds) in the caller's transaction.
 */
import { sql } from 'drizzle-orm';
import { evaluateRule, modelWatches, type Observation, type RuleState } from '../../domain/alarm/index.js';
import { queryRows, type Tx } from '../../store/db.js';
import { loadActiveModels } from './alertModels.js';
import type { RaisedAlarm, SourcePlace } from './raiseAlarms.js';
import { raiseAndClear, type Judged } from './autoClearAlarms.js';

export type JudgedEvent = { obs: Observation & { type: 'event' }; sourceName: string; place: SourcePlace; detail?: Record<string, unknown> };

export async function judgeEvents(tx: Tx, events: JudgedEvent[], now: Date): Promise<RaisedAlarm[]> {
  if (events.length === 0) return [];
  const types = [...new Set(events.map((e) => e.obs.sourceType))];
  const { models } = await loadActiveModels(tx, types);
  const judged: Judged[] = [];
  for (const ev of events) {
    for (const model of models) {
      if (!modelWatches(model, ev.obs)) continue;
      let prior: RuleState | undefined;
      const stateful = model.kind !== 'event';
      if (stateful) {
        await tx.execute(sql`INSERT INTO alert_model_states (model_id, source_key, state, updated_at) VALUES (${model.id}, ${ev.obs.sourceKey}, '{}'::jsonb, ${now.toISOString()}::timestamptz) ON CONFLICT DO NOTHING`);
        const [row] = await queryRows<{ state: RuleState }>(tx, sql`SELECT state FROM alert_model_states WHERE model_id = ${model.id} AND source_key = ${ev.obs.sourceKey} FOR UPDATE`);
        prior = row?.state;
      }
      const { state, firings, recoveries } = evaluateRule(model, prior, [ev.obs]);
      if (stateful && state) {
        await tx.execute(sql`UPDATE alert_model_states SET state = ${JSON.stringify(state)}::jsonb, updated_at = ${now.toISOString()}::timestamptz WHERE model_id = ${model.id} AND source_key = ${ev.obs.sourceKey}`);
      }
      if (firings.length || recoveries.length) {
        judged.push({ raise: { model, sourceKey: ev.obs.sourceKey, sourceType: ev.obs.sourceType, sourceName: ev.sourceName, place: ev.place }, firings: firings.map((f) => ({ ...f, detail: { ...f.detail, ...(ev.detail ?? {}) } })), recoveries });
      }
    }
  }
  // Event models recover by silence (the sweep), but whatever recoveries a rule reports clear here, in order.
  return (await raiseAndClear(tx, judged, now)).alarms;
}
