/**
 * Sensor readings in: one transaction per batch stores the raw readings (one statement from column arrays, see
 * `storeReadings.ts`),
 * moves each metric's latest value, evaluates the active sensor models on the readings that were new (a reading
 * delivered twice — QoS 1 after a restart, or a second server — is stored and judged once), keeps each
 * (model, sensor) state in the database, and raises, repeats or (recovery) clears alarms. The caller acknowledges the batch only
 * after this returns (the MQTT subscriber holds its PUBACKs until then).
 */
import { sql } from 'drizzle-orm';
import { evaluateRule, keepsState, modelWatches, type CompiledModel, type Observation, type RuleState } from '../../domain/alarm/index.js';
import { queryRows, type Db, type Tx } from '../../store/db.js';
import { loadActiveModels } from './alertModels.js';
import { batchOfReadings, type ReadingBatch } from './sensorMessage.js';
import { storeReadings, type SensorRow } from './storeReadings.js';
import { type RaisedAlarm } from './raiseAlarms.js';
import { raiseAndClear, type Judged } from './autoClearAlarms.js';

export type ReadingInput = { sensorId: string; metric: string; value: number; ts: Date; lng?: number | null | undefined; lat?: number | null | undefined };

export type IngestResult = {
  /** Readings in the batch. */
  received: number;
  /** New readings stored (duplicates and unknown sensors are not). */
  stored: number;
  duplicates: number;
  /** Readings of sensors that are not registered or not active, by sensor id. */
  unknownSensors: string[];
  alarms: RaisedAlarm[];
};

/** Ingest one batch of readings (objects, or the MQTT worker's columns); see the file comment. */
export async function ingestReadings(args: { db: Db; readings: ReadingInput[] | ReadingBatch; now: Date }): Promise<IngestResult> {
  const { db, now } = args;
  const batch = Array.isArray(args.readings) ? batchOfReadings(args.readings) : args.readings;
  if (batch.n === 0) return { received: 0, stored: 0, duplicates: 0, unknownSensors: [], alarms: [] };
  return db.transaction(async (tx) => {
    const { sensors, unknownSensors, known, fresh } = await storeReadings(tx, batch, now);
    const alarms = fresh.length ? await evaluate(tx, fresh, sensors, now) : [];
    return { received: batch.n, stored: fresh.length, duplicates: known - fresh.length, unknownSensors, alarms };
  });
}

const statelessKinds = new Set(['threshold', 'event']);

async function evaluate(tx: Tx, fresh: ReadingInput[], sensors: Map<string, SensorRow>, now: Date): Promise<RaisedAlarm[]> {
  const { models } = await loadActiveModels(tx, ['sensor']);
  if (models.length === 0) return [];
  const bySource = new Map<string, Observation[]>();
  for (const r of fresh) {
    const s = sensors.get(r.sensorId);
    if (!s) continue;
    const key = `sensor:${r.sensorId}`;
    let list = bySource.get(key);
    if (!list) bySource.set(key, (list = []));
    list.push({ type: 'reading', sourceKey: key, sensorId: r.sensorId, sensorKind: s.kind, metric: r.metric, value: r.value, ts: r.ts, lng: r.lng ?? null, lat: r.lat ?? null });
  }
  // The (model, source) pairs this batch touches; stateful ones have their state locked for the evaluation.
  const pairs: { model: CompiledModel; sourceKey: string; obs: Observation[] }[] = [];
  for (const [sourceKey, obs] of bySource) {
    for (const model of models) {
      const watched = obs.filter((o) => modelWatches(model, o));
      if (watched.length) pairs.push({ model, sourceKey, obs: watched });
    }
  }
  // A threshold with a recovery keeps state (how long the reading has been back to normal).
  const stateful = pairs.filter((p) => !statelessKinds.has(p.model.kind) || keepsState(p.model));
  const states = new Map<string, RuleState>();
  if (stateful.length) {
    const keys = JSON.stringify(stateful.map((p) => ({ m: p.model.id, k: p.sourceKey })));
    // Create missing state rows first, then lock them all in a stable order: two servers judging the same
    // sensor take turns instead of both starting from an empty state.
    await tx.execute(sql`INSERT INTO alert_model_states (model_id, source_key, state, updated_at)
      SELECT k.m, k.k, '{}'::jsonb, ${now.toISOString()}::timestamptz FROM jsonb_to_recordset(${keys}::jsonb) AS k(m uuid, k text)
      ON CONFLICT DO NOTHING`);
    const locked = await queryRows<{ model_id: string; source_key: string; state: RuleState }>(
      tx,
      sql`SELECT s.model_id, s.source_key, s.state FROM alert_model_states s JOIN jsonb_to_recordset(${keys}::jsonb) AS k(m uuid, k text) ON s.model_id = k.m AND s.source_key = k.k
          ORDER BY s.model_id, s.source_key FOR UPDATE OF s`,
    );
    for (const l of locked) states.set(`${l.model_id}|${l.source_key}`, l.state);
  }
  const judged: Judged[] = [];
  const newStates: { m: string; k: string; s: RuleState }[] = [];
  for (const p of pairs) {
    const key = `${p.model.id}|${p.sourceKey}`;
    const { state, firings, recoveries } = evaluateRule(p.model, states.get(key), p.obs);
    if (state) newStates.push({ m: p.model.id, k: p.sourceKey, s: state });
    if (firings.length || recoveries.length) {
      const sensorId = p.sourceKey.slice('sensor:'.length);
      const s = sensors.get(sensorId) as SensorRow;
      const last = p.obs[p.obs.length - 1];
      const moving = last?.type === 'reading' && last.lng != null && last.lat != null;
      judged.push({
        raise: {
          model: p.model,
          sourceKey: p.sourceKey,
          sourceType: 'sensor',
          sourceName: `${s.name}（${sensorId}）`,
          place: { lng: moving ? (last.lng ?? null) : s.lng, lat: moving ? (last.lat ?? null) : s.lat, gridId: s.grid_id, streetId: s.street_id, unitPath: s.unit_path },
        },
        firings,
        recoveries,
      });
    }
  }
  if (newStates.length) {
    await tx.execute(sql`UPDATE alert_model_states AS t SET state = n.s, updated_at = ${now.toISOString()}::timestamptz
      FROM jsonb_to_recordset(${JSON.stringify(newStates)}::jsonb) AS n(m uuid, k text, s jsonb) WHERE t.model_id = n.m AND t.source_key = n.k`);
  }
  // Raised and cleared alarms in this same transaction; a recovery clears the open alarm of its (model, sensor).
  return (await raiseAndClear(tx, judged, now)).alarms;
}
