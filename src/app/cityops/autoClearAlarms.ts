/**
 * 自动解除: an alarm clears by itself when its model's recovery holds, inside the caller's transaction — the one
 * that stored the readings (ingest), judged the events, or swept expiries and silent alarms. The alarm row is locked,
 * its state, `cleared_at` and `version` move, an `alarm_events` row of type `cleared` says `{ auto: true, reason }`
 * with no person as actor, the area's screens hear it (NOTIFY, delivered on commit), and a work order made of the
 * alarm records it in its history (`alarm_cleared`, no change of state).
 */
import { sql } from 'drizzle-orm';
import { decideAutoClear, silenceRecovery, type AlarmState, type Firing, type Recovery, type RecoveryParams } from '../../domain/alarm/index.js';
import type { Actor } from '../../domain/actor.js';
import { queryRows, type Db, type Tx } from '../../store/db.js';
import { orderEvents } from '../../store/schema/index.js';
import { liveEventOf, loadOrderRecord } from '../orders/orderRecord.js';
import { LIVE_CHANNEL, publishLive } from '../outbox/publish.js';
import { raiseAlarms, type AlarmRaise, type RaisedAlarm } from './raiseAlarms.js';

/** The recovery of one (model, source): its open alarm, if any, clears. */
export type AlarmRecovery = { modelId: string; sourceKey: string; recovery: Recovery };

export type ClearedAlarm = { id: string; no: string; modelId: string; sourceKey: string; orderId: string | null; reason: string };

/** The order event type that records an alarm of the order cleared (a history row; the order's state stays). */
export const ALARM_CLEARED_EVENT = 'alarm_cleared';

/**
 * Clear the open alarms of these (model, source) pairs. An alarm seen after the recovery's moment (a firing that
 * came later) stays open. Returns the alarms cleared; a pair without an open alarm is skipped.
 */
export async function autoClearAlarms(tx: Tx, recoveries: AlarmRecovery[], now: Date): Promise<ClearedAlarm[]> {
  // One entry per (model, source): the latest recovery speaks for the pair.
  const byPair = new Map<string, AlarmRecovery>();
  for (const r of recoveries) {
    const key = `${r.modelId}|${r.sourceKey}`;
    const prev = byPair.get(key);
    if (!prev || prev.recovery.at.getTime() <= r.recovery.at.getTime()) byPair.set(key, r);
  }
  if (byPair.size === 0) return [];
  const wanted = [...byPair.values()].map((r) => ({ m: r.modelId, k: r.sourceKey, at: r.recovery.at.toISOString() }));
  const open = await queryRows<{ id: string; model_id: string; source_key: string; state: string }>(
    tx,
    sql`SELECT a.id, a.model_id, a.source_key, a.state FROM alarms a
        JOIN jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) AS r(m uuid, k text, at timestamptz) ON a.model_id = r.m AND a.source_key = r.k
        WHERE a.state <> 'cleared' AND a.last_seen_at <= r.at
        ORDER BY a.id FOR UPDATE OF a`,
  );
  if (open.length === 0) return [];
  const rows = open.map((a) => {
    const r = byPair.get(`${a.model_id}|${a.source_key}`) as AlarmRecovery;
    const decision = decideAutoClear({ alarm: { state: a.state as AlarmState }, reason: r.recovery.message });
    return { id: a.id, from: a.state, to: decision.to, data: { ...decision.data, at: r.recovery.at.toISOString(), ...(r.recovery.value !== null ? { value: r.recovery.value } : {}), detail: r.recovery.detail } };
  });
  const at = now.toISOString();
  const out = await queryRows<{ id: string; no: string; model_id: string; source_key: string; order_id: string | null; reason: string; notified: number }>(
    tx,
    sql`
      WITH c AS (
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS c(id uuid, "from" text, "to" text, data jsonb)
      ), up AS (
        UPDATE alarms a SET state = c."to", cleared_at = ${at}::timestamptz, version = a.version + 1
        FROM c WHERE a.id = c.id
        RETURNING a.id, a.no, a.model_id, a.source_key, a.severity, a.unit_path, a.assignee_unit_path, a.order_id, c."from" AS from_state, c."to" AS to_state, c.data
      ), ev AS (
        INSERT INTO alarm_events (alarm_id, at, type, from_state, to_state, actor_id, actor_name, data)
        SELECT up.id, ${at}::timestamptz, 'cleared', up.from_state, up.to_state, NULL, '系统', up.data FROM up
      ), oev AS (
        INSERT INTO order_events (order_id, at, type, from_state, to_state, actor_id, actor_name, actor_role, data)
        SELECT o.id, ${at}::timestamptz, ${ALARM_CLEARED_EVENT}, o.state, o.state, NULL, '系统', 'system',
               jsonb_build_object('auto', true, 'alarmId', up.id, 'alarmNo', up.no, 'reason', up.data->>'reason')
        FROM up JOIN orders o ON o.id = up.order_id
      ), live AS (
        SELECT pg_notify(${LIVE_CHANNEL}, json_build_object('kind', 'alarm', 'alarmId', up.id, 'no', up.no, 'state', up.to_state, 'severity', up.severity, 'change', 'cleared',
                 'unitPaths', CASE WHEN up.assignee_unit_path IS NULL THEN json_build_array(up.unit_path) ELSE json_build_array(up.unit_path, up.assignee_unit_path) END)::text)
        FROM up
      )
      SELECT id, no, model_id, source_key, order_id, data->>'reason' AS reason, (SELECT count(*) FROM live) AS notified FROM up`,
  );
  // The orders made of these alarms tell their units and requesters (few: most alarms have no order).
  for (const r of out) if (r.order_id) await publishOrderLive(tx, r.order_id);
  return out.map((r) => ({ id: r.id, no: r.no, modelId: r.model_id, sourceKey: r.source_key, orderId: r.order_id, reason: r.reason }));
}

