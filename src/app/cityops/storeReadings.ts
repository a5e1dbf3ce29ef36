/**
 * The storage half of ingesting sensor readings, inside the caller's transaction: look up the batch's sensors,
 * insert the readings of known, active sensors in one statement, and move each metric's latest value.
 *
 * The insert takes the batch's columns as they are (`ReadingBatch`): numbers as comma-joined text split by
 * `string_to_array` inside the database, sensor ids and metrics once each, joined back by position. On PGlite this
 * costs about half of building and parsing a JSON array (`jsonb_to_recordset`), and it returns one row: how many
 * were new, and — only when some were already stored — which. Nothing is read back per reading.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../store/db.js';
import type { ReadingInput } from './ingestReadings.js';
import { readingAt, type ReadingBatch } from './sensorMessage.js';

export type SensorRow = { id: string; name: string; kind: string; lng: number | null; lat: number | null; grid_id: string | null; street_id: string | null; unit_path: string };

export type StoredReadings = {
  sensors: Map<string, SensorRow>;
  unknownSensors: string[];
  /** Readings of known, active sensors. */
  known: number;
  /** The readings stored by this call (not delivered before), in batch order. */
  fresh: ReadingInput[];
};

/** Comma-joined numbers of one column; `''` (SQL NULL through `string_to_array(…, ',', '')`) for NaN. */
function joined(a: Float64Array | Uint32Array, nullable = false): string {
  if (!nullable) return a.join(',');
  let s = '';
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as number;
    if (i) s += ',';
    if (!Number.isNaN(v)) s += String(v);
  }
  return s;
}

/** Store a batch (see the file comment). `batch.n` must be at least 1. */
export async function storeReadings(tx: Tx, batch: ReadingBatch, now: Date): Promise<StoredReadings> {
  const sensorRows = await queryRows<SensorRow>(
    tx,
    sql`SELECT id, name, kind, lng, lat, grid_id, street_id, unit_path FROM sensors WHERE active AND id = ANY(${sql.param(batch.sensors)}::text[])`,
  );
  const sensors = new Map(sensorRows.map((s) => [s.id, s]));
  const unknownSensors = batch.sensors.filter((id) => !sensors.has(id));
  // An unknown sensor's readings are not stored: its dictionary entry becomes NULL and drops out of the join.
  const dictionary = unknownSensors.length ? batch.sensors.map((id) => (sensors.has(id) ? id : null)) : batch.sensors;
  let known = batch.n;
  if (unknownSensors.length) {
    known = 0;
    for (let i = 0; i < batch.n; i++) if (dictionary[(batch.sensor[i] as number) - 1] !== null) known++;
  }
  if (known === 0) return { sensors, unknownSensors, known, fresh: [] };
  const [res] = await queryRows<{ n: number; fresh: number[] | string | null }>(
    tx,
    sql`WITH r AS MATERIALIZED (
          SELECT d.id AS s, m.metric AS m, to_timestamp(c.t / 1000) AS t, c.v, c.x, c.y, c.o
          FROM unnest(
            string_to_array(${joined(batch.sensor)}, ',')::int[],
            string_to_array(${joined(batch.metric)}, ',')::int[],
            string_to_array(${joined(batch.ts)}, ',')::float8[],
            string_to_array(${joined(batch.value)}, ',')::float8[],
            string_to_array(${joined(batch.lng, true)}, ',', '')::float8[],
            string_to_array(${joined(batch.lat, true)}, ',', '')::float8[]
          ) WITH ORDINALITY AS c(si, mi, t, v, x, y, o)
          JOIN unnest(${sql.param(dictionary)}::text[]) WITH ORDINALITY AS d(id, i) ON d.i = c.si
          JOIN unnest(${sql.param(batch.metrics)}::text[]) WITH ORDINALITY AS m(metric, i) ON m.i = c.mi
          WHERE d.id IS NOT NULL
        ), i AS (
          INSERT INTO sensor_readings (sensor_id, metric, ts, value, lng, lat, received_at)
          SELECT s, m, t, v, x, y, ${now.toISOString()}::timestamptz FROM r
          ON CONFLICT DO NOTHING
          RETURNING sensor_id, metric, ts
        ), n AS (SELECT count(*)::int AS n FROM i)
        SELECT n.n, CASE WHEN n.n < ${known}::int THEN (
          -- some were stored before (a redelivery): which of the batch's readings are new; the first of equal ones
          SELECT array_agg(o ORDER BY o) FROM (SELECT min(r.o) AS o FROM r JOIN i ON i.sensor_id = r.s AND i.metric = r.m AND i.ts = r.t GROUP BY r.s, r.m, r.t) f
        ) END AS fresh FROM n`,
  );
  const n = Number(res?.n ?? 0);
  const fresh: ReadingInput[] = [];
  if (n === known) {
    for (let i = 0; i < batch.n; i++) if (dictionary[(batch.sensor[i] as number) - 1] !== null) fresh.push(readingAt(batch, i));
  } else if (n > 0) {
    for (const o of ordinals(res?.fresh ?? null)) fresh.push(readingAt(batch, o - 1));
  }
  if (fresh.length) await moveLatest(tx, fresh, now);
  return { sensors, unknownSensors, known, fresh };
}

/** An int[] as the driver gives it: an array (pg), or its text form `{1,2}` (either, depending on the driver's parsers). */
function ordinals(v: number[] | string | null): number[] {
  if (v === null) return [];
  if (Array.isArray(v)) return v.map(Number);
  const body = v.replace(/^\{|\}$/g, '');
  return body ? body.split(',').map(Number) : [];
}

/** Each (sensor, metric)'s latest reading and how many arrived, upserted in one statement. */
async function moveLatest(tx: Tx, fresh: ReadingInput[], now: Date): Promise<void> {
  const latest = new Map<string, { r: ReadingInput; ms: number; n: number }>();
  for (const r of fresh) {
    const key = `${r.sensorId}\u0000${r.metric}`;
    const cur = latest.get(key);
    const ms = r.ts.getTime();
    if (!cur) latest.set(key, { r, ms, n: 1 });
    else {
      cur.n++;
      if (ms >= cur.ms) {
        cur.r = r;
        cur.ms = ms;
      }
    }
  }
  const rows = [...latest.values()].map(({ r, n }) => ({ s: r.sensorId, m: r.metric, t: r.ts.toISOString(), v: r.value, x: r.lng ?? null, y: r.lat ?? null, n }));
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
