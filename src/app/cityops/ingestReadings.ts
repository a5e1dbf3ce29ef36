/**
 * Sensor readings in: one transaction per batch stores the raw readings (one statement from a JSON array),
 * moves each metric's latest value, evaluates the active sensor models on the readings that were new (a reading
 * delivered twice — QoS 1 after a restart, or a second server — is stored and judged once), keeps each
 * (model, sensor) state in the database, and raises or repeats alarms. The caller acknowledges the batch only
 * after this returns (the MQTT subscriber holds its PUBACKs until then).
 */
import { sql } from 'drizzle-orm';
import { evaluateRule, modelWatches, type CompiledModel, type Observation, type RuleState } from '../../domain/alarm/index.js';
import { queryRows, type Db, type Tx } from '../../store/db.js';
import { loadActiveModels } from './alertModels.js';
import { raiseAlarms, type AlarmRaise, type RaisedAlarm } from './raiseAlarms.js';

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

type SensorRow = { id: string; name: string; kind: string; lng: number | null; lat: number | null; grid_id: string | null; street_id: string | null; unit_path: string };

/** Ingest one batch of readings; see the file comment. */
export async function ingestReadings(args: { db: Db; readings: ReadingInput[]; now: Date }): Promise<IngestResult> {
  const { db, readings, now } = args;
  if (readings.length === 0) return { received: 0, stored: 0, duplicates: 0, unknownSensors: [], alarms: [] };
  return db.transaction(async (tx) => {
    const ids = [...new Set(readings.map((r) => r.sensorId))];
    const sensorRows = await queryRows<SensorRow>(
      tx,
      sql`SELECT id, name, kind, lng, lat, grid_id, street_id, unit_path FROM sensors WHERE active AND id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`,
    );
    const sensors = new Map(sensorRows.map((s) => [s.id, s]));
    const unknownSensors = ids.filter((id) => !sensors.has(id));
    const known = unknownSensors.length ? readings.filter((r) => sensors.has(r.sensorId)) : readings;
    const payload = known.map((r) => ({ s: r.sensorId, m: r.metric, t: r.ts.toISOString(), v: r.value, x: r.lng ?? null, y: r.lat ?? null }));
    const stored = payload.length
      ? await queryRows<{ s: string; m: string; t: string | Date; v: number; x: number | null; y: number | null }>(
          tx,
          sql`INSERT INTO sensor_readings (sensor_id, metric, ts, value, lng, lat, received_at)
              SELECT r.s, r.m, r.t, r.v, r.x, r.y, ${now.toISOString()}::timestamptz
              FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS r(s text, m text, t timestamptz, v float8, x float8, y float8)
              ON CONFLICT DO NOTHING
              RETURNING sensor_id AS s, metric AS m, ts AS t, value AS v, lng AS x, lat AS y`,
        )
      : [];
    const fresh: ReadingInput[] = stored.map((r) => ({ sensorId: r.s, metric: r.m, ts: new Date(r.t), value: Number(r.v), lng: r.x, lat: r.y }));
    if (fresh.length) await moveLatest(tx, fresh, now);
    const alarms = fresh.length ? await evaluate(tx, fresh, sensors, now) : [];
    return { received: readings.length, stored: fresh.length, duplicates: known.length - fresh.length, unknownSensors, alarms };
  });
}

async function moveLatest(tx: Tx, fresh: ReadingInput[], now: Date): Promise<void> {
  const latest = new Map<string, { s: string; m: string; t: string; v: number; x: number | null; y: number | null; n: number; ms: number }>();
  for (const r of fresh) {
    const key = `${r.sensorId}\u0000${r.metric}`;
    const cur = latest.get(key);
    const ms = r.ts.getTime();
    if (!cur) latest.set(key, { s: r.sensorId, m: r.metric, t: r.ts.toISOString(), v: r.value, x: r.lng ?? null, y: r.lat ?? null, n: 1, ms });
    else {
      cur.n++;
      if (ms >= cur.ms) Object.assign(cur, { t: r.ts.toISOString(), v: r.value, x: r.lng ?? null, y: r.lat ?? null, ms });
    }
  }
  const rows = [...latest.values()].map(({ ms: _ms, ...r }) => r);
  await tx.execute(sql`
    INSERT INTO sensor_latest (sensor_id, metric, ts, value, lng, lat, readings, updated_at)
    SELECT r.s, r.m, r.t, r.v, r.x, r.y, r.n, ${now.toISOString()}::timestamptz
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(s text, m text, t timestamptz, v float8, x float8, y float8, n int)
    ON CONFLICT (sensor_id, metric) DO UPDATE SET
      readings = sensor_latest.readings + EXCLUDED.readings,
      updated_at = EXCLUDED.updated_at,
      ts = greatest(sensor_latest.ts, EXCLUDED.ts),
      value = CASE WHEN EXCLUDED.ts >= sensor_latest.ts THEN EXCLUDED.value ELSE sensor_latest.value END,
      lng = CASE WHEN EXCLUDED.ts >= sensor_latest.ts THEN coalesce(EXCLUDED.lng, sensor_latest.lng) ELSE sensor_latest.lng END,
      lat = CASE WHEN EXCLUDED.ts >= sensor_latest.ts THEN coalesce(EXCLUDED.lat, sensor_latest.lat) ELSE sensor_latest.lat END`);
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
  const stateful = pairs.filter((p) => !statelessKinds.has(p.model.kind));
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
  const raises: AlarmRaise[] = [];
  const newStates: { m: string; k: string; s: RuleState }[] = [];
  for (const p of pairs) {
    const key = `${p.model.id}|${p.sourceKey}`;
    const { state, firings } = evaluateRule(p.model, states.get(key), p.obs);
    if (state) newStates.push({ m: p.model.id, k: p.sourceKey, s: state });
    if (firings.length) {
      const sensorId = p.sourceKey.slice('sensor:'.length);
      const s = sensors.get(sensorId) as SensorRow;
      const last = p.obs[p.obs.length - 1];
      const moving = last?.type === 'reading' && last.lng != null && last.lat != null;
      raises.push({
        model: p.model,
        sourceKey: p.sourceKey,
        sourceType: 'sensor',
        sourceName: `${s.name}（${sensorId}）`,
        place: { lng: moving ? (last.lng ?? null) : s.lng, lat: moving ? (last.lat ?? null) : s.lat, gridId: s.grid_id, streetId: s.street_id, unitPath: s.unit_path },
        firings,
      });
    }
  }
  if (newStates.length) {
    await tx.execute(sql`UPDATE alert_model_states AS t SET state = n.s, updated_at = ${now.toISOString()}::timestamptz
      FROM jsonb_to_recordset(${JSON.stringify(newStates)}::jsonb) AS n(m uuid, k text, s jsonb) WHERE t.model_id = n.m AND t.source_key = n.k`);
  }
  return raiseAlarms(tx, raises, now);
}