async function publishOrderLive(tx: Tx, orderId: string): Promise<void> {
  const rec = await loadOrderRecord(tx, orderId);
  if (rec) await publishLive(tx, liveEventOf(rec));
}

/** A person cleared an alarm made into an order: the order records it too (same transaction as the clear). */
export async function recordClearOnOrder(tx: Tx, args: { orderId: string; alarm: { id: string; no: string }; reason: string; actor: Actor; now: Date }): Promise<void> {
  const rec = await loadOrderRecord(tx, args.orderId);
  if (!rec) return;
  const { actor } = args;
  const state = rec.row.state;
  await tx.insert(orderEvents).values({ orderId: rec.row.id, at: args.now, type: ALARM_CLEARED_EVENT, fromState: state, toState: state, actorId: actor.userId, actorName: actor.displayName, actorRole: actor.role, actorUnitId: actor.unitId, data: { auto: false, alarmId: args.alarm.id, alarmNo: args.alarm.no, reason: args.reason } });
  await publishLive(tx, liveEventOf(rec));
}

/** What a model said about one source in one evaluation: firings to raise and recoveries to clear, in time order. */
export type Judged = { raise: Omit<AlarmRaise, 'firings'>; firings: Firing[]; recoveries: Recovery[] };

/**
 * Raise and clear in the order things happened: the firings up to a source's first recovery go to its (open or
 * new) alarm, which that recovery then clears; firings after it open a new alarm; and so on. Usually one round.
 */
export async function raiseAndClear(tx: Tx, judged: Judged[], now: Date): Promise<{ alarms: RaisedAlarm[]; cleared: ClearedAlarm[] }> {
  const alarms: RaisedAlarm[] = [];
  const cleared: ClearedAlarm[] = [];
  const rounds = Math.max(0, ...judged.map((j) => j.recoveries.length));
  for (let k = 0; k <= rounds; k++) {
    const raises: AlarmRaise[] = [];
    const clears: AlarmRecovery[] = [];
    for (const j of judged) {
      const after = k === 0 ? -Infinity : (j.recoveries[k - 1]?.at.getTime() ?? Infinity);
      const until = j.recoveries[k]?.at.getTime() ?? Infinity;
      const firings = j.firings.filter((f) => f.at.getTime() > after && f.at.getTime() <= until);
      if (firings.length) raises.push({ ...j.raise, firings });
      const r = j.recoveries[k];
      if (r) clears.push({ modelId: j.raise.model.id, sourceKey: j.raise.sourceKey, recovery: r });
    }
    if (raises.length) alarms.push(...(await raiseAlarms(tx, raises, now)));
    if (clears.length) cleared.push(...(await autoClearAlarms(tx, clears, now)));
  }
  return { alarms, cleared };
}

/**
 * The silence sweep: open alarms of active repeat, rate and event models with a recovery, not seen for the
 * model's minutes, clear. Rows are locked with SKIP LOCKED, so several servers share the work and none waits.
 */
export async function sweepSilentAlarms(args: { db: Db; now: Date; batch?: number; maxBatches?: number }): Promise<{ cleared: number }> {
  const { db, now } = args;
  let cleared = 0;
  for (let i = 0; i < (args.maxBatches ?? 20); i++) {
    const n = await db.transaction(async (tx) => {
      const due = await queryRows<{ id: string; model_id: string; source_key: string; last_seen_at: string | Date; recovery: RecoveryParams }>(
        tx,
        sql`SELECT a.id, a.model_id, a.source_key, a.last_seen_at, m.recovery FROM alarms a JOIN alert_models m ON m.id = a.model_id
            WHERE a.state <> 'cleared' AND m.active AND m.kind IN ('repeat', 'rate', 'event') AND m.recovery IS NOT NULL
              AND (m.recovery->>'minutes')::int >= 1
              AND a.last_seen_at <= ${now.toISOString()}::timestamptz - make_interval(mins => (m.recovery->>'minutes')::int)
            ORDER BY a.last_seen_at, a.id LIMIT ${args.batch ?? 200} FOR UPDATE OF a SKIP LOCKED`,
      );
      const recoveries: AlarmRecovery[] = [];
      for (const a of due) {
        const r = silenceRecovery(a.recovery, new Date(a.last_seen_at), now);
        if (r) recoveries.push({ modelId: a.model_id, sourceKey: a.source_key, recovery: r });
      }
      return { seen: due.length, cleared: (await autoClearAlarms(tx, recoveries, now)).length };
    });
    cleared += n.cleared;
    if (n.seen < (args.batch ?? 200) || n.cleared === 0) break;
  }
  return { cleared };
}
