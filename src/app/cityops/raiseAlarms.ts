/**
 * Raising alarms from firings, inside the caller's transaction: one statement upserts the open alarm of each
 * (model, source) — a new one is `raised`, an open one is `repeated` (count and last seen) — and writes the
 * history rows. One open alarm per model and source is kept by a partial unique index. A new alarm is announced on
 * the live channel (NOTIFY, delivered on commit) to its area's screens; a repeat is not (it would flood them).
 */
import { sql } from 'drizzle-orm';
import type { Firing, CompiledModel } from '../../domain/alarm/index.js';
import { queryRows, type Tx } from '../../store/db.js';
import { LIVE_CHANNEL } from '../outbox/publish.js';

/** Where an alarm's source is: its point, grid, street and the unit path that decides who sees it. */
export type SourcePlace = { lng: number | null; lat: number | null; gridId: string | null; streetId: string | null; unitPath: string };

export type AlarmRaise = { model: CompiledModel; sourceKey: string; sourceType: string; sourceName: string; place: SourcePlace; firings: Firing[] };

export type RaisedAlarm = { id: string; no: string; modelId: string; sourceKey: string; raised: boolean; count: number; conditionAt: Date; unitPath: string };

/** Upsert the alarms of these firings (at most one entry per model and source) and write their history. */
export async function raiseAlarms(tx: Tx, raises: AlarmRaise[], now: Date): Promise<RaisedAlarm[]> {
  // One entry per (model, source): a statement may not upsert the same alarm twice.
  const merged = new Map<string, AlarmRaise>();
  for (const r of raises) {
    const key = `${r.model.id}|${r.sourceKey}`;
    const prev = merged.get(key);
    merged.set(key, prev ? { ...r, firings: [...prev.firings, ...r.firings] } : r);
  }
  const rows = [...merged.values()]
    .filter((r) => r.firings.length > 0)
    .map((r) => {
      const first = r.firings[0] as Firing;
      const last = r.firings[r.firings.length - 1] as Firing;
      return {
        model_id: r.model.id,
        source_key: r.sourceKey,
        source_type: r.sourceType,
        severity: r.model.severity,
        title: `${r.model.name}：${r.sourceName}`,
        detail: { ...last.detail, message: last.message, source: r.sourceName },
        value: last.value,
        cnt: r.firings.length,
        condition_at: first.at.toISOString(),
        last_at: last.at.toISOString(),
        lng: r.place.lng,
        lat: r.place.lat,
        grid_id: r.place.gridId,
        street_id: r.place.streetId,
        unit_path: r.place.unitPath,
      };
    });
  if (rows.length === 0) return [];
  const day = now.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).replaceAll('-', '');
  const out = await queryRows<{ id: string; no: string; model_id: string; source_key: string; inserted: boolean; count: number; condition_at: string | Date; unit_path: string }>(
    tx,
    sql`
      WITH f AS (
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS f(model_id uuid, source_key text, source_type text, severity text, title text, detail jsonb, value float8, cnt int, condition_at timestamptz, last_at timestamptz, lng float8, lat float8, grid_id text, street_id text, unit_path text)
      ), up AS (
        INSERT INTO alarms (no, model_id, source_key, source_type, severity, state, title, detail, value, count, condition_at, raised_at, last_seen_at, lng, lat, grid_id, street_id, unit_path)
        SELECT 'AL' || ${day} || lpad(nextval('alarm_no_seq')::text, 7, '0'), f.model_id, f.source_key, f.source_type, f.severity, 'open', f.title, f.detail, f.value, f.cnt, f.condition_at, ${now.toISOString()}::timestamptz, f.last_at, f.lng, f.lat, f.grid_id, f.street_id, f.unit_path
        FROM f
        ON CONFLICT (model_id, source_key) WHERE state <> 'cleared' DO UPDATE
          SET count = alarms.count + EXCLUDED.count, value = EXCLUDED.value, detail = EXCLUDED.detail,
              last_seen_at = greatest(alarms.last_seen_at, EXCLUDED.last_seen_at), lng = coalesce(EXCLUDED.lng, alarms.lng), lat = coalesce(EXCLUDED.lat, alarms.lat)
        RETURNING id, no, model_id, source_key, state, count, condition_at, unit_path, (xmax = 0) AS inserted
      ), ev AS (
        INSERT INTO alarm_events (alarm_id, at, type, from_state, to_state, data)
        SELECT up.id, ${now.toISOString()}::timestamptz, CASE WHEN up.inserted THEN 'raised' ELSE 'repeated' END, CASE WHEN up.inserted THEN NULL ELSE up.state END, up.state,
               jsonb_build_object('count', f.cnt, 'value', f.value, 'message', f.detail->>'message', 'conditionAt', f.condition_at)
        FROM up JOIN f ON f.model_id = up.model_id AND f.source_key = up.source_key
      ), live AS (
        SELECT pg_notify(${LIVE_CHANNEL}, json_build_object('kind', 'alarm', 'alarmId', up.id, 'no', up.no, 'state', up.state, 'severity', f.severity, 'change', 'raised', 'unitPaths', json_build_array(up.unit_path))::text)
        FROM up JOIN f ON f.model_id = up.model_id AND f.source_key = up.source_key WHERE up.inserted
      )
      SELECT id, no, model_id, source_key, inserted, count, condition_at, unit_path, (SELECT count(*) FROM live) AS notified FROM up`,
  );
  return out.map((r) => ({ id: r.id, no: r.no, modelId: r.model_id, sourceKey: r.source_key, raised: r.inserted, count: Number(r.count), conditionAt: new Date(r.condition_at), unitPath: r.unit_path }));
}
